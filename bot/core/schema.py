"""Check a parsed fact base and build the model, reporting every problem at once.

An editor fixing the file wants the whole list with positions, not one error
per run, so checks never stop at the first problem: a bad entry is reported and
skipped, and checking goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.model import (
    LAST_EPISODE,
    SERIES_ID,
    Alias,
    Character,
    Claim,
    Conflict,
    Episode,
    Fact,
    FactBase,
    Person,
    Relation,
    Review,
    Score,
    episode_id,
)
from bot.core.yamlsafe import LocatedDict, LocatedList, Where

SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 600
MAX_NAME = 100

TOPICS = (
    "series", "production", "cast", "profile", "relationship",
    "event", "ending", "theme", "reception", "comparison",
)  # fmt: skip
ROLES = ("actor", "director", "screenwriter", "referenced")
CHARACTER_ROLES = ("lead", "supporting", "family", "minor")
SPOILER_LEVELS = ("none", "light", "heavy")
RELATIONS = (
    "mother", "father", "sister", "brother", "son", "daughter", "wife", "husband",
    "ex-wife", "ex-husband", "partner", "girlfriend", "boyfriend", "best-friend",
    "friend", "roommate", "landlady", "tenant", "mentor", "mentee", "agent", "client",
    "teammate", "secretary", "colleague", "employee", "boss",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Problem:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FactBaseError(Exception):
    """The fact base is invalid; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.where.path, p.where.line, p.where.column))
        super().__init__("\n".join(str(p) for p in self.problems))


_MISSING = object()
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping"}  # fmt: skip


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def _found(value: object) -> str:
    """Name what was found, spelling out YAML's implicit conversions (no → false)."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads an unquoted yes/no/on/off as true/false)"
    if isinstance(value, dt.date):
        return f"a date {value} (quote it)"
    if isinstance(value, int):
        return f"the number {value} (quote it if it is text)"
    if isinstance(value, float):
        return f"the number {value}"
    if value is None:
        return "nothing"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, where: Where | None, message: str) -> None:
        self.problems.append(Problem(where or Where(self.path, 1, 1), message))

    # -- fields ---------------------------------------------------------------
    def get(self, entry: LocatedDict, key: str, types: tuple[type, ...], *, required: bool = True,
            default: object = None, nullable: bool = False) -> object:  # fmt: skip
        """Return ``entry[key]`` when it has one of ``types``; else record why."""
        if key not in entry:
            if required:
                self.problem(entry.where, f"missing required field '{key}'")
                return _MISSING
            return default
        value = entry[key]
        if value is None and (nullable or not required):
            return default if not nullable else None
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            self.problem(
                entry.key_where[key], f"'{key}' must be {_type_name(types)}, found {_found(value)}"
            )
            return _MISSING
        if isinstance(value, str):
            limit = MAX_NAME if key in ("name", "label", "given") else MAX_TEXT
            if not value.strip():
                self.problem(entry.key_where[key], f"'{key}' is empty")
                return _MISSING
            if len(value) > limit:
                self.problem(entry.key_where[key], f"'{key}' is {len(value)} characters; the limit is {limit}")  # fmt: skip
                return _MISSING
        return value

    def text_list(self, entry: LocatedDict, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.get(entry, key, (list,), required=required)
        if value is _MISSING or value is None:
            return ()
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                out.append(item)
            else:
                self.problem(value.item_where[index], f"each item of '{key}' must be text, found {_found(item)}")  # fmt: skip
        return tuple(out)

    def choice(self, entry: LocatedDict, key: str, allowed: Iterable[str], **kw) -> object:
        value = self.get(entry, key, (str,), **kw)
        if isinstance(value, str) and value not in allowed:
            self.problem(entry.key_where[key], f"'{key}' must be one of {', '.join(allowed)}; found {value!r}")  # fmt: skip
            return _MISSING
        return value

    def only_keys(self, entry: LocatedDict, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in entry:
            if key not in allowed:
                self.problem(entry.key_where[key], f"unknown field '{key}'")

    def entries(self, root: LocatedDict, key: str) -> list[LocatedDict]:
        value = self.get(root, key, (list,))
        if value is _MISSING:
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, LocatedDict):
                out.append(item)
            else:
                self.problem(value.item_where[index], f"each entry of '{key}' must be a mapping, found {_found(item)}")  # fmt: skip
        return out

    def an_id(self, entry: LocatedDict, key: str = "id") -> str | None:
        value = self.get(entry, key, (str,))
        if value is _MISSING:
            return None
        if not ID_PATTERN.match(value):
            self.problem(entry.key_where[key], f"id {value!r} must be lowercase words joined by '-' or '.'")  # fmt: skip
            return None
        return value

    def gate(
        self, entry: LocatedDict, key: str = "gate", *, default: int | None = None
    ) -> int | None:
        required = default is None
        value = self.get(entry, key, (int,), required=required, default=default)
        if value is _MISSING:
            return None
        if not 0 <= value <= LAST_EPISODE:
            self.problem(entry.key_where[key], f"'{key}' must be an episode from 0 to {LAST_EPISODE}, found {value}")  # fmt: skip
            return None
        return value


def _aliases(c: _Checker, entry: LocatedDict) -> tuple[tuple[Alias, LocatedDict], ...]:
    out = []
    for item in c.entries(entry, "aliases") if "aliases" in entry else []:
        c.only_keys(item, ("name", "sources", "error", "note"))
        name = c.get(item, "name", (str,))
        sources = c.text_list(item, "sources")
        error = c.get(item, "error", (bool,), required=False, default=False)
        note = c.get(item, "note", (str,), required=False)
        if name is not _MISSING:
            out.append(
                (Alias(name, sources, error is True, None if note is _MISSING else note), item)
            )
    return tuple(out)


def _nullable_text(
    c: _Checker, entry: LocatedDict, key: str, *, required: bool = True
) -> str | None:
    value = c.get(entry, key, (str,), required=required, nullable=True)
    return None if value is _MISSING else value


def _review(c: _Checker, e: LocatedDict) -> Review | None:
    c.only_keys(e, ("id", "file", "title", "author", "outlet", "date", "score", "verdict", "spoilers", "spoiler_note", "title_gate"))  # fmt: skip
    rid = c.an_id(e)
    file = c.get(e, "file", (str,))
    title = c.get(e, "title", (str,))
    author = _nullable_text(c, e, "author")
    outlet = _nullable_text(c, e, "outlet")
    date = _nullable_text(c, e, "date")
    if date is not None and not _valid_date(date):
        c.problem(e.key_where["date"], f"'date' must be a quoted YYYY-MM-DD date, found {date!r}")
    score = None
    raw = c.get(e, "score", (dict,), required=True, nullable=True)
    if isinstance(raw, LocatedDict):
        c.only_keys(raw, ("given", "value", "scale"))
        given = c.get(raw, "given", (str,))
        value = c.get(raw, "value", (int, float))
        scale = c.get(raw, "scale", (int, float))
        if _MISSING not in (given, value, scale):
            if scale <= 0 or not 0 <= value <= scale:
                c.problem(raw.where, f"score {value}/{scale} is not within its scale")
            else:
                score = Score(given, float(value), float(scale))
    verdict = c.get(e, "verdict", (str,))
    spoilers = c.choice(e, "spoilers", SPOILER_LEVELS)
    note = _nullable_text(c, e, "spoiler_note", required=False)
    title_gate = c.gate(e, "title_gate", default=0)
    if _MISSING in (file, title, verdict, spoilers) or rid is None or title_gate is None:
        return None
    return Review(rid, file, title, author, outlet, date, score, verdict, spoilers, note, title_gate)


def _valid_date(text: str) -> bool:
    if not DATE_PATTERN.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class _Builder:
    """Builds the model entry by entry, remembering positions for the cross checks."""

    def __init__(self, path: str) -> None:
        self.c = _Checker(path)
        self.id_where: dict[str, Where] = {}
        # ids declared per section, valid entry or not, so one bad entry does not
        # cascade into "unknown id" reports wherever it is referred to
        self.declared: dict[str, set[str]] = {
            k: set() for k in ("review", "person", "character", "fact", "conflict")
        }
        # (where, kind of reference, id) to check once every id is known
        self.source_refs: list[tuple[Where, str]] = []
        self.entity_refs: list[tuple[Where, str, str]] = []

    def claim_id(self, entry: LocatedDict, ident: str | None, kind: str) -> None:
        if ident is None:
            return
        self.declared[kind].add(ident)
        if ident in self.id_where:
            first = self.id_where[ident]
            self.c.problem(entry.key_where.get("id", entry.where), f"duplicate id {ident!r} (first at line {first.line})")  # fmt: skip
        else:
            self.id_where[ident] = entry.key_where.get("id", entry.where)

    def sources(self, entry: LocatedDict, key: str = "sources") -> tuple[str, ...]:
        values = self.c.text_list(entry, key)
        if key in entry and not values and isinstance(entry[key], list) and not entry[key]:
            self.c.problem(entry.key_where[key], f"'{key}' must name at least one review")
        where = entry.key_where.get(key, entry.where)
        self.source_refs.extend((where, s) for s in values)
        return values

    def refs(self, entry: LocatedDict, key: str, kind: str, values: Iterable[str]) -> None:
        where = entry.key_where.get(key, entry.where)
        self.entity_refs.extend((where, kind, v) for v in values)

    def build(self, root: object) -> FactBase:
        c = self.c
        if not isinstance(root, LocatedDict):
            c.problem(None, "the fact base must be a YAML mapping with reviews, people, characters, episodes, facts and conflicts")  # fmt: skip
            raise FactBaseError(c.problems)
        c.only_keys(root, ("schema", "reviews", "people", "characters", "episodes", "facts", "conflicts"))  # fmt: skip
        version = c.get(root, "schema", (int,))
        if version is not _MISSING and version != SCHEMA_VERSION:
            c.problem(root.key_where["schema"], f"schema {version} is not supported (this bot reads schema {SCHEMA_VERSION})")  # fmt: skip

        reviews = self._reviews(root)
        people = [p for e in c.entries(root, "people") if (p := self._person(e))]
        characters = [ch for e in c.entries(root, "characters") if (ch := self._character(e))]
        episodes = self._episodes(root)
        facts = [f for e in c.entries(root, "facts") if (f := self._fact(e))]
        conflicts = [k for e in c.entries(root, "conflicts") if (k := self._conflict(e))]

        self.check_references()
        if c.problems:
            raise FactBaseError(c.problems)
        return FactBase(tuple(reviews), tuple(people), tuple(characters), tuple(episodes),
                        tuple(facts), tuple(conflicts))  # fmt: skip

    def check_references(self) -> None:
        """Every source, about, played_by, relation and conflict id must be declared."""
        c = self.c
        review_ids = self.declared["review"]
        for where, source in self.source_refs:
            if source not in review_ids:
                c.problem(where, f"unknown source {source!r} (reviews are: {', '.join(sorted(review_ids))})")  # fmt: skip
        known = dict(self.declared)
        known["about"] = (
            known["person"] | known["character"] | review_ids
            | {SERIES_ID} | {episode_id(n) for n in range(1, LAST_EPISODE + 1)}
        )  # fmt: skip
        for where, kind, ident in self.entity_refs:
            if ident not in known[kind]:
                what = "thing a fact can be about" if kind == "about" else kind
                c.problem(where, f"unknown {what} {ident!r}")

    def _reviews(self, root: LocatedDict) -> list[Review]:
        out = []
        for e in self.c.entries(root, "reviews"):
            review = _review(self.c, e)
            self.claim_id(e, e.get("id") if isinstance(e.get("id"), str) else None, "review")
            if review:
                out.append(review)
        return out

    def _alias_list(self, e: LocatedDict) -> tuple[Alias, ...]:
        out = []
        for alias, item in _aliases(self.c, e):
            self.source_refs.extend(
                (item.key_where.get("sources", item.where), s) for s in alias.sources
            )
            out.append(alias)
        return tuple(out)

    def _person(self, e: LocatedDict) -> Person | None:
        c = self.c
        c.only_keys(e, ("id", "name", "roles", "sources", "aliases"))
        pid = c.an_id(e)
        self.claim_id(e, pid, "person")
        name = c.get(e, "name", (str,))
        roles = c.text_list(e, "roles")
        for role in roles:
            if role not in ROLES:
                c.problem(e.key_where["roles"], f"role {role!r} must be one of {', '.join(ROLES)}")
        sources = self.sources(e)
        aliases = self._alias_list(e)
        if pid is None or name is _MISSING:
            return None
        return Person(pid, name, roles, sources, aliases)

    def _character(self, e: LocatedDict) -> Character | None:
        c = self.c
        c.only_keys(e, ("id", "name", "label", "role", "played_by", "gate", "sources", "summary", "aliases", "relations"))  # fmt: skip
        cid = c.an_id(e)
        self.claim_id(e, cid, "character")
        name = _nullable_text(c, e, "name")
        label = _nullable_text(c, e, "label", required=False)
        if name is None and label is None and "name" in e:
            c.problem(e.where, "a character with no name needs a 'label' (e.g. \"Seon-gyeom's father\")")  # fmt: skip
        role = c.choice(e, "role", CHARACTER_ROLES)
        played_by = _nullable_text(c, e, "played_by", required=False)
        if played_by:
            self.refs(e, "played_by", "person", [played_by])
        gate = c.gate(e, default=0)
        sources = self.sources(e)
        summary = _nullable_text(c, e, "summary", required=False)
        aliases = self._alias_list(e)
        relations = []
        for r in c.entries(e, "relations") if "relations" in e else []:
            c.only_keys(r, ("is", "of", "sources", "gate"))
            kind = c.choice(r, "is", RELATIONS)
            of = c.get(r, "of", (str,))
            if of is not _MISSING:
                self.refs(r, "of", "character", [of])
            rsources = self.sources(r)
            rgate = c.gate(r, default=0)
            if _MISSING not in (kind, of) and rgate is not None:
                relations.append(Relation(kind, of, rsources, rgate))
        if cid is None or role is _MISSING or gate is None:
            return None
        return Character(cid, name, label, role, played_by, gate, sources, summary, aliases, tuple(relations))  # fmt: skip

    def _episodes(self, root: LocatedDict) -> list[Episode]:
        c = self.c
        out: dict[int, Episode] = {}
        for e in c.entries(root, "episodes"):
            c.only_keys(e, ("number", "air_date", "weekday", "derived", "derivation", "sources"))
            number = c.get(e, "number", (int,))
            air_date = c.get(e, "air_date", (str,))
            weekday = c.choice(e, "weekday", WEEKDAYS)
            derived = c.get(e, "derived", (bool,), required=False, default=False)
            derivation = _nullable_text(c, e, "derivation", required=False)
            sources = self.sources(e)
            if number is _MISSING:
                continue
            if not 1 <= number <= LAST_EPISODE:
                c.problem(e.key_where["number"], f"episode number must be 1 to {LAST_EPISODE}, found {number}")  # fmt: skip
                continue
            if number in out:
                c.problem(e.key_where["number"], f"episode {number} is listed twice")
                continue
            if air_date is _MISSING or weekday is _MISSING:
                continue
            if not _valid_date(air_date):
                c.problem(e.key_where["air_date"], f"'air_date' must be a quoted YYYY-MM-DD date, found {air_date!r}")  # fmt: skip
                continue
            actual = WEEKDAYS[dt.date.fromisoformat(air_date).weekday()]
            if actual != weekday:
                c.problem(e.key_where["weekday"], f"{air_date} is a {actual}, not a {weekday}")
                continue
            out[number] = Episode(number, air_date, weekday, derived is True, sources, derivation)
        missing = [n for n in range(1, LAST_EPISODE + 1) if n not in out]
        if missing and "episodes" in root and not c.problems:
            c.problem(
                root.key_where["episodes"], f"episodes missing: {', '.join(map(str, missing))}"
            )
        return [out[n] for n in sorted(out)]

    def _fact(self, e: LocatedDict) -> Fact | None:
        c = self.c
        c.only_keys(e, ("id", "about", "topic", "text", "sources", "gate", "episodes", "derived", "conflict", "value", "keywords"))  # fmt: skip
        fid = c.an_id(e)
        self.claim_id(e, fid, "fact")
        about = c.text_list(e, "about")
        self.refs(e, "about", "about", about)
        if "about" in e and not about and isinstance(e["about"], list):
            c.problem(e.key_where["about"], "'about' must name at least one thing")
        topic = c.choice(e, "topic", TOPICS)
        text = c.get(e, "text", (str,))
        sources = self.sources(e)
        gate, episodes = self._fact_gate(e)
        derived = c.get(e, "derived", (bool,), required=False, default=False)
        conflict = _nullable_text(c, e, "conflict", required=False)
        if conflict:
            self.refs(e, "conflict", "conflict", [conflict])
        value = c.get(e, "value", (str, int, float), required=False)
        keywords = c.text_list(e, "keywords", required=False)
        if fid is None or _MISSING in (topic, text) or gate is None:
            return None
        return Fact(fid, about, topic, text, sources, gate, episodes, derived is True, conflict,
                    None if value is _MISSING else value, keywords)  # fmt: skip

    def _fact_gate(self, e: LocatedDict) -> tuple[int | None, tuple[int, int] | None]:
        """A fact's gate: ``gate: N``, or the last episode of ``episodes: N | [A, B]``."""
        c = self.c
        has_gate, has_range = "gate" in e, "episodes" in e
        if has_gate and has_range:
            c.problem(e.key_where["episodes"], "give either 'gate' or 'episodes', not both")
            return None, None
        if not has_gate and not has_range:
            c.problem(e.where, "missing 'gate' (0 for premise) or 'episodes' (N or [first, last])")
            return None, None
        if has_gate:
            return c.gate(e), None
        raw, where = e["episodes"], e.key_where["episodes"]
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = [raw, raw]
        if not (isinstance(raw, list) and len(raw) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in raw)):  # fmt: skip
            c.problem(where, f"'episodes' must be an episode number or [first, last], found {_found(raw)}")  # fmt: skip
            return None, None
        first, last = raw
        if not (1 <= first <= LAST_EPISODE and 1 <= last <= LAST_EPISODE):
            c.problem(where, f"'episodes' must be within 1 to {LAST_EPISODE}, found [{first}, {last}]")  # fmt: skip
            return None, None
        if first > last:
            c.problem(where, f"'episodes' range is reversed: [{first}, {last}]")
            return None, None
        return last, (first, last)

    def _conflict(self, e: LocatedDict) -> Conflict | None:
        c = self.c
        c.only_keys(e, ("id", "about", "question", "gate", "claims", "note"))
        kid = c.an_id(e)
        self.claim_id(e, kid, "conflict")
        about = c.text_list(e, "about")
        self.refs(e, "about", "about", about)
        question = c.get(e, "question", (str,))
        gate = c.gate(e, default=0)
        claims = []
        for item in c.entries(e, "claims"):
            c.only_keys(item, ("text", "sources"))
            text = c.get(item, "text", (str,))
            sources = self.sources(item)
            if text is not _MISSING:
                claims.append(Claim(text, sources))
        if "claims" in e and isinstance(e["claims"], list) and len(e["claims"]) < 2:
            c.problem(e.key_where["claims"], "a conflict needs at least two claims")
        note = _nullable_text(c, e, "note", required=False)
        if kid is None or question is _MISSING or gate is None:
            return None
        return Conflict(kid, about, question, gate, tuple(claims), note)


def build_factbase(root: object, path: str) -> FactBase:
    """Check a parsed document and build the model, or raise ``FactBaseError``."""
    return _Builder(path).build(root)


def _locate(value: object, where: Where) -> object:
    """Plain data (a form, a database row) dressed as parsed YAML, all at one position."""
    if isinstance(value, dict):
        out = LocatedDict((k, _locate(v, where)) for k, v in value.items())
        out.where, out.key_where = where, {k: where for k in value}
        return out
    if isinstance(value, list):
        items = LocatedList(_locate(v, where) for v in value)
        items.where, items.item_where = where, [where] * len(value)
        return items
    return value


def build_fact(entry: dict, base: FactBase, *, path: str = "fact") -> Fact:
    """Check one fact against ``base`` exactly as the file's facts are checked.

    Used for moderators' changes and for the stored changes applied over the
    file, so nothing reaches the base that the file itself could not hold.
    """
    builder = _Builder(path)
    builder.declared["review"] |= set(base.review_by_id)
    builder.declared["person"] |= set(base.person_by_id)
    builder.declared["character"] |= set(base.character_by_id)
    builder.declared["conflict"] |= set(base.conflict_by_id)
    if not isinstance(entry, dict):
        raise FactBaseError([Problem(Where(path, 1, 1), "a fact must be a mapping")])
    fact = builder._fact(_locate(entry, Where(path, 1, 1)))
    builder.check_references()
    if builder.c.problems or fact is None:
        raise FactBaseError(builder.c.problems or [Problem(Where(path, 1, 1), "invalid fact")])
    return fact

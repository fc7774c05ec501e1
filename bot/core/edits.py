"""Moderators' changes as data: facts to and from plain dicts, applied over the file.

The YAML file is the base; every moderator change is a stored revision whose
``after`` is a plain fact dict (or None for a removal). Applying them is a pure
function of (base, changes), so a reload or a restart rebuilds exactly the same
base, and every change passes the same checks as the file (``build_fact``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from bot.core.model import Alias, Character, Conflict, Episode, Fact, FactBase, Person, Review
from bot.core.schema import SCHEMA_VERSION, FactBaseError, Problem, build_fact


def fact_to_data(fact: Fact) -> dict:
    """A fact as the file writes it; only the optional keys it uses."""
    data: dict = {"id": fact.id, "about": list(fact.about), "topic": fact.topic, "text": fact.text,
                  "sources": list(fact.sources)}  # fmt: skip
    if fact.episodes is None:
        data["gate"] = fact.gate
    else:
        first, last = fact.episodes
        data["episodes"] = first if first == last else [first, last]
    if fact.derived:
        data["derived"] = True
    if fact.conflict:
        data["conflict"] = fact.conflict
    if fact.value is not None:
        data["value"] = fact.value
    if fact.keywords:
        data["keywords"] = list(fact.keywords)
    return data


def _aliases(aliases: tuple[Alias, ...]) -> list[dict]:
    out = []
    for a in aliases:
        item: dict = {"name": a.name, "sources": list(a.sources)}
        if a.error:
            item["error"] = True
        if a.note:
            item["note"] = a.note
        out.append(item)
    return out


def _review(r: Review) -> dict:
    score = None if r.score is None else {"given": r.score.given, "value": _number(r.score.value), "scale": _number(r.score.scale)}  # fmt: skip
    data = {"id": r.id, "file": r.file, "title": r.title, "author": r.author, "outlet": r.outlet,
            "date": r.date, "score": score, "verdict": r.verdict, "spoilers": r.spoilers}  # fmt: skip
    if r.spoiler_note:
        data["spoiler_note"] = r.spoiler_note
    if r.title_gate:
        data["title_gate"] = r.title_gate
    return data


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _person(p: Person) -> dict:
    data = {"id": p.id, "name": p.name, "roles": list(p.roles), "sources": list(p.sources)}
    if p.aliases:
        data["aliases"] = _aliases(p.aliases)
    return data


def _character(c: Character) -> dict:
    data: dict = {"id": c.id, "name": c.name}
    if c.label:
        data["label"] = c.label
    data.update(role=c.role, played_by=c.played_by, gate=c.gate, sources=list(c.sources))
    if c.summary:
        data["summary"] = c.summary
    if c.aliases:
        data["aliases"] = _aliases(c.aliases)
    if c.relations:
        data["relations"] = [{"is": r.is_, "of": r.of, "sources": list(r.sources), **({"gate": r.gate} if r.gate else {})} for r in c.relations]  # fmt: skip
    return data


def _episode(e: Episode) -> dict:
    data: dict = {"number": e.number, "air_date": e.air_date, "weekday": e.weekday}
    if e.derived:
        data["derived"] = True
    if e.derivation:
        data["derivation"] = e.derivation
    data["sources"] = list(e.sources)
    return data


def _conflict(k: Conflict) -> dict:
    data = {"id": k.id, "about": list(k.about), "question": k.question, "gate": k.gate,
            "claims": [{"text": c.text, "sources": list(c.sources)} for c in k.claims]}  # fmt: skip
    if k.note:
        data["note"] = k.note
    return data


def factbase_to_data(base: FactBase) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "reviews": [_review(r) for r in base.reviews],
        "people": [_person(p) for p in base.people],
        "characters": [_character(c) for c in base.characters],
        "episodes": [_episode(e) for e in base.episodes],
        "facts": [fact_to_data(f) for f in base.facts],
        "conflicts": [_conflict(k) for k in base.conflicts],
    }


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Safe dumping (libyaml's when present); no anchors, since the loader refuses them."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_yaml(base: FactBase) -> str:
    header = "# Run On fact base, exported by runon-bot (moderator changes included).\n"
    return header + yaml.dump(factbase_to_data(base), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)  # fmt: skip


def with_facts(base: FactBase, facts: list[Fact]) -> FactBase:
    return FactBase(base.reviews, base.people, base.characters, base.episodes, tuple(facts), base.conflicts)  # fmt: skip


@dataclass(frozen=True)
class Applied:
    base: FactBase
    skipped: tuple[Problem, ...] = ()


def apply_changes(base: FactBase, changes: Mapping[str, dict | None]) -> Applied:
    """The file's base with each fact's latest stored change applied over it.

    A change that no longer fits the file (it names a character the file has
    since dropped) is skipped and reported, never silently lost: it stays stored.
    """
    facts = {f.id: f for f in base.facts}
    order = [f.id for f in base.facts]
    skipped: list[Problem] = []
    for fact_id, after in changes.items():
        if after is None:
            facts.pop(fact_id, None)
            continue
        try:
            fact = build_fact(after, base, path=f"change to {fact_id}")
        except FactBaseError as exc:
            skipped.extend(exc.problems)
            continue
        if fact_id not in facts:
            order.append(fact_id)
        facts[fact_id] = fact
    return Applied(with_facts(base, [facts[i] for i in order if i in facts]), tuple(skipped))


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would change: facts by id, and other sections."""

    added: tuple[Fact, ...] = ()
    changed: tuple[tuple[Fact, Fact], ...] = ()
    removed: tuple[Fact, ...] = ()
    other_sections: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def plan_import(current: FactBase, incoming: FactBase) -> ImportPlan:
    """Diff two bases. Only facts are imported; other sections differing are reported."""
    now = {f.id: f for f in current.facts}
    new = {f.id: f for f in incoming.facts}
    added = tuple(f for i, f in new.items() if i not in now)
    changed = tuple((now[i], f) for i, f in new.items() if i in now and now[i] != f)
    removed = tuple(f for i, f in now.items() if i not in new)
    sections = [name for name in ("reviews", "people", "characters", "episodes", "conflicts")
                if getattr(current, name) != getattr(incoming, name)]  # fmt: skip
    return ImportPlan(added, changed, removed, tuple(sections))

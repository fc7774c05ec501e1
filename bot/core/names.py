"""Resolve what people type to characters and actors.

Every spelling a review uses is an alias, and names are compared in their
``compact`` form, so "Seon-gyeom", "seon gyeom" and "ＳＥＯＮＧＹＥＯＭ" are one key.
Typos go through rapidfuzz: one clear winner is served, several close ones
become "did you mean".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.model import Alias, FactBase
from bot.core.text import compact

CONFIDENT = 85  # a fuzzy score at or above this may be served...
MARGIN = 6  # ...when the next different entity scores at least this much lower
CLOSE = 70  # candidates at or above this are offered as "did you mean"
MAX_NGRAM = 4  # the longest name, in words ("Kwon Young Il" plus one)
# Bounds on what is looked at, whatever a caller passes (the slash options say the same):
MAX_NAME = 100  # characters in a name; longer is no name
MAX_WORDS = 150  # words of a question searched for names (a 300-character question's most)
MIN_SOUND_KEY = 6  # a sound-alike key shorter than this ("sudan") is too likely an ordinary word

# Romanised Korean spells one vowel many ways: 선 is "seon", "sun" or "son"; 영 is
# "yeong" or "young"; 주 is "ju" or "joo". Folding the usual variants gives a key
# that a fan's spelling ("sun gyeom") shares with the review's ("Seon-gyeom").
_SOUND_FOLDS = (("eo", "u"), ("eu", "u"), ("ou", "u"), ("oo", "u"), ("sh", "s"), ("ee", "i"))


def sound_key(key: str) -> str:
    """A compact name with its romanisation variants folded ("seongyeom" -> "sungyum")."""
    for spelt, sound in _SOUND_FOLDS:
        key = key.replace(spelt, sound)
    return key


# What people call a relation, mapped to the schema's relation names.
RELATION_WORDS: dict[str, tuple[str, ...]] = {
    "mother": ("mother",), "mom": ("mother",), "mum": ("mother",), "mama": ("mother",),
    "father": ("father",), "dad": ("father",), "papa": ("father",), "daddy": ("father",),
    "mommy": ("mother",), "mummy": ("mother",),
    "parents": ("mother", "father"), "parent": ("mother", "father"),
    "sister": ("sister",), "sis": ("sister",), "brother": ("brother",), "bro": ("brother",),
    "sibling": ("sister", "brother"), "siblings": ("sister", "brother"),
    "son": ("son",), "daughter": ("daughter",), "wife": ("wife", "ex-wife"),
    "husband": ("husband", "ex-husband"), "boyfriend": ("boyfriend", "partner"),
    "girlfriend": ("girlfriend", "partner"), "partner": ("partner", "boyfriend", "girlfriend"),
    "lover": ("partner", "boyfriend", "girlfriend"), "bestie": ("best-friend",),
    "bff": ("best-friend",), "friend": ("friend", "best-friend"),
    "roommate": ("roommate",), "flatmate": ("roommate",), "housemate": ("roommate",),
    "landlady": ("landlady",), "landlord": ("landlady",), "mentor": ("mentor",),
    "agent": ("agent",), "client": ("client",), "teammate": ("teammate",),
    "secretary": ("secretary",), "assistant": ("secretary",), "boss": ("boss",),
    "colleague": ("colleague",), "coworker": ("colleague",),
    "bf": ("boyfriend", "partner"), "gf": ("girlfriend", "partner"), "ex": ("ex-husband", "ex-wife"),
    "spouse": ("husband", "wife", "ex-husband", "ex-wife"),
}  # fmt: skip


# Two letters that are words or common shorthand, never read as a name's initials.
NOT_INITIALS = frozenset(["am", "an", "as", "at", "be", "by", "da", "do", "go", "ha", "he", "hi", "if", "in", "is", "it", "ma", "me", "mo", "my", "no", "of", "oh", "ok", "on", "or", "ow", "pa", "so", "to", "tv", "uh", "um", "up", "us", "we", "ye", "yo", "ep", "bf", "gf", "ex"])  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resolution:
    """``match`` when one entity is meant; otherwise ``candidates`` to offer."""

    match: str | None
    candidates: tuple[str, ...] = ()
    fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    entity: str
    start: int  # token span in the question
    end: int


class NameIndex:
    """Every name and alias of every character and person, folded."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        keys: dict[str, set[str]] = defaultdict(set)
        self.display: dict[str, str] = {}
        # Spellings that are a review's slip ("Mi-do"): served, but said to be a slip.
        self.slips: dict[str, tuple[str, Alias]] = {}
        family_names = self.family_names = self._family_names(base)
        for person in base.people:
            self.display[person.id] = person.name
            for name in (person.name, *(a.name for a in person.aliases)):
                for form in self._forms(name, family_names):
                    keys[form].add(person.id)
        for character in base.characters:
            self.display[character.id] = character.display_name
            names = [character.name, *(a.name for a in character.aliases)]
            for name in filter(None, names):
                for form in self._forms(name, family_names):
                    keys[form].add(character.id)
            for alias in character.aliases:
                if alias.error:
                    self.slips[compact(alias.name)] = (character.id, alias)
        # Fans write a two-part given name by its initials ("sg", "yh"): served when the
        # initials are no word and belong to one character only.
        initials: dict[str, set[str]] = defaultdict(set)
        for character in base.characters:
            given = (character.name or "").split()[-1:]
            parts = given[0].split("-") if given and "-" in given[0] else []
            if len(parts) == 2:
                initials[(parts[0][:1] + parts[1][:1]).lower()].add(character.id)
        for key, ids in initials.items():
            if len(ids) == 1 and key not in NOT_INITIALS and key not in keys:
                keys[key] |= ids
        self.keys = {k: frozenset(v) for k, v in keys.items() if len(k) >= 2}
        # The first syllable of each two-part given name ("mi" of Mi-joo): typed before a
        # misspelt second one ("mi jo"), the pair is a name to look for even when short.
        self._first_syllables = frozenset(compact(given.split("-")[0]) for c in base.characters for given in (c.name or "").split()[-1:] if "-" in given)  # fmt: skip
        self._prefixes = frozenset(k[:i] for k in self.keys for i in range(1, len(k) + 1))
        # Typos are matched only against people in the show: a name a review merely
        # mentions (a film director) must not crowd out a character.
        outside = {p.id for p in base.people if set(p.roles) == {"referenced"}}
        self._choices = [k for k, ids in self.keys.items() if not ids <= outside]
        sounds: dict[str, set[str]] = defaultdict(set)
        for k in self._choices:
            sounds[sound_key(k)] |= self.keys[k]
        self.sounds = {k: frozenset(v) for k, v in sounds.items() if len(k) >= MIN_SOUND_KEY}
        # Shorter ones ("miju" for Mi-joo) only for a pair of words that starts with a
        # name's first syllable ("Mi Ju"): typed so, they are a name, not a word.
        self._short_sounds = {k: frozenset(v) for k, v in sounds.items() if len(k) < MIN_SOUND_KEY and len(v) == 1}  # fmt: skip
        self._resolved: dict[str, Resolution] = {}  # by compacted name
        self._resolved_as_typed: dict[str, Resolution] = {}  # by the text as typed

    @staticmethod
    def _family_names(base: FactBase) -> set[str]:
        """Family names, learnt from canonical names like "Oh Mi-joo" (family + hyphenated given)."""
        found = set()
        for name in [p.name for p in base.people] + [c.name for c in base.characters if c.name]:
            words = name.split()
            if len(words) >= 2 and "-" in words[-1]:
                found.add(compact(words[0]))
        return found

    @staticmethod
    def _forms(name: str, family_names: set[str]) -> set[str]:
        """The full name, and the given name alone when the first word is a family name."""
        forms = {compact(name)}
        words = name.split()
        if len(words) >= 2 and compact(words[0]) in family_names:
            given = words[1:]
            if len(given) >= 2 or "-" in given[0]:
                forms.add(compact(" ".join(given)))
        return forms

    def family_name(self, name: str, given: str | None = None) -> str | None:
        """ "Oh" for "Oh Mi-joo": the first word, when it is one of the family names learnt,
        or when ``given`` (the name without one, "Ye-jun") has one word fewer ("Go Ye Joon")."""
        words = name.split()
        if len(words) < 2:
            return None
        if compact(words[0]) in self.family_names:
            return words[0]
        syllables = len(re.split(r"[-\s]+", given.strip())) if given else 0
        return words[0] if syllables and len(words) == syllables + 1 else None

    def name_of(self, entity_id: str) -> str:
        return self.display.get(entity_id, entity_id)

    def resolve(self, query: str) -> Resolution:
        """What one name (an option value, a typed name) refers to."""
        if len(query) > MAX_NAME:
            return Resolution(None)
        as_typed = self._resolved_as_typed.get(query)
        if as_typed is not None:
            return as_typed
        key = compact(query)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolve(key)
            if len(self._resolved) > 10_000:  # bounded: names come from users
                self._resolved.clear()
            self._resolved[key] = cached
        if len(self._resolved_as_typed) > 10_000:
            self._resolved_as_typed.clear()
        self._resolved_as_typed[query] = cached
        return cached

    def _resolve(self, key: str) -> Resolution:
        if len(key) < 2:
            return Resolution(None)
        exact = self.keys.get(key)
        if exact:
            ordered = sorted(exact)
            return Resolution(ordered[0]) if len(ordered) == 1 else Resolution(None, tuple(ordered))
        if len(key) < 3 or len(key) > 60:
            return Resolution(None)
        sounds_like = self.sounds.get(sound_key(key))
        if sounds_like and len(sounds_like) == 1:  # another romanisation of one name
            return Resolution(next(iter(sounds_like)), fuzzy=True)
        best: dict[str, float] = {}
        for choice, score, _ in process.extract(key, self._choices, scorer=fuzz.ratio, limit=12, score_cutoff=CLOSE):  # fmt: skip
            for entity in self.keys[choice]:
                best[entity] = max(best.get(entity, 0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return Resolution(None)
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if score >= CONFIDENT and score - runner_up >= MARGIN:
            return Resolution(top, fuzzy=True)
        return Resolution(None, tuple(e for e, _ in ranked[:5]))

    def split_possessives(self, words: list[str]) -> list[str]:
        """ "dan ahs brother" -> dan, ah, s, brother: a possessive typed without its
        apostrophe, where the word less its s ends a name and the word itself does not."""
        out: list[str] = []
        for word in words:
            # "seon gyeoms dads name": a relation word's possessive too.
            if word[:-1] in RELATION_WORDS and word not in RELATION_WORDS:
                out += [word[:-1], "s"]
            elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
                bare = word[:-1]
                for n in range(min(MAX_NGRAM, len(out) + 1), 0, -1):
                    before = "".join(out[len(out) - n + 1 :]) if n > 1 else ""
                    if self.keys.get(before + bare) and not self.keys.get(before + word):
                        out += [bare, "s"]
                        break
                else:
                    out.append(word)
            else:
                out.append(word)
        return out

    def mentions(self, words: list[str], vocabulary: frozenset[str] = frozenset()) -> list[Mention]:
        """Entities named in a tokenised question, longest names first, no overlaps.

        Exact n-grams first; then single unknown words of five letters or more are
        tried fuzzily ("Seongyoem"), never words the fact base itself uses.
        """
        words = words[:MAX_WORDS]
        found: list[Mention] = []
        taken = [False] * len(words)
        # Every n-gram that names one person, found by growing each from its first word
        # while it is still the start of some name; then taken longest first, left to right.
        exact = []
        for i in range(len(words)):
            joined = ""
            for n in range(1, min(MAX_NGRAM, len(words) - i) + 1):
                joined += words[i + n - 1]
                if joined not in self._prefixes:
                    break
                hit = self.keys.get(joined)
                if hit and len(hit) == 1:
                    exact.append((n, i, next(iter(hit))))
        exact.sort(key=lambda hit: (-hit[0], hit[1]))
        for n, i, entity in exact:
            if not any(taken[i : i + n]):
                found.append(Mention(entity, i, i + n))
                taken[i : i + n] = [True] * n
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                if n == 2:
                    if taken[i] or taken[i + 1] or words[i] in vocabulary or words[i + 1] in vocabulary:  # fmt: skip
                        continue
                    joined = words[i] + words[i + 1]
                    # "mi jo": a name's first syllable and a second of two letters or more.
                    short_ok = words[i] in self._first_syllables and len(words[i + 1]) >= 2
                else:
                    if taken[i] or words[i] in vocabulary:
                        continue
                    joined, short_ok = words[i], False
                if len(joined) < (4 if short_ok else 5):
                    continue
                result = self.resolve(joined)
                if result.match is None and short_ok and sound_key(joined) in self._short_sounds:
                    result = Resolution(next(iter(self._short_sounds[sound_key(joined)])), fuzzy=True)  # fmt: skip
                if result.match:
                    found.append(Mention(result.match, i, i + n))
                    taken[i : i + n] = [True] * n
        return sorted(found, key=lambda m: m.start)

    def complete(
        self, prefix: str, limit: int = 25, *, visible=lambda entity_id: True
    ) -> list[str]:
        """Display names for autocomplete: prefix matches first, then fuzzy ones."""
        key = compact(prefix[:MAX_NAME])
        seen: dict[str, None] = {}
        if not key:
            for entity in sorted(self.display, key=self.name_of):
                if visible(entity):
                    seen[entity] = None
        else:
            for name_key, entities in sorted(self.keys.items()):
                if name_key.startswith(key) or key in name_key:
                    seen.update((e, None) for e in sorted(entities) if visible(e))
            for choice, _, _ in process.extract(key, self._choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=CLOSE):  # fmt: skip
                seen.update((e, None) for e in sorted(self.keys[choice]) if visible(e))
        return [self.name_of(e) for e in list(seen)[:limit]]


def relation_targets(base: FactBase, entity_id: str, relation_word: str) -> dict[str, int]:
    """Characters who stand in a relation to ``entity_id``, each with the gate from
    which that is known: the earliest of its relations (husband at 0 beats ex-husband at 16)."""
    wanted = RELATION_WORDS.get(relation_word, ())
    found: dict[str, int] = {}
    for c in base.characters:
        for r in c.relations:
            if r.of == entity_id and r.is_ in wanted:
                gate = max(r.gate, c.gate)
                found[c.id] = min(gate, found.get(c.id, gate))
    return found

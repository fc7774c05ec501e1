"""The fact model: plain, immutable records of what the reviews say.

Nothing here knows about YAML or Discord. ``schema.py`` builds these from the
file and guarantees the invariants (ids exist, gates in range); everything
downstream can trust them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LAST_EPISODE = 16
SERIES_ID = "series"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def long_date(iso: str) -> str:
    """A stored date (ISO, which validation guarantees) as a reader writes it: "23 December 2020".

    Day first, as the reviews' own facts give dates; no ordinal, no weekday (an
    episode's weekday is stored beside its date).
    """
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def episode_id(number: int) -> str:
    """The id facts use in ``about`` to mean one episode."""
    return f"episode-{number}"


@dataclass(frozen=True, slots=True)
class Score:
    given: str
    value: float
    scale: float

    @property
    def out_of_10(self) -> float:
        return round(self.value / self.scale * 10, 2)

    @property
    def text(self) -> str:
        """The score as the review gives it, and out of 10 when that says something more:
        "3/5 stars (6/10)", "8 out of 10 ramen (8/10)", but "9/10", not "9/10 (9/10)"."""
        ten = f"{self.out_of_10:g}/10"
        return self.given if self.given.replace(" ", "") == ten else f"{self.given} ({ten})"


@dataclass(frozen=True, slots=True)
class Review:
    id: str
    file: str
    title: str
    author: str | None
    outlet: str | None
    date: str | None
    score: Score | None
    verdict: str
    spoilers: str
    spoiler_note: str | None = None
    # A title that tells story ("... finds happy endings in its closing episodes") is
    # gated like a fact: 0 when it tells none.
    title_gate: int = 0

    @property
    def date_text(self) -> str | None:
        """The date it states, as a reader writes it; None when it states none."""
        return long_date(self.date) if self.date else None

    @property
    def byline(self) -> str:
        parts = [p for p in (self.author, self.outlet, self.date_text) if p]
        return ", ".join(parts) if parts else "author and date not stated"


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    sources: tuple[str, ...]
    error: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    roles: tuple[str, ...]
    sources: tuple[str, ...]
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """``is_`` of ``of``: the owning character is the mother of seon-gyeom."""

    is_: str
    of: str
    sources: tuple[str, ...]
    gate: int = 0


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str | None
    label: str | None
    role: str
    played_by: str | None
    gate: int
    sources: tuple[str, ...]
    summary: str | None = None
    aliases: tuple[Alias, ...] = ()
    relations: tuple[Relation, ...] = ()

    @property
    def display_name(self) -> str:
        return self.name or self.label or self.id


# Words a derivation may open with that are no name, lowercased when it is said in passing.
_PLAIN_OPENERS = frozenset(["The", "A", "An", "Worked", "Counted", "Derived", "First", "From"])


@dataclass(frozen=True, slots=True)
class Episode:
    number: int
    air_date: str
    weekday: str
    derived: bool
    sources: tuple[str, ...]
    derivation: str | None = None

    @property
    def aired(self) -> str:
        """When it aired, as a reader writes it: "Wednesday 23 December 2020"."""
        return f"{self.weekday} {long_date(self.air_date)}"

    @property
    def dating_note(self) -> str | None:
        """How the date was arrived at, said in passing ("the stated last air date; the
        weekday is worked out from it"), or None when a review simply states it all."""
        if not self.derived:
            return None
        if not self.derivation:
            return "worked out from the schedule"
        note = self.derivation.rstrip(".")
        first, _, rest = note.partition(" ")
        # Said mid-sentence: "The stated ..." reads "the stated ..."; a name keeps its capital.
        return f"{first.lower()} {rest}" if first in _PLAIN_OPENERS else note


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    about: tuple[str, ...]
    topic: str
    text: str
    sources: tuple[str, ...]
    gate: int
    episodes: tuple[int, int] | None = None
    derived: bool = False
    conflict: str | None = None
    value: str | int | float | None = None
    keywords: tuple[str, ...] = ()

    @property
    def is_story(self) -> bool:
        """Anything past the premise is story, and is spoiler-tagged in public."""
        return self.gate > 0

    @property
    def episode_label(self) -> str:
        if self.episodes is None:
            return "premise" if self.gate == 0 else f"ep {self.gate}"
        start, end = self.episodes
        return f"ep {start}" if start == end else f"eps {start}–{end}"


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    about: tuple[str, ...]
    question: str
    gate: int
    claims: tuple[Claim, ...]
    note: str | None = None


def _index(items: Iterable, key=lambda item: item.id) -> Mapping:
    return MappingProxyType({key(item): item for item in items})


@dataclass(frozen=True)
class FactBase:
    """The whole base, with lookups by id. Build a new one to change anything."""

    reviews: tuple[Review, ...]
    people: tuple[Person, ...]
    characters: tuple[Character, ...]
    episodes: tuple[Episode, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    review_by_id: Mapping[str, Review] = field(init=False, repr=False, compare=False)
    person_by_id: Mapping[str, Person] = field(init=False, repr=False, compare=False)
    character_by_id: Mapping[str, Character] = field(init=False, repr=False, compare=False)
    episode_by_number: Mapping[int, Episode] = field(init=False, repr=False, compare=False)
    fact_by_id: Mapping[str, Fact] = field(init=False, repr=False, compare=False)
    conflict_by_id: Mapping[str, Conflict] = field(init=False, repr=False, compare=False)
    _facts_by_entity: Mapping[str, tuple[Fact, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "review_by_id", _index(self.reviews))
        set_(self, "person_by_id", _index(self.people))
        set_(self, "character_by_id", _index(self.characters))
        set_(self, "episode_by_number", _index(self.episodes, key=lambda e: e.number))
        set_(self, "fact_by_id", _index(self.facts))
        set_(self, "conflict_by_id", _index(self.conflicts))
        by_entity: dict[str, list[Fact]] = {}
        for fact in self.facts:
            for entity in fact.about:
                by_entity.setdefault(entity, []).append(fact)
        set_(
            self, "_facts_by_entity", MappingProxyType({k: tuple(v) for k, v in by_entity.items()})
        )

    def facts_about(self, entity_id: str) -> list[Fact]:
        return list(self._facts_by_entity.get(entity_id, ()))

    def characters_played_by(self, person_id: str) -> list[Character]:
        return [c for c in self.characters if c.played_by == person_id]

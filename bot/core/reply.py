"""A reply that knows nothing of Discord: what to say, and which parts are spoilers.

The engine decides *what* is a spoiler (see ``spoilers.py``); renderers only
decide *how* to mark it. Every piece of text stays a separate ``Span`` until a
renderer escapes it, so no text can ever merge into a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text. ``spoiler`` is the label of a spoiler-tagged span ("ep 13")."""

    text: str
    spoiler: str | None = None
    strong: bool = False


Line = tuple[Span, ...]


def line(*parts: str | Span) -> Line:
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    lines: tuple[Line, ...]
    inline: bool = False


@dataclass(frozen=True)
class Reply:
    """One answer, ready for any renderer."""

    title: str
    lines: tuple[Line, ...] = ()
    fields: tuple[Field, ...] = ()
    sources: tuple[str, ...] = ()
    private: bool = False
    # Not shown as text of their own: facts used, facts held back.
    found: bool = True
    facts: tuple[str, ...] = ()
    withheld: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def has_spoilers(self) -> bool:
        every = [s for ln in self.lines for s in ln] + [
            s for f in self.fields for ln in f.lines for s in ln
        ]
        return any(s.spoiler for s in every)

"""The spoiler rules, in one place.

A fact has a gate G (the episode from which it is safe to know); the reader has
a progress P (episodes watched, 0 when unset).

1. G > P is withheld: never shown, not even tagged, unless the reader asks to
   reveal, and then only privately and tagged.
2. 0 < G <= P is plain in a private reply and tagged in a public one (other
   readers have other progress), except in a channel the guild marked plain up
   to some episode E, where G <= E is plain.
3. G == 0 (the premise) is always plain.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import LAST_EPISODE
from bot.core.reply import Span


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading and where: everything the gate decision depends on."""

    progress: int = 0
    private: bool = False
    reveal: bool = False
    # Spoilers up to this episode are plain where the reply is read (a guild's
    # spoiler channel); 0 means none.
    plain_through: int = 0
    # The least gate of anything shown: a reply about someone reached through a tie
    # beyond the premise ("what does Mi-joo's boyfriend do") tells that tie in every line.
    at_least: int = 0

    def __post_init__(self) -> None:
        for name in ("progress", "plain_through", "at_least"):
            value = getattr(self, name)
            if not 0 <= value <= LAST_EPISODE:
                raise ValueError(f"{name} must be 0 to {LAST_EPISODE}, not {value}")
        if self.reveal and not self.private:
            # A revealed spoiler is only ever shown to the one who asked.
            object.__setattr__(self, "private", True)

    def can_see(self, gate: int) -> bool:
        """Whether something with this gate may be shown at all."""
        return gate <= self.progress or self.reveal

    def span(self, text: str, gate: int, label: str | None = None) -> Span | None:
        """The span for text gated at ``gate``: plain, tagged (``label``, by default
        "ep N"), or None (withheld)."""
        if gate < self.at_least:
            gate, label = self.at_least, None
        label = f"ep {gate}" if label is None else label
        if gate == 0:
            return Span(text)
        if gate > self.progress:
            return Span(text, spoiler=label) if self.reveal else None
        if self.private or gate <= self.plain_through:
            return Span(text)
        return Span(text, spoiler=label)

    def withheld_note(self, count: int) -> str:
        """What a reply says of the ``count`` facts it held back from this reader."""
        what = "fact" if count == 1 else "facts"
        watched = f"episode {self.progress}" if self.progress else "the premise"
        return (
            f"{count} {what} past {watched} held back. Set how far you've watched with "
            "/progress set, or ask again with reveal to see them privately."
        )

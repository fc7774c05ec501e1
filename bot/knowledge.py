"""The fact base the bot serves right now, swapped whole when it changes.

Readers take ``knowledge.engine`` once per request and use that engine to the
end, so a reload or a moderator's edit never shows anyone half of a change.
"""

from __future__ import annotations

from bot.core.answer import Engine
from bot.core.model import FactBase


class Knowledge:
    def __init__(self, base: FactBase) -> None:
        self._engine = Engine(base)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def base(self) -> FactBase:
        return self._engine.base

    def replace(self, base: FactBase) -> Engine:
        """Serve ``base`` from now on (the index is built before the swap)."""
        engine = Engine(base)
        self._engine = engine
        return engine

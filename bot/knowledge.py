"""The fact base the bot serves right now, swapped whole when it changes.

Readers take ``knowledge.engine`` once per request and use that engine to the
end, so a reload or a moderator's edit never shows anyone half of a change.
"""

from __future__ import annotations

import gc

from bot.core.answer import Engine
from bot.core.model import FactBase


def freeze_long_lived() -> None:
    """Take what exists now (modules, the fact base, its indexes) out of the collector's sight.

    A running bot keeps all of it for its whole life, yet each of CPython's full
    collections walks every one of those objects again: in the bot's process that
    is a pause of 25-75 ms for whichever interaction it lands on. ``gc.freeze()``
    makes them permanent; garbage is collected first so none is kept with them.
    An engine holds no reference cycle, so one replaced later is still freed (by
    its reference count); its successor is left to the collector, a few thousand
    objects, since collecting on a swap would hold the event loop for as long.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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

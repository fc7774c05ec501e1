"""Forms and confirmations in flight, named by a token in their ``custom_id``.

The bot answers buttons and form submissions itself, by ``custom_id`` (see
``RunOnBot.on_interaction``), instead of through views discord.py keeps per
message: a click on a button whose state is gone (expired, already used, the
bot restarted, a forged id) is then answered ("no longer active") rather than
dropped, and two imports waiting at once can never be mixed up. Each entry
belongs to the user who opened it, expires, and is taken once.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    def __init__(self, *, ttl: float, limit: int) -> None:
        self.ttl = ttl
        self.limit = limit
        self._items: OrderedDict[str, tuple[float, int, T]] = OrderedDict()

    def __len__(self) -> int:
        self._prune()
        return len(self._items)

    def put(self, owner_id: int, value: T) -> str:
        """Keep ``value`` for ``owner_id``; the oldest entry goes when there are too many."""
        self._prune()
        token = secrets.token_hex(8)
        self._items[token] = (time.monotonic(), owner_id, value)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)
        return token

    def peek(self, token: str) -> tuple[int, T] | None:
        """(owner id, value), or None when the token is unknown, used or expired."""
        self._prune()
        entry = self._live(token)
        return None if entry is None else (entry[1], entry[2])

    def take(self, token: str) -> T | None:
        """The value, once: a second take (a double click) gets None."""
        self._prune()
        entry = self._live(token)
        if entry is None:
            return None
        del self._items[token]
        return entry[2]

    def _live(self, token: str) -> tuple[float, int, T] | None:
        entry = self._items.get(token)
        if entry is not None and time.monotonic() - entry[0] >= self.ttl:
            del self._items[token]
            return None
        return entry

    def _prune(self) -> None:
        now = time.monotonic()
        while self._items:
            token, (created, _, _) = next(iter(self._items.items()))
            if now - created < self.ttl:
                break
            del self._items[token]

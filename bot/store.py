"""The bot's SQLite store: reader progress, guild settings, bot metadata.

One small typed interface (``await store.set_progress(user, 8)``) so no SQL
lives anywhere else. Schema changes are numbered migrations applied in one
transaction each, the version kept in ``PRAGMA user_version``. A database
written by a newer version of the bot is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.core.model import LAST_EPISODE

BUSY_TIMEOUT_MS = 5000

# Each entry moves the schema one version up. Never edit a released entry: add one.
MIGRATIONS: tuple[str, ...] = (
    # 1: reader progress, per-guild spoiler channels, key/value metadata
    """
    CREATE TABLE progress (
        user_id    INTEGER PRIMARY KEY,
        episode    INTEGER NOT NULL CHECK (episode BETWEEN 0 AND 16),
        updated_at TEXT NOT NULL
    );
    CREATE TABLE spoiler_channels (
        guild_id   INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        episode    INTEGER NOT NULL CHECK (episode BETWEEN 0 AND 16),
        set_by     INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, channel_id)
    );
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The database cannot be used as it is (for example, it is newer than this bot)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def _connect(path: Path) -> aiosqlite.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(path, isolation_level=None)  # explicit transactions only
    await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await db.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before it returns; progress and edits are rare
    # enough that durability wins over the small cost.
    await db.execute("PRAGMA synchronous = FULL")
    await db.execute("PRAGMA foreign_keys = ON")
    return db


async def migrate(db: aiosqlite.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema to ``target``, one transaction per step; return the old version."""
    (version,) = await (await db.execute("PRAGMA user_version")).fetchone()
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database is at schema version {version}, newer than this bot "
            f"understands ({SCHEMA_VERSION}); upgrade runon-bot or use another data directory"
        )
    for number in range(version, target):
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {number + 1}")
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
    return version


class Store:
    """Typed access to the database. Open with ``async with Store.open(path)``."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    @asynccontextmanager
    async def open(cls, path: Path | str) -> AsyncIterator[Store]:
        path = Path(path)
        db = await _connect(path)
        try:
            await migrate(db)
            yield cls(db, path)
        finally:
            await db.close()

    # -- progress ------------------------------------------------------------------
    async def get_progress(self, user_id: int) -> int:
        row = await (await self.db.execute("SELECT episode FROM progress WHERE user_id = ?", (user_id,))).fetchone()  # fmt: skip
        return row[0] if row else 0

    async def set_progress(self, user_id: int, episode: int) -> None:
        if not 0 <= episode <= LAST_EPISODE:
            raise ValueError(f"episode must be 0 to {LAST_EPISODE}")
        await self.db.execute(
            "INSERT INTO progress (user_id, episode, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET episode = excluded.episode, updated_at = excluded.updated_at",  # fmt: skip
            (user_id, episode, _now()),
        )

    async def clear_progress(self, user_id: int) -> bool:
        cursor = await self.db.execute("DELETE FROM progress WHERE user_id = ?", (user_id,))
        return cursor.rowcount > 0

    # -- guild settings ----------------------------------------------------------
    async def set_spoiler_channel(self, guild_id: int, channel_id: int, episode: int, set_by: int) -> None:  # fmt: skip
        """Spoilers up to ``episode`` are plain in this channel; 0 removes the setting."""
        if not 0 <= episode <= LAST_EPISODE:
            raise ValueError(f"episode must be 0 to {LAST_EPISODE}")
        if episode == 0:
            await self.db.execute("DELETE FROM spoiler_channels WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id))  # fmt: skip
            return
        await self.db.execute(
            "INSERT INTO spoiler_channels (guild_id, channel_id, episode, set_by, updated_at) VALUES (?, ?, ?, ?, ?) "  # fmt: skip
            "ON CONFLICT (guild_id, channel_id) DO UPDATE SET episode = excluded.episode, "
            "set_by = excluded.set_by, updated_at = excluded.updated_at",
            (guild_id, channel_id, episode, set_by, _now()),
        )

    async def spoiler_channels(self, guild_id: int) -> dict[int, int]:
        rows = await (await self.db.execute("SELECT channel_id, episode FROM spoiler_channels WHERE guild_id = ? ORDER BY channel_id", (guild_id,))).fetchall()  # fmt: skip
        return {channel: episode for channel, episode in rows}

    async def plain_through(self, guild_id: int | None, channel_id: int | None) -> int:
        """Up to which episode spoilers are plain in this channel (0: none)."""
        if guild_id is None or channel_id is None:
            return 0
        row = await (await self.db.execute("SELECT episode FROM spoiler_channels WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id))).fetchone()  # fmt: skip
        return row[0] if row else 0

    # -- metadata ----------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        row = await (await self.db.execute("SELECT value FROM meta WHERE key = ?", (key,))).fetchone()
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",  # fmt: skip
            (key, value),
        )

"""The bot's SQLite store: reader progress, guild settings, bot metadata.

One small typed interface (``await store.set_progress(user, 8)``) so no SQL
lives anywhere else. Schema changes are numbered migrations applied in one
transaction each, the version kept in ``PRAGMA user_version``. A database
written by a newer version of the bot is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.core.model import LAST_EPISODE

BUSY_TIMEOUT_MS = 5000
# Readers whose progress is kept in memory (about 100 bytes each); the least
# recently seen beyond this are read from the database again when they return.
PROGRESS_CACHE_SIZE = 50_000

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
    # 2: moderators' changes to facts, unanswered questions, refused attempts
    """
    CREATE TABLE fact_revisions (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        fact_id    TEXT NOT NULL,
        revision   INTEGER NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('add', 'edit', 'remove', 'revert', 'import')),
        before     TEXT,
        after      TEXT,
        reason     TEXT NOT NULL DEFAULT '',
        user_id    INTEGER NOT NULL,
        user_name  TEXT NOT NULL,
        guild_id   INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (fact_id, revision)
    );
    CREATE TABLE unanswered (
        question    TEXT PRIMARY KEY,
        example     TEXT NOT NULL,
        count       INTEGER NOT NULL,
        first_asked TEXT NOT NULL,
        last_asked  TEXT NOT NULL,
        dismissed   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE refusals (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER NOT NULL,
        guild_id   INTEGER,
        action     TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored change to one fact: who, when, what it was before and after, why."""

    fact_id: str
    revision: int
    action: str
    before: dict | None
    after: dict | None
    reason: str
    user_id: int
    user_name: str
    guild_id: int | None
    created_at: str


@dataclass(frozen=True, slots=True)
class Change:
    """A change to record; the store numbers it."""

    fact_id: str
    action: str
    before: dict | None
    after: dict | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    user_name: str
    guild_id: int | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    question: str
    example: str
    count: int
    first_asked: str
    last_asked: str


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

    def __init__(self, db: aiosqlite.Connection, path: Path, log_db: aiosqlite.Connection | None = None) -> None:  # fmt: skip
        self.db = db
        self.path = path
        # Unanswered questions are counted on their own connection with
        # synchronous=NORMAL: no fsync per count (a crash of the machine may lose
        # the last few counts, a killed process loses none), and the readers on
        # the main connection never queue behind those writes.
        self.log_db = log_db or db
        # Every command reads the asker's progress and the channel's spoiler
        # setting; a trip to SQLite's thread costs more than the rest of a reply.
        # Both are cached, written through: the database is written first, the
        # cache after, so the cache never holds what was not committed. Only one
        # bot process writes a database (bot.lock), so nothing else can stale it.
        self._progress: OrderedDict[int, int] = OrderedDict()
        self._plain: dict[tuple[int, int], int] | None = None  # loaded on first use

    @classmethod
    @asynccontextmanager
    async def open(cls, path: Path | str) -> AsyncIterator[Store]:
        path = Path(path)
        db = await _connect(path)
        log_db = None
        try:
            await migrate(db)
            log_db = await _connect(path)
            await log_db.execute("PRAGMA synchronous = NORMAL")
            yield cls(db, path, log_db)
        finally:
            if log_db is not None:
                await log_db.close()
            await db.close()

    # -- progress ------------------------------------------------------------------
    def _remember_progress(self, user_id: int, episode: int) -> None:
        self._progress[user_id] = episode
        self._progress.move_to_end(user_id)
        if len(self._progress) > PROGRESS_CACHE_SIZE:
            self._progress.popitem(last=False)

    async def get_progress(self, user_id: int) -> int:
        cached = self._progress.get(user_id)
        if cached is not None:
            self._progress.move_to_end(user_id)
            return cached
        row = await (await self.db.execute("SELECT episode FROM progress WHERE user_id = ?", (user_id,))).fetchone()  # fmt: skip
        episode = row[0] if row else 0
        self._remember_progress(user_id, episode)
        return episode

    async def set_progress(self, user_id: int, episode: int) -> None:
        if not 0 <= episode <= LAST_EPISODE:
            raise ValueError(f"episode must be 0 to {LAST_EPISODE}")
        await self.db.execute(
            "INSERT INTO progress (user_id, episode, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET episode = excluded.episode, updated_at = excluded.updated_at",  # fmt: skip
            (user_id, episode, _now()),
        )
        self._remember_progress(user_id, episode)

    async def clear_progress(self, user_id: int) -> bool:
        cursor = await self.db.execute("DELETE FROM progress WHERE user_id = ?", (user_id,))
        self._remember_progress(user_id, 0)
        return cursor.rowcount > 0

    # -- guild settings ----------------------------------------------------------
    async def _plain_channels(self) -> dict[tuple[int, int], int]:
        if self._plain is None:
            rows = await self.db.execute_fetchall("SELECT guild_id, channel_id, episode FROM spoiler_channels")  # fmt: skip
            self._plain = {(guild, channel): episode for guild, channel, episode in rows}
        return self._plain

    async def set_spoiler_channel(self, guild_id: int, channel_id: int, episode: int, set_by: int) -> None:  # fmt: skip
        """Spoilers up to ``episode`` are plain in this channel; 0 removes the setting."""
        if not 0 <= episode <= LAST_EPISODE:
            raise ValueError(f"episode must be 0 to {LAST_EPISODE}")
        plain = await self._plain_channels()
        if episode == 0:
            await self.db.execute("DELETE FROM spoiler_channels WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id))  # fmt: skip
            plain.pop((guild_id, channel_id), None)
            return
        await self.db.execute(
            "INSERT INTO spoiler_channels (guild_id, channel_id, episode, set_by, updated_at) VALUES (?, ?, ?, ?, ?) "  # fmt: skip
            "ON CONFLICT (guild_id, channel_id) DO UPDATE SET episode = excluded.episode, "
            "set_by = excluded.set_by, updated_at = excluded.updated_at",
            (guild_id, channel_id, episode, set_by, _now()),
        )
        plain[(guild_id, channel_id)] = episode

    async def spoiler_channels(self, guild_id: int) -> dict[int, int]:
        plain = await self._plain_channels()
        return {channel: episode for (guild, channel), episode in sorted(plain.items()) if guild == guild_id}  # fmt: skip

    async def plain_through(self, guild_id: int | None, channel_id: int | None) -> int:
        """Up to which episode spoilers are plain in this channel (0: none)."""
        if guild_id is None or channel_id is None:
            return 0
        return (await self._plain_channels()).get((guild_id, channel_id), 0)

    async def reader_context(self, user_id: int, guild_id: int | None, channel_id: int | None) -> tuple[int, int]:  # fmt: skip
        """(progress, plain_through): every command reads both, from memory once seen."""
        return await self.get_progress(user_id), await self.plain_through(guild_id, channel_id)

    # -- metadata ----------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        row = await (
            await self.db.execute("SELECT value FROM meta WHERE key = ?", (key,))
        ).fetchone()
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",  # fmt: skip
            (key, value),
        )

    # -- fact revisions (moderation) ------------------------------------------------
    async def record_changes(self, changes: Iterable[Change], actor: Actor) -> list[Revision]:
        """Store changes as revisions, all in one transaction (all or nothing)."""
        now = _now()
        out = []
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            for change in changes:
                row = await (await self.db.execute("SELECT COALESCE(MAX(revision), 0) FROM fact_revisions WHERE fact_id = ?", (change.fact_id,))).fetchone()  # fmt: skip
                number = row[0] + 1
                await self.db.execute(
                    "INSERT INTO fact_revisions (fact_id, revision, action, before, after, reason, user_id, user_name, guild_id, created_at) "  # fmt: skip
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        change.fact_id,
                        number,
                        change.action,
                        _json(change.before),
                        _json(change.after),
                        change.reason,
                        actor.user_id,
                        actor.user_name,
                        actor.guild_id,
                        now,
                    ),  # fmt: skip
                )
                out.append(Revision(change.fact_id, number, change.action, change.before, change.after,
                                    change.reason, actor.user_id, actor.user_name, actor.guild_id, now))  # fmt: skip
            await self.db.execute("COMMIT")
        except BaseException:
            await self.db.execute("ROLLBACK")
            raise
        return out

    async def history(self, fact_id: str) -> list[Revision]:
        rows = await (await self.db.execute(
            "SELECT fact_id, revision, action, before, after, reason, user_id, user_name, guild_id, created_at "
            "FROM fact_revisions WHERE fact_id = ? ORDER BY revision", (fact_id,))).fetchall()  # fmt: skip
        return [_revision(r) for r in rows]

    async def current_changes(self) -> dict[str, dict | None]:
        """Each changed fact's latest state (None: removed), in the order first changed."""
        rows = await (await self.db.execute(
            "SELECT r.fact_id, r.after FROM fact_revisions r "
            "JOIN (SELECT fact_id, MAX(revision) AS revision, MIN(id) AS first FROM fact_revisions GROUP BY fact_id) latest "  # fmt: skip
            "ON r.fact_id = latest.fact_id AND r.revision = latest.revision ORDER BY latest.first")).fetchall()  # fmt: skip
        return {fact_id: (None if after is None else json.loads(after)) for fact_id, after in rows}

    async def changed_fact_ids(self) -> list[str]:
        rows = await (await self.db.execute("SELECT DISTINCT fact_id FROM fact_revisions ORDER BY fact_id")).fetchall()  # fmt: skip
        return [r[0] for r in rows]

    # -- unanswered questions --------------------------------------------------------
    async def record_unanswered(self, question: str, example: str) -> None:
        now = _now()
        await self.log_db.execute(
            "INSERT INTO unanswered (question, example, count, first_asked, last_asked) VALUES (?, ?, 1, ?, ?) "  # fmt: skip
            "ON CONFLICT (question) DO UPDATE SET count = count + 1, example = excluded.example, "
            "last_asked = excluded.last_asked, dismissed = 0",
            (question, example, now, now),
        )

    async def gaps(self, limit: int = 20) -> list[Gap]:
        rows = await (await self.db.execute(
            "SELECT question, example, count, first_asked, last_asked FROM unanswered WHERE dismissed = 0 "
            "ORDER BY count DESC, last_asked DESC LIMIT ?", (limit,))).fetchall()  # fmt: skip
        return [Gap(*row) for row in rows]

    async def dismiss_gap(self, question: str) -> bool:
        cursor = await self.db.execute("UPDATE unanswered SET dismissed = 1 WHERE question = ? AND dismissed = 0", (question,))  # fmt: skip
        return cursor.rowcount > 0

    # -- refused attempts ----------------------------------------------------------
    async def record_refusal(self, user_id: int, guild_id: int | None, action: str) -> None:
        await self.db.execute(
            "INSERT INTO refusals (user_id, guild_id, action, created_at) VALUES (?, ?, ?, ?)",
            (user_id, guild_id, action[:100], _now()),
        )

    async def refusals(self) -> list[tuple[int, int | None, str]]:
        rows = await (await self.db.execute("SELECT user_id, guild_id, action FROM refusals ORDER BY id")).fetchall()  # fmt: skip
        return [tuple(r) for r in rows]


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _revision(row) -> Revision:
    fact_id, number, action, before, after, reason, user_id, user_name, guild_id, created_at = row
    return Revision(fact_id, number, action, None if before is None else json.loads(before),
                    None if after is None else json.loads(after), reason, user_id, user_name, guild_id, created_at)  # fmt: skip

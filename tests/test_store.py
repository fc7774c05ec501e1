"""The store against a real SQLite file built by the real migrations."""

import sqlite3

import aiosqlite
import pytest

from bot.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, migrate


async def test_progress_round_trip_and_clear(tmp_path):
    async with Store.open(tmp_path / "db.sqlite3") as store:
        assert await store.get_progress(1) == 0
        await store.set_progress(1, 8)
        await store.set_progress(1, 9)
        assert await store.get_progress(1) == 9
        assert await store.clear_progress(1)
        assert await store.get_progress(1) == 0
        with pytest.raises(ValueError):
            await store.set_progress(1, 17)


async def test_progress_survives_reopening(tmp_path):
    path = tmp_path / "db.sqlite3"
    async with Store.open(path) as store:
        await store.set_progress(42, 12)
    async with Store.open(path) as store:
        assert await store.get_progress(42) == 12


class CountingConnection:
    """The real connection, counting the statements sent to SQLite's thread."""

    def __init__(self, db):
        self._db, self.statements = db, 0

    def __getattr__(self, name):
        return getattr(self._db, name)

    def execute(self, *args):
        self.statements += 1
        return self._db.execute(*args)

    def execute_fetchall(self, *args):
        self.statements += 1
        return self._db.execute_fetchall(*args)


async def test_reader_context_is_served_from_memory_once_read_and_written_through(tmp_path):
    path = tmp_path / "db.sqlite3"
    async with Store.open(path) as store:
        await store.set_progress(1, 5)
        await store.set_spoiler_channel(10, 20, 7, set_by=3)
        store.db = counting = CountingConnection(store.db)
        for _ in range(3):
            assert await store.reader_context(1, 10, 20) == (5, 7)
            assert await store.reader_context(2, 10, 21) == (0, 0)
        assert counting.statements == 1  # user 2's progress, read once
        await store.set_progress(2, 16)
        await store.set_spoiler_channel(10, 21, 3, set_by=3)
        assert await store.reader_context(2, 10, 21) == (16, 3)
        await store.clear_progress(1)
        await store.set_spoiler_channel(10, 20, 0, set_by=3)
        assert await store.reader_context(1, 10, 20) == (0, 0)
    async with Store.open(path) as store:  # the cache never held anything uncommitted
        assert await store.reader_context(2, 10, 21) == (16, 3)
        assert await store.reader_context(1, 10, 20) == (0, 0)


async def test_a_failed_write_leaves_the_cached_progress_alone(tmp_path):
    async with Store.open(tmp_path / "db.sqlite3") as store:
        await store.set_progress(1, 4)
        await store.db.execute("CREATE TRIGGER no_updates BEFORE UPDATE ON progress BEGIN SELECT RAISE(ABORT, 'refused'); END")  # fmt: skip
        with pytest.raises(sqlite3.IntegrityError):
            await store.set_progress(1, 9)
        assert await store.get_progress(1) == 4


async def test_the_progress_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.store.PROGRESS_CACHE_SIZE", 3)
    async with Store.open(tmp_path / "db.sqlite3") as store:
        for user in range(1, 6):
            await store.set_progress(user, user)
        assert len(store._progress) == 3
        assert [await store.get_progress(user) for user in range(1, 6)] == [1, 2, 3, 4, 5]


async def test_connection_settings(tmp_path):
    async with Store.open(tmp_path / "db.sqlite3") as store:
        pragma = lambda name: store.db.execute(f"PRAGMA {name}")  # noqa: E731
        assert (await (await pragma("journal_mode")).fetchone())[0] == "wal"
        assert (await (await pragma("synchronous")).fetchone())[0] == 2  # FULL
        assert (await (await pragma("foreign_keys")).fetchone())[0] == 1
        assert (await (await pragma("busy_timeout")).fetchone())[0] == 5000
        assert (await (await pragma("user_version")).fetchone())[0] == SCHEMA_VERSION


async def test_spoiler_channels_per_guild(tmp_path):
    async with Store.open(tmp_path / "db.sqlite3") as store:
        await store.set_spoiler_channel(10, 100, 8, set_by=1)
        assert await store.plain_through(10, 100) == 8
        assert await store.plain_through(11, 100) == 0  # another guild
        assert await store.plain_through(None, None) == 0
        assert await store.spoiler_channels(10) == {100: 8}
        await store.set_spoiler_channel(10, 100, 0, set_by=1)
        assert await store.spoiler_channels(10) == {}


async def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this bot"):
        async with Store.open(path):
            pass


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
async def test_migrations_from_every_older_version_keep_data(tmp_path, start):
    path = tmp_path / "db.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await migrate(db, target=max(start, 1))
        await db.execute("INSERT INTO progress VALUES (7, 5, '2021-01-01')")
    async with Store.open(path) as store:
        assert await store.get_progress(7) == 5
    assert len(MIGRATIONS) == SCHEMA_VERSION

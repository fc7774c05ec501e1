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

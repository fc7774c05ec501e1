"""``runon-bot db backup``: a consistent copy while the bot writes."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from contextlib import closing

import pytest

from bot.backup import BackupError, backup_database
from bot.cli import main
from bot.store import SCHEMA_VERSION, Store


def rows(path) -> set[int]:
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in db.execute("SELECT user_id FROM progress")}


async def test_backup_is_whole_and_consistent_while_a_writer_runs(tmp_path):
    database = tmp_path / "runon.sqlite3"
    async with Store.open(database) as store:
        for user in range(300):  # committed, and still in the WAL: a file copy would miss them
            await store.set_progress(user, user % 17)
    before = set(range(300))
    committed: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        with closing(sqlite3.connect(database, isolation_level=None, timeout=5)) as db:
            user = 10_000
            while not stop.is_set():
                db.execute("INSERT INTO progress VALUES (?, 1, 'now')", (user,))
                committed.append(user)
                user += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for n in range(5):
            while len(committed) < 50 * (n + 1):  # the writer is really writing
                await asyncio.sleep(0.005)
            done_before = set(committed)
            target = tmp_path / f"backup-{n}.sqlite3"
            backup_database(database, target)
            copied = rows(target)  # integrity_check passes
            assert before | done_before <= copied, "a row committed before the backup is missing"
            with closing(sqlite3.connect(target)) as db:
                assert (
                    db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
                )  # one self-contained file
                assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        stop.set()
        thread.join()
    assert not list(tmp_path.glob(".*partial"))


def test_backup_refuses_a_missing_database_and_itself(tmp_path):
    with pytest.raises(BackupError, match="no database"):
        backup_database(tmp_path / "none.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()  # not created empty by the attempt
    database = tmp_path / "db.sqlite3"
    sqlite3.connect(database).close()
    with pytest.raises(BackupError, match="another file"):
        backup_database(database, database)


async def test_cli_db_backup(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RUNON_DATA_DIR", str(tmp_path / "data"))
    async with Store.open(tmp_path / "data" / "runon.sqlite3") as store:
        await store.set_progress(7, 12)
    assert main(["db", "backup", str(tmp_path / "copy.sqlite3")]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert rows(tmp_path / "copy.sqlite3") == {7}
    monkeypatch.setenv("RUNON_DATA_DIR", str(tmp_path / "empty"))
    assert main(["db", "backup", str(tmp_path / "copy2.sqlite3")]) == 1
    assert "no database" in capsys.readouterr().err

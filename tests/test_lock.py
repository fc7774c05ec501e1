"""One bot per database and per token: a second one exits with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from bot.lock import AlreadyRunning, database_lock, single_instance, token_lock
from tests.conftest import REPO


def test_a_held_database_lock_refuses_a_second_holder_until_released(tmp_path):
    database = tmp_path / "runon.sqlite3"
    first = database_lock(database).acquire()
    with pytest.raises(AlreadyRunning, match=r"already running on the database .*runon\.sqlite3") as info:  # fmt: skip
        database_lock(database).acquire()
    assert f"pid {os.getpid()}" in str(info.value)
    first.release()
    database_lock(database).acquire().release()


def test_one_token_one_bot_whatever_the_database(tmp_path):
    with single_instance(tmp_path / "a" / "db.sqlite3", "token-1", lock_dir=tmp_path):
        with pytest.raises(AlreadyRunning, match="this Discord token"):
            single_instance(tmp_path / "b" / "db.sqlite3", "token-1", lock_dir=tmp_path)
        single_instance(tmp_path / "b" / "db.sqlite3", "token-2", lock_dir=tmp_path).close()
    lock = token_lock("token-1", tmp_path)
    assert "token-1" not in lock.path.name  # only a hash of the token names the file


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot.lock import single_instance
    held = single_instance(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    print("locked", flush=True)
    time.sleep(60)
""")


@pytest.mark.slow
def test_a_second_bot_process_exits_with_a_clear_message(tmp_path):
    data = tmp_path / "data"
    database = data / "runon.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database), "fake-token", str(tmp_path)],  # fmt: skip
                              cwd=REPO, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        env = {**os.environ, "DISCORD_TOKEN": "fake-token", "RUNON_DATA_DIR": str(data), "TMPDIR": str(tmp_path)}  # fmt: skip
        second = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert second.returncode == 1, second.stderr
    assert f"not starting: another runon-bot (pid {holder.pid}) is already running on the database" in second.stderr  # fmt: skip
    assert not database.exists(), "the second bot must stop before it opens the database"

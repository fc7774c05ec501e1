"""kill -9 in the middle of a stream of moderator changes loses nothing committed."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from bot.core.loader import parse_factbase
from tests.conftest import DATA_FILE, REPO


@pytest.mark.slow
def test_kill_9_mid_stream_keeps_every_committed_change(tmp_path):
    database, export = tmp_path / "db.sqlite3", tmp_path / "export.yaml"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.edit_stream", str(database), str(DATA_FILE), str(export)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    committed = []
    deadline = time.monotonic() + 30
    try:
        while len(committed) < 40 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("committed "):
                _, fact_id, number = line.split()
                committed.append((fact_id, int(number)))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    assert len(committed) >= 40, child.stderr.read()

    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = set(db.execute("SELECT fact_id, revision FROM fact_revisions").fetchall())
    assert set(committed) <= stored, "a committed change was lost"
    if export.exists():  # written atomically: whole or absent, never half
        assert len(parse_factbase(export.read_bytes(), "export.yaml").facts) > 200

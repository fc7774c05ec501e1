"""``runon-bot run`` as its own process against the fake Discord: SIGTERM closes the
gateway and the database and exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from contextlib import closing

import pytest

from tests.benchmarks.child_bot import GATEWAY_ENV, REST_ENV
from tests.conftest import REPO
from tests.fakediscord import FakeDiscord, payloads

GUILD = payloads.guild()


@pytest.mark.slow
async def test_sigterm_closes_the_gateway_and_the_database_and_exits_0(tmp_path):
    data = tmp_path / "data"
    log_path = tmp_path / "bot.log"
    async with FakeDiscord(guilds=[GUILD]) as fake:
        env = {**os.environ, "DISCORD_TOKEN": fake.token, "RUNON_DATA_DIR": str(data),
               "TMPDIR": str(tmp_path),  # this run's own token lock
               REST_ENV: fake.rest_base, GATEWAY_ENV: fake.gateway_url}  # fmt: skip
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.benchmarks.child_bot", "run",
                cwd=REPO, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
            try:
                await fake.wait_for_sync(timeout=20)
                session = await fake.wait_for_ready(timeout=20)
                sent = await fake.interact(payloads.slash_command(fake.command("progress"), {"episode": 5}, sub="set", where=payloads.in_guild(GUILD)))  # fmt: skip
                await sent.callback(timeout=10)
                proc.send_signal(signal.SIGTERM)
                code = await asyncio.wait_for(proc.wait(), timeout=15)
                # The bot closed its socket itself (discord.py sends close code 4000
                # when a read is in flight, so the fake's session stays resumable).
                await fake.wait_until(lambda: not session.connected, timeout=5, what="the gateway closed")  # fmt: skip
                assert all(c.closed and not c.closed_by_fake for c in fake.gateway.connections)
            finally:
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()
    output = log_path.read_text(errors="replace")
    assert code == 0, output[-2000:]
    assert "stopped cleanly" in output
    database = data / "runon.sqlite3"
    assert not database.with_name(database.name + "-wal").exists(), "the database was not closed"
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT episode FROM progress").fetchall() == [(5,)]

"""Whole processes: cold ``runon-bot ask``, ``runon-bot run`` to ready, and peak memory.

Everything here starts a real process and times it from outside, because that
is what a host feels: interpreter start, imports, loading and indexing the fact
base, opening the database, logging in, syncing commands, connecting.

``runon-bot run`` is started through :mod:`tests.benchmarks.child_bot`, which
only points discord.py at the fake on 127.0.0.1 and then calls the real
command line. Its milestones are taken on the fake's clock: the command sync
(``setup_hook`` done), READY sent (gateway session open) and the first answer
to an interaction sent right after READY. discord.py itself waits 2 s after
the last GUILD_CREATE before it calls ``on_ready``, but it answers
interactions before that, so "the first answer" is the honest "ready".

The same process then takes a burst of interactions from distinct users (the
default config keeps its per-user cooldown on), and its peak resident memory
(``VmHWM`` in /proc) is read after it. The floor bot goes through the same
steps in its own process, alternating with the real one.

Separate sessions measure the sequential round trip of each command with the
bot in its own process, as it runs for a host: the fake's work is then on the
other core, not in the same loop as the bot's, which the in-process figures
(:mod:`.roundtrip`) cannot show. These use the in-process readers (progress
0..16, stored before the bot starts) and a config with the cooldown off.

Every process is bounded by timeouts and is terminated (then killed) when done.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.core.model import FactBase
from bot.store import Store
from tests.benchmarks.child_bot import GATEWAY_ENV, REST_ENV
from tests.benchmarks.common import REPO, Plan, summary_ms
from tests.benchmarks.roundtrip import (
    BENCH_WINDOW,
    CALLBACK_TIMEOUT,
    COMMANDS,
    DIAGNOSTICS,
    FLOOR,
    GUILD,
    burst,
    floor_maker,
    makers,
    reader_id,
)
from tests.fakediscord import FakeDiscord, payloads
from tests.quality.evaluate import Question

CLI_QUESTION = "Who plays Mi-joo?"
CLI_EXPECT = "Shin Se-kyung"
CLI_TIMEOUT = 60.0
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
FIRST_USER = 1_180_000_000_000_010_000  # burst users: one new user per interaction
# Sequential, out of process: the bot's completion is not visible from here, so each
# interaction waits this long after the previous callback (the bot's tail is ~0.1 ms).
SETTLE = 0.002


def cli_command() -> list[str]:
    """The installed ``runon-bot`` script beside this interpreter, else ``python -m bot``."""
    script = Path(sys.executable).with_name("runon-bot")
    if script.exists():
        return [str(script)]
    found = shutil.which("runon-bot")
    return [found] if found else [sys.executable, "-m", "bot"]


def _timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=tempfile.gettempdir(), capture_output=True,
                          text=True, timeout=CLI_TIMEOUT, check=False)  # fmt: skip
    return time.perf_counter() - start, done


def cold_cli(runs: int) -> dict:
    """Median wall time of ``runon-bot ask``, alternated with a bare ``python -c pass``.

    Run from a temporary folder so nothing in the working directory helps it.
    """
    argv = [*cli_command(), "ask", CLI_QUESTION]
    with tempfile.TemporaryDirectory(prefix="runon-bench-cli-") as tmp:
        env = {**os.environ, "RUNON_DATA_DIR": tmp}
        env.pop("DISCORD_TOKEN", None)
        ask, bare = [], []
        for _ in range(max(1, runs)):
            elapsed, done = _timed_run(argv, env)
            if done.returncode != 0 or CLI_EXPECT not in done.stdout:
                raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-500:] or done.stdout[-500:]}")  # fmt: skip
            ask.append(elapsed)
            bare.append(_timed_run([sys.executable, "-c", "pass"], env)[0])
    return {
        "command": " ".join([Path(argv[0]).name, *argv[1:]]),
        "n": len(ask),
        "median_ms": statistics.median(ask) * 1000,
        "max_ms": max(ask) * 1000,
        "python_bare_median_ms": statistics.median(bare) * 1000,
    }


def _proc_status(pid: int) -> dict[str, float]:
    """VmHWM (peak) and VmRSS (now) of ``pid``, in MiB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0]) / 1024  # kB -> MiB
    return out


async def _unless_exited(awaitable: Any, proc: asyncio.subprocess.Process, what: str) -> Any:
    """Await ``awaitable``, or fail at once if the child process exits first."""
    task = asyncio.ensure_future(awaitable)
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({task, exited}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        exited.cancel()
        return task.result()
    task.cancel()
    raise RuntimeError(f"the bot process exited with {proc.returncode} before {what}")


async def _stop(proc: asyncio.subprocess.Process) -> int | None:
    """SIGTERM (the bot's clean shutdown), then SIGKILL if it does not exit in time."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            return None
    return proc.returncode


async def _readers_config(folder: Path) -> Path:
    """A config with the cooldown off, and the benchmark's readers' progress in the store."""
    config = folder / "config.yaml"
    config.write_text("cooldown_seconds: 0\n", encoding="utf-8")
    async with Store.open(Config(data_dir=folder).database_path) as store:
        for progress in range(17):
            await store.set_progress(reader_id(progress), progress)
    return config


async def child_session(kind: str, plan: Plan, base: FactBase, questions: Sequence[Question], *,
                        sequential: bool = False) -> dict:  # fmt: skip
    """Start ``kind`` ("run": the bot, "ping": the floor) in its own process; time it; burst it.

    ``sequential``: measure each command's sequential round trips instead.
    """
    with tempfile.TemporaryDirectory(prefix="runon-bench-run-") as tmp:
        argv = [kind]
        if sequential and kind == "run":
            argv += ["--config", str(await _readers_config(Path(tmp)))]
        async with FakeDiscord(guilds=[GUILD], interaction_window=BENCH_WINDOW) as fake:
            # TMPDIR: this run's own token lock (bot/lock.py), so overlapping runs never collide.
            env = {**os.environ, "DISCORD_TOKEN": fake.token, "RUNON_DATA_DIR": tmp, "TMPDIR": tmp,
                   REST_ENV: fake.rest_base, GATEWAY_ENV: fake.gateway_url}  # fmt: skip
            log_path = Path(tmp) / "child.log"
            with log_path.open("wb") as log:
                started = fake.now()
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "tests.benchmarks.child_bot", *argv,
                    cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                )  # fmt: skip
                try:
                    if sequential:
                        return await _sequential_child(kind, proc, fake, plan, base, questions)
                    return await _measure_child(kind, proc, fake, started, plan, base, questions)
                except Exception as error:
                    await _stop(proc)
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"child {kind!r} failed: {error}\n--- its log ---\n{tail}") from error  # fmt: skip
                finally:
                    if proc.returncode is None:
                        await _stop(proc)


async def _measure_child(kind: str, proc: asyncio.subprocess.Process, fake: FakeDiscord, started: float,
                         plan: Plan, base: FactBase, questions: Sequence[Question]) -> dict:  # fmt: skip
    sync = await _unless_exited(fake.wait_for_sync(timeout=START_TIMEOUT), proc, "the command sync")
    await _unless_exited(fake.wait_for_ready(timeout=START_TIMEOUT), proc, "READY")
    ready_at = next(
        f.at for f in fake.gateway_frames if f.direction == "out" and f.event == "READY"
    )
    first_command = "ping" if kind == "ping" else "ratings"
    first = await fake.interact(payloads.slash_command(fake.command(first_command), where=payloads.in_guild(GUILD)))  # fmt: skip
    answered = await _unless_exited(first.callback(timeout=START_TIMEOUT), proc, "the first answer")
    milestones = {
        "sync_ms": (sync.at - started) * 1000,
        "ready_ms": (ready_at - started) * 1000,
        "first_answer_ms": (answered.received_at - started) * 1000,
    }
    before = _proc_status(proc.pid)

    def where(i: int) -> payloads.Where:
        return payloads.in_guild(GUILD, by=payloads.user(str(FIRST_USER + i), f"fan{i}"))

    if kind == "ping":

        def maker(fake: FakeDiscord, i: int) -> dict:
            return payloads.slash_command(fake.command("ping"), where=where(i))
    else:
        named = makers(base, questions, where_for=where)

        def maker(fake: FakeDiscord, i: int) -> dict:
            return named[COMMANDS[i % len(COMMANDS)]](fake, i)

    def alive() -> None:
        if proc.returncode is not None:
            raise RuntimeError(f"the bot process exited with {proc.returncode} during the burst")

    sents = await burst(fake, maker, plan.child_burst, check=alive)
    after = _proc_status(proc.pid)
    refused = sum(1 for s in sents if not 200 <= (s.requests[0].status or 0) < 300)
    exit_code = await _stop(proc)
    return {
        **milestones,
        "burst": summary_ms([s.latency for s in sents if s.latency is not None]),
        "burst_refused": refused,
        "rss_before_burst_mb": before.get("VmRSS"),
        "peak_rss_mb": after.get("VmHWM"),
        "rss_after_burst_mb": after.get("VmRSS"),
        "exit_code": exit_code,
    }


async def _sequential_child(kind: str, proc: asyncio.subprocess.Process, fake: FakeDiscord, plan: Plan,
                            base: FactBase, questions: Sequence[Question]) -> dict[str, list[float]]:  # fmt: skip
    """Round trips of each command one at a time (commands interleaved), after a warm-up."""
    await _unless_exited(fake.wait_for_sync(timeout=START_TIMEOUT), proc, "the command sync")
    await _unless_exited(fake.wait_for_ready(timeout=START_TIMEOUT), proc, "READY")
    named = {FLOOR: floor_maker()} if kind == "ping" else makers(base, questions)
    latencies: dict[str, list[float]] = {name: [] for name in named}
    for i in range(plan.warmup + plan.sequential):
        for name, maker in named.items():
            sent = await fake.interact(maker(fake, i))
            answered = await _unless_exited(sent.callback(timeout=CALLBACK_TIMEOUT), proc, f"the answer to /{name}")  # fmt: skip
            if not 200 <= (answered.status or 0) < 300:
                raise RuntimeError(f"/{name} was answered with {answered.status} {answered.error_code}")  # fmt: skip
            if i >= plan.warmup and sent.latency is not None:
                latencies[name].append(sent.latency)
            await asyncio.sleep(SETTLE)
    return latencies


def _sequential_report(runs: dict[str, list[dict[str, list[float]]]]) -> dict:
    """Per command: p50/p99 of every session's samples, and their ratios to the floor's."""
    floor = summary_ms([x for session in runs["ping"] for x in session[FLOOR]])
    out: dict[str, Any] = {
        "floor_command": FLOOR,
        "floor": floor,
        "commands": {},
        "diagnostics": {},
    }
    for name in COMMANDS + DIAGNOSTICS:
        row = summary_ms([x for session in runs["run"] for x in session.get(name, ())])
        if row["n"]:
            row["ratio_p50"] = row["p50_ms"] / floor["p50_ms"]
            row["ratio_p99"] = row["p99_ms"] / floor["p99_ms"]
            out["commands" if name in COMMANDS else "diagnostics"][name] = row
    return out


async def run_processes(plan: Plan, base: FactBase, questions: Sequence[Question]) -> dict:
    """Floor and bot processes alternately, ``plan.starts`` times each (start-up, burst,
    memory), then as many again for sequential round trips."""
    runs: dict[str, list[dict]] = {"ping": [], "run": []}
    sequential: dict[str, list[dict]] = {"ping": [], "run": []}
    for _ in range(max(1, plan.starts)):
        for kind in ("ping", "run"):
            runs[kind].append(await child_session(kind, plan, base, questions))
    for _ in range(max(1, plan.starts)):
        for kind in ("ping", "run"):
            sequential[kind].append(await child_session(kind, plan, base, questions, sequential=True))  # fmt: skip
    out: dict[str, Any] = {}
    for kind, name in (("run", "bot"), ("ping", "floor")):
        sessions = runs[kind]
        out[name] = {
            "starts": len(sessions),
            "sync_median_ms": statistics.median(s["sync_ms"] for s in sessions),
            "ready_median_ms": statistics.median(s["ready_ms"] for s in sessions),
            "first_answer_median_ms": statistics.median(s["first_answer_ms"] for s in sessions),
            "peak_rss_max_mb": max(s["peak_rss_mb"] for s in sessions),
            "rss_before_burst_median_mb": statistics.median(
                s["rss_before_burst_mb"] for s in sessions
            ),  # fmt: skip
            "exit_codes": [s["exit_code"] for s in sessions],
            "burst_refused": sum(s["burst_refused"] for s in sessions),
            "burst_sessions": [s["burst"] for s in sessions],
        }
    bot_p = [s["burst"] for s in runs["run"]]
    floor_p = [s["burst"] for s in runs["ping"]]
    out["burst_ratio_p50"] = statistics.median(b["p50_ms"] for b in bot_p) / statistics.median(f["p50_ms"] for f in floor_p)  # fmt: skip
    out["burst_ratio_p99"] = statistics.median(b["p99_ms"] for b in bot_p) / statistics.median(f["p99_ms"] for f in floor_p)  # fmt: skip
    out["burst_size"] = plan.child_burst
    out["sequential"] = _sequential_report(sequential)
    return out

"""The benchmark suite still runs: ``python -m tests.benchmarks.run --quick`` on a tiny input.

The benchmark itself is not part of the test run (it takes minutes and its
numbers depend on the machine); this checks that every section runs end to
end and writes a results file whose numbers are sane, not that targets pass.
"""

from __future__ import annotations

import json
import math

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from tests.benchmarks import run
from tests.benchmarks.common import ASKED_BEFORE, Plan, load_questions
from tests.benchmarks.quality import side_by_side
from tests.benchmarks.roundtrip import (
    BENCH_WINDOW,
    GUILD,
    Tally,
    floor_maker,
    makers,
    measure,
    phase_numbers,
)
from tests.fakediscord import FakeDiscord, redirect_discord
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.ping_bot import PingBot

COMMANDS = {"ask", "character", "episode", "recap", "ratings"}


def positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


@pytest.mark.slow  # about 5 s: it starts the bot and the CLI as processes
def test_quick_benchmark_writes_sane_results(tmp_path, capsys):
    out = tmp_path / "results.json"

    assert run.main(["--quick", "--no-embedding", "--out", str(out)]) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"meta", "round_trip", "core", "cold_cli", "processes", "quality", "targets"} <= results.keys()  # fmt: skip
    assert results["meta"]["questions"] == 5

    trip = results["round_trip"]
    assert trip["failure_count"] == 0, trip["failures"]
    assert set(trip["commands"]) == COMMANDS
    for mode in ("sequential", "burst"):
        assert positive(trip["floor"][mode]["p50_ms"])
        for command in COMMANDS:
            row = trip["commands"][command][mode]
            assert row["n"] > 0 and positive(row["p50_ms"]) and row["p99_ms"] >= row["p50_ms"]
            assert positive(row["ratio_p50"]) and positive(row["ratio_p99"])
    # The diagnostic beside them: /ask with a question asked before, judged against no target.
    asked_before = trip["diagnostics"][ASKED_BEFORE]
    assert all(asked_before[mode]["n"] > 0 and positive(asked_before[mode]["ratio_p50"]) for mode in ("sequential", "burst"))  # fmt: skip
    assert not any("asked-before" in t["target"] for t in results["targets"])

    core = results["core"]
    assert 0 < core["ask"]["p50_ms"] <= core["ask"]["p99_ms"] < 1000
    assert 0 < core["load_index"]["median_ms"] < 10_000

    assert 0 < results["cold_cli"]["median_ms"] < 60_000
    processes = results["processes"]
    for name in ("bot", "floor"):
        assert processes[name]["exit_codes"] == [0]  # SIGTERM is a clean shutdown
        assert processes[name]["burst_refused"] == 0
        assert 0 < processes[name]["sync_median_ms"] <= processes[name]["first_answer_median_ms"]
        assert 10 < processes[name]["peak_rss_max_mb"] < 2000
    # Sequential round trips with the bot in its own process: every command, against its floor.
    sequential = processes["sequential"]
    assert sequential["floor"]["n"] == 5 and positive(sequential["floor"]["p50_ms"])
    assert set(sequential["commands"]) == COMMANDS
    for row in sequential["commands"].values():
        assert row["n"] == 5 and positive(row["ratio_p50"]) and row["p99_ms"] >= row["p50_ms"]
    assert sequential["diagnostics"][ASKED_BEFORE]["n"] == 5
    assert any("own process" in t["target"] for t in results["targets"])

    systems = results["quality"]["systems"]
    assert set(systems) == {"engine", "bm25"}
    assert "no-embedding" in results["quality"]["embedding_skipped"]
    for system in systems.values():
        assert 0 <= system["accuracy"] <= 1 and positive(system["p50_ms"])

    assert results["targets"] and all(isinstance(t["pass"], bool) for t in results["targets"])
    printed = capsys.readouterr().out
    assert "Targets" in printed and "ping (floor)" in printed and "/ask, asked before *" in printed


class _Synced:
    """Just enough of the fake for a payload maker: the measured commands' options as synced."""

    OPTIONS = {
        "ask": [{"name": "question", "type": 3, "required": True}],
        "character": [{"name": "name", "type": 3, "required": True}],
        "episode": [{"name": "number", "type": 4, "required": True}],
        "recap": [{"name": "up_to", "type": 4}],
        "ratings": [],
    }

    def command(self, name: str) -> dict:
        return {"id": "1", "name": name, "type": 1, "application_id": "1", "options": self.OPTIONS[name]}  # fmt: skip


def test_no_measured_ask_is_a_repeat():
    """A repeat would be served from the reply cache: every /ask a session sends is new to it."""
    plan = Plan()
    questions = load_questions()
    ask = makers(load_factbase(), questions)["ask"]
    for round_ in range(plan.rounds):
        numbers = phase_numbers(plan, round_ * (plan.sequential + plan.burst + plan.warmup))
        sent = [i for phase in ("warmup", "sequential", "burst") for i in numbers[phase]]
        payloads = [ask(_Synced(), i) for i in sent]
        keys = {(p["data"]["options"][0]["value"], p["member"]["user"]["id"]) for p in payloads}
        assert len(sent) == plan.warmup + plan.sequential + plan.burst > len(questions)
        assert len(keys) == len(sent)


def _request(payload: dict) -> tuple:
    """What the engine's reply cache tells apart: the options and the reader."""
    options = tuple((o["name"], o["value"]) for o in payload["data"].get("options", []))
    return options, payload["member"]["user"]["id"]


@pytest.mark.parametrize("command", ["character", "episode", "recap", "ratings"])
def test_no_request_comes_again_in_a_phase_before_all_have_come(command):
    """Within a measured phase, a command's requests are all different until every one
    possible has come: one repeated sooner would be served from the reply cache (which
    ``measure`` empties before each phase) and flatter the command."""
    plan = Plan()
    base = load_factbase()
    maker = makers(base, load_questions())[command]
    options = {"character": len(base.characters) + len(base.people), "episode": 16, "recap": 16, "ratings": 1}  # fmt: skip
    possible = options[command] * 17  # readers at progress 0..16
    for round_ in range(plan.rounds):
        numbers = phase_numbers(plan, round_ * (plan.sequential + plan.burst + plan.warmup))
        for phase in ("sequential", "burst"):
            requests = [_request(maker(_Synced(), i)) for i in numbers[phase]]
            assert len(set(requests)) == min(len(requests), possible), (phase, round_)


async def test_measure_forgets_before_each_measured_phase():
    """``fresh`` runs once the warm-up is done and before each burst, never mid-phase."""
    plan = Plan(rounds=1, sequential=3, burst=4, warmup=2)
    sent_by_then: list[int] = []
    async with FakeDiscord(guilds=[GUILD], interaction_window=BENCH_WINDOW) as fake:
        with redirect_discord(fake):
            async with running_bot(PingBot(), fake) as bot:
                named = {"ping": floor_maker(), "pong": floor_maker()}
                tally = Tally()
                await measure(fake, bot, named, plan, tally, 0, lambda: sent_by_then.append(len(fake.interactions)))  # fmt: skip
    warmup, sequential = 2 * 2, 3 * 2
    assert sent_by_then == [warmup, warmup + sequential, warmup + sequential + 4]
    assert {name: len(tally.latencies[name]["burst"]) for name in named} == {"ping": 4, "pong": 4}


def test_the_speed_up_times_both_systems_in_turn(monkeypatch):
    """The speed-up's two p50s come from the same seconds: a few questions by the
    engine, the same ones by the rival, and so on, after one untimed engine pass."""
    order: list[tuple[str, str]] = []

    class Rival:
        def best(self, text: str) -> tuple[int, float]:
            order.append(("rival", text))
            return 0, 0.0

    real_ask = Engine.ask

    def ask(self, text, viewer):
        order.append(("engine", text))
        return real_ask(self, text, viewer)

    monkeypatch.setattr(Engine, "ask", ask)
    questions = load_questions()[:7]
    result = side_by_side(load_factbase(), Rival(), questions, rounds=2, chunk=3)

    texts = [q.q for q in questions]
    expected = [("engine", t) for t in texts]  # the untimed pass
    for _ in range(2):
        for start in range(0, len(texts), 3):
            part = texts[start : start + 3]
            expected += [("engine", t) for t in part] + [("rival", t) for t in part]
    assert order == expected
    assert result["engine"]["n"] == result["embedding"]["n"] == 14
    assert len(result["speedup_p50_per_round"]) == 2
    assert result["speedup_p50"] == result["embedding"]["p50_ms"] / result["engine"]["p50_ms"]


def test_the_speed_up_target_is_the_one_timed_in_turn():
    """The target row reads the side-by-side ratio, not two sections' p50s divided."""
    results = {
        "round_trip": {"commands": {}},
        "core": {"ask": {"p99_ms": 0.5, "p50_ms": 0.1}, "load_index": {"median_ms": 100.0}},
        "quality": {
            "systems": {"engine": {"accuracy": 1.0, "p50_ms": 0.2}, "embedding": {"accuracy": 0.3, "p50_ms": 9.0}},  # fmt: skip
            "side_by_side": {"speedup_p50": 42.0},
        },
    }
    [row] = [t for t in run.targets(results) if "speed-up" in t["target"]]
    assert row["value"] == 42.0 and row["pass"] is False
    results["quality"].pop("side_by_side")  # no rival measured: no speed-up claimed
    assert not [t for t in run.targets(results) if "speed-up" in t["target"]]

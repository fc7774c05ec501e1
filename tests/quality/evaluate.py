"""Answer quality, measured: the engine against a plain BM25 ranking, same questions, same run.

    python -m tests.quality.evaluate [--questions PATH] [--json]

A question is right when the answer's "found" matches what was expected, every
``expect`` keyword appears, one of ``expect_any`` appears, and no ``forbid``
keyword appears. A spoiler leak is a ``forbid`` keyword in the answer, or any
fact used whose gate is past the asker's progress.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.model import FactBase
from bot.core.search import STOPWORDS
from bot.core.spoilers import Viewer
from bot.core.text import fold, tokens
from bot.render.payload import to_content

QUESTIONS = Path(__file__).with_name("questions.yaml")


@dataclass(frozen=True)
class Question:
    q: str
    category: str
    watched: int = 0
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    found: bool | None = True
    forbid: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    text: str
    found: bool
    facts: tuple[str, ...] = ()


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        leak_check = "expect" not in item and "expect_any" not in item and "found" not in item
        out.append(Question(
            q=item["q"], category=item["category"], watched=item.get("watched", 0),
            expect=tuple(item.get("expect", ())), expect_any=tuple(item.get("expect_any", ())),
            found=None if leak_check else item.get("found", True), forbid=tuple(item.get("forbid", ())),
        ))  # fmt: skip
    return out


def contains(text: str, keyword: str) -> bool:
    return fold(keyword) in fold(text)


def leaks(question: Question, answer: Answer, base: FactBase) -> list[str]:
    found = [k for k in question.forbid if contains(answer.text, k)]
    found += [f for f in answer.facts if base.fact_by_id[f].gate > question.watched]
    return found


def is_right(question: Question, answer: Answer, base: FactBase) -> bool:
    if leaks(question, answer, base):
        return False
    if question.found is not None and answer.found != question.found:
        return False
    if not all(contains(answer.text, k) for k in question.expect):
        return False
    return not question.expect_any or any(contains(answer.text, k) for k in question.expect_any)


# -- the systems under test ----------------------------------------------------------
def engine_system(engine: Engine) -> Callable[[Question], Answer]:
    def ask(question: Question) -> Answer:
        reply = engine.ask(question.q, Viewer(progress=question.watched))
        return Answer(to_content(reply, title=False), reply.found, reply.facts)

    return ask


def bm25_system(base: FactBase) -> Callable[[Question], Answer]:
    """Plain BM25 over the fact texts: the top fact, or "don't know" when nothing scores."""
    from rank_bm25 import BM25Okapi

    corpus = [[t for t in tokens(f.text) if t not in STOPWORDS] for f in base.facts]
    bm25 = BM25Okapi(corpus)

    def ask(question: Question) -> Answer:
        query = [t for t in tokens(question.q) if t not in STOPWORDS]
        scores = bm25.get_scores(query) if query else [0.0]
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] <= 0:
            return Answer("I don't know.", False)
        fact = base.facts[best]
        return Answer(fact.text, True, (fact.id,))

    return ask


@dataclass
class Result:
    name: str
    per_category: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    leaks: int = 0
    said_unknown: int = 0
    rightly_unknown: int = 0
    latencies: list[float] = field(default_factory=list)
    wrong: list[tuple[Question, Answer]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        every = [ok for oks in self.per_category.values() for ok in oks]
        return sum(every) / len(every) if every else 0.0

    @property
    def unknown_precision(self) -> float:
        return self.rightly_unknown / self.said_unknown if self.said_unknown else 1.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def evaluate(name: str, system: Callable[[Question], Answer], questions: list[Question], base: FactBase, *, repeat: int = 1) -> Result:  # fmt: skip
    result = Result(name)
    # Each question's latency is the median of ``repeat`` runs, so a burst of
    # load from another process on a shared machine does not count as ours.
    for question in questions:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            system(question)
            runs.append(time.perf_counter() - start)
        result.latencies.append(statistics.median(runs))
    for question in questions:
        answer = system(question)
        ok = is_right(question, answer, base)
        result.per_category[question.category].append(ok)
        result.leaks += bool(leaks(question, answer, base))
        if not answer.found:
            result.said_unknown += 1
            result.rightly_unknown += question.found is False
        if not ok:
            result.wrong.append((question, answer))
    return result


def run(questions_path: Path = QUESTIONS, repeat: int = 5) -> tuple[Result, Result]:
    base = load_factbase()
    questions = load_questions(questions_path)
    engine = evaluate("engine", engine_system(Engine(base, reply_cache=0)), questions, base, repeat=repeat)
    baseline = evaluate("bm25", bm25_system(base), questions, base, repeat=repeat)
    return engine, baseline


def report(results: list[Result]) -> str:
    categories = sorted({c for r in results for c in r.per_category})
    head = f"{'category':<14}{'n':>5}" + "".join(f"{r.name:>10}" for r in results)
    lines = [head, "-" * len(head)]
    for category in categories:
        n = len(results[0].per_category[category])
        cells = "".join(f"{sum(r.per_category[category]) / n:>10.0%}" for r in results)
        lines.append(f"{category:<14}{n:>5}{cells}")
    lines.append("-" * len(head))
    total = sum(len(v) for v in results[0].per_category.values())
    lines.append(f"{'accuracy':<14}{total:>5}" + "".join(f"{r.accuracy:>10.1%}" for r in results))
    lines.append(f"{'spoiler leaks':<19}" + "".join(f"{r.leaks:>10}" for r in results))
    lines.append(
        f"{'IDK precision':<19}" + "".join(f"{r.unknown_precision:>10.0%}" for r in results)
    )
    lines.append(
        f"{'p50 (ms)':<19}" + "".join(f"{r.percentile(0.5) * 1000:>10.3f}" for r in results)
    )
    lines.append(
        f"{'p99 (ms)':<19}" + "".join(f"{r.percentile(0.99) * 1000:>10.3f}" for r in results)
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--wrong", action="store_true", help="list the engine's wrong answers")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    engine, baseline = run(args.questions)
    if args.json:
        print(json.dumps({r.name: {"accuracy": r.accuracy, "leaks": r.leaks, "idk_precision": r.unknown_precision,
                                   "p50_ms": r.percentile(0.5) * 1000, "p99_ms": r.percentile(0.99) * 1000,
                                   "per_category": {k: sum(v) / len(v) for k, v in r.per_category.items()}}
                          for r in (engine, baseline)}, indent=2))  # fmt: skip
    else:
        print(report([engine, baseline]))
    if args.wrong:
        for question, answer in engine.wrong:
            print(f"\n[{question.category}] {question.q!r} watched={question.watched} expect={question.expect} any={question.expect_any} found={question.found} forbid={question.forbid}")  # fmt: skip
            print(f"  -> found={answer.found} {answer.text[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

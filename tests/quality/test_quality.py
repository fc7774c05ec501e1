"""The quality bars, asserted: accuracy on the question set, no spoiler leaks,
"I don't know" for what the reviews never say, and clearly ahead of plain BM25."""

import pytest

from tests.quality.evaluate import Answer, Question, contains, is_right, load_questions, run


@pytest.fixture(scope="module")
def results():
    return run(repeat=1)


def test_question_set_is_large_and_varied():
    questions = load_questions()
    assert len(questions) >= 120
    categories = {q.category for q in questions}
    assert {"out-of-scope", "spoiler", "typo", "spelling", "who-plays", "when", "why"} <= categories


def test_accuracy_at_least_95_percent(results):
    engine, _ = results
    wrong = "\n".join(f"  {q.q!r} -> {a.text[:120]!r}" for q, a in engine.wrong)
    assert engine.accuracy >= 0.95, f"accuracy {engine.accuracy:.1%}; wrong:\n{wrong}"


def test_no_spoiler_leaks(results):
    engine, _ = results
    assert engine.leaks == 0


def test_every_out_of_scope_question_is_not_answered_confidently(results):
    engine, _ = results
    per = engine.per_category["out-of-scope"]
    assert sum(per) / len(per) >= 0.9


def test_clearly_ahead_of_bm25(results):
    engine, baseline = results
    assert engine.accuracy >= baseline.accuracy + 0.3
    assert baseline.leaks > engine.leaks


def test_judge_catches_a_leak_and_a_wrong_answer():
    from bot.core.loader import load_factbase

    base = load_factbase()
    gated = next(f for f in base.facts if f.gate == 16)
    leak = Question(q="x", category="spoiler", watched=0, found=None, forbid=("dies",))
    assert not is_right(leak, Answer("her father dies", True), base)
    assert not is_right(leak, Answer("fine", True, (gated.id,)), base)
    wrong = Question(q="x", category="who-plays", expect=("Shin Se-kyung",))
    assert not is_right(wrong, Answer("Im Si-wan", True), base)
    assert contains("Played by SHIN SE-KYUNG", "Shin Se-kyung")

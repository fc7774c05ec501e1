"""Whatever people type, the core answers or says "I don't know", quickly.

Property tests over name resolution and free questions with any Unicode
(full-width, zero-width, combining marks, right-to-left, 10,000 characters),
and the core's own length limits, which hold whatever a caller passes: the
slash options carry the same limits, but the core does not rely on them.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.answer import Engine, suggest_names
from bot.core.loader import load_factbase
from bot.core.names import MAX_NAME, MAX_WORDS
from bot.core.questions import MAX_QUESTION
from bot.core.reply import Reply
from bot.core.spoilers import Viewer
from bot.core.text import tokens
from bot.render.payload import to_content
from tests.conftest import DATA_FILE

CALL_BUDGET = 0.050  # seconds, per call

NAMES = ["Mi-joo", "Seon-gyeom", "Ki Seon-gyeom", "Dan-ah", "Young-hwa", "Shin Se-kyung", "Im Si-wan", "Seo Dan-ah"]  # fmt: skip
ODD = [
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202b", "\u2066", "\u061c",  # invisible, bidi
    "\u0301", "\u0308", "\u20dd", "\u0489",  # combining marks
    "Ｍｉ－ｊｏｏ", "ＳＥＯＮＧＹＥＯＭ", "ｗｈｏ ｐｌａｙｓ",  # full-width
    "مرحبا", "שלום", "오미주", "기선겸", "🏃", "𝐒𝐞𝐨𝐧", "ﬁ", "ß", "İ", "¼", "㍱", "\x00", "\x1b", "\x9b",
    "who plays ", "episode ", "'s ", " mother", "?", " ", "\n", "-",
]  # fmt: skip
piece = st.one_of(st.sampled_from(NAMES + ODD), st.text(max_size=8))
typed = st.lists(piece, max_size=12).map("".join)
# Up to 10,000 characters: a typed string repeated, so long inputs cost few draws.
hostile = st.one_of(typed, st.tuples(typed, st.integers(1, 10_000)).map(lambda p: (p[0] * p[1])[:10_000]))  # fmt: skip

LONG = {
    "full-width": "Ｓｅｏｎ－ｇｙｅｏｍ ｗｈｏ " * 700,
    "zero-width": "\u200b".join("mijoo" * 2000)[:10_000],
    "combining": ("a" + "\u0301" * 49) * 200,
    "right-to-left": ("\u202e" + "مرحبا ") * 1400,
    "names": " ".join(["seongyeomm", "mijooo", "danahh", "younghwa"] * 500)[:10_000],
    "letters": "abcdefghij " * 910,
    "astral": "𝐒𝐞𝐨𝐧 🏃 " * 1400,
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_factbase(DATA_FILE))


def timed(call):
    """Run ``call``; its time is the best of up to three runs, so a scheduler hiccup
    on a loaded machine is not mistaken for slow code."""
    best, result = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
        if best < CALL_BUDGET:
            break
    return result, best


def answers_or_does_not_know(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    text = to_content(reply)
    assert reply.found or "don't know" in text or "not sure" in text or "Did you mean" in text, text


def check_every_entry_point(engine: Engine, text: str) -> None:
    viewer = Viewer(progress=8)
    calls = {
        "resolve": lambda: engine.names.resolve(text),
        "mentions": lambda: engine.names.mentions(tokens(text), engine.index.vocabulary),
        "complete": lambda: engine.names.complete(text),
        "suggest": lambda: suggest_names(engine, text, 8),
        "ask": lambda: engine.ask(text, viewer),
        "character": lambda: engine.character(text, viewer),
        "plot": lambda: engine.plot(viewer, text or None),
    }
    for name, call in calls.items():
        result, seconds = timed(call)
        assert seconds < CALL_BUDGET, f"{name} took {seconds * 1000:.0f} ms on {len(text)} characters"  # fmt: skip
        if isinstance(result, Reply):
            answers_or_does_not_know(result)
            assert len(result.title) <= max(MAX_QUESTION, 100) + 1


@given(hostile)
def test_any_unicode_gets_an_answer_or_i_dont_know_quickly(engine, text):
    check_every_entry_point(engine, text)


@pytest.mark.parametrize("kind", sorted(LONG))
def test_ten_thousand_characters_of_each_kind(engine, kind):
    assert len(LONG[kind]) >= 9_000
    check_every_entry_point(engine, LONG[kind])


def test_names_still_resolve_through_invisibles_and_full_width(engine):
    for typed_name in ("Ｍｉ－ｊｏｏ", "Mi\u200b-joo", "\u202eMi-joo", "Mi-jóo", "MI-JOO"):
        assert engine.names.resolve(typed_name).match == engine.names.resolve("Mi-joo").match


# --- the core's own limits (the slash options say the same) ---------------------------
def test_a_name_longer_than_the_limit_is_no_name(engine):
    padded = "Mi-joo" + " " * (MAX_NAME - 6)
    assert engine.names.resolve(padded).match is not None  # at the limit: still a name
    assert engine.names.resolve(padded + " ").match is None
    assert not engine.character(padded + " ", Viewer()).found


def test_autocomplete_reads_no_more_than_a_name(engine):
    # What lies past MAX_NAME characters is not read: the name typed before it is found.
    assert "Oh Mi-joo" in engine.names.complete("Mi-joo" + " " * (MAX_NAME - 6) + "q" * 10_000)


def test_names_are_looked_for_in_the_first_words_only(engine):
    words = ["filler"] * MAX_WORDS + ["mi", "joo"]
    assert engine.names.mentions(words, engine.index.vocabulary) == []
    assert engine.names.mentions(words[2:], engine.index.vocabulary)


def test_a_question_is_cut_to_its_limit_before_anything_reads_it(engine):
    reply = engine.ask("x" * 5_000 + " who plays Mi-joo?", Viewer())
    assert len(reply.title) <= MAX_QUESTION
    assert "Shin Se-kyung" not in to_content(reply)  # the part past the limit was never read

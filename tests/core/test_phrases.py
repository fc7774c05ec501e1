"""Phrase rules (bot/core/search.py): a rule is skipped on a text without its words,
so each rule's words must be in every text it can match.

``phrase_fold`` tries a rule only when the text has one of the words the rule
declares it needs. That is exact only if every match of the rule's pattern has one
of those words, whole (as ``\\w+`` splits it). Hypothesis builds strings the
pattern matches, around and inside other text, and the test looks for the words;
a rule whose words are wrong fails here, not silently in what a question means.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.search import _PHRASE_RULES, _WORD, phrase_fold
from bot.core.text import fold
from tests.quality.evaluate import load_questions


def _every_rule_in_order(text: str) -> str:
    """What phrase_fold did before rules were skipped: every rule, in order, on every text."""
    text = fold(text)
    for rule in _PHRASE_RULES:
        text = rule.pattern.sub(rule.replacement, text)
    return text


@pytest.mark.parametrize(
    "rule", _PHRASE_RULES, ids=lambda rule: rule.replacement.strip() or "(dropped)"
)
def test_every_match_of_a_rule_has_one_of_its_words(rule):
    @settings(max_examples=150)
    @given(st.from_regex(rule.pattern, fullmatch=False))
    def check(text: str) -> None:
        match = rule.pattern.search(text)
        assert match is not None
        # The words of the whole text, as phrase_fold sees them, hold one of the rule's.
        assert not rule.needs.isdisjoint(_WORD.findall(text)), (text, match.group(0))

    check()


def test_the_words_are_the_rules_own():
    """A need that appears nowhere in its pattern is a typo that would skip the rule."""
    for rule in _PHRASE_RULES:
        assert rule.needs, rule.pattern.pattern
        for word in rule.needs:
            assert re.search(re.escape(word), rule.pattern.pattern), (word, rule.pattern.pattern)


def test_skipping_changes_no_text():
    """Over every evaluation question, and texts where one rule's replacement is what a
    later rule needs, phrase_fold reads as every rule applied in order would."""
    texts = [q.q for q in load_questions()]
    texts += [
        "does her father survive before he dies",  # "survive" -> "die", then the deathbed rule
        "before he survives the race",
        "why did they break up and get back together in the first place",
        "at the starting line, who came out",
        "health-wise, what happens at the very beginning of the show",
        "professionally speaking, who is it for",
        "do they stand by her when she stormed off",
    ]
    for text in texts:
        assert phrase_fold(text) == _every_rule_in_order(text), text


@given(st.lists(st.sampled_from(_PHRASE_RULES), min_size=1, max_size=3).flatmap(
    lambda rules: st.tuples(*(st.from_regex(r.pattern, fullmatch=True) for r in rules))))  # fmt: skip
def test_skipping_changes_no_text_of_several_phrases(parts):
    text = " ".join(parts)
    assert phrase_fold(text) == _every_rule_in_order(text)


def test_a_start_is_a_whole_word():
    """ "At the starting line" is no "at the start" (the rule read "start" inside a word)."""
    assert "premise" not in phrase_fold("who was at the starting line")
    assert "premise" in phrase_fold("what happens at the start")
    assert "premise" in phrase_fold("in the very beginning, who is he")

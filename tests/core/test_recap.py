"""Recaps on the shipped fact base: one screen, in story order, saying what is left out."""

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.questions import STORY_TOPICS
from bot.core.spoilers import Viewer
from bot.render.payload import to_payload


@pytest.fixture(scope="module")
def engine():
    return Engine(load_factbase(), reply_cache=0)


def test_a_long_recap_says_what_it_leaves_out_instead_of_being_cut_off(engine):
    reply = engine.recap(16, Viewer(progress=16))
    embed = to_payload(reply).embed
    assert len(embed["description"]) <= 4096
    *facts, note = reply.lines
    assert "more" in note[0].text and "/plot" in note[0].text
    assert embed["description"].endswith(note[0].text)  # the renderer cut nothing
    assert any(
        engine.base.fact_by_id[f].gate == 16 for f in reply.facts
    )  # the story, not only the premise


def test_a_short_recap_shows_all_it_has(engine):
    reply = engine.recap(4, Viewer(progress=4))
    story_through_4 = [f for f in engine.base.facts if f.topic in STORY_TOPICS and f.gate <= 4]
    assert set(reply.facts) == {f.id for f in story_through_4}

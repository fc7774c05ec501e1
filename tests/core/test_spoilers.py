"""The spoiler rules, one test per rule, on the viewer and through the engine."""

from pathlib import Path

import pytest

from bot.core.answer import Engine
from bot.core.loader import parse_factbase
from bot.core.spoilers import Viewer

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(parse_factbase(MINIMAL, "minimal.yaml"))


def all_text(reply) -> str:
    spans = [s for ln in reply.lines for s in ln] + [s for f in reply.fields for ln in f.lines for s in ln]  # fmt: skip
    return " ".join(s.text for s in spans)


def test_premise_is_always_plain():
    assert Viewer(progress=0).span("premise", 0, "premise").spoiler is None


def test_past_progress_is_withheld_not_even_tagged():
    assert Viewer(progress=4).span("later", 5, "ep 5") is None


def test_reveal_shows_tagged_and_forces_private():
    viewer = Viewer(progress=0, reveal=True)
    assert viewer.private
    assert viewer.span("later", 5, "ep 5").spoiler == "ep 5"


def test_seen_story_is_tagged_in_public_and_plain_in_private():
    assert Viewer(progress=5).span("seen", 5, "ep 5").spoiler == "ep 5"
    assert Viewer(progress=5, private=True).span("seen", 5, "ep 5").spoiler is None


def test_spoiler_channel_makes_story_plain_only_up_to_its_episode():
    viewer = Viewer(progress=10, plain_through=5)
    assert viewer.span("x", 5, "ep 5").spoiler is None
    assert viewer.span("x", 8, "ep 8").spoiler == "ep 8"
    assert Viewer(progress=3, plain_through=5).span("x", 5, "ep 5") is None


def test_a_reply_told_through_a_later_tie_tags_even_the_premise():
    viewer = Viewer(progress=12, at_least=12)
    assert viewer.span("premise", 0).spoiler == "ep 12"
    assert viewer.span("later", 13, "ep 13") is None
    assert Viewer(progress=12, private=True, at_least=12).span("premise", 0).spoiler is None


def test_viewer_rejects_out_of_range_progress():
    with pytest.raises(ValueError):
        Viewer(progress=17)


def test_engine_withholds_and_counts(engine):
    reply = engine.plot(Viewer(progress=0))
    assert "leaves the team" not in all_text(reply)
    assert reply.withheld == 1
    assert "held back" in all_text(reply)


def test_engine_tags_seen_story_in_public(engine):
    reply = engine.plot(Viewer(progress=5))
    spans = [s for ln in reply.lines for s in ln if "leaves the team" in s.text]
    assert spans and spans[0].spoiler == "eps 3–5"
    assert reply.withheld == 0


def test_recap_never_includes_later_episodes(engine):
    assert "leaves the team" not in all_text(engine.recap(4, Viewer(progress=16)))
    reply = engine.recap(5, Viewer(progress=16))
    assert "leaves the team" in all_text(reply) and reply.private


def test_recap_past_progress_is_tagged(engine):
    reply = engine.recap(5, Viewer(progress=0))
    spans = [s for ln in reply.lines for s in ln if "leaves the team" in s.text]
    assert spans[0].spoiler

"""Free-question reading: sound-alike names, epithets, relations, near misses."""

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.names import sound_key
from bot.core.spoilers import Viewer
from bot.render.payload import to_content


@pytest.fixture(scope="module")
def engine():
    return Engine(load_factbase(), reply_cache=0)


def ask(engine, q, watched=16):
    reply = engine.ask(q, Viewer(progress=watched, private=True))
    return reply, to_content(reply, title=False)


def test_sound_key_folds_romanisations():
    assert sound_key("sungyeom") == sound_key("seongyeom")
    assert sound_key("younghwa") == sound_key("yeonghwa")
    assert sound_key("mijoo") == sound_key("miju")


def test_sound_alike_resolves_but_short_words_do_not(engine):
    assert engine.names.resolve("sun gyeom").match == "seon-gyeom"
    assert engine.names.resolve("sudan").match is None  # "Seo Dan" folds to it: too short to trust


def test_epithet_needs_one_character_and_no_crew(engine):
    qa = engine._questions
    assert [m.entity for m in qa.parse("the sprinter's agent").mentions] == ["seon-gyeom"]
    assert qa.parse("who is the lead").mentions == []  # two leads fit
    assert qa.parse("who is the writer").mentions == []  # the screenwriter fits too
    assert qa.parse("who is the owner of the house").mentions == []  # "the X of Y" is no epithet


def test_romance_by_verb_is_gated(engine):
    reply, text = ask(engine, "who does Mae-yi date?", watched=2)
    assert "Je-wook" not in text and not any(f for f in reply.facts if engine.base.fact_by_id[f].gate > 2)  # fmt: skip
    _, text = ask(engine, "who does Mae-yi date?", watched=16)
    assert "Je-wook" in text


def test_relation_without_possessive(engine):
    _, text = ask(engine, "dan-ah father actor")
    assert "no review names who plays" in text


def test_near_miss_is_i_dont_know(engine):
    reply, _ = ask(engine, "which production company made it?")
    assert not reply.found


def test_episode_question_ignores_whole_run_facts(engine):
    reply, _ = ask(engine, "what happens in ep 3")
    assert all(engine.base.fact_by_id[f].episodes != (1, 16) for f in reply.facts)

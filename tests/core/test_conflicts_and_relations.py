"""Conflicts and relations on real data: a story-telling question is never plain
before its episode, and relation lines read as sentences."""

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.spoilers import Viewer
from tests.conftest import DATA_FILE


@pytest.fixture(scope="module")
def engine():
    return Engine(load_factbase(DATA_FILE), reply_cache=0)


def plain_text(reply) -> str:
    """Everything a reader sees untagged: title, field names, untagged spans."""
    spans = [s for ln in reply.lines for s in ln] + [s for f in reply.fields for ln in f.lines for s in ln]  # fmt: skip
    return "\n".join([reply.title, *(f.name for f in reply.fields), *(s.text for s in spans if not s.spoiler)])  # fmt: skip


def replies_about(engine, entity, viewer):
    name = engine.names.name_of(entity)
    yield engine.character(name, viewer)
    yield engine.ask(f"who is {name}?", viewer)
    yield engine.plot(viewer, name)


def story_conflicts(engine):
    return [k for k in engine.base.conflicts if k.gate > 0]


def test_the_data_has_story_conflicts_to_check(engine):
    assert len(story_conflicts(engine)) >= 2


@pytest.mark.parametrize("reveal", [False, True])
@pytest.mark.parametrize("private", [False, True])
def test_a_conflict_past_progress_never_shows_its_question_plain(engine, reveal, private):
    for conflict in story_conflicts(engine):
        viewer = Viewer(progress=conflict.gate - 1, reveal=reveal, private=private or reveal)
        for entity in conflict.about:
            if entity not in engine.base.character_by_id:
                continue
            for reply in replies_about(engine, entity, viewer):
                assert conflict.question not in plain_text(reply), (
                    conflict.id,
                    entity,
                    reply.title,
                )
                for claim in conflict.claims:
                    assert claim.text not in plain_text(reply), (conflict.id, claim.text)


def test_a_revealed_conflict_keeps_its_question_behind_the_tag(engine):
    conflict = story_conflicts(engine)[0]
    reply = engine.character(engine.names.name_of(conflict.about[0]), Viewer(progress=0, reveal=True, private=True))  # fmt: skip
    tagged = [s.text for f in reply.fields for ln in f.lines for s in ln if s.spoiler]
    assert conflict.question in tagged


def test_a_seen_conflict_in_private_is_headed_by_its_question(engine):
    conflict = story_conflicts(engine)[0]
    reply = engine.character(engine.names.name_of(conflict.about[0]), Viewer(progress=16, private=True))  # fmt: skip
    assert f"Reviews disagree: {conflict.question}" in [f.name for f in reply.fields]


def relation_lines(reply) -> list[str]:
    fields = [f for f in reply.fields if f.name == "Relations"]
    return ["".join(s.text for s in ln) for f in fields for ln in f.lines]


def test_a_relative_known_only_through_the_character_is_named_alone(engine):
    # Dan-ah's father is known only as "Dan-ah's father": not "Daughter of Dan-ah's father".
    lines = relation_lines(engine.character("dan-ah", Viewer(progress=16, private=True)))
    assert "• Dan-ah's father" in lines
    assert not any("of Dan-ah's" in ln for ln in lines)
    said = plain_text(engine.ask("who is dan-ah?", Viewer(progress=16, private=True)))
    assert (
        "Also in the story: Dan-ah's father." in said and "Daughter of Dan-ah's father" not in said
    )


def test_no_relation_line_names_its_own_character_as_the_owner(engine):
    viewer = Viewer(progress=16, private=True)
    for character in engine.base.characters:
        own = engine.names.name_of(character.id).split()[-1]
        for ln in relation_lines(engine.character(character.id, viewer)):
            assert f" of {own}'s " not in ln, (character.id, ln)

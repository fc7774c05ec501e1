"""FactEditor on a real store: changes are checked, recorded, served, and survive reloads."""

import asyncio

import pytest

from bot.core.edits import dump_yaml
from bot.core.loader import parse_factbase
from bot.editing import EditError, FactEditor, form_to_data, parse_gate
from bot.store import Actor, Store
from tests.conftest import DATA_FILE

MOD = Actor(1, "mod", 10)


@pytest.fixture
async def store(tmp_path):
    async with Store.open(tmp_path / "db.sqlite3") as opened:
        yield opened


@pytest.fixture
async def editor(store, tmp_path):
    path = tmp_path / "runon.yaml"
    path.write_bytes(DATA_FILE.read_bytes())
    return await FactEditor.open(store, path)


def new_fact(**overrides):
    data = {"id": "mi-joo.new-fact", "about": ["mi-joo"], "topic": "profile",
            "text": "A moderator adds this line.", "sources": ["blog-full"], "gate": 0}  # fmt: skip
    return {**data, **overrides}


async def test_add_is_served_at_once_and_recorded(editor):
    revision = await editor.add(new_fact(), MOD, "missing")
    assert revision.revision == 1 and revision.action == "add" and revision.user_name == "mod"
    assert (
        editor.knowledge.engine.base.fact_by_id["mi-joo.new-fact"].text
        == "A moderator adds this line."
    )


async def test_a_bad_field_is_named_and_nothing_is_written(editor, store):
    with pytest.raises(EditError, match="unknown source 'nobody'"):
        await editor.add(new_fact(sources=["nobody"]), MOD)
    with pytest.raises(EditError, match="'gate' must be an episode from 0 to 16"):
        await editor.add(new_fact(gate=40), MOD)
    assert await store.current_changes() == {}
    assert "mi-joo.new-fact" not in editor.base.fact_by_id


async def test_edit_remove_revert_and_history(editor):
    fid = "mi-joo.job"
    original = editor.fact_data(fid)
    await editor.edit(fid, {**original, "text": "Edited text about her job."}, MOD, "clearer")
    await editor.remove(fid, MOD, "duplicate")
    assert fid not in editor.base.fact_by_id
    await editor.revert(fid, 1, MOD)
    assert editor.base.fact_by_id[fid].text == "Edited text about her job."
    await editor.revert(fid, 0, MOD)
    assert editor.fact_data(fid) == original
    history = await editor.history(fid)
    assert [r.action for r in history] == ["edit", "remove", "revert", "revert"]
    assert history[0].before == original and history[0].reason == "clearer"


async def test_removal_needs_a_reason(editor):
    with pytest.raises(EditError, match="why"):
        await editor.remove("mi-joo.job", MOD, "  ")


async def test_changes_survive_reload_and_reopen(editor, store):
    await editor.add(new_fact(), MOD)
    assert await editor.reload() == []
    assert "mi-joo.new-fact" in editor.base.fact_by_id
    reopened = await FactEditor.open(store, editor.file_path)
    assert "mi-joo.new-fact" in reopened.base.fact_by_id


async def test_invalid_file_on_reload_keeps_serving(editor):
    editor.file_path.write_text("schema: 1\nreviews: [\n", encoding="utf-8")
    problems = await editor.reload()
    assert problems and problems[0].where.line >= 2
    assert len(editor.base.facts) > 200


async def test_export_round_trips_and_importing_it_changes_nothing(editor):
    await editor.add(new_fact(), MOD)
    text = dump_yaml(editor.base)
    assert parse_factbase(text, "export.yaml") == editor.base
    preview = await editor.preview_import(text.encode(), "export.yaml")
    assert preview.plan.empty
    assert await editor.apply_import(preview, MOD) == []


async def test_import_applies_added_changed_removed_in_one_go(editor, store):
    text = dump_yaml(editor.base)
    text = text.replace("Mi-joo is a freelancer", "Mi-joo works as a freelancer", 1)
    preview = await editor.preview_import(text.encode(), "edited.yaml")
    assert [old.id for old, _ in preview.plan.changed] == ["mi-joo.job"]
    revisions = await editor.apply_import(preview, MOD)
    assert [r.action for r in revisions] == ["import"]
    assert editor.base.fact_by_id["mi-joo.job"].text.startswith("Mi-joo works as")


async def test_concurrent_edits_both_land_in_order(editor):
    fid = "mi-joo.job"
    data = editor.fact_data(fid)
    await asyncio.gather(
        editor.edit(fid, {**data, "text": "First concurrent edit."}, MOD, "a"),
        editor.edit(fid, {**data, "text": "Second concurrent edit."}, MOD, "b"),
    )
    history = await editor.history(fid)
    assert [r.reason for r in history] == ["a", "b"]
    assert history[1].before["text"] == "First concurrent edit."
    assert editor.base.fact_by_id[fid].text == "Second concurrent edit."


def test_form_parsing():
    assert parse_gate("0") == {"gate": 0}
    assert parse_gate("13") == {"episodes": 13}
    assert parse_gate("12 – 16") == {"episodes": [12, 16]}
    with pytest.raises(EditError):
        parse_gate("soon")
    data = form_to_data(fact_id="x.y", topic="event", about="mi-joo, seon-gyeom", text=" two  words ", gate="3", sources="newspaper")  # fmt: skip
    assert (
        data["about"] == ["mi-joo", "seon-gyeom"]
        and data["text"] == "two words"
        and data["episodes"] == 3
    )
    with pytest.raises(EditError, match="limit"):
        form_to_data(fact_id="x.y", topic="event", about="a", text="x" * 601, gate="0", sources="b")
    # No topic given: a review's is reception, the series' is series (its ending when gated),
    # other gated story is an event, the rest describes its subject.
    cases = [("mi-joo", "12-16", "event"), ("mi-joo", "0", "profile"), ("series", "0", "series"),
             ("series", "16", "ending"), ("newspaper, series", "16", "reception"), ("journey", "0", "reception")]  # fmt: skip
    for about, gate, topic in cases:
        data = form_to_data(fact_id="x.y", topic=None, about=about, text="t", gate=gate, sources="b", reviews={"newspaper", "journey"})  # fmt: skip
        assert data["topic"] == topic, (about, gate)

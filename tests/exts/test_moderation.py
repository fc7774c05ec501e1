"""Moderation through the fake Discord: editors change facts, everyone else is refused
on every path (command, form, button), and nothing they do is lost."""

from __future__ import annotations

import asyncio
import json

import discord
import pytest

from bot.client import RunOnBot
from bot.config import Config
from bot.editing import FactEditor
from tests.conftest import DATA_FILE
from tests.exts.conftest import Caller
from tests.fakediscord import payloads

EPHEMERAL = 64
MANAGE = discord.Permissions(manage_guild=True).value
EDITOR_ROLE = int(payloads.new_id())
HOME = payloads.guild(roles=[payloads.role(str(EDITOR_ROLE), "fact editors")])
_OTHER_ID = payloads.new_id()
OTHER_GUILD = payloads.guild(_OTHER_ID, name="Another server", channels=[payloads.text_channel(payloads.new_id(), guild_id=_OTHER_ID)])  # fmt: skip


def text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


@pytest.fixture
async def mod_bot(fake_discord, start_bot, store, tmp_path):
    """The bot with a home guild and an editor role, on its own copy of the data file."""
    fake_discord.guilds = [HOME, OTHER_GUILD]
    path = tmp_path / "runon.yaml"
    path.write_bytes(DATA_FILE.read_bytes())
    config = Config(data_dir=tmp_path, cooldown_seconds=0, home_guild_ids=(int(HOME["id"]),), editor_role_ids=(EDITOR_ROLE,))  # fmt: skip
    editor = await FactEditor.open(store, path)
    bot = RunOnBot(config=config, store=store, editor=editor)
    await start_bot(bot)
    return bot, fake_discord


@pytest.fixture
def mod(mod_bot):
    return Caller(mod_bot[1], payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "mod"), permissions=MANAGE))  # fmt: skip


@pytest.fixture
def role_editor(mod_bot):
    return Caller(mod_bot[1], payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "helper"), roles=[str(EDITOR_ROLE)]))  # fmt: skip


@pytest.fixture
def member(mod_bot):
    return Caller(mod_bot[1], payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "fan")))


@pytest.fixture
def other_admin(mod_bot):
    return Caller(mod_bot[1], payloads.in_guild(OTHER_GUILD, by=payloads.user(payloads.new_id(), "otheradmin"), permissions=MANAGE))  # fmt: skip


async def submit_form(fake, sent, values: dict, where) -> dict:
    """Submit the modal the bot opened for ``sent``; return the bot's answer."""
    cb = await sent.callback()
    assert cb.callback_type == 9, f"expected a form, got {cb.json}"
    done = await fake.interact(payloads.modal_submit(sent.modal, values, where=where))
    answer = await done.callback()
    return answer.json["data"]


async def ask_as_member(fake, question: str) -> str:
    """What an ordinary reader is told (the answer, not the echoed question)."""
    caller = Caller(fake, payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "reader")))
    _, cb = await caller("ask", {"question": question})
    return cb.json["data"]["embeds"][0].get("description", "")


async def test_editor_adds_edits_removes_and_reverts_and_readers_see_it_at_once(mod_bot, mod):
    bot, fake = mod_bot
    sent, _ = await mod("fact", {"topic": "profile"}, sub="add")
    values = {"about": "mi-joo", "text": "Mi-joo keeps a notebook of subtitle ideas.", "gate": "0", "sources": "blog-full", "reason": "test"}  # fmt: skip
    answer = await submit_form(fake, sent, values, mod.where)
    title = answer["embeds"][0]["title"]
    assert answer["flags"] & EPHEMERAL and title.startswith("Saved mi-joo.")
    fid = title.split()[1]
    assert fid == "mi-joo.keeps-notebook-subtitle"
    assert "keeps a notebook" in await ask_as_member(fake, "What is in Mi-joo's notebook?")

    sent, _ = await mod("fact", {"id": fid}, sub="edit")
    answer = await submit_form(fake, sent, {**values, "text": "Mi-joo keeps a notebook of film lines.", "reason": "wording"}, mod.where)  # fmt: skip
    assert "film lines" in text(answer)
    assert "film lines" in await ask_as_member(fake, "What is in Mi-joo's notebook?")

    _, cb = await mod("fact", {"id": fid, "reason": "not in any review"}, sub="remove")
    assert "Removed" in text(cb.json["data"])
    assert "notebook" not in await ask_as_member(fake, "What is in Mi-joo's notebook?")

    _, cb = await mod("fact", {"id": fid, "revision": 2}, sub="revert")
    assert "film lines" in text(cb.json["data"])
    assert "film lines" in await ask_as_member(fake, "What is in Mi-joo's notebook?")

    _, cb = await mod("fact", {"id": fid}, sub="history")
    history = text(cb.json["data"])
    assert all(
        word in history for word in ("added", "edited", "removed", "reverted", "mod", "wording")
    )


async def test_editor_role_in_home_guild_may_edit(mod_bot, role_editor):
    _, cb = await role_editor("fact", {"id": "mi-joo.job"}, sub="show")
    assert "freelancer" in text(cb.json["data"])


@pytest.mark.parametrize("who", ["member", "other_admin"])
async def test_non_editors_are_refused_on_every_command_and_nothing_changes(mod_bot, who, request, store):  # fmt: skip
    bot, fake = mod_bot
    caller = request.getfixturevalue(who)
    before = bot.editor.base
    for options, sub in (({"topic": "profile"}, "add"), ({"id": "mi-joo.job"}, "edit"), ({"id": "mi-joo.job", "reason": "x"}, "remove"),  # fmt: skip
                         ({"id": "mi-joo.job", "revision": 0}, "revert"), ({"id": "mi-joo.job"}, "show"), ({"id": "mi-joo.job"}, "history")):  # fmt: skip
        _, cb = await caller("fact", options, sub=sub)
        assert cb.callback_type == 4 and cb.json["data"]["flags"] & EPHEMERAL
        assert "Only the fact base's editors" in cb.json["data"]["content"], sub
    for sub in ("export", "reload", "gaps"):
        _, cb = await caller("factbase", sub=sub)
        assert "Only the fact base's editors" in cb.json["data"]["content"], sub
    assert bot.editor.base is before
    assert await store.current_changes() == {}
    assert len(await store.refusals()) == 9


async def test_a_form_submitted_by_a_non_editor_is_refused(mod_bot, mod, member, store):
    bot, fake = mod_bot
    sent, _ = await mod("fact", {"topic": "profile"}, sub="add")
    await sent.callback()
    values = {"about": "mi-joo", "text": "Forged.", "gate": "0", "sources": "blog-full"}
    done = await fake.interact(payloads.modal_submit(sent.modal, values, where=member.where))
    answer = await done.callback()
    assert "Only the fact base's editors" in answer.json["data"]["content"]
    assert await store.current_changes() == {}


async def test_a_bad_field_in_the_form_is_named_and_nothing_is_written(mod_bot, mod, store):
    _, fake = mod_bot
    sent, _ = await mod("fact", {"topic": "event"}, sub="add")
    answer = await submit_form(fake, sent, {"about": "mi-joo", "text": "Something.", "gate": "99", "sources": "blog-full"}, mod.where)  # fmt: skip
    assert "Not saved" in text(answer) and "Gate must be" in text(answer)
    assert await store.current_changes() == {}


async def test_dms_are_refused(mod_bot):
    _, fake = mod_bot
    dm = Caller(fake, payloads.in_dm(payloads.user(payloads.new_id(), "dmuser")))
    sent = await fake.interact(payloads.slash_command(fake.command("factbase"), {}, sub="export", where=dm.where))  # fmt: skip
    cb = await sent.callback()
    assert cb.json["data"]["flags"] & EPHEMERAL
    assert (
        "only works in a server" in cb.json["data"]["content"] or "DM" in cb.json["data"]["content"]
    )


async def import_file(fake, caller, name: str, data: bytes):
    attachment = fake.add_attachment(name, data)
    return await caller("factbase", {"file": attachment}, sub="import")


async def test_broken_import_reports_line_and_column_and_changes_nothing(mod_bot, mod, store):
    bot, fake = mod_bot
    broken = DATA_FILE.read_text(encoding="utf-8").replace("    gate: 0\n", "    gate: 77\n", 1)
    sent, _ = await import_file(fake, mod, "broken.yaml", broken.encode())
    message = (await sent.followup()).json
    assert "problem" in text(message)
    assert "broken.yaml:" in text(message) and "77" in text(message)
    assert await store.current_changes() == {}


async def test_import_confirm_by_same_editor_only(mod_bot, mod, role_editor, store):
    bot, fake = mod_bot
    edited = bot.editor.export().replace("Mi-joo is a freelancer", "Mi-joo is a night-owl freelancer", 1)  # fmt: skip
    sent, _ = await import_file(fake, mod, "edited.yaml", edited.encode())
    preview = await sent.followup()
    assert "1 changed" in text(preview.json)
    message = sent.followup_messages[0]
    # Another editor presses Apply: refused, nothing written.
    apply = payloads.custom_id(message, "import:apply")
    click = await fake.interact(payloads.component(message, apply, where=role_editor.where))
    refused = await click.callback()
    assert "Only the editor who started this import" in refused.json["data"]["content"]
    assert await store.current_changes() == {}
    # The same editor presses it: applied.
    click = await fake.interact(payloads.component(message, apply, where=mod.where))
    await click.callback()
    await click.original_edit()
    assert bot.editor.base.fact_by_id["mi-joo.job"].text.startswith("Mi-joo is a night-owl")


async def test_export_is_yaml_that_validates(mod_bot, mod):
    from bot.core.loader import parse_factbase

    _, fake = mod_bot
    _, cb = await mod("factbase", sub="export")
    (attachment,) = cb.attachments
    assert attachment.filename == "runon-factbase.yaml"
    base = parse_factbase(attachment.data, "export.yaml")
    assert len(base.facts) > 200


async def test_two_concurrent_edits_both_land_in_order(mod_bot, mod, store):
    bot, fake = mod_bot
    fid = "mi-joo.job"
    opened = []
    for _ in range(2):
        sent, _ = await mod("fact", {"id": fid}, sub="edit")
        await sent.callback()
        opened.append(sent)
    values = [{"text": f"Concurrent edit {i}.", "reason": f"r{i}", "about": "mi-joo", "gate": "0", "sources": "blog-full"} for i in (1, 2)]  # fmt: skip
    submits = await asyncio.gather(*(fake.interact(payloads.modal_submit(s.modal, v, where=mod.where)) for s, v in zip(opened, values, strict=True)))  # fmt: skip
    for s in submits:
        await s.callback()
    history = await store.history(fid)
    assert sorted(r.reason for r in history) == ["r1", "r2"]
    assert [r.revision for r in history] == [1, 2]
    assert history[1].before["text"] == history[0].after["text"]


async def test_settings_belong_to_each_guild(mod_bot, mod, member, other_admin, store):
    bot, fake = mod_bot
    channel = next(c for c in HOME["channels"] if c["type"] == 0)
    _, cb = await member("settings", {"channel": channel, "episode": 8}, sub="spoiler-channel")
    assert "Manage Server" in cb.json["data"]["content"]
    _, cb = await mod("settings", {"channel": channel, "episode": 8}, sub="spoiler-channel")
    assert "episode 8" in text(cb.json["data"])
    assert await store.spoiler_channels(int(HOME["id"])) == {int(channel["id"]): 8}
    # an admin of another guild cannot touch this guild's channel, even by forging its id
    _, cb = await other_admin("settings", {"channel": channel, "episode": 2}, sub="spoiler-channel")
    assert cb.json["data"]["flags"] & EPHEMERAL
    assert await store.spoiler_channels(int(HOME["id"])) == {int(channel["id"]): 8}
    assert await store.spoiler_channels(int(OTHER_GUILD["id"])) == {}


async def test_spoiler_channel_makes_seen_story_plain_there(mod_bot, mod):
    bot, fake = mod_bot
    channel = next(c for c in HOME["channels"] if c["type"] == 0)
    await mod("settings", {"channel": channel, "episode": 16}, sub="spoiler-channel")
    await mod("progress", {"episode": 16}, sub="set")
    _, cb = await mod("character", {"name": "Dan-ah"})
    assert "||" not in text(cb.json["data"]).replace("\\\\|", "")


async def test_unanswered_questions_are_logged_for_gaps(mod_bot, mod, member):
    _, fake = mod_bot
    for _ in range(2):
        await member("ask", {"question": "Who composed the soundtrack?"})
    # The question is counted after the answer is sent: wait for the second count.
    store = mod_bot[0].store
    async with asyncio.timeout(5):
        while not any(g.count == 2 for g in await store.gaps(20)):
            await asyncio.sleep(0.01)
    _, cb = await mod("factbase", sub="gaps")
    assert "2× Who composed the soundtrack?" in text(cb.json["data"])


async def test_fact_autocomplete_is_empty_for_non_editors(mod_bot, mod, member):
    _, fake = mod_bot
    for caller, expect_any in ((member, False), (mod, True)):
        sent = await fake.interact(payloads.autocomplete(fake.command("fact"), {"id": "job"}, sub="show", focused="id", where=caller.where))  # fmt: skip
        choices = (await sent.callback()).json["data"]["choices"]
        assert bool(choices) is expect_any


async def test_add_without_a_topic_opens_the_form_and_picks_one_from_it(mod_bot, mod):
    """/fact add as the table has it (no options): story is an event, the rest describes its subject."""
    bot, fake = mod_bot
    for gate, about, topic in (("13", "mi-joo", "event"), ("0", "mi-joo", "profile"), ("0", "series", "series")):  # fmt: skip
        sent, _ = await mod("fact", {}, sub="add")
        assert sent.modal is not None and sent.modal["title"] == "Add a fact"
        values = {"about": about, "text": f"A note gated {gate} about {about} for topics.", "gate": gate, "sources": "blog-full"}  # fmt: skip
        answer = await submit_form(fake, sent, values, mod.where)
        fid = answer["embeds"][0]["title"].split()[1]
        assert bot.editor.base.fact_by_id[fid].topic == topic

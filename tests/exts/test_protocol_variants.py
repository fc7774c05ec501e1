"""Payloads and protocol behaviour that Discord's documentation allows, through the fake.

An independent fake Discord (or Discord itself) may send what this project's own
fake builders never do: fields left out that the documentation marks optional or
recent, numbers where the bot expects ints, autocomplete for any option with any
text, buttons and forms whose state is gone, a callback answered 204, a 429, the
gateway asking to reconnect. Every interaction must still get one first answer in
time, privately when it is an error, and the connection must survive.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from typing import Any

import discord
import pytest

from bot.client import RunOnBot
from bot.config import Config
from bot.core.yamlsafe import MAX_BYTES
from bot.editing import FactEditor
from bot.exts import _respond
from bot.exts._pending import Pending
from bot.exts._wire import normalise_interaction, submitted_values
from tests.conftest import DATA_FILE
from tests.exts.conftest import Caller, with_config
from tests.exts.test_faults import SlowStore, everything_sent, leaf_commands, valid_options
from tests.fakediscord import Routes, payloads

EPHEMERAL = 64
MANAGE = discord.Permissions(manage_guild=True).value
UNCACHED_ROLE = payloads.new_id()  # an editor role the guild's GUILD_CREATE does not list
HOME = payloads.guild()
MOD = payloads.user(payloads.new_id(), "mod")
OTHER_MOD = payloads.user(payloads.new_id(), "othermod")
MODERATION = ("fact", "factbase", "settings")


@pytest.fixture
async def bot(fake_discord, start_bot, store, tmp_path):
    fake_discord.guilds = [HOME]
    path = tmp_path / "runon.yaml"
    path.write_bytes(DATA_FILE.read_bytes())
    config = Config(data_dir=tmp_path, cooldown_seconds=0, home_guild_ids=(int(HOME["id"]),), editor_role_ids=(int(UNCACHED_ROLE),))  # fmt: skip
    bot = RunOnBot(config=config, store=store, editor=await FactEditor.open(store, path))
    await start_bot(bot)
    return bot


@pytest.fixture
def fake(bot, fake_discord):
    return fake_discord


def mod_where(user=MOD):
    return payloads.in_guild(HOME, by=user, permissions=MANAGE)


def reader(name: str = "reader"):
    return payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), name))


def dm(name: str = "dmuser"):
    return payloads.in_dm(payloads.user(payloads.new_id(), name))


async def final(sent, *, timeout: float = 5.0) -> dict:
    """What the user ends up seeing: the callback's message, or what followed a defer."""
    cb = await sent.callback(timeout=timeout)
    assert cb.status < 400, f"first response refused: {cb} {cb.response}"
    kind = cb.callback_type
    if kind in (4, 7, 9):
        return cb.json["data"]
    if kind == 5:
        return (await sent.followup(timeout=timeout)).json
    if kind == 6:
        return (await sent.original_edit(timeout=timeout)).json
    if kind == 8:
        return cb.json["data"]
    raise AssertionError(f"unexpected callback type {kind}")


def text_of(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def is_private(message: dict) -> bool:
    return bool((message.get("flags") or 0) & EPHEMERAL)


def options_of(payload: dict) -> list[dict]:
    """The leaf options of a command payload (inside any subcommand)."""
    options = payload["data"].get("options", [])
    while options and options[0]["type"] in (1, 2):
        options = options[0].get("options", [])
    return options


def set_option(payload: dict, name: str, value: Any) -> dict:
    """Put a raw ``value`` in an option, past the builders' checks (as a forged client could)."""
    for option in options_of(payload):
        if option["name"] == name:
            option["value"] = value
            return payload
    raise KeyError(name)


async def still_serving(fake, bot) -> None:
    """The gateway connection is alive and a command is answered."""
    assert not bot.is_closed()
    sent = await fake.interact(payloads.slash_command(fake.command("help"), {}, where=reader()))
    assert (await sent.callback()).callback_type == 4


# --- payload shapes: every documented variant is answered, the connection survives ------
def _drop(*path: str):
    def change(p: dict) -> None:
        node = p
        for key in path[:-1]:
            node = node[key]
        node.pop(path[-1], None)

    return change


def _set(value: Any, *path: str):
    def change(p: dict) -> None:
        node = p
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _minimal_member(p: dict) -> None:
    user = p["member"]["user"]
    p["member"] = {"user": {"id": user["id"], "username": user["username"]}, "roles": [], "joined_at": None, "deaf": False, "mute": False}  # fmt: skip


def _user_instead_of_member(p: dict) -> None:
    p["user"] = p.pop("member")["user"]


def _only_channel_id(p: dict) -> None:
    del p["channel"]


VARIANTS = {
    "member without flags": _drop("member", "flags"),
    "member without roles": _drop("member", "roles"),
    "member without permissions": _drop("member", "permissions"),
    "minimal member and user": _minimal_member,
    "user without discriminator or avatar": lambda p: [
        p["member"]["user"].pop(k) for k in ("discriminator", "avatar", "global_name")
    ],  # fmt: skip
    "guild interaction with user, no member": _user_instead_of_member,
    "no attachment_size_limit": _drop("attachment_size_limit"),
    "no version": _drop("version"),
    "only the deprecated channel_id": _only_channel_id,
    "no channel at all": lambda p: [p.pop("channel"), p.pop("channel_id")],
    "no partial guild": _drop("guild"),
    "no app_permissions, locale, guild_locale": lambda p: [
        p.pop(k) for k in ("app_permissions", "locale", "guild_locale")
    ],  # fmt: skip
    "context and owners null": lambda p: p.update(
        context=None, authorizing_integration_owners=None
    ),  # fmt: skip
    "a partial entitlement": _set([{"id": "1", "sku_id": "2"}], "entitlements"),
    "unknown locale and extra fields": lambda p: p.update(
        locale="xx-YY", guild_locale="zz", new_field={"a": 1}, app_permissions="0"
    ),  # fmt: skip
    "user-install context": lambda p: p.update(
        context=2, authorizing_integration_owners={"1": p["member"]["user"]["id"]}
    ),  # fmt: skip
}


@pytest.mark.parametrize("variant", VARIANTS)
async def test_documented_payload_variants_are_answered(bot, fake, variant):
    payload = payloads.slash_command(fake.command("cast"), {}, where=reader())
    VARIANTS[variant](payload)
    message = await final(await fake.interact(payload))
    assert message.get("embeds") and "went wrong" not in text_of(message), message
    await still_serving(fake, bot)


@pytest.mark.parametrize("variant", ["member without flags", "minimal member and user", "guild interaction with user, no member"])  # fmt: skip
async def test_variants_of_a_moderators_payload_keep_the_permission_check(bot, fake, variant):
    payload = payloads.slash_command(fake.command("fact"), {"id": "mi-joo.job"}, sub="show", where=mod_where())  # fmt: skip
    VARIANTS[variant](payload)
    message = await final(await fake.interact(payload))
    assert is_private(message) and "went wrong" not in text_of(message)
    # Manage Server came with the member's permissions; without them it is a refusal.
    has_permissions = "permissions" in (payload.get("member") or {})
    assert ("freelancer" in text_of(message)) is has_permissions, message


async def test_an_editor_role_the_guild_cache_does_not_know_still_counts(bot, fake):
    where = payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "helper"), roles=[UNCACHED_ROLE])  # fmt: skip
    message = await final(await fake.interact(payloads.slash_command(fake.command("fact"), {"id": "mi-joo.job"}, sub="show", where=where)))  # fmt: skip
    assert "freelancer" in text_of(message)


async def test_an_interaction_discordpy_cannot_read_is_answered_and_the_bot_lives(bot, fake, caplog):  # fmt: skip
    payload = payloads.slash_command(fake.command("cast"), {}, where=reader())
    payload["member"]["user"]["id"] = "not-a-snowflake"
    with caplog.at_level(logging.ERROR):
        message = await final(await fake.interact(payload))
    assert is_private(message) and "couldn't read" in message["content"]
    assert any("could not read interaction" in r.getMessage() for r in caplog.records)
    await still_serving(fake, bot)


async def test_an_unreadable_gateway_event_is_skipped(bot, fake, caplog):
    with caplog.at_level(logging.ERROR):
        await fake.dispatch_event("CHANNEL_CREATE", {"id": payloads.new_id(), "guild_id": HOME["id"]}, guild_id=HOME["id"])  # fmt: skip
        await fake.dispatch_event("GUILD_ROLE_CREATE", {"guild_id": HOME["id"], "role": {}}, guild_id=HOME["id"])  # fmt: skip
        await still_serving(fake, bot)
    assert sum("could not read the gateway event" in r.getMessage() for r in caplog.records) == 2


def test_normalise_fills_in_without_overwriting():
    payload = payloads.slash_command({"id": "1", "name": "x", "application_id": "2", "type": 1}, {}, where=reader())  # fmt: skip
    del payload["member"]["flags"], payload["attachment_size_limit"]
    payload["member"]["roles"] = ["5"]
    out = normalise_interaction(copy.deepcopy(payload))
    assert out["member"]["flags"] == 0 and out["member"]["roles"] == ["5"]
    assert out["attachment_size_limit"] == 10 * 1024 * 1024
    assert out["member"]["user"] == payload["member"]["user"]


# --- every member command from a DM; moderation refused there -------------------------
async def test_every_command_from_a_dm_gets_a_private_or_public_answer(bot, fake):
    problems = []
    for name, sub, options in leaf_commands(fake):
        sent = await fake.interact(payloads.slash_command(fake.command(name), valid_options(fake, options), sub=sub, where=dm()))  # fmt: skip
        message = await final(sent)
        if "went wrong" in text_of(message):
            problems.append(f"/{name} {sub or ''}: {message}")
        elif name in MODERATION and not (is_private(message) and ("server" in text_of(message) or "value" in text_of(message))):  # fmt: skip
            problems.append(f"/{name} {sub or ''} in a DM was not refused: {message}")
    assert not problems, "\n".join(problems)


# --- option values: numbers as JSON has them, ranges checked again, options absent ------
@pytest.mark.parametrize("value", [8, 8.0])
async def test_integer_options_as_json_numbers(bot, fake, value):
    payload = set_option(payloads.slash_command(fake.command("episode"), {"number": 8}, where=reader()), "number", value)  # fmt: skip
    message = await final(await fake.interact(payload))
    assert "Episode 8" in text_of(message) and "went wrong" not in text_of(message)


@pytest.mark.parametrize(
    ("command", "sub", "option", "base", "bad"),
    [
        ("episode", None, "number", {"number": 1}, 17),
        ("episode", None, "number", {"number": 1}, 0),
        ("episode", None, "number", {"number": 1}, 8.5),
        ("episode", None, "number", {"number": 1}, "eight"),
        ("recap", None, "up_to", {"up_to": 1}, 99),
        ("progress", "set", "episode", {"episode": 1}, -1),
        ("progress", "set", "episode", {"episode": 1}, True),
        ("fact", "revert", "revision", {"id": "mi-joo.job", "revision": 0}, -3),
    ],
)
async def test_out_of_range_numbers_are_refused_privately(bot, fake, store, command, sub, option, base, bad):  # fmt: skip
    payload = set_option(payloads.slash_command(fake.command(command), base, sub=sub, where=mod_where()), option, bad)  # fmt: skip
    message = await final(await fake.interact(payload))
    assert is_private(message) and "must be a whole number" in message["content"], message
    assert await store.get_progress(int(MOD["id"])) == 0


async def test_optional_options_absent_and_strings_as_numbers(bot, fake):
    for name, values in (("plot", {}), ("recap", {}), ("character", {"name": "Mi-joo"}), ("episodes", {})):  # fmt: skip
        message = await final(await fake.interact(payloads.slash_command(fake.command(name), values, where=reader())))  # fmt: skip
        assert "went wrong" not in text_of(message) and message.get("embeds"), name
    payload = set_option(payloads.slash_command(fake.command("ask"), {"question": "x"}, where=reader()), "question", 12)  # fmt: skip
    assert "went wrong" not in text_of(await final(await fake.interact(payload)))


async def test_a_required_option_missing_is_a_private_message(bot, fake):
    payload = payloads.slash_command(fake.command("character"), {"name": "Mi-joo"}, where=reader())
    payload["data"].pop("options")
    message = await final(await fake.interact(payload))
    assert is_private(message) and "command has changed" in message["content"]


# --- autocomplete: any option, any text, always an answer, never an error --------------
TYPED = ["", "m", "Mi", "mi-j", "ZZZZ", "💥" * 60, "\u202e\u200b\u0301", "x" * 6000, "' OR 1=1 --", "%00"]  # fmt: skip


def autocomplete_options(fake) -> list[tuple[str, str | None, str]]:
    out = []
    for name, sub, options in leaf_commands(fake):
        out += [(name, sub, o["name"]) for o in options if o.get("autocomplete")]
    return out


async def test_every_autocomplete_option_answers_any_text_in_time(bot, fake):
    found = autocomplete_options(fake)
    assert {(n, o) for n, _, o in found} >= {("character", "name"), ("plot", "character"), ("fact", "id"), ("factbase", "dismiss")}  # fmt: skip
    problems = []
    for (name, sub, option), typed, where in ((f, t, w) for f in found for t in TYPED for w in (mod_where(), reader(), dm())):  # fmt: skip
        sent = await fake.interact(payloads.autocomplete(fake.command(name), {option: typed}, focused=option, sub=sub, where=where))  # fmt: skip
        cb = await sent.callback()
        choices = (cb.json.get("data") or {}).get("choices")
        if cb.status >= 400 or cb.callback_type != 8 or choices is None or len(choices) > 25 or sent.latency > 3:  # fmt: skip
            problems.append(f"/{name} {sub or ''} {option}={typed[:20]!r}: {cb} {cb.json}")
    assert not problems, "\n".join(problems[:10])


async def test_autocomplete_with_other_options_half_typed(bot, fake):
    payload = payloads.autocomplete(fake.command("fact"), {"id": "mi", "revision": 0}, focused="id", sub="revert", where=mod_where())  # fmt: skip
    set_option(payload, "revision", "1x")  # Discord sends what is typed so far
    cb = await (await fake.interact(payload)).callback()
    assert cb.callback_type == 8 and cb.json["data"]["choices"]


async def test_autocomplete_focused_on_an_option_without_it_gets_no_suggestions(bot, fake):
    payload = payloads.slash_command(fake.command("episode"), {"number": 3}, where=reader())
    payload["type"] = 4
    payload["data"]["options"][0].update(value="3", focused=True)
    cb = await (await fake.interact(payload)).callback()
    assert cb.callback_type == 8 and cb.json["data"]["choices"] == []


async def test_autocomplete_for_an_unknown_command_gets_no_suggestions(bot, fake):
    command = {**fake.command("character"), "name": "no-such-command", "id": payloads.new_id()}
    cb = await (await fake.interact(payloads.autocomplete(command, {"name": "mi"}, focused="name", where=reader()))).callback()  # fmt: skip
    assert cb.callback_type == 8 and cb.json["data"]["choices"] == []


class FailingStore:
    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        if name in ("get_progress", "gaps"):

            async def broken(*args, **kwargs):
                raise RuntimeError("database is locked")

            return broken
        return getattr(self._store, name)


async def test_autocomplete_with_a_failing_store_answers_without_it(bot, fake):
    bot.store = FailingStore(bot.store)
    names = await fake.interact(payloads.autocomplete(fake.command("character"), {"name": "mi"}, focused="name", where=reader()))  # fmt: skip
    gaps = await fake.interact(payloads.autocomplete(fake.command("factbase"), {"dismiss": "who"}, focused="dismiss", sub="gaps", where=mod_where()))  # fmt: skip
    assert (await names.callback()).json["data"]["choices"]  # the premise's names
    assert (await gaps.callback()).json["data"]["choices"] == []


async def test_autocomplete_is_never_cooled_down(bot, fake):
    with_config(bot, cooldown_seconds=60, cooldown_burst=1)
    where = reader("typist")
    for typed in ("m", "mi", "mi-", "mi-j", "mi-jo"):
        cb = await (await fake.interact(payloads.autocomplete(fake.command("character"), {"name": typed}, focused="name", where=where))).callback()  # fmt: skip
        assert cb.callback_type == 8 and cb.json["data"]["choices"], typed


async def test_autocomplete_over_budget_is_no_suggestions(bot, fake, monkeypatch):
    monkeypatch.setattr(_respond, "AUTOCOMPLETE_BUDGET_SECONDS", 0.05)
    bot.store = SlowStore(bot.store, 0.5)
    sent = await fake.interact(payloads.autocomplete(fake.command("factbase"), {"dismiss": "x"}, focused="dismiss", sub="gaps", where=mod_where()))  # fmt: skip
    cb = await sent.callback()
    assert cb.json["data"]["choices"] == [] and sent.latency < 0.4


# --- buttons: the import's Apply / Cancel, and clicks whose state is gone ----------------
async def start_import(fake, bot, where, old: str, new: str) -> dict:
    """Start an import that changes ``old`` to ``new``; the message with its buttons."""
    edited = bot.editor.export().replace(old, new, 1)
    attachment = fake.add_attachment("edited.yaml", edited.encode())
    sent = await fake.interact(payloads.slash_command(fake.command("factbase"), {"file": attachment}, sub="import", where=where))  # fmt: skip
    preview = await final(sent)
    assert "changed" in text_of(preview), preview
    return sent.followup_messages[0]


def bot_message(*custom_ids: str) -> dict:
    """A message of the bot's with buttons (as a client might hold on to one)."""
    row = {"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": c} for c in custom_ids]}  # fmt: skip
    return {"id": payloads.new_id(), "type": 0, "content": "", "channel_id": HOME["channels"][0]["id"], "author": payloads.bot_user(), "components": [row], "embeds": [], "attachments": [], "flags": EPHEMERAL}  # fmt: skip


FORGED_IDS = ["garbage", "import", "import:apply", "import:apply:deadbeefdeadbeef", "import:bogus:1", "fact-form:x", ":", "x" * 100]  # fmt: skip


async def test_forged_and_stale_buttons_get_a_private_answer(bot, fake, store):
    message = bot_message(*FORGED_IDS[:5])
    for custom_id in FORGED_IDS:
        msg = message if custom_id in FORGED_IDS[:5] else bot_message(custom_id)
        sent = await fake.interact(payloads.component(msg, custom_id, where=mod_where()))
        answer = await final(sent)
        assert sent.latency < 3 and is_private(answer), custom_id
        assert "no longer" in text_of(answer) and "went wrong" not in text_of(answer), answer
    assert await store.current_changes() == {}


async def test_apply_defers_first_then_applies_and_the_buttons_go(bot, fake, monkeypatch):
    fake.interaction_window = 0.5
    real = bot.editor.apply_import

    async def slow_apply(*args, **kwargs):
        await asyncio.sleep(0.8)  # longer than the (scaled) window
        return await real(*args, **kwargs)

    monkeypatch.setattr(bot.editor, "apply_import", slow_apply)
    message = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a careful freelancer")  # fmt: skip
    click = await fake.interact(payloads.component(message, payloads.custom_id(message, "import:apply"), where=mod_where()))  # fmt: skip
    cb = await click.callback()
    assert cb.callback_type == 6 and click.latency < 0.5
    edit = await click.original_edit(timeout=5)
    assert "Import applied" in text_of(edit.json) and edit.json["components"] == []
    assert click.original_message["components"] == []
    assert "careful freelancer" in bot.editor.base.fact_by_id["mi-joo.job"].text


async def test_apply_refuses_others_and_counts_a_double_click_once(bot, fake, store):
    message = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a tired freelancer")  # fmt: skip
    apply = payloads.custom_id(message, "import:apply")
    for where, expected in ((reader(), "Only the fact base's editors"), (mod_where(OTHER_MOD), "Only the editor who started")):  # fmt: skip
        answer = await final(await fake.interact(payloads.component(message, apply, where=where)))
        assert is_private(answer) and expected in answer["content"]
    assert await store.current_changes() == {}
    first, second = [await fake.interact(payloads.component(message, apply, where=mod_where())) for _ in range(2)]  # fmt: skip
    answers = sorted([text_of(await final(first)), text_of(await final(second))])
    assert sum("Import applied" in a for a in answers) == 1
    assert sum("no longer waiting" in a for a in answers) == 1
    assert len(await store.history("mi-joo.job")) == 1


async def test_two_waiting_imports_are_never_mixed_up(bot, fake):
    first = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a first freelancer")  # fmt: skip
    second = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a second freelancer")  # fmt: skip
    assert payloads.custom_id(first, "import:apply") != payloads.custom_id(second, "import:apply")
    await final(await fake.interact(payloads.component(first, payloads.custom_id(first, "import:apply"), where=mod_where())))  # fmt: skip
    assert "first freelancer" in bot.editor.base.fact_by_id["mi-joo.job"].text
    cancel = await fake.interact(payloads.component(second, payloads.custom_id(second, "import:cancel"), where=mod_where()))  # fmt: skip
    assert (await cancel.callback()).callback_type == 7
    assert "Import cancelled" in text_of(await final(cancel))
    assert "first freelancer" in bot.editor.base.fact_by_id["mi-joo.job"].text


async def test_a_click_without_its_message_still_works(bot, fake):
    message = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a lone freelancer")  # fmt: skip
    payload = payloads.component(message, payloads.custom_id(message, "import:apply"), where=mod_where())  # fmt: skip
    del payload["message"]
    sent = await fake.interact(payload)
    assert (await sent.callback()).callback_type == 5
    assert "Import applied" in text_of(await final(sent))


def test_pending_entries_expire_are_bounded_and_taken_once(monkeypatch):
    pending: Pending[str] = Pending(ttl=10, limit=2)
    a, b, c = (pending.put(1, v) for v in "abc")
    assert pending.peek(a) is None and pending.peek(b) == (1, "b")  # the oldest went
    assert pending.take(c) == "c" and pending.take(c) is None
    clock = [1000.0]
    monkeypatch.setattr("bot.exts._pending.time.monotonic", lambda: clock[0])
    d = pending.put(1, "d")
    clock[0] += 11
    assert pending.peek(d) is None


# --- forms -------------------------------------------------------------------------------
FORM_VALUES = {"about": "mi-joo", "text": "Mi-joo keeps a film diary.", "gate": "0", "sources": "blog-full", "reason": "test"}  # fmt: skip


async def open_form(fake, where) -> dict:
    sent = await fake.interact(payloads.slash_command(fake.command("fact"), {"topic": "profile"}, sub="add", where=where))  # fmt: skip
    assert (await sent.callback()).callback_type == 9
    return sent.modal


def as_labels(modal: dict) -> dict:
    """The same modal in the Label layout (type 18), as newer clients submit it."""
    inputs = [c for c in payloads.walk_components(modal["components"]) if c["type"] == 4]
    return {**modal, "components": [{"type": 18, "label": i.get("label", "x"), "component": i} for i in inputs]}  # fmt: skip


async def test_a_form_submitted_in_the_label_layout(bot, fake):
    modal = as_labels(await open_form(fake, mod_where()))
    answer = await final(await fake.interact(payloads.modal_submit(modal, FORM_VALUES, where=mod_where())))  # fmt: skip
    assert "Saved" in text_of(answer) and "film diary" in text_of(answer)


async def test_forms_forged_stale_twice_or_by_someone_else(bot, fake, store):
    modal = await open_form(fake, mod_where())
    # Another editor, and a non-editor, submit the moderator's form: refused.
    for where, expected in ((mod_where(OTHER_MOD), "opened by someone else"), (reader(), "Only the fact base's editors")):  # fmt: skip
        answer = await final(await fake.interact(payloads.modal_submit(modal, FORM_VALUES, where=where)))  # fmt: skip
        assert is_private(answer) and expected in text_of(answer)
    assert await store.current_changes() == {}
    # A forged custom_id: not saved, and what was typed is handed back.
    forged = {**modal, "custom_id": "fact-form:forged"}
    answer = await final(await fake.interact(payloads.modal_submit(forged, FORM_VALUES, where=mod_where())))  # fmt: skip
    assert is_private(answer) and "no longer open" in text_of(answer) and "film diary" in text_of(answer)  # fmt: skip
    # The owner submits it; the same submission again is refused, nothing saved twice.
    answer = await final(await fake.interact(payloads.modal_submit(modal, FORM_VALUES, where=mod_where())))  # fmt: skip
    assert "Saved" in text_of(answer)
    again = await final(await fake.interact(payloads.modal_submit(modal, FORM_VALUES, where=mod_where())))  # fmt: skip
    assert "no longer open" in text_of(again)
    assert len(await store.current_changes()) == 1
    # A submission of a form that is not this bot's at all.
    strange = {**modal, "custom_id": "somebody-elses-modal"}
    answer = await final(await fake.interact(payloads.modal_submit(strange, FORM_VALUES, where=mod_where())))  # fmt: skip
    assert is_private(answer) and "no longer active" in text_of(answer)


async def test_a_form_submitted_with_inputs_missing_is_not_saved(bot, fake, store):
    payload = payloads.modal_submit(await open_form(fake, mod_where()), FORM_VALUES, where=mod_where())  # fmt: skip
    payload["data"]["components"] = [{"type": 1, "components": [{"type": 4, "custom_id": "text", "value": "Only text."}]}]  # fmt: skip
    answer = await final(await fake.interact(payload))
    assert is_private(answer) and "Not saved" in text_of(answer) and "went wrong" not in text_of(answer)  # fmt: skip
    assert await store.current_changes() == {}


def test_submitted_values_reads_rows_and_labels():
    data = {"components": [{"type": 1, "components": [{"type": 4, "custom_id": "a", "value": "1"}]},
                           {"type": 18, "component": {"type": 4, "custom_id": "b", "value": "2"}},
                           {"type": 18, "component": {"type": 4, "custom_id": "c", "value": None}}, "junk"]}  # fmt: skip
    assert submitted_values(data) == {"a": "1", "b": "2", "c": ""}
    assert submitted_values(None) == {} and submitted_values({"components": "x"}) == {}


# --- attachments --------------------------------------------------------------------------
async def validate(fake, attachment) -> dict:
    sent = await fake.interact(payloads.slash_command(fake.command("factbase"), {"file": attachment}, sub="validate", where=mod_where()))  # fmt: skip
    return await final(sent)


async def test_attachments_oversized_non_yaml_missing_url_or_gone(bot, fake):
    hosted = fake.add_attachment("base.yaml", b"schema: 1\n")
    cases = {
        "limit": payloads.attachment("big.yaml", size=MAX_BYTES + 1, url=hosted["url"]),
        "problem": fake.add_attachment(
            "pic.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, content_type="image/png"
        ),  # fmt: skip
        "problem ": fake.add_attachment("bad.yaml", b"\xff\xfe\x00not utf-8 \xc3\x28"),
        "no address": {k: v for k, v in hosted.items() if k not in ("url", "proxy_url")},
        "couldn't download": payloads.attachment(
            "gone.yaml", size=10, url=f"{fake.http_base}/attachments/1/2/gone.yaml"
        ),  # fmt: skip
    }
    for expected, attachment in cases.items():
        answer = await validate(fake, {**attachment, "id": payloads.new_id()})
        assert is_private(answer) and "went wrong" not in text_of(answer), answer
        assert expected.strip() in text_of(answer), (expected, answer)


async def test_an_attachment_missing_from_resolved(bot, fake):
    payload = payloads.slash_command(fake.command("factbase"), {"file": fake.add_attachment("a.yaml", b"x: 1\n")}, sub="import", where=mod_where())  # fmt: skip
    payload["data"].pop("resolved")
    answer = await final(await fake.interact(payload))
    assert is_private(answer) and "needs a file" in text_of(answer)


# --- the gateway: reconnects, invalid sessions, READY without guilds, guilds joining ------
async def test_reconnect_and_invalid_sessions_mid_session(bot, fake):
    syncs = len(fake.syncs)
    await fake.request_reconnect()
    await fake.wait_for_resume(count=1)
    await still_serving(fake, bot)
    await fake.invalidate_sessions(resumable=True)
    await fake.wait_for_resume(count=2)
    await still_serving(fake, bot)
    await fake.invalidate_sessions(resumable=False)
    await fake.wait_for_ready(count=2, timeout=10)  # discord.py waits 5 s before a new IDENTIFY
    await bot.wait_until_ready()
    await still_serving(fake, bot)
    assert len(fake.syncs) == syncs, "commands must not be synced again on a new session"


async def test_an_interaction_sent_while_disconnected_is_answered_after_the_resume(bot, fake):
    await fake.disconnect(4000)
    sent = await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=reader()))
    await fake.wait_for_resume(count=1)
    assert (await sent.callback()).callback_type == 4


async def test_ready_with_no_guilds_then_a_guild_joins(fake_discord, start_bot, store, tmp_path):
    fake = fake_discord
    fake.guilds = []
    bot = RunOnBot(config=Config(data_dir=tmp_path, cooldown_seconds=0), store=store, editor=await FactEditor.open(store, DATA_FILE))  # fmt: skip
    await start_bot(bot)
    assert list(bot.guilds) == []
    # A guild the bot never got GUILD_CREATE for (it only knows it from the interaction).
    unknown = payloads.in_guild(by=MOD, permissions=MANAGE)
    assert "embeds" in await final(await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=unknown)))  # fmt: skip
    shown = await final(await fake.interact(payloads.slash_command(fake.command("settings"), {}, sub="show", where=unknown)))  # fmt: skip
    assert "No spoiler channels" in text_of(shown)
    new_id = payloads.new_id()
    channel = payloads.text_channel(payloads.new_id(), guild_id=new_id, name="spoilers")
    new = payloads.guild(new_id, name="New server", channels=[channel])
    await fake.join_guild(new)
    async with asyncio.timeout(5):
        while bot.get_guild(int(new_id)) is None:
            await asyncio.sleep(0.01)
    where = payloads.in_guild(new, by=MOD, permissions=MANAGE)
    saved = await final(await fake.interact(payloads.slash_command(fake.command("settings"), {"channel": channel, "episode": 4}, sub="spoiler-channel", where=where)))  # fmt: skip
    assert "episode 4" in text_of(saved)
    assert await store.spoiler_channels(int(new_id)) == {int(channel["id"]): 4}


@pytest.mark.parametrize("answer", [(403, {"message": "Missing Access", "code": 50001}), (200, [{"id": "1"}])])  # fmt: skip
async def test_a_failed_command_sync_at_start_does_not_stop_the_bot(fake_discord, start_bot, store, tmp_path, caplog, answer):  # fmt: skip
    fake = fake_discord
    fake.guilds = [HOME]
    fake.fail_next(Routes.PUT_GLOBAL_COMMANDS, *answer)
    config = Config(data_dir=tmp_path, cooldown_seconds=0)
    with caplog.at_level(logging.ERROR):
        bot = await start_bot(RunOnBot(config=config, store=store, editor=await FactEditor.open(store, DATA_FILE)))  # fmt: skip
    assert any("could not sync commands" in r.getMessage() for r in caplog.records)
    assert await store.get_meta("commands_hash:global") is None  # tried again next start
    dm_user = payloads.in_dm()
    fake._commands[None] = [{"id": payloads.new_id(), "application_id": fake.application_id, "type": 1, "name": "cast", "description": "x"}]  # fmt: skip
    sent = await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=dm_user))
    assert (await sent.callback()).callback_type == 4
    assert not bot.is_closed()


# --- HTTP: 429s, 204s and message bodies ------------------------------------------------
async def test_a_429_on_the_callback_is_waited_out_once(bot, fake):
    fake.rate_limit_next(Routes.INTERACTION_CALLBACK, retry_after=0.2)
    sent = await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=reader()))
    cb = await sent.callback(1)
    assert cb.callback_type == 4 and cb.status < 400
    assert [r.status for r in sent.requests][0] == 429 and len(sent.requests) == 2


async def test_a_429_past_the_window_is_not_retried_again(bot, fake, caplog):
    fake.interaction_window = 0.3
    fake.rate_limit_next(Routes.INTERACTION_CALLBACK, retry_after=0.5)
    with caplog.at_level(logging.WARNING):
        sent = await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=reader()))  # fmt: skip
        await sent.callback(1)
        await asyncio.sleep(0.5)
    assert [r.error_code for r in sent.requests] == [None, 10062]
    assert any("could not be answered" in r.getMessage() for r in caplog.records)


async def test_a_429_discordpy_does_not_wait_out_is_not_retried(bot, fake):
    body = {"message": "You are being rate limited.", "retry_after": 1, "global": False}
    fake.fail_next(
        Routes.INTERACTION_CALLBACK, 429, body, headers={"Via": ""}
    )  # no Via: discord.py raises
    sent = await fake.interact(payloads.slash_command(fake.command("cast"), {}, where=reader()))
    await sent.callback()
    await asyncio.sleep(0.3)
    assert len(sent.requests) == 1


async def test_callbacks_answered_204_and_followups_with_a_message(bot, fake, monkeypatch):
    """discord.py asks for the callback's JSON; a 204 still means the callback was made."""
    fake.callbacks_return_no_content = True
    fake.followups_return_message = True
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.05)
    mod = Caller(fake, mod_where())
    # An immediate answer, an autocomplete, a refusal, a cooldown message.
    assert "embeds" in await final((await mod("cast"))[0])
    sent = await fake.interact(payloads.autocomplete(fake.command("character"), {"name": "mi"}, focused="name", where=reader()))  # fmt: skip
    assert (await sent.callback()).json["data"]["choices"]
    assert "Only the fact base" in text_of(await final((await Caller(fake, reader())("factbase", sub="export"))[0]))  # fmt: skip
    # A deferred answer (a slow store), then a form opened and submitted.
    bot.store = bot.editor.store = SlowStore(bot.store, 0.2)
    assert "embeds" in await final((await mod("show"))[0])
    modal = await open_form(fake, mod_where())
    assert "Saved" in text_of(await final(await fake.interact(payloads.modal_submit(modal, FORM_VALUES, where=mod_where()))))  # fmt: skip
    bot.store = bot.editor.store = bot.store._store
    # Buttons: cancel (an update) and apply (a deferred update, then an edit).
    message = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a quiet freelancer")  # fmt: skip
    assert "Import cancelled" in text_of(await final(await fake.interact(payloads.component(message, payloads.custom_id(message, "import:cancel"), where=mod_where()))))  # fmt: skip
    message = await start_import(fake, bot, mod_where(), "Mi-joo is a freelancer", "Mi-joo is a quiet freelancer")  # fmt: skip
    assert "Import applied" in text_of(await final(await fake.interact(payloads.component(message, payloads.custom_id(message, "import:apply"), where=mod_where()))))  # fmt: skip
    sent_bodies = text_of(everything_sent(fake))
    assert "went wrong" not in sent_bodies
    assert not [r for r in fake.refused_requests if not r.injected], [str(r) for r in fake.refused_requests]  # fmt: skip

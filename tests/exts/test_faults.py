"""Faults and abuse through the fake Discord: dead tokens, refused sends, a slow
store, forged autocomplete values, floods; every command, not just one.

Discord's 3-second window is scaled down here (the fake's ``interaction_window``
and the bot's ``DEFER_AFTER_SECONDS``) so a slow store costs a second, not ten.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import itertools
import logging
import re

import discord
import pytest

from bot.client import RunOnBot
from bot.config import Config
from bot.core.names import MAX_NAME
from bot.core.questions import MAX_QUESTION
from bot.editing import MAX_REASON, FactEditor
from bot.exts import _respond
from bot.exts.facts_admin import FactForm
from tests.conftest import DATA_FILE
from tests.exts.conftest import Caller, with_config
from tests.fakediscord import Routes, payloads
from tests.fakediscord.server import ALREADY_ACKNOWLEDGED, MISSING_ACCESS, UNKNOWN_WEBHOOK

EPHEMERAL = 64
MANAGE = discord.Permissions(manage_guild=True).value
HOME = payloads.guild()
MOD = payloads.user(payloads.new_id(), "mod")


@pytest.fixture
async def bot(fake_discord, start_bot, store, tmp_path):
    """The bot with a home guild where MOD manages the server (an editor and a manager)."""
    fake_discord.guilds = [HOME]
    path = tmp_path / "runon.yaml"
    path.write_bytes(DATA_FILE.read_bytes())
    config = Config(data_dir=tmp_path, cooldown_seconds=0, home_guild_ids=(int(HOME["id"]),))
    bot = RunOnBot(config=config, store=store, editor=await FactEditor.open(store, path))
    await start_bot(bot)
    return bot


@pytest.fixture
def fake(bot, fake_discord):
    return fake_discord


def mod_where(user=MOD):
    """Where a moderator acts: the home guild, with Manage Server (an editor and a manager)."""
    return payloads.in_guild(HOME, by=user, permissions=MANAGE)


def someone():
    return payloads.in_guild(HOME, by=payloads.user(payloads.new_id(), "someone"))


def leaf_commands(fake) -> list[tuple[str, str | None, list[dict]]]:
    """Every slash command and subcommand the bot registered: (name, sub, options)."""
    out = []
    for command in fake.commands():
        subs = [o for o in command.get("options", []) if o["type"] in (1, 2)]
        if not subs:
            out.append((command["name"], None, command.get("options", [])))
        for sub in subs:
            if sub["type"] == 1:
                out.append((command["name"], sub["name"], sub.get("options", [])))
            else:
                out += [(command["name"], f"{sub['name']} {s['name']}", s.get("options", [])) for s in sub["options"]]  # fmt: skip
    return sorted(out, key=lambda c: (c[0], c[1] or ""))


def valid_options(fake, options: list[dict]) -> dict:
    """A value for each required option, as a user would pick it."""
    out: dict = {}
    for o in options:
        if not o.get("required"):
            continue
        if o.get("choices"):
            out[o["name"]] = o["choices"][0]["value"]
        elif o["type"] == 3:
            out[o["name"]] = "mi-joo.job" if o["name"] == "id" else "x"
        elif o["type"] == 4:
            out[o["name"]] = max(o.get("min_value", 1), 1)
        elif o["type"] == 5:
            out[o["name"]] = False
        elif o["type"] == 7:
            out[o["name"]] = next(c for c in HOME["channels"] if c["type"] == 0)
        elif o["type"] == 11:
            out[o["name"]] = fake.add_attachment("f.yaml", b"schema: 1\n")
        else:
            raise AssertionError(f"no sample value for option type {o['type']}")
    return out


def everything_sent(fake) -> list[dict]:
    """Every message body the bot sent (callbacks with data, followups, edits)."""
    bodies = []
    for r in fake.requests:
        if r.route is Routes.INTERACTION_CALLBACK and isinstance(r.json, dict) and r.json.get("type") in (4, 7):  # fmt: skip
            bodies.append(r.json.get("data") or {})
        elif r.route in (Routes.CREATE_FOLLOWUP, Routes.EDIT_ORIGINAL, Routes.EDIT_FOLLOWUP) and isinstance(r.json, dict):  # fmt: skip
            bodies.append(r.json)
    return bodies


# --- tokens that are dead or spent ------------------------------------------------------
async def test_already_acknowledged_is_logged_not_retried(bot, fake, caplog):
    fake.fail_next(Routes.INTERACTION_CALLBACK, 400, ALREADY_ACKNOWLEDGED)
    with caplog.at_level(logging.WARNING):
        sent = await fake.interact(
            payloads.slash_command(fake.command("cast"), {}, where=someone())
        )
        cb = await sent.callback()
        await asyncio.sleep(0.3)
    assert cb.error_code == 40060
    assert len(sent.requests) == 1, "the bot must not answer again with a spent token"
    assert any("could not be answered" in r.getMessage() for r in caplog.records)
    _, after = await Caller(fake, someone())("cast")  # the handler did not crash the bot
    assert after.status < 400 and after.callback_type == 4


@pytest.mark.parametrize(("status", "body"), [(404, UNKNOWN_WEBHOOK), (403, MISSING_ACCESS)])
async def test_a_refused_followup_is_not_retried(bot, fake, caplog, monkeypatch, status, body):
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.05)
    bot.store = SlowStore(bot.store, 0.3)
    fake.fail_next(Routes.CREATE_FOLLOWUP, status, body, times=10)
    with caplog.at_level(logging.WARNING):
        sent = await fake.interact(
            payloads.slash_command(fake.command("show"), {}, where=someone())
        )
        cb = await sent.callback()
        await sent.followup()
        await asyncio.sleep(0.5)  # room for any retry to show up
    assert cb.callback_type == 5
    followups = [r for r in sent.requests if r.route is Routes.CREATE_FOLLOWUP]
    assert len(followups) == 1, f"{len(followups)} sends after a {status}: {[str(r) for r in followups]}"  # fmt: skip
    assert any(str(status) in r.getMessage() for r in caplog.records)


# --- a slow store never delays the first response ---------------------------------------
class SlowStore:
    """The real store, every call of which first waits ``delay`` seconds."""

    def __init__(self, store, delay: float) -> None:
        self._store, self._delay = store, delay

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def slow(*args, **kwargs):
            await asyncio.sleep(self._delay)
            return await attr(*args, **kwargs)

        return slow


WINDOW = 0.4  # Discord's 3 s, scaled down
STORE_DELAY = 0.6  # longer than the window: an answer that waits for the store is too late


async def test_no_command_waits_for_a_slow_store_before_its_first_response(bot, fake, monkeypatch):
    await bot.store.set_progress(int(MOD["id"]), 8)
    monkeypatch.setattr(_respond, "DEFER_AFTER_SECONDS", 0.05)
    fake.interaction_window = WINDOW
    bot.store = bot.editor.store = SlowStore(bot.store, STORE_DELAY)
    sent = {}
    for name, sub, options in leaf_commands(fake):
        values = valid_options(fake, options)
        sent[(name, sub)] = await fake.interact(payloads.slash_command(fake.command(name), values, sub=sub, where=mod_where()))  # fmt: skip
    # A refusal is recorded in the store too.
    sent[("fact", "show (refused)")] = await fake.interact(payloads.slash_command(fake.command("fact"), {"id": "x"}, sub="show", where=someone()))  # fmt: skip
    # So is a form's change.
    form = await fake.interact(payloads.slash_command(fake.command("fact"), {"id": "mi-joo.job"}, sub="edit", where=mod_where()))  # fmt: skip
    await form.callback(timeout=5)
    values = {"about": "mi-joo", "text": "Mi-joo coaches the team.", "gate": "0", "sources": "blog-full", "reason": "slow"}  # fmt: skip
    sent[("fact edit", "form")] = await fake.interact(payloads.modal_submit(form.modal, values, where=mod_where()))  # fmt: skip
    problems = []
    for (name, sub), s in sent.items():
        cb = await s.callback(timeout=5)
        if cb.status >= 400 or s.latency > WINDOW:
            problems.append(f"/{name} {sub or ''}: first response {cb} after {s.latency:.2f} s")
        elif cb.callback_type == 5:  # deferred: the answer follows once the store is done
            followup = await s.followup(timeout=10)
            if followup.status >= 400:
                problems.append(f"/{name} {sub or ''}: answer after the defer refused: {followup}")
    assert not problems, "\n".join(problems)


async def test_autocomplete_answers_in_time_with_a_slow_store(bot, fake):
    bot.store = SlowStore(bot.store, 5.0)  # the real 3 s window this time
    names = await fake.interact(payloads.autocomplete(fake.command("character"), {"name": "mi"}, focused="name", where=someone()))  # fmt: skip
    gaps = await fake.interact(payloads.autocomplete(fake.command("factbase"), {"dismiss": "who"}, focused="dismiss", sub="gaps", where=mod_where()))  # fmt: skip
    for sent in (names, gaps):
        cb = await sent.callback(timeout=5)
        assert cb.status < 400 and sent.latency < 3, cb
    assert (await names.callback()).json["data"]["choices"]  # names need no store: still offered


# --- autocomplete values are checked again when used ------------------------------------
FORGED = [
    "zzzz-not-a-name",
    "@everyone",
    "<@123>",
    "||x||",
    "\u202eevil",
    "x" * 100,
    "Mi-joo\u200b" * 12,
]


async def test_forged_name_values_are_not_found_not_errors(bot, fake):
    for value, (name, option) in itertools.product(FORGED, (("character", "name"), ("plot", "character"))):  # fmt: skip
        _, cb = await Caller(fake, someone())(name, {option: value})
        message = cb.json["data"]
        assert cb.status < 400 and message["embeds"], message
        text = str(message["embeds"][0])
        assert "went wrong" not in text
        assert (
            "don't know" in text or "not sure" in text or "Did you mean" in text or "Plot" in text
        ), text


async def test_forged_fact_ids_and_gaps_are_not_found(bot, fake):
    mod = Caller(fake, mod_where())
    for value in FORGED:
        _, cb = await mod("fact", {"id": value}, sub="history")
        assert cb.status < 400 and "went wrong" not in str(cb.json["data"])
        _, cb = await mod("fact", {"id": value}, sub="show")
        assert "Not found" in str(cb.json["data"])
        _, cb = await mod("fact", {"id": value, "reason": "forged"}, sub="remove")
        assert "Not removed" in str(cb.json["data"])
        _, cb = await mod("factbase", {"dismiss": value}, sub="gaps")
        assert "No open question" in str(cb.json["data"])


# --- every string option and form field has a maximum, enforced again by the core -------
# What the core itself enforces, whatever Discord let through (see each name's tests).
CORE_LIMITS = {
    ("character", None, "name"): MAX_NAME,  # NameIndex.resolve: longer is no name
    ("plot", None, "character"): MAX_NAME,
    ("ask", None, "question"): MAX_QUESTION,  # Engine.ask reads no further
    ("fact", "remove", "reason"): MAX_REASON,  # FactEditor cuts reasons to it
    ("fact", "revert", "reason"): MAX_REASON,
    # Looked up by exact match only; nothing the user typed is stored.
    ("fact", "show", "id"): 100,
    ("fact", "edit", "id"): 100,
    ("fact", "remove", "id"): 100,
    ("fact", "history", "id"): 100,
    ("fact", "revert", "id"): 100,
    ("factbase", "gaps", "dismiss"): 200,
}
# Options with choices need no length: Discord and the core accept only a choice.
CHOICES = {("fact", "add", "topic")}


async def test_every_string_option_has_the_cores_maximum(bot, fake):
    found, choices = {}, set()
    for name, sub, options in leaf_commands(fake):
        for o in options:
            if o["type"] == 3 and o.get("choices"):
                choices.add((name, sub, o["name"]))
            elif o["type"] == 3:
                found[(name, sub, o["name"])] = o.get("max_length")
    assert found == CORE_LIMITS, "a string option without its limit in the core (add it to both)"
    assert choices == CHOICES


def test_every_form_field_has_a_maximum():
    form = FactForm(mode="add", fact_id=None, topic="event")
    limits = {item.custom_id: item.max_length for item in form.children}
    assert limits == {"about": 200, "text": 600, "gate": 20, "sources": 200, "reason": MAX_REASON}


# --- floods ----------------------------------------------------------------------------
async def test_the_cooldown_covers_every_command(bot, fake):
    with_config(bot, cooldown_seconds=60, cooldown_burst=1)
    missed = []
    for name, sub, options in leaf_commands(fake):
        fresh = payloads.user(payloads.new_id(), "flooder")  # a fresh user per command
        caller = Caller(fake, mod_where(fresh) if name in ("fact", "factbase", "settings") else payloads.in_guild(HOME, by=fresh))  # fmt: skip
        await caller(name, valid_options(fake, options), sub=sub)
        _, cb = await caller(name, valid_options(fake, options), sub=sub)
        message = cb.json.get("data") or {}
        if not (message.get("flags", 0) & EPHEMERAL and re.search(r"try again in \d+ s", message.get("content") or "", re.I)):  # fmt: skip
            missed.append(f"/{name} {sub or ''}: {cb.json}")
    assert not missed, "\n".join(missed)


async def test_every_message_sent_allows_no_mentions(bot, fake):
    await Caller(fake, someone())("ask", {"question": "@everyone who plays <@1>?"})
    await Caller(fake, someone())("character", {"name": "@here"})
    await Caller(fake, someone())("fact", {"id": "x"}, sub="show")  # a refusal
    with_config(bot, cooldown_seconds=60, cooldown_burst=1)
    caller = Caller(fake, someone())
    await caller("cast")
    await caller("cast")  # the cooldown message
    bodies = everything_sent(fake)
    assert len(bodies) >= 5
    assert all(b.get("allowed_mentions", {}).get("parse") == [] for b in bodies), bodies


# --- no blocking work on the event loop -------------------------------------------------
async def test_no_command_blocks_the_event_loop(bot, fake, caplog):
    """Every kind of work, reads and writes, in asyncio debug mode: any callback that
    holds the loop for 100 ms (parsing YAML, building indexes, writing files) fails."""
    mod, reader = Caller(fake, mod_where()), Caller(fake, someone())
    export = fake.add_attachment("base.yaml", DATA_FILE.read_bytes())
    loop = asyncio.get_running_loop()
    gc.collect()
    gc.freeze()  # as run_bot does: the long-lived fact base out of the collector's way
    loop.set_debug(True)
    loop.slow_callback_duration = 0.1
    try:
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            await reader("progress", {"episode": 8}, sub="set")
            await reader("ask", {"question": "Why was Seon-gyeom kicked off the team?"})
            await reader("character", {"name": "Seon Gyeum"})
            await reader("plot", {"character": "Dan-ah"})
            await reader("recap")
            await reader("reviews")
            sent, _ = await mod("fact", {"id": "mi-joo.job"}, sub="edit")
            values = {"about": "mi-joo", "text": "Mi-joo translates films.", "gate": "0", "sources": "blog-full", "reason": "test"}  # fmt: skip
            done = await fake.interact(payloads.modal_submit(sent.modal, values, where=mod.where))
            assert "Saved" in str((await done.callback()).json)
            await mod("fact", {"id": "mi-joo.job", "revision": 0, "reason": "back"}, sub="revert")
            await mod("factbase", sub="export")
            sent, _ = await mod("factbase", {"file": export}, sub="validate")
            await sent.followup(timeout=10)
            sent, _ = await mod("factbase", sub="reload")
            await sent.followup(timeout=10)
            await mod("factbase", sub="gaps")
    finally:
        loop.set_debug(False)
        gc.unfreeze()
    slow = [r.getMessage() for r in caplog.records if r.name == "asyncio" and " took " in r.getMessage()]  # fmt: skip
    assert not slow, "blocking work on the event loop:\n" + "\n".join(slow)

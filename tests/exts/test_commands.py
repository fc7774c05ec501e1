"""Every slash command through the fake Discord, asserting the JSON the bot posts."""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from bot.core.text import escape_markdown
from tests.exts.conftest import GUILD, Caller, with_config
from tests.fakediscord import payloads

MESSAGE = 4
DEFERRED = 5
EPHEMERAL = 64
COMMANDS = {"show", "cast", "character", "episode", "episodes", "ratings", "reviews", "plot", "recap", "ask", "progress", "help", "fact", "factbase", "settings"}  # fmt: skip


def data_of(callback) -> dict:
    return callback.json["data"]


def text_of(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def embed_text(message: dict) -> str:
    parts = []
    for embed in message.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]  # fmt: skip
        parts += [f["name"] + "\n" + f["value"] for f in embed.get("fields", [])]
    return "\n".join(parts + [message.get("content") or ""])


def is_private(message: dict) -> bool:
    return bool(message.get("flags", 0) & EPHEMERAL)


def leaked(factbase, progress: int, text: str) -> list[str]:
    """Facts past ``progress`` whose text appears in ``text`` in any form."""
    out = []
    for fact in factbase.facts:
        if fact.gate > progress:
            probe = fact.text[:40]
            if probe in text or escape_markdown(probe) in text:
                out.append(fact.id)
    return out


def spoiler_spans(text: str) -> list[str]:
    return re.findall(r"(?<!\\)\|\|(.+?)(?<!\\)\|\|", text, re.DOTALL)


# --- start-up ----------------------------------------------------------------------
async def test_connects_and_syncs_every_command(runon):
    bot, fake = runon
    names = {c["name"] for c in fake.commands()}
    assert names == COMMANDS
    progress = fake.command("progress")
    assert {o["name"] for o in progress["options"]} == {"set", "show", "clear"}


async def test_unchanged_commands_are_not_synced_again(runon, store, config, factbase, start_bot):
    from bot.client import RunOnBot
    from bot.knowledge import Knowledge

    bot, fake = runon
    syncs = len(fake.syncs)
    second = RunOnBot(config=config, store=store, knowledge=Knowledge(factbase))
    await second.setup_hook()  # what start-up does, without a second gateway session
    assert len(fake.syncs) == syncs


NAME = re.compile(r"^[-_\w]{1,32}$")


def check_command(command: dict, problems: list[str], path: str = "") -> None:
    where = path + command["name"]
    if not NAME.match(command["name"]) or command["name"] != command["name"].lower():
        problems.append(f"{where}: bad name")
    if not 1 <= len(command.get("description", "")) <= 100:
        problems.append(f"{where}: description length {len(command.get('description', ''))}")
    options = command.get("options", [])
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options")
    seen_optional = False
    for option in options:
        if option["type"] in (1, 2):
            check_command(option, problems, where + " ")
            continue
        check_command({**option, "options": []}, problems, where + " ")
        if len(option.get("choices", [])) > 25:
            problems.append(f"{where} {option['name']}: too many choices")
        if option.get("required"):
            if seen_optional:
                problems.append(f"{where} {option['name']}: required after optional")
        else:
            seen_optional = True


async def test_every_synced_command_fits_discords_limits(runon):
    _, fake = runon
    problems: list[str] = []
    for command in fake.commands():
        check_command(command, problems)
    assert not problems


# --- each command --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["show", "cast", "episodes", "ratings", "reviews"])
async def test_series_commands_public_and_private(call, name):
    _, public = await call(name)
    assert public.status == 204 or public.status == 200
    assert public.callback_type == MESSAGE
    message = data_of(public)
    assert message["allowed_mentions"] == {"parse": []}
    assert message["embeds"] and not is_private(message)
    _, private = await call(name, {"private": True})
    assert is_private(data_of(private))


async def test_cast_lists_actor_and_character(call):
    _, cb = await call("cast")
    text = embed_text(data_of(cb))
    assert "Shin Se-kyung" in text and "Oh Mi-joo" in text and "Im Si-wan" in text


async def test_ratings_show_scores_and_average(call):
    _, cb = await call("ratings")
    text = embed_text(data_of(cb))
    assert "3/5" in text and "9/10" in text and "Average" in text


async def test_character_any_spelling_and_no_spoilers_at_progress_zero(call, factbase):
    _, cb = await call("character", {"name": "Seon Gyeum"})
    message = data_of(cb)
    text = embed_text(message)
    assert "Ki Seon-gyeom" in text and "Im Si-wan" in text
    assert not leaked(factbase, 0, text_of(message))
    assert "held back" in text


async def test_story_seen_is_tagged_in_public_and_plain_in_private(call, factbase):
    await call("progress", {"episode": 16}, sub="set")
    _, public = await call("character", {"name": "Dan-ah"})
    text = embed_text(data_of(public))
    assert spoiler_spans(text), "story the reader has seen must be tagged in a public reply"
    _, private = await call("character", {"name": "Dan-ah", "private": True})
    assert not spoiler_spans(embed_text(data_of(private)))
    assert is_private(data_of(private))


async def test_episode_gated_then_revealed_privately(call, factbase):
    _, cb = await call("episode", {"number": 13})
    message = data_of(cb)
    assert "Aired Wednesday 27 January 2021" in embed_text(message)
    assert not leaked(factbase, 0, text_of(message))
    _, revealed = await call("episode", {"number": 13, "reveal": True})
    message = data_of(revealed)
    assert is_private(message)
    spans = spoiler_spans(embed_text(message))
    assert spans and all(s.startswith("ep") for s in spans)


async def test_plot_for_one_character_with_progress(call, factbase):
    await call("progress", {"episode": 12}, sub="set")
    _, cb = await call("plot", {"character": "Mi-joo"})
    message = data_of(cb)
    assert not leaked(factbase, 12, text_of(message))
    assert not is_private(message)


async def test_recap_is_private_and_stops_at_its_episode(call, factbase):
    await call("progress", {"episode": 16}, sub="set")
    _, cb = await call("recap", {"up_to": 12})
    message = data_of(cb)
    assert is_private(message)
    assert not leaked(factbase, 12, text_of(message))


async def test_recap_defaults_to_progress(call, factbase):
    await call("progress", {"episode": 13}, sub="set")
    _, cb = await call("recap")
    message = data_of(cb)
    assert "13" in message["embeds"][0]["title"]
    assert not leaked(factbase, 13, text_of(message))


async def test_ask_answers_with_citations(call):
    _, cb = await call("ask", {"question": "who plays Mi-joo?"})
    embed = data_of(cb)["embeds"][0]
    assert "Shin Se-kyung" in embed["description"]
    assert embed["footer"]["text"].startswith("Sources:")


async def test_ask_says_it_does_not_know(call):
    _, cb = await call("ask", {"question": "who composed the soundtrack?"})
    assert "I don't know" in embed_text(data_of(cb))


async def test_ask_never_echoes_user_text_as_live_markup(call):
    hostile = "@everyone ||x|| <@123> [a](https://e.com) `b`"
    _, cb = await call("ask", {"question": hostile})
    message = data_of(cb)
    text = embed_text(message)
    assert "@everyone" not in text and "<@123>" not in text
    assert not re.search(r"(?<!\\)\]\(", text), "a live markdown link survived"
    assert message["allowed_mentions"] == {"parse": []}


async def test_progress_set_show_clear_are_private(call):
    _, cb = await call("progress", {"episode": 8}, sub="set")
    assert is_private(data_of(cb)) and "8" in embed_text(data_of(cb))
    _, cb = await call("progress", sub="show")
    assert "episode 8" in embed_text(data_of(cb))
    _, cb = await call("progress", sub="clear")
    _, cb = await call("progress", sub="show")
    assert "premise only" in embed_text(data_of(cb))


async def test_help_lists_every_command_privately(call):
    _, cb = await call("help")
    message = data_of(cb)
    assert is_private(message)
    text = embed_text(message)
    for name in COMMANDS - {"progress", "fact", "factbase", "settings"}:
        assert f"/{name}" in text
    assert "/progress set" in text


async def test_progress_is_per_user(runon, call):
    _, fake = runon
    await call("progress", {"episode": 5}, sub="set")
    other = Caller(fake, payloads.in_guild(GUILD, by=payloads.user(payloads.new_id())))
    _, cb = await other("progress", sub="show")
    assert "premise only" in embed_text(data_of(cb))


async def test_works_in_dms(runon):
    _, fake = runon
    _, cb = await Caller(fake, payloads.in_dm())("cast")
    assert cb.callback_type == MESSAGE


# --- autocomplete -----------------------------------------------------------------
async def test_autocomplete_names_only_at_most_25(runon):
    _, fake = runon
    sent = await fake.interact(payloads.autocomplete(fake.command("character"), {"name": "mi"}, focused="name", where=payloads.in_guild(GUILD)))  # fmt: skip
    cb = await sent.callback()
    choices = cb.json["data"]["choices"]
    assert 0 < len(choices) <= 25
    assert any(c["name"] == "Oh Mi-joo" for c in choices)
    assert all(len(c["name"]) <= 100 for c in choices)


async def test_autocomplete_empty_prefix_caps_at_25(runon):
    _, fake = runon
    sent = await fake.interact(payloads.autocomplete(fake.command("plot"), {"character": ""}, focused="character", where=payloads.in_guild(GUILD)))  # fmt: skip
    choices = (await sent.callback()).json["data"]["choices"]
    assert len(choices) <= 25


async def test_forged_autocomplete_value_is_not_found_not_an_error(call):
    _, cb = await call("character", {"name": "zzzz-not-a-name-qqq"})
    text = embed_text(data_of(cb))
    assert "don't know" in text or "Did you mean" in text


# --- timing and errors ------------------------------------------------------------
class SlowStore:
    """A store every call of which takes ``delay`` seconds before doing its work."""

    def __init__(self, store, delay):
        self._store, self._delay = store, delay

    def __getattr__(self, name):
        attribute = getattr(self._store, name)
        if not asyncio.iscoroutinefunction(attribute):
            return attribute

        async def slow(*args, **kwargs):
            await asyncio.sleep(self._delay)
            return await attribute(*args, **kwargs)

        return slow


async def test_slow_store_defers_first_then_answers(runon, call):
    bot, _ = runon
    bot.store = SlowStore(bot.store, 2.0)
    sent, cb = await call("show", {"private": True})
    assert cb.callback_type == DEFERRED
    assert cb.json["data"]["flags"] & EPHEMERAL
    assert sent.latency < 3
    followup = await sent.followup(timeout=5)
    assert followup.json["embeds"]


async def test_unexpected_error_is_one_friendly_private_message_and_logged(runon, call, caplog):
    bot, _ = runon

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("boom")

    bot.knowledge._engine = Broken()
    with caplog.at_level(logging.ERROR):
        _, cb = await call("show")
    message = data_of(cb)
    assert is_private(message) and "went wrong" in message["content"]
    assert "boom" not in message["content"]
    assert any("boom" in (r.exc_text or "") or (r.exc_info and "boom" in str(r.exc_info[1])) for r in caplog.records)  # fmt: skip


async def test_unknown_interaction_is_logged_not_retried(runon, call, caplog):
    bot, fake = runon
    bot.store = SlowStore(bot.store, 0.3)
    fake.interaction_window = 0.1  # Discord's 3 s, shrunk so the answer arrives too late
    with caplog.at_level(logging.WARNING):
        sent = await fake.interact(payloads.slash_command(fake.command("show"), {}, where=payloads.in_guild(GUILD)))  # fmt: skip
        cb = await sent.callback(timeout=5)
        await asyncio.sleep(0.3)
    assert cb.error_code == 10062
    assert len(sent.requests) == 1, "the bot must not answer again with a dead token"
    assert any("could not be answered" in r.getMessage() for r in caplog.records)


async def test_cooldown_answers_privately_with_a_wait(runon, call):
    bot, _ = runon
    with_config(bot, cooldown_seconds=60, cooldown_burst=1)
    await call("show")
    _, cb = await call("show")
    message = data_of(cb)
    assert is_private(message) and re.search(r"try again in \d+ s", message["content"], re.I)

"""Self-tests: the unmodified discord.py client against FakeDiscord.

Each test drives a real bot (the ping bot, or ProbeBot, which adds one command
per behaviour under test) and asserts on what the fake recorded. Where a test
needs the bot to act "later", the bot waits on an event the test sets, and
where Discord's clock matters the test moves the fake's clock; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import payloads
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.payloads import (
    Where,
    autocomplete,
    component,
    in_dm,
    in_guild,
    modal_submit,
    slash_command,
)
from tests.fakediscord.ping_bot import PING_REPLY, PingBot
from tests.fakediscord.server import LOADING, FakeDiscord, Routes, redirect_discord

TIMEOUT = 5.0


class ClickView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Click", custom_id="probe:click")
    async def click(
        self, interaction: discord.Interaction, button: discord.ui.Button[ClickView]
    ) -> None:
        await interaction.response.edit_message(content="clicked", view=None)


class AskModal(discord.ui.Modal, title="Ask"):
    question: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
        label="Question", custom_id="question", max_length=200
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"asked: {self.question.value}")


class ProbeBot(PingBot):
    """The ping bot plus one command per interaction behaviour the fake must support.

    ``release`` holds the commands that must act later until the test sets it;
    errors the command tree raises land in ``errors``; every interaction
    discord.py parsed lands in ``seen``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.errors: asyncio.Queue[app_commands.AppCommandError] = asyncio.Queue()
        self.seen: list[discord.Interaction] = []
        tree = self.tree

        @tree.error
        async def record_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.put_nowait(error)

        @tree.command(
            name="think", description="Defer, wait for the test, then edit the original response."
        )
        async def think(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await self.release.wait()
            await interaction.edit_original_response(content="thought")

        @tree.command(name="more", description="Answer, then follow up with a file.")
        async def more(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("first")
            await interaction.followup.send(
                "second", file=discord.File(io.BytesIO(b"episode 1"), filename="notes.txt")
            )

        @tree.command(name="tidy", description="Answer, follow up, then edit and delete both.")
        async def tidy(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("answer")
            original = await interaction.original_response()
            note = await interaction.followup.send("note", wait=True)
            await note.edit(content="note, edited")
            await note.delete()
            await original.delete()

        @tree.command(name="slow", description="Answer once the test releases it.")
        async def slow(interaction: discord.Interaction) -> None:
            await self.release.wait()
            await interaction.response.send_message("late")

        @tree.command(name="eager", description="Follow up without acknowledging first.")
        async def eager(interaction: discord.Interaction) -> None:
            await interaction.followup.send("too soon")

        @tree.command(name="long", description="Answer with more than Discord allows.")
        async def long(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("x" * 2001)

        @tree.command(name="echo", description="Repeat the text.")
        async def echo(
            interaction: discord.Interaction,
            text: str,
            times: app_commands.Range[int, 1, 5] = 1,
            loud: bool = False,
        ) -> None:
            reply = " ".join([text] * times)
            await interaction.response.send_message(reply.upper() if loud else reply)

        facts = app_commands.Group(name="facts", description="Facts about the drama.")
        character = app_commands.Group(
            name="character", description="Facts about a character.", parent=facts
        )

        @character.command(name="show", description="Show a character.")
        async def show(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"character {name}")

        tree.add_command(facts)

        @tree.command(name="search", description="Search, with suggestions.")
        async def search(interaction: discord.Interaction, query: str) -> None:
            await interaction.response.send_message(f"searched {query}")

        @search.autocomplete("query")
        async def suggest(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=f"{current} {i}", value=f"{current}-{i}") for i in range(3)
            ]

        @tree.command(name="buttons", description="Answer with a button.")
        async def buttons(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pick", view=ClickView())

        @tree.command(name="form", description="Open a modal.")
        async def form(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(AskModal())

        @tree.command(name="upload", description="Read an attachment and send it back reversed.")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            reversed_file = discord.File(io.BytesIO(data[::-1]), filename="reversed.bin")
            await interaction.response.send_message(
                f"{file.filename}: {len(data)} bytes", file=reversed_file
            )

        @tree.command(name="where", description="Say who asked, and where.")
        async def where(interaction: discord.Interaction) -> None:
            place = "dm" if interaction.guild is None else f"guild {interaction.guild_id}"
            await interaction.response.send_message(f"{interaction.user.id} in {place}")

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction)

    async def next_error(self) -> Exception:
        """The next command error, unwrapped from CommandInvokeError."""
        error = await asyncio.wait_for(self.errors.get(), TIMEOUT)
        return getattr(error, "original", error)


@pytest.fixture
async def probe(start_bot: Any) -> ProbeBot:
    return await start_bot(ProbeBot())


async def test_bot_logs_in_identifies_and_syncs(fake_discord: FakeDiscord, start_bot: Any) -> None:
    bot = await start_bot(PingBot())

    assert bot.is_ready()
    assert bot.user is not None and str(bot.user.id) == fake_discord.bot_user["id"]
    assert str(bot.application_id) == fake_discord.application_id
    assert [r.route for r in fake_discord.requests] == [
        Routes.GET_CURRENT_USER,
        Routes.GET_APPLICATION,
        Routes.PUT_GLOBAL_COMMANDS,
    ]
    assert all(
        r.headers["Authorization"] == f"Bot {fake_discord.token}" for r in fake_discord.requests
    )

    (session,) = fake_discord.sessions
    assert session.intents == bot.intents.value
    connection = fake_discord.gateway.connections[0]
    assert connection.query["v"] == "10" and connection.query["encoding"] == "json"
    assert "compress" in connection.query  # discord.py asks for compression; text frames are fine
    events = [f.event for f in fake_discord.gateway_frames if f.direction == "out" and f.event]
    assert events == ["READY"]
    assert any(f.direction == "in" and f.op == 1 for f in fake_discord.gateway_frames)  # heartbeat
    assert any(
        f.direction == "out" and f.op == 11 for f in fake_discord.gateway_frames
    )  # ...acknowledged

    (sync,) = fake_discord.syncs
    assert sync.guild_id is None
    assert [(c["name"], c["type"]) for c in sync.payload] == [("ping", 1)]
    ping = fake_discord.command("ping")
    assert ping["application_id"] == fake_discord.application_id
    assert ping["description"] == "Reply with a constant."
    assert int(ping["id"]) and int(ping["version"])


async def test_ping_is_answered_with_the_constant(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    await start_bot(PingBot())

    sent = await fake_discord.interact(slash_command(fake_discord.command("ping")))
    callback = await sent.callback(timeout=TIMEOUT)

    assert callback.status == 200
    assert callback.query == {"with_response": "1"}
    assert callback.callback_type == 4
    assert callback.content == PING_REPLY
    assert callback.response["interaction"]["response_message_id"] == sent.original_message_id
    assert sent.original_message is not None and sent.original_message["content"] == PING_REPLY
    assert sent.latency is not None and 0 < sent.latency < TIMEOUT
    assert fake_discord.latencies == [sent.latency]
    assert not fake_discord.unknown_requests
    assert not fake_discord.refused_requests


async def test_deferred_response_then_edit_of_original(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("think")))

    callback = await sent.callback(timeout=TIMEOUT)
    assert callback.callback_type == 5
    assert callback.response["interaction"]["response_message_loading"] is True
    assert sent.original_message is not None and sent.original_message["flags"] & LOADING

    probe.release.set()
    edit = await sent.original_edit(timeout=TIMEOUT)
    assert edit.status == 200
    assert edit.content == "thought"
    assert sent.original_message["content"] == "thought"
    assert not sent.original_message["flags"] & LOADING


async def test_followup_with_an_attachment(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("more")))

    assert (await sent.callback(timeout=TIMEOUT)).content == "first"
    followup = await sent.followup(timeout=TIMEOUT)
    assert followup.status == 200
    assert followup.query["wait"] == "1"
    assert followup.content == "second"
    (upload,) = followup.attachments
    assert (upload.index, upload.filename, upload.data) == (0, "notes.txt", b"episode 1")
    (message,) = sent.followup_messages
    assert message["id"] == followup.response["id"]
    assert message["attachments"][0]["filename"] == "notes.txt"
    assert message["attachments"][0]["size"] == len(b"episode 1")


async def test_followup_and_original_edited_and_deleted(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("tidy")))
    await sent.wait_for(Routes.DELETE_ORIGINAL, timeout=TIMEOUT)

    assert [(r.route, r.status) for r in sent.requests] == [
        (Routes.INTERACTION_CALLBACK, 200),
        (Routes.GET_ORIGINAL, 200),
        (Routes.CREATE_FOLLOWUP, 200),
        (Routes.EDIT_FOLLOWUP, 200),
        (Routes.DELETE_FOLLOWUP, 204),
        (Routes.DELETE_ORIGINAL, 204),
    ]
    assert sent.requests[3].content == "note, edited"
    assert sent.requests[3].params["message_id"] == sent.followup_ids[0]
    assert sent.original_message is None and sent.followup_messages == []


async def test_callback_after_the_window_is_unknown_interaction(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("slow")))
    fake_discord.advance_time(fake_discord.interaction_window + 0.5)
    probe.release.set()

    callback = await sent.callback(timeout=TIMEOUT)
    assert (callback.status, callback.error_code) == (404, 10062)
    assert callback.response == {"message": "Unknown interaction", "code": 10062}
    error = await probe.next_error()
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert sent.response_type is None


async def test_second_callback_is_already_acknowledged(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    # Two processes on one token (an old instance still running) both get every
    # interaction, and both answer: Discord refuses the slower one.
    await start_bot(PingBot())
    await start_bot(PingBot())
    assert len(fake_discord.sessions) == 2

    sent = await fake_discord.interact(slash_command(fake_discord.command("ping")))
    first = await sent.callback(0, timeout=TIMEOUT)
    second = await sent.callback(1, timeout=TIMEOUT)

    assert first.status == 200
    assert (second.status, second.error_code) == (400, 40060)
    assert second.response["message"] == "Interaction has already been acknowledged."


async def test_followup_before_acknowledging_is_unknown_webhook(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("eager")))

    followup = await sent.followup(timeout=TIMEOUT)
    assert (followup.status, followup.error_code) == (404, 10015)
    error = await probe.next_error()
    assert isinstance(error, discord.NotFound) and error.code == 10015


async def test_edit_after_the_token_expired_is_refused(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("think")))
    await sent.callback(timeout=TIMEOUT)
    fake_discord.advance_time(fake_discord.token_lifetime + 1)
    probe.release.set()

    edit = await sent.original_edit(timeout=TIMEOUT)
    assert (edit.status, edit.error_code) == (401, 50027)


async def test_message_over_discord_limits_is_invalid_form_body(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("long")))

    callback = await sent.callback(timeout=TIMEOUT)
    assert (callback.status, callback.error_code) == (400, 50035)
    assert (
        callback.response["errors"]["data"]["content"]["_errors"][0]["code"]
        == "BASE_TYPE_MAX_LENGTH"
    )
    error = await probe.next_error()
    assert isinstance(error, discord.HTTPException) and error.code == 50035


async def test_options_subcommand_groups_and_a_known_guild(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    guild = payloads.guild()
    fake_discord.guilds = [guild]
    bot = await start_bot(ProbeBot())
    known = bot.get_guild(int(guild["id"]))
    assert known is not None and known.me is not None  # GUILD_CREATE lists the bot as a member
    where = in_guild(guild)

    echo = await fake_discord.interact(
        slash_command(
            fake_discord.command("echo"), {"text": "run on", "times": 2, "loud": True}, where=where
        )
    )
    assert (await echo.callback(timeout=TIMEOUT)).content == "RUN ON RUN ON"

    show = await fake_discord.interact(
        slash_command(
            fake_discord.command("facts"), {"name": "Ki-seon"}, sub="character show", where=where
        )
    )
    assert (await show.callback(timeout=TIMEOUT)).content == "character Ki-seon"
    (group,) = show.payload["data"]["options"]
    assert (group["name"], group["type"], group["options"][0]["name"]) == ("character", 2, "show")

    interaction = bot.seen[-1]
    assert (
        isinstance(interaction.channel, discord.TextChannel)
        and interaction.channel.name == "general"
    )
    assert isinstance(interaction.user, discord.Member)
    assert interaction.permissions.send_messages and not interaction.permissions.administrator

    posted = await asyncio.wait_for(interaction.channel.send("outside any interaction"), TIMEOUT)
    (create,) = fake_discord.requests_to(Routes.CREATE_MESSAGE)
    assert create.params["channel_id"] == where.channel["id"]
    assert fake_discord.messages[str(posted.id)]["content"] == "outside any interaction"


def test_payload_builders_refuse_what_discord_would_not_send() -> None:
    echo = {
        "id": "1",
        "application_id": payloads.DEFAULT_APPLICATION_ID,
        "name": "echo",
        "type": 1,
        "options": [
            {"name": "text", "type": 3, "description": "d", "required": True},
            {"name": "times", "type": 4, "description": "d", "min_value": 1, "max_value": 5},
        ],
    }
    with pytest.raises(ValueError, match="requires options"):
        slash_command(echo, {"times": 2})
    with pytest.raises(TypeError, match="INTEGER"):
        slash_command(echo, {"text": "a", "times": "2"})
    with pytest.raises(ValueError, match="outside"):
        slash_command(echo, {"text": "a", "times": 9})
    with pytest.raises(ValueError, match="no option"):
        slash_command(echo, {"text": "a", "volume": 3})
    with pytest.raises(ValueError, match="autocomplete"):
        autocomplete(echo, {"text": "a"}, focused="text")


async def test_attachment_option_and_uploaded_reply(
    fake_discord: FakeDiscord, probe: ProbeBot
) -> None:
    upload = fake_discord.add_attachment("ep1.txt", b"hello", content_type="text/plain")

    sent = await fake_discord.interact(
        slash_command(fake_discord.command("upload"), {"file": upload})
    )
    callback = await sent.callback(timeout=TIMEOUT)

    assert sent.payload["data"]["resolved"]["attachments"][upload["id"]]["filename"] == "ep1.txt"
    assert len(fake_discord.requests_to(Routes.GET_ATTACHMENT)) == 1  # the bot downloaded it
    assert callback.content == "ep1.txt: 5 bytes"
    (reply_file,) = callback.attachments
    assert (reply_file.filename, reply_file.data) == ("reversed.bin", b"olleh")
    assert sent.original_message is not None
    assert [a["filename"] for a in sent.original_message["attachments"]] == ["reversed.bin"]


async def test_autocomplete_round_trip(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    sent = await fake_discord.interact(
        autocomplete(fake_discord.command("search"), {"query": "ki"}, focused="query")
    )

    callback = await sent.callback(timeout=TIMEOUT)
    assert callback.callback_type == 8
    assert callback.json["data"]["choices"] == [
        {"name": f"ki {i}", "value": f"ki-{i}"} for i in range(3)
    ]
    assert sent.autocomplete_choices == callback.json["data"]["choices"]


async def test_button_click_updates_the_message(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    command = await fake_discord.interact(slash_command(fake_discord.command("buttons")))
    await command.callback(timeout=TIMEOUT)
    message = command.original_message
    assert message is not None

    click = await fake_discord.interact(
        component(message, "probe:click", where=Where.of(command.payload))
    )
    callback = await click.callback(timeout=TIMEOUT)

    assert callback.callback_type == 7
    assert fake_discord.messages[message["id"]]["content"] == "clicked"
    assert fake_discord.messages[message["id"]]["components"] == []
    assert click.original_message_id == message["id"]


async def test_modal_submit(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    command = await fake_discord.interact(slash_command(fake_discord.command("form")))
    opened = await command.callback(timeout=TIMEOUT)
    assert opened.callback_type == 9
    assert command.modal is not None and command.modal["title"] == "Ask"

    submit = await fake_discord.interact(
        modal_submit(
            command.modal, {"question": "Who coaches Seon-gyeom?"}, where=Where.of(command.payload)
        )
    )
    assert (await submit.callback(timeout=TIMEOUT)).content == "asked: Who coaches Seon-gyeom?"


async def test_dm_interaction(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    sent = await fake_discord.interact(slash_command(fake_discord.command("where"), where=in_dm()))

    assert "guild_id" not in sent.payload and "member" not in sent.payload
    assert (await sent.callback(timeout=TIMEOUT)).content == f"{payloads.DEFAULT_USER_ID} in dm"
    interaction = probe.seen[-1]
    assert interaction.guild is None
    assert isinstance(interaction.channel, discord.DMChannel)
    assert isinstance(interaction.user, discord.User)


async def test_rate_limit_is_retried_by_discord_py(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    await start_bot(PingBot())
    fake_discord.rate_limit_next(Routes.INTERACTION_CALLBACK, retry_after=0.01)

    sent = await fake_discord.interact(slash_command(fake_discord.command("ping")))
    limited = await sent.callback(0, timeout=TIMEOUT)
    retried = await sent.callback(1, timeout=TIMEOUT)

    assert (limited.status, limited.injected) == (429, True)
    assert (retried.status, retried.content) == (200, PING_REPLY)


async def test_injected_error_reaches_the_bot(fake_discord: FakeDiscord, probe: ProbeBot) -> None:
    fake_discord.fail_next(
        Routes.CREATE_FOLLOWUP, 403, {"message": "Missing Permissions", "code": 50013}
    )

    sent = await fake_discord.interact(slash_command(fake_discord.command("more")))
    followup = await sent.followup(timeout=TIMEOUT)

    assert (followup.status, followup.error_code) == (403, 50013)
    error = await probe.next_error()
    assert isinstance(error, discord.Forbidden) and error.code == 50013
    assert sent.followup_messages == []


async def test_route_delay_holds_the_answer(fake_discord: FakeDiscord, start_bot: Any) -> None:
    await start_bot(PingBot())
    fake_discord.set_delay(Routes.INTERACTION_CALLBACK, 0.2)

    sent = await fake_discord.interact(slash_command(fake_discord.command("ping")))
    callback = await sent.callback(timeout=TIMEOUT)

    assert callback.status == 200
    assert callback.responded_at is not None and callback.responded_at - callback.received_at >= 0.2


async def test_guild_sync_and_sync_to_a_foreign_guild(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    guild = payloads.guild()
    fake_discord.guilds = [guild]
    bot = await start_bot(PingBot())

    bot.tree.copy_global_to(guild=discord.Object(int(guild["id"])))
    await asyncio.wait_for(bot.tree.sync(guild=discord.Object(int(guild["id"]))), TIMEOUT)
    ping = fake_discord.command("ping", guild_id=guild["id"])
    assert ping["guild_id"] == guild["id"]
    assert ping["id"] != fake_discord.command("ping")["id"]
    fetched = await asyncio.wait_for(
        bot.tree.fetch_commands(guild=discord.Object(int(guild["id"]))), TIMEOUT
    )
    assert [(str(c.id), c.name) for c in fetched] == [(ping["id"], "ping")]

    sent = await fake_discord.interact(slash_command(ping, where=in_guild(guild)))
    assert sent.payload["data"]["guild_id"] == guild["id"]
    assert (await sent.callback(timeout=TIMEOUT)).content == PING_REPLY

    with pytest.raises(discord.Forbidden) as refused:
        await asyncio.wait_for(bot.tree.sync(guild=discord.Object(42)), TIMEOUT)
    assert refused.value.code == 50001


async def test_gateway_reconnect_resumes_and_replays(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    await start_bot(PingBot())

    assert await fake_discord.disconnect(4000) == 1
    sent = await fake_discord.interact(
        slash_command(fake_discord.command("ping"))
    )  # kept for the replay
    session = await fake_discord.wait_for_resume(timeout=TIMEOUT)

    assert (await sent.callback(timeout=TIMEOUT)).content == PING_REPLY
    assert session.resumes == 1 and len(fake_discord.sessions) == 1
    assert fake_discord.gateway.connections[-1].path == "/resume"
    assert [f.event for f in fake_discord.gateway_frames if f.event == "RESUMED"] == ["RESUMED"]


async def test_autosharded_bot_asks_for_gateway_bot(
    fake_discord: FakeDiscord, start_bot: Any
) -> None:
    class ShardedPingBot(commands.AutoShardedBot):
        def __init__(self) -> None:
            super().__init__(
                command_prefix=commands.when_mentioned, intents=discord.Intents(guilds=True)
            )

            @self.tree.command(name="ping", description="Reply with a constant.")
            async def ping(interaction: discord.Interaction) -> None:
                await interaction.response.send_message(PING_REPLY)

        async def setup_hook(self) -> None:
            await self.tree.sync()

    await start_bot(ShardedPingBot())

    assert fake_discord.requests_to(Routes.GET_GATEWAY_BOT)
    (session,) = fake_discord.sessions
    assert session.shard == (0, 1)
    sent = await fake_discord.interact(slash_command(fake_discord.command("ping")))
    assert (await sent.callback(timeout=TIMEOUT)).content == PING_REPLY


async def test_unknown_routes_and_content_type() -> None:
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with FakeDiscord() as fake, aiohttp.ClientSession(timeout=timeout) as http:
        async with http.get(fake.rest_base + "/gateway") as known:
            assert (
                known.headers["Content-Type"] == "application/json"
            )  # exactly: discord.py needs it
            assert await known.json() == {"url": fake.gateway_url}
        async with http.get(fake.rest_base + "/guilds/1/nonsense") as unknown:
            assert unknown.status == 404
            assert unknown.headers["Content-Type"] == "application/json"
            assert (await unknown.json())["message"] == "404: Not Found"
        async with http.get(fake.rest_base + "/users/@me") as anonymous:
            assert anonymous.status == 401
    (recorded,) = fake.unknown_requests
    assert (recorded.method, recorded.path) == ("GET", "/guilds/1/nonsense")
    assert fake.rest_base.startswith("http://127.0.0.1:")
    assert fake.gateway_url.startswith("ws://127.0.0.1:")


async def test_wrong_token_fails_login_and_redirect_is_restored() -> None:
    original_base = discord.http.Route.BASE
    async with FakeDiscord(token="the-right-token") as fake:
        with redirect_discord(fake):
            assert fake.rest_base == discord.http.Route.BASE
            with pytest.raises(discord.LoginFailure):
                async with running_bot(PingBot(), fake, token="a-wrong-token"):
                    pass  # pragma: no cover - login fails first
    assert [(r.route, r.status) for r in fake.requests] == [(Routes.GET_CURRENT_USER, 401)]
    assert original_base == discord.http.Route.BASE

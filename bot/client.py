"""The Discord client: built from resources opened outside it, and thin.

``main`` opens the store and loads the fact base, then builds the bot with them
(no globals, nothing opened in ``on_ready``). Commands are synced at start only
when their payload changed since the last sync, or on request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.core.loader import shipped_data_path
from bot.editing import FactEditor
from bot.exts._respond import acknowledged
from bot.exts._wire import normalise_interaction
from bot.knowledge import Knowledge, freeze_long_lived
from bot.lock import AlreadyRunning, single_instance
from bot.store import Store

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.info",
    "bot.exts.story",
    "bot.exts.progress",
    "bot.exts.help",
    "bot.exts.facts_admin",
    "bot.exts.settings",
)


# Discord's codes for an interaction that can no longer be answered with its token.
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
GONE_INTERACTION_CODES = (UNKNOWN_INTERACTION, ALREADY_ACKNOWLEDGED)
# A send refused as forbidden or not found (an expired webhook token, a missing
# channel) is not tried again, not even to say that it failed; nor is a 429 that
# discord.py did not wait out itself (one without Discord's own headers).
REFUSED_SEND_STATUSES = (403, 404, 429)

# A button or form handler: (interaction, custom_id).
Route = Callable[[discord.Interaction, str], Awaitable[None]]

NO_LONGER_ACTIVE = "That button or form is no longer active (it was used, it expired, or I restarted). Run the command again."  # fmt: skip
UNREADABLE = "I couldn't read that request. Please try again."


class UserError(app_commands.AppCommandError):
    """A failure the user can act on; its message is shown to them as is."""


class HandlerError(app_commands.AppCommandError):
    """An unexpected exception outside a command's own callback (a button, a form, a
    payload discord.py could not read), given to the one error handler."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(repr(original))
        self.original = original


class RunOnTree(app_commands.CommandTree):
    """One error handler and one per-user cooldown for every command."""

    def __init__(self, client: RunOnBot) -> None:
        super().__init__(client)
        self._recent: dict[int, list[float]] = {}

    def _from_interaction(self, interaction: discord.Interaction) -> None:
        # discord.py's entry point for commands and autocomplete (it only hands
        # AppCommandErrors to on_error). Here every failure reaches on_error, and an
        # autocomplete nobody answered (an option without a callback, an unknown
        # command) gets no suggestions rather than no answer.
        self.client.loop.create_task(self._answer(interaction), name="CommandTree-invoker")

    async def _answer(self, interaction: discord.Interaction) -> None:
        try:
            await self._call(interaction)
        except app_commands.AppCommandError as error:
            await self._dispatch_error(interaction, error)
        except Exception as error:  # options discord.py could not read, and the like
            await self.on_error(interaction, HandlerError(error))
        finally:
            if interaction.type is discord.InteractionType.autocomplete and not interaction.response.is_done():  # fmt: skip
                await send_error(interaction, "")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.type is not discord.InteractionType.application_command:
            return True
        config: Config = self.client.config  # type: ignore[attr-defined]
        if config.cooldown_seconds <= 0:
            return True
        now = time.monotonic()
        window = [t for t in self._recent.get(interaction.user.id, []) if now - t < config.cooldown_seconds]  # fmt: skip
        if len(window) >= config.cooldown_burst:
            retry = config.cooldown_seconds - (now - window[0])
            raise app_commands.CommandOnCooldown(app_commands.Cooldown(config.cooldown_burst, config.cooldown_seconds), retry)  # fmt: skip
        window.append(now)
        self._recent[interaction.user.id] = window
        if len(self._recent) > 10_000:  # forget idle users; bounded memory
            self._recent = {u: w for u, w in self._recent.items() if now - w[-1] < config.cooldown_seconds}  # fmt: skip
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:  # fmt: skip
        cause = error.original if isinstance(error, app_commands.CommandInvokeError | HandlerError) else error  # fmt: skip
        if isinstance(cause, discord.HTTPException) and (cause.code in GONE_INTERACTION_CODES or cause.status in REFUSED_SEND_STATUSES):  # fmt: skip
            # The token is dead or spent, or Discord refused the send: answering
            # again (even with an error message) would fail the same way.
            log.warning("interaction %s could not be answered: %s", interaction.id, cause)
            return
        message = describe_error(error)
        if message is None:
            log.error("%s failed", _what(interaction), exc_info=cause)
            message = "Something went wrong on my side. It has been logged; please try again later."
        await send_error(interaction, message)


def describe_error(error: Exception) -> str | None:
    """The short message for a failure the user caused, or None for a bug."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"You're going a bit fast. Try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, UserError | app_commands.CheckFailure):
        return str(error) or "You can't use that here."
    if isinstance(error, app_commands.TransformerError):
        return "That value isn't one I can use. Check the option and try again."
    if isinstance(error, app_commands.CommandNotFound):
        return "That command no longer exists. It may take a moment for Discord to update the list."
    if isinstance(error, app_commands.CommandSignatureMismatch):
        return "That command has changed. It may take a moment for Discord to update it; try again soon."  # fmt: skip
    return None


def _what(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        return f"command /{interaction.command.qualified_name}"
    custom_id = (interaction.data or {}).get("custom_id") if isinstance(interaction.data, dict) else None  # fmt: skip
    return f"interaction {interaction.id} ({interaction.type.name if interaction.type else '?'} {custom_id or ''})"  # fmt: skip


async def send_error(interaction: discord.Interaction, message: str) -> None:
    """Tell the user privately; never retry, never crash (the interaction may be gone).

    An autocomplete can only be answered with choices: it gets none.
    """
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
        elif interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())  # fmt: skip
        else:
            await acknowledged(interaction, interaction.response.send_message(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()))  # fmt: skip
    except discord.HTTPException as exc:
        # 10062 unknown interaction, 40060 already acknowledged, 403/404: nothing to retry.
        log.warning("could not send an error message: %s", exc)


class RunOnBot(commands.Bot):
    def __init__(self, *, config: Config, store: Store, knowledge: Knowledge | None = None,
                 editor: FactEditor | None = None, sync_on_start: bool = True) -> None:  # fmt: skip
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.none() | discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=RunOnTree,
            help_command=None,
        )
        if editor is None:
            if knowledge is None:
                raise ValueError("RunOnBot needs a FactEditor or a Knowledge")
            editor = FactEditor(store, config.fact_base or shipped_data_path(), knowledge.base, knowledge)  # fmt: skip
        self.config = config
        self.store = store
        self.editor = editor
        self.knowledge = editor.knowledge
        self.sync_on_start = sync_on_start
        # Buttons and forms are answered here, by the first part of their custom_id.
        self._routes: dict[str, Route] = {}
        self._harden_gateway_reader()

    # --- reading the gateway -------------------------------------------------------------

    def _harden_gateway_reader(self) -> None:
        """No event payload can end the connection.

        discord.py reads each dispatch in the gateway loop itself: an exception
        there (a field it requires that the payload lacks) ends ``connect()``, and
        the bot with it. Interactions are first filled in to what discord.py needs
        (``normalise_interaction``); an interaction that still cannot be read is
        answered with a short private error; any other event that cannot be read
        is logged and skipped. READY is left alone: without it there is no session.
        """
        parsers = self._connection.parsers
        for event, parse in list(parsers.items()):
            if event == "INTERACTION_CREATE":
                parsers[event] = self._interaction_reader(parse)
            elif event != "READY":
                parsers[event] = _logged(event, parse)

    def _interaction_reader(self, parse: Callable[[Any], Any]) -> Callable[[Any], None]:
        def read(data: Any) -> None:
            try:
                parse(normalise_interaction(data))
            except Exception:
                log.exception("could not read interaction %s; answering it with an error", data.get("id") if isinstance(data, dict) else "?")  # fmt: skip
                if isinstance(data, dict):
                    self.loop.create_task(self._answer_unreadable(data))

        return read

    async def _answer_unreadable(self, data: dict) -> None:
        """Answer an interaction discord.py could not read, straight over HTTP, once."""
        interaction_id, token, kind = data.get("id"), data.get("token"), data.get("type")
        if not interaction_id or not isinstance(token, str):
            return
        if kind == 4:  # autocomplete
            body: dict = {"type": 8, "data": {"choices": []}}
        elif kind in (2, 3, 5):
            body = {"type": 4, "data": {"content": UNREADABLE, "flags": 64, "allowed_mentions": {"parse": []}}}  # fmt: skip
        else:
            return
        route = discord.http.Route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", interaction_id=interaction_id, interaction_token=token)  # fmt: skip
        try:
            await self.http.request(route, json=body)
        except Exception as exc:
            log.warning("could not answer unreadable interaction %s: %s", interaction_id, exc)

    # --- buttons and forms ---------------------------------------------------------------

    def add_interaction_route(self, prefix: str, handler: Route) -> None:
        """Answer buttons and forms whose custom_id is ``prefix`` or starts ``prefix:``."""
        self._routes[prefix] = handler

    def remove_interaction_route(self, prefix: str) -> None:
        self._routes.pop(prefix, None)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Every button click and form submission: its route, or "no longer active".

        Commands and autocomplete are the tree's. Nothing here waits on discord.py's
        per-message views, so a click whose state is gone is still answered.
        """
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):  # fmt: skip
            return
        data = interaction.data if isinstance(interaction.data, dict) else {}
        custom_id = str(data.get("custom_id") or "")
        handler = self._routes.get(custom_id.split(":", 1)[0])
        try:
            if handler is None:
                log.info("%s matches nothing of mine; answered as no longer active", _what(interaction))  # fmt: skip
                await send_error(interaction, NO_LONGER_ACTIVE)
            else:
                await handler(interaction, custom_id)
        except app_commands.AppCommandError as error:
            await self.tree.on_error(interaction, error)
        except Exception as error:
            await self.tree.on_error(interaction, HandlerError(error))

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_on_start:
            try:
                await self.sync_commands(force=False)
            except (discord.HTTPException, KeyError, TypeError, ValueError):
                # Refused, or answered with what discord.py cannot read: the commands
                # Discord already has keep working, and the next start tries again.
                log.exception("could not sync commands at start; serving the ones Discord has")
        # Everything loaded so far lives as long as the bot: no collection need walk it again.
        freeze_long_lived()

    def command_payload(self) -> list[dict]:
        return sorted((c.to_dict(self.tree) for c in self.tree.get_commands()), key=lambda c: c["name"])  # fmt: skip

    async def sync_commands(self, *, force: bool, guild_id: int | None = None) -> bool:
        """Sync when the command payload changed since the last sync (or when forced)."""
        guild_id = guild_id or self.config.dev_guild_id
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        digest = hashlib.sha256(json.dumps(self.command_payload(), sort_keys=True).encode()).hexdigest()  # fmt: skip
        key = f"commands_hash:{guild_id or 'global'}"
        if not force and await self.store.get_meta(key) == digest:
            log.info("commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.store.set_meta(key, digest)
        log.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")  # fmt: skip
        return True

    async def on_ready(self) -> None:
        log.info("ready as %s (%s) in %d guilds", self.user, getattr(self.user, "id", "?"), len(self.guilds))  # fmt: skip


def _logged(event: str, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(data: Any) -> Any:
        try:
            return parse(data)
        except Exception:
            log.exception("could not read the gateway event %s; skipped", event)
            return None

    return read


async def run_bot(config: Config) -> int:
    """Run until SIGINT/SIGTERM; then close the gateway and the database, exit 0."""
    if not config.token:
        log.error("no Discord token: set DISCORD_TOKEN, or token_file in the config")
        return 2
    # One bot per database and per token, until this process exits.
    try:
        instance = single_instance(config.database_path, config.token)
    except AlreadyRunning as exc:
        log.error("not starting: %s", exc)
        return 1
    with instance:
        return await _serve(config)


async def _serve(config: Config) -> int:
    async with Store.open(config.database_path) as store:
        editor = await FactEditor.open(store, config.fact_base)
        bot = RunOnBot(config=config, store=store, editor=editor)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
        async with bot:
            try:
                await bot.start(config.token)
            except discord.LoginFailure:
                log.error("Discord refused the token (it may be wrong or reset)")
                return 2
    log.info("stopped cleanly")
    return 0

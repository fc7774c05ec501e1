"""The Discord client: built from resources opened outside it, and thin.

``main`` opens the store and loads the fact base, then builds the bot with them
(no globals, nothing opened in ``on_ready``). Commands are synced at start only
when their payload changed since the last sync, or on request.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import signal
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.core.loader import shipped_data_path
from bot.editing import FactEditor
from bot.knowledge import Knowledge
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
# channel) is not tried again, not even to say that it failed.
REFUSED_SEND_STATUSES = (403, 404)


class UserError(app_commands.AppCommandError):
    """A failure the user can act on; its message is shown to them as is."""


class RunOnTree(app_commands.CommandTree):
    """One error handler and one per-user cooldown for every command."""

    def __init__(self, client: RunOnBot) -> None:
        super().__init__(client)
        self._recent: dict[int, list[float]] = {}

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
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, discord.HTTPException) and (cause.code in GONE_INTERACTION_CODES or cause.status in REFUSED_SEND_STATUSES):  # fmt: skip
            # The token is dead or spent, or Discord refused the send: answering
            # again (even with an error message) would fail the same way.
            log.warning("interaction %s could not be answered: %s", interaction.id, cause)
            return
        message = describe_error(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("command /%s failed", command, exc_info=error)
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
    return None


async def send_error(interaction: discord.Interaction, message: str) -> None:
    """Tell the user privately; never retry, never crash (the interaction may be gone)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())  # fmt: skip
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())  # fmt: skip
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

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_on_start:
            await self.sync_commands(force=False)

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
        # The fact base and indexes live as long as the process: keep the garbage
        # collector from walking them again and again (full passes took ~50 ms).
        gc.freeze()
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

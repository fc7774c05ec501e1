"""/settings: each guild's own settings, for members with Manage Server there."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.model import LAST_EPISODE
from bot.core.reply import Reply, line
from bot.exts._guard import manager_only
from bot.exts._options import whole_number
from bot.exts._respond import Responder


def _reply(title: str, *texts: str) -> Reply:
    return Reply(title=title, lines=tuple(line(t) for t in texts), private=True)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Settings(commands.GroupCog, group_name="settings", group_description="This server's settings for the bot"):  # fmt: skip
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="spoiler-channel")
    @app_commands.describe(channel="A channel where spoilers may be plain", episode="Spoilers up to this episode are shown untagged there (0 removes)")  # fmt: skip
    async def spoiler_channel(self, interaction: discord.Interaction, channel: discord.TextChannel,
                              episode: app_commands.Range[int, 0, LAST_EPISODE]) -> None:  # fmt: skip
        """Mark a channel where spoilers up to an episode are shown without tags."""
        if not await manager_only(interaction, "settings spoiler-channel"):
            return
        episode = whole_number(episode, 0, LAST_EPISODE, "The episode")
        # Settings are keyed by this interaction's guild; a channel it does not
        # have (a forged id from another server) is refused outright.
        if interaction.guild is None or interaction.guild.get_channel(channel.id) is None:
            await Responder(interaction, private=True).send(_reply("Not saved", "That channel is not in this server."))  # fmt: skip
            return
        await Responder(interaction, private=True).within_deadline(
            self.bot.store.set_spoiler_channel(
                interaction.guild_id, channel.id, episode, interaction.user.id
            )
        )  # type: ignore[attr-defined]
        text = f"Spoilers up to episode {episode} are now plain in #{channel.name}." if episode else f"#{channel.name} is no longer a spoiler channel."  # fmt: skip
        await Responder(interaction, private=True).send(_reply("Settings", text))

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show this server's settings."""
        if not await manager_only(interaction, "settings show"):
            return
        channels = await Responder(interaction, private=True).within_deadline(
            self.bot.store.spoiler_channels(interaction.guild_id)
        )  # type: ignore[attr-defined]
        guild = interaction.guild
        named = {c: (guild.get_channel(c) if guild else None) for c in channels}
        lines = [f"#{named[c].name if named[c] else c}: spoilers plain up to episode {e}" for c, e in channels.items()] or ["No spoiler channels: every public reply tags its spoilers."]  # fmt: skip
        await Responder(interaction, private=True).send(_reply("Settings", *lines))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Settings(bot))

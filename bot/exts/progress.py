"""/progress: how far the reader has watched, which every spoiler gate reads."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.model import LAST_EPISODE
from bot.core.reply import Reply, line
from bot.exts._options import whole_number
from bot.exts._respond import Responder


def _reply(text: str) -> Reply:
    return Reply(title="Your progress", lines=(line(text),), private=True)


class Progress(commands.GroupCog, group_name="progress"):
    """Set, show or clear how far you have watched."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="set")
    @app_commands.describe(episode="The last episode you have watched (0 to 16)")
    async def set_(self, interaction: discord.Interaction, episode: app_commands.Range[int, 0, LAST_EPISODE]) -> None:  # fmt: skip
        """Save how far you have watched; answers never spoil past it."""
        episode = whole_number(episode, 0, LAST_EPISODE, "The episode")
        responder = Responder(interaction, private=True)
        await responder.within_deadline(self.bot.store.set_progress(interaction.user.id, episode))
        text = f"Saved: you've watched through episode {episode}." if episode else "Saved: you'll see the premise only."  # fmt: skip
        await responder.send(_reply(text))

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show how far you have told me you have watched."""
        responder = Responder(interaction, private=True)
        episode = await responder.within_deadline(self.bot.store.get_progress(interaction.user.id))
        text = f"You've watched through episode {episode}." if episode else "No progress set: you see the premise only."  # fmt: skip
        await responder.send(_reply(text))

    @app_commands.command(name="clear")
    async def clear(self, interaction: discord.Interaction) -> None:
        """Forget your progress; you will see the premise only."""
        responder = Responder(interaction, private=True)
        await responder.within_deadline(self.bot.store.clear_progress(interaction.user.id))
        await responder.send(_reply("Cleared: you'll see the premise only until you set it again."))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Progress(bot))

"""/help: what each command does, read from the commands themselves."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.reply import Field, Reply, line
from bot.exts._respond import Responder


def command_lines(tree: app_commands.CommandTree) -> list[tuple[str, str]]:
    """Every member-facing command; editors' and managers' commands stay out of it."""
    out = []
    for command in sorted(tree.get_commands(), key=lambda c: c.name):
        if command.default_permissions is not None:
            continue
        if isinstance(command, app_commands.Group):
            for sub in command.walk_commands():
                if isinstance(sub, app_commands.Command):
                    out.append((f"/{sub.qualified_name}", sub.description))
        else:
            out.append((f"/{command.name}", command.description))
    return out


class Help(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What each command does, and how spoilers work here."""
        lines = tuple(line(f"{name} — {description}") for name, description in command_lines(self.bot.tree))  # fmt: skip
        spoilers = (
            line("Tell me how far you've watched with /progress set; nothing past it is shown."),
            line("Public replies hide story behind spoiler tags; private ones show it plainly."),
            line("Add reveal to see what's past your progress, privately and tagged."),
        )
        reply = Reply(title="Run On bot", lines=lines, fields=(Field("Spoilers", spoilers),), private=True)  # fmt: skip
        await Responder(interaction, private=True).send(reply)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Help(bot))

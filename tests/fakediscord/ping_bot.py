"""The smallest real bot: one slash command, ``/ping``, that replies with a constant.

It shows the fake and discord.py can hold a whole conversation (login, command
sync, gateway, interaction, callback), and it is the floor for latency
benchmarks: whatever the real bot's round trip costs beyond this one is the
bot's own doing.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

PING_REPLY = "pong"


class PingBot(commands.Bot):
    """A slash-command-only bot with ``/ping``; ``setup_hook`` syncs the command tree.

    Subclasses add commands in ``__init__`` (after ``super().__init__()``) so
    the same sync registers them.
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("intents", discord.Intents(guilds=True))
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, **options)

        @self.tree.command(name="ping", description="Reply with a constant.")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(PING_REPLY)

    async def setup_hook(self) -> None:
        await self.tree.sync()

"""Series-level commands: overview, cast, episode list, ratings, reviews."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts._respond import answer

PRIVATE = "Only you see the reply"


class Info(commands.Cog):
    @app_commands.command(name="show")
    @app_commands.describe(private=PRIVATE)
    async def show(self, interaction: discord.Interaction, private: bool = False) -> None:
        """Overview of Run On: network, air dates, episodes, director and writer."""
        await answer(interaction, lambda engine, viewer: engine.show(viewer), private=private)

    @app_commands.command(name="cast")
    @app_commands.describe(private=PRIVATE)
    async def cast(self, interaction: discord.Interaction, private: bool = False) -> None:
        """Who plays whom, one line each, and the director and writer."""
        await answer(interaction, lambda engine, viewer: engine.cast(viewer), private=private)

    @app_commands.command(name="episodes")
    @app_commands.describe(private=PRIVATE)
    async def episodes(self, interaction: discord.Interaction, private: bool = False) -> None:
        """All 16 episodes with their air dates."""
        await answer(interaction, lambda engine, viewer: engine.episodes(viewer), private=private)

    @app_commands.command(name="ratings")
    @app_commands.describe(private=PRIVATE)
    async def ratings(self, interaction: discord.Interaction, private: bool = False) -> None:
        """Each review's score as given and out of 10, the average, and verdicts."""
        await answer(interaction, lambda engine, viewer: engine.ratings(viewer), private=private)

    @app_commands.command(name="reviews")
    @app_commands.describe(private=PRIVATE)
    async def reviews(self, interaction: discord.Interaction, private: bool = False) -> None:
        """The five reviews the bot knows: title, author, date, score and verdict."""
        await answer(interaction, lambda engine, viewer: engine.reviews(viewer), private=private)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Info())

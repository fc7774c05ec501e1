"""Story commands, all spoiler-gated: characters, episodes, plot, recap, questions."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.model import LAST_EPISODE
from bot.core.questions import MAX_QUESTION
from bot.core.text import one_line, tokens
from bot.exts._options import optional_text, optional_whole_number, text, whole_number
from bot.exts._respond import answer, name_choices
from bot.exts.info import PRIVATE

log = logging.getLogger(__name__)

REVEAL = "Show what is past your progress, tagged and only to you"
Episode = app_commands.Range[int, 1, LAST_EPISODE]


class Story(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="character")
    @app_commands.describe(name="A character or actor, any spelling", reveal=REVEAL, private=PRIVATE)  # fmt: skip
    @app_commands.autocomplete(name=name_choices)
    async def character(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100],
                        reveal: bool = False, private: bool = False) -> None:  # fmt: skip
        """A character's or actor's profile, up to the episode you have watched."""
        name = text(name)
        await answer(interaction, lambda engine, viewer: engine.character(name, viewer), private=private, reveal=reveal)  # fmt: skip

    @app_commands.command(name="episode")
    @app_commands.describe(number="Episode number, 1 to 16", reveal=REVEAL, private=PRIVATE)
    async def episode(self, interaction: discord.Interaction, number: Episode,
                      reveal: bool = False, private: bool = False) -> None:  # fmt: skip
        """An episode's air date and what happens in it (spoiler-gated)."""
        number = whole_number(number, 1, LAST_EPISODE, "The episode")
        await answer(interaction, lambda engine, viewer: engine.episode(number, viewer), private=private, reveal=reveal)  # fmt: skip

    @app_commands.command(name="plot")
    @app_commands.describe(character="Only the story of this character", reveal=REVEAL, private=PRIVATE)  # fmt: skip
    @app_commands.autocomplete(character=name_choices)
    async def plot(self, interaction: discord.Interaction, character: app_commands.Range[str, 1, 100] | None = None,
                   reveal: bool = False, private: bool = False) -> None:  # fmt: skip
        """The plot so far, spoilers tagged; optionally one character's story."""
        character = optional_text(character)
        await answer(interaction, lambda engine, viewer: engine.plot(viewer, character), private=private, reveal=reveal)  # fmt: skip

    @app_commands.command(name="recap")
    @app_commands.describe(up_to="Recap through this episode (default: your progress)")
    async def recap(self, interaction: discord.Interaction, up_to: Episode | None = None) -> None:
        """A private recap of the story through an episode, and nothing after it."""
        up_to = optional_whole_number(up_to, 1, LAST_EPISODE, "The episode")
        await answer(interaction, lambda engine, viewer: engine.recap(viewer.progress if up_to is None else up_to, viewer), private=True)  # fmt: skip

    @app_commands.command(name="ask")
    @app_commands.describe(question="Your question, e.g. who plays Mi-joo?", reveal=REVEAL, private=PRIVATE)  # fmt: skip
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION],
                  reveal: bool = False, private: bool = False) -> None:  # fmt: skip
        """Ask anything about Run On; answers cite the reviews."""
        question = text(question)
        reply = await answer(interaction, lambda engine, viewer: engine.ask(question, viewer), private=private, reveal=reveal)  # fmt: skip
        if not reply.found and self.bot.config.log_unanswered:  # type: ignore[attr-defined]
            # Kept for /factbase gaps: the normalised question, counted.
            key = " ".join(tokens(question))[:200]
            if key:
                try:
                    await self.bot.store.record_unanswered(key, one_line(question, MAX_QUESTION))  # type: ignore[attr-defined]
                except Exception:  # the user has their answer; a failed count sends nothing more
                    log.exception("could not record an unanswered question")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Story(bot))

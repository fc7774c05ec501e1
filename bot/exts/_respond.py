"""Answering an interaction: within Discord's 3 seconds, once, with no pings.

Every cog answers through ``Responder``: it runs the slow part (the store) with
a deadline, defers (privately when the answer will be private) if the deadline
passes, and then sends the rendered reply the right way for the state the
interaction is in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord
from discord import app_commands

from bot.core.answer import Engine, suggest_names
from bot.core.reply import Reply
from bot.core.spoilers import Viewer
from bot.render.payload import to_payload

log = logging.getLogger(__name__)
T = TypeVar("T")

# Discord refuses a first response after 3 s; leave room for the network.
DEFER_AFTER_SECONDS = 1.5


def embed_of(reply: Reply) -> discord.Embed:
    return discord.Embed.from_dict(to_payload(reply).embed)


class Responder:
    def __init__(self, interaction: discord.Interaction, *, private: bool) -> None:
        self.interaction = interaction
        self.private = private

    async def within_deadline(self, work: Awaitable[T]) -> T:
        """Await ``work``; if it is slow, defer first so the interaction stays alive."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
        if not done and not self.interaction.response.is_done():
            await self.interaction.response.defer(ephemeral=self.private, thinking=True)
        return await task

    async def send(self, reply: Reply, *, view: discord.ui.View | None = None) -> None:
        await send_embed(self.interaction, embed_of(reply), private=self.private or reply.private, view=view)  # fmt: skip


async def send_embed(interaction: discord.Interaction, embed: discord.Embed | None = None, *,
                     content: str | None = None, private: bool, view: discord.ui.View | None = None,
                     file: discord.File | None = None) -> None:  # fmt: skip
    """Send once, whether or not the interaction was already deferred or answered."""
    kwargs: dict = {"allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = embed
    if content is not None:
        kwargs["content"] = content
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if not interaction.response.is_done():
        await interaction.response.send_message(ephemeral=private, **kwargs)
    else:
        # After a defer, Discord turns the first followup into the answer itself.
        await interaction.followup.send(ephemeral=private, **kwargs)


async def reader_viewer(interaction: discord.Interaction, *, private: bool, reveal: bool) -> Viewer:
    """The spoiler context of this reader, in this channel."""
    store = interaction.client.store  # type: ignore[attr-defined]
    progress, plain = await store.reader_context(interaction.user.id, interaction.guild_id, interaction.channel_id)  # fmt: skip
    return Viewer(progress=progress, private=private, reveal=reveal, plain_through=plain)


async def answer(interaction: discord.Interaction, build: Callable[[Engine, Viewer], Reply], *,
                 private: bool = False, reveal: bool = False) -> Reply:  # fmt: skip
    """The whole life of a read-only command: context, engine, render, send."""
    private = private or reveal
    responder = Responder(interaction, private=private)
    viewer = await responder.within_deadline(reader_viewer(interaction, private=private, reveal=reveal))  # fmt: skip
    reply = build(interaction.client.knowledge.engine, viewer)  # type: ignore[attr-defined]
    await responder.send(reply)
    return reply


async def name_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:  # fmt: skip
    """Autocomplete for character and actor names; never spoiler text."""
    store = interaction.client.store  # type: ignore[attr-defined]
    try:
        progress = await asyncio.wait_for(store.get_progress(interaction.user.id), timeout=1.0)
    except TimeoutError:
        progress = 0
    names = suggest_names(interaction.client.knowledge.engine, current, progress)  # type: ignore[attr-defined]
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25]]

"""Answering an interaction: within Discord's 3 seconds, once, with no pings.

Every cog answers through ``Responder``: it runs the slow part (the store) with
a deadline, defers (privately when the answer will be private) if the deadline
passes, and then sends the rendered reply the right way for the state the
interaction is in.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

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
# An autocomplete cannot be deferred: past this, it answers with no suggestions.
AUTOCOMPLETE_BUDGET_SECONDS = 1.5
# Discord caps what a user can type in an option at 6,000 characters; names need 100.
MAX_TYPED = 100
# The errors discord.py raises reading an answer it did not expect, after the request succeeded.
UNREADABLE_ANSWER = (TypeError, KeyError, ValueError, AttributeError)


def embed_of(reply: Reply) -> discord.Embed:
    return discord.Embed.from_dict(to_payload(reply).embed)


async def acknowledged(interaction: discord.Interaction, call: Awaitable[T]) -> T | None:
    """Await a first response (an interaction callback), tolerating a body-less success.

    discord.py asks for ``?with_response=1`` and reads the JSON Discord sends back;
    a callback answered ``204 No Content`` (as Discord answers without that
    parameter) makes discord.py raise *after* the response was made. The
    interaction is answered then, so carry on; any other failure is raised.
    """
    try:
        return await call
    except UNREADABLE_ANSWER as exc:
        if not interaction.response.is_done():
            raise
        log.debug("interaction %s answered; the callback's reply was not readable: %r", interaction.id, exc)  # fmt: skip
        return None


async def edited(interaction: discord.Interaction, call: Awaitable[T]) -> T | None:
    """Await an edit of the original response, tolerating a success without a message body."""
    try:
        return await call
    except UNREADABLE_ANSWER as exc:
        log.debug("interaction %s: the edit's reply was not readable: %r", interaction.id, exc)
        return None


def _forget(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("work for a lost interaction failed: %r", task.exception())


class Responder:
    def __init__(self, interaction: discord.Interaction, *, private: bool) -> None:
        self.interaction = interaction
        self.private = private

    async def within_deadline(self, work: Awaitable[T]) -> T:
        """Await ``work``; if it is slow, defer first so the interaction stays alive."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
        if not done and not self.interaction.response.is_done():
            try:
                await acknowledged(self.interaction, self.interaction.response.defer(ephemeral=self.private, thinking=True))  # fmt: skip
            except BaseException:
                # The interaction is lost (10062...); the work itself still finishes.
                task.add_done_callback(_forget)
                raise
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
        await acknowledged(interaction, interaction.response.send_message(ephemeral=private, **kwargs))  # fmt: skip
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


Suggest = Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]


def safe_autocomplete(func: Suggest) -> Suggest:
    """An autocomplete callback that is cheap and never fails.

    What the user typed arrives as a string of any length (or, from a careless
    client, not a string at all): it is read as text and cut to ``MAX_TYPED``.
    The callback gets ``AUTOCOMPLETE_BUDGET_SECONDS``; if it is slower or raises,
    the answer is no suggestions, never an error. Choices Discord would refuse
    (empty names, names or values over 100 characters, more than 25) are dropped.
    """

    @functools.wraps(func)
    async def suggest(interaction: discord.Interaction, current: Any) -> list[app_commands.Choice[str]]:  # fmt: skip
        typed = current if isinstance(current, str) else ("" if current is None else str(current))
        try:
            async with asyncio.timeout(AUTOCOMPLETE_BUDGET_SECONDS):
                choices = await func(interaction, typed[:MAX_TYPED])
        except TimeoutError:
            log.info("autocomplete %s gave up after %.1f s", func.__name__, AUTOCOMPLETE_BUDGET_SECONDS)  # fmt: skip
            return []
        except Exception:
            log.exception("autocomplete %s failed; answering with no suggestions", func.__name__)
            return []
        return [c for c in choices if 1 <= len(c.name) <= 100 and len(str(c.value)) <= 100][:25]

    return suggest


@safe_autocomplete
async def name_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:  # fmt: skip
    """Autocomplete for character and actor names; never spoiler text."""
    store = interaction.client.store  # type: ignore[attr-defined]
    try:  # a slow or failing store means the premise's names, not a late answer
        progress = await asyncio.wait_for(store.get_progress(interaction.user.id), timeout=1.0)
    except Exception:
        progress = 0
    names = suggest_names(interaction.client.knowledge.engine, current, progress)  # type: ignore[attr-defined]
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:25] if n.strip()]

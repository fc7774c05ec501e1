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
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.answer import REPLY_CACHE_SIZE, Engine, suggest_names
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


# Embeds kept for replies the engine hands out again (it caches them): as many as it keeps.
EMBED_CACHE_SIZE = REPLY_CACHE_SIZE
_embeds: OrderedDict[int, tuple[Reply, discord.Embed]] = OrderedDict()


def embed_of(reply: Reply) -> discord.Embed:
    """The reply as an embed, rendered once per reply object.

    A ``Reply`` is immutable and the engine serves a repeated question with the
    same object, so its embed is kept (keyed by identity, the reply held so the
    identity stays its own); nothing downstream changes an embed it is given.
    """
    kept = _embeds.get(id(reply))
    if kept is not None and kept[0] is reply:
        _embeds.move_to_end(id(reply))
        return kept[1]
    embed = discord.Embed.from_dict(to_payload(reply).embed)
    _embeds[id(reply)] = (reply, embed)
    if len(_embeds) > EMBED_CACHE_SIZE:
        _embeds.popitem(last=False)
    return embed


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


class Responder:
    def __init__(self, interaction: discord.Interaction, *, private: bool) -> None:
        self.interaction = interaction
        self.private = private

    async def within_deadline(self, work: Awaitable[T]) -> T:
        """Await ``work``; if it is slow, defer meanwhile so the interaction stays alive.

        The usual work (a store read served from memory) finishes without ever
        suspending, so it is awaited in place: a task and ``asyncio.wait`` per
        command cost a tenth of a round trip. Only a timer is armed; when it fires,
        the defer runs beside the work, and the work's result waits for it.
        """
        defer: asyncio.Task | None = None

        def defer_now() -> None:
            nonlocal defer
            if not self.interaction.response.is_done():
                call = self.interaction.response.defer(ephemeral=self.private, thinking=True)
                defer = asyncio.ensure_future(acknowledged(self.interaction, call))

        timer = asyncio.get_running_loop().call_later(DEFER_AFTER_SECONDS, defer_now)
        try:
            result = await work
        except BaseException as failure:
            timer.cancel()
            if defer is not None:
                try:
                    await defer
                except Exception:
                    # The interaction is lost too; the error handler will hear of that
                    # (one warning line), so the work's own failure is logged here.
                    log.error(
                        "work for interaction %s failed", self.interaction.id, exc_info=failure
                    )
                    raise
            raise
        timer.cancel()
        if defer is not None:
            # Send nothing before the defer is answered; if it failed (10062: the
            # interaction is lost), that failure is what the error handler hears.
            await defer
        return result

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

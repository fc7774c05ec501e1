"""pytest fixtures (and a plain context manager) to run real discord.py bots against the fake.

The fixtures live in tests/fakediscord/conftest.py's namespace; another test
package gets them by importing them into its own conftest.py::

    from tests.fakediscord.fixtures import fake_discord, start_bot  # noqa: F401

A test then reads::

    async def test_ping(fake_discord, start_bot):
        await start_bot(PingBot())
        sent = await fake_discord.interact(payloads.slash_command(fake_discord.command("ping")))
        assert (await sent.callback()).content == "pong"

:func:`running_bot` does the same outside pytest (benchmarks, scripts).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

import discord
import pytest

from .server import FakeDiscord, redirect_discord

ClientT = TypeVar("ClientT", bound=discord.Client)

# discord.py waits this long after the last GUILD_CREATE before firing on_ready
# (2 s by default, for guilds that stream in slowly). The fake sends every
# GUILD_CREATE right after READY, so the wait is dead time in tests.
FAST_GUILD_READY_TIMEOUT = 0.05


@asynccontextmanager
async def running_bot(
    bot: ClientT,
    fake: FakeDiscord,
    *,
    timeout: float = 10.0,
    guild_ready_timeout: float | None = FAST_GUILD_READY_TIMEOUT,
    token: str | None = None,
) -> AsyncIterator[ClientT]:
    """Log ``bot`` in to ``fake`` (running ``setup_hook``), connect it, yield once it is ready.

    On exit the bot is closed and its connection task awaited; if that task
    died while the test ran, its exception is raised here so a crashed gateway
    loop cannot pass unnoticed. ``guild_ready_timeout=None`` keeps the bot's own
    setting; ``token`` logs in with another token than the fake's (to test a bad
    one). discord.py must already point at ``fake`` (:func:`redirect_discord`).
    """
    if guild_ready_timeout is not None:
        bot._connection.guild_ready_timeout = guild_ready_timeout
    connect: asyncio.Task[None] | None = None
    surfaced = False  # whether the connection task's outcome was already raised
    try:
        async with asyncio.timeout(timeout):
            await bot.login(fake.token if token is None else token)
        connect = asyncio.create_task(bot.connect(), name=f"{type(bot).__name__}.connect")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {connect, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if connect in done:
                surfaced = True
                connect.result()  # the reason the bot never got ready
            raise TimeoutError(f"{bot!r} was not ready {timeout}s after connecting to the fake")
        yield bot
    finally:
        await bot.close()
        if connect is not None:
            async with asyncio.timeout(timeout):
                await asyncio.wait({connect})
            if not surfaced:
                connect.result()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running :class:`FakeDiscord` with discord.py pointed at it (and restored after).

    Configure it before starting a bot (``fake_discord.guilds = [payloads.guild()]``).
    Teardown fails the test if the fake itself raised, or if the bot hit a route
    the fake does not serve (unless the test set ``fake_discord.strict_routes = False``).
    """
    async with FakeDiscord() as fake:
        with redirect_discord(fake):
            yield fake
    assert not fake.internal_errors, f"the fake raised: {fake.internal_errors!r}"
    if fake.strict_routes:
        unknown = [str(r) for r in fake.unknown_requests]
        assert not unknown, f"requests to routes the fake does not serve: {unknown}"


@pytest.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``await start_bot(bot[, fake])`` starts ``bot``, returns it when ready, closes it after the test."""
    async with AsyncExitStack() as stack:

        async def start(bot: ClientT, fake: FakeDiscord | None = None, **options: Any) -> ClientT:
            return await stack.enter_async_context(
                running_bot(bot, fake or fake_discord, **options)
            )

        yield start

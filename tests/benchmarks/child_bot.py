"""Run the bot as its own process against a fake Discord on 127.0.0.1 (benchmark use only).

    RUNON_FAKE_REST=http://127.0.0.1:PORT/api/v10 RUNON_FAKE_GATEWAY=ws://127.0.0.1:PORT/ \\
    DISCORD_TOKEN=... RUNON_DATA_DIR=... python -m tests.benchmarks.child_bot run

Why a launcher: the benchmark measures ``runon-bot run`` as a whole process
(start-up time, peak memory), and a separate process cannot be redirected from
outside. This module points discord.py's REST base and default gateway at the
fake, exactly what :func:`tests.fakediscord.redirect_discord` does in-process,
and then hands over to the real command line unchanged (``bot.cli.main``).

``ping`` instead of ``run`` starts the floor bot (:class:`PingBot`) the same
way, so the out-of-process round trip has a floor measured on equal terms
(its heap frozen once set up, as the bot's is).
Both stop cleanly on SIGTERM. Refuses to start unless both URLs are on
127.0.0.1, so it can never talk to the real Discord by mistake.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from urllib.parse import urlsplit

import discord.gateway
import discord.http
import yarl

REST_ENV = "RUNON_FAKE_REST"
GATEWAY_ENV = "RUNON_FAKE_GATEWAY"


def redirect_from_env() -> None:
    """Point discord.py at the fake named in the environment (loopback only)."""
    rest, gateway = os.environ.get(REST_ENV), os.environ.get(GATEWAY_ENV)
    if not rest or not gateway:
        raise SystemExit(f"child_bot: set {REST_ENV} and {GATEWAY_ENV} to the fake's URLs")
    for url in (rest, gateway):
        if urlsplit(url).hostname != "127.0.0.1":
            raise SystemExit(f"child_bot: {url} is not on 127.0.0.1; refusing to start")
    discord.http.Route.BASE = rest
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


async def run_floor(token: str) -> int:
    """The floor bot until SIGTERM/SIGINT, with the same shutdown as ``runon-bot run``.

    Its heap is frozen once it is set up, as the real bot freezes its own
    (:func:`bot.knowledge.freeze_long_lived`): the collector then costs both alike,
    and the ratio is the bot's work alone.
    """
    from bot.knowledge import freeze_long_lived
    from tests.fakediscord.ping_bot import PingBot

    bot = PingBot()
    sync = bot.setup_hook

    async def setup_hook() -> None:
        await sync()
        freeze_long_lived()

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(token)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    redirect_from_env()
    if argv[:1] == ["ping"]:
        return asyncio.run(run_floor(os.environ["DISCORD_TOKEN"]))
    from bot.cli import main as cli_main

    return cli_main(argv or ["run"])


if __name__ == "__main__":
    raise SystemExit(main())

"""Run the real RunOnBot against the fake Discord, with a real store on tmp_path."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.client import RunOnBot
from bot.config import Config
from bot.core.loader import load_factbase
from bot.knowledge import Knowledge
from bot.store import Store
from tests.conftest import DATA_FILE
from tests.fakediscord import payloads
from tests.fakediscord.fixtures import fake_discord, start_bot  # noqa: F401

GUILD = payloads.guild()


@pytest.fixture(scope="session")
def factbase():
    return load_factbase(DATA_FILE)


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(data_dir=tmp_path, cooldown_seconds=0)


@pytest.fixture
async def store(config):
    async with Store.open(config.database_path) as opened:
        yield opened


@pytest.fixture
async def runon(fake_discord, start_bot, store, config, factbase):  # noqa: F811 -- fixtures
    """The bot, connected and synced; returns (bot, fake)."""
    fake_discord.guilds = [GUILD]
    bot = RunOnBot(config=config, store=store, knowledge=Knowledge(factbase))
    await start_bot(bot)
    return bot, fake_discord


class Caller:
    """Invoke a command the way a Discord client would, and wait for the callback."""

    def __init__(self, fake, where=None):
        self.fake = fake
        self.where = where or payloads.in_guild(GUILD)

    async def __call__(self, name: str, options: dict | None = None, *, sub: str | None = None, where=None):  # fmt: skip
        sent = await self.fake.interact(payloads.slash_command(self.fake.command(name), options or {}, sub=sub, where=where or self.where))  # fmt: skip
        return sent, await sent.callback(timeout=5)


@pytest.fixture
def call(runon):
    return Caller(runon[1])


def with_config(bot: RunOnBot, **changes) -> None:
    bot.config = replace(bot.config, **changes)

"""The served fact base: swapped whole, and kept out of the garbage collector's walks."""

from __future__ import annotations

import gc
import weakref

from bot.client import RunOnBot
from bot.config import Config
from bot.core.loader import load_factbase
from bot.core.spoilers import Viewer
from bot.knowledge import Knowledge, freeze_long_lived
from bot.store import Store
from tests.conftest import DATA_FILE
from tests.fakediscord import payloads
from tests.fakediscord.fixtures import fake_discord, start_bot  # noqa: F401


def test_a_replaced_engine_is_freed_even_though_the_bot_froze_it():
    """A frozen object is never collected; an engine with a reference cycle would stay
    forever after a moderator's edit replaced it. Freed by its reference count, it goes."""
    knowledge = Knowledge(load_factbase(DATA_FILE))
    knowledge.engine.ask("what does seon-gyeom's dad do", Viewer(progress=16))
    knowledge.engine.recap(8, Viewer(progress=8))
    freeze_long_lived()
    old = weakref.ref(knowledge.engine)
    new = knowledge.replace(knowledge.base)
    assert old() is None
    assert knowledge.engine is new


async def test_the_bot_freezes_what_it_loaded_once_set_up(fake_discord, start_bot, tmp_path):  # noqa: F811
    gc.unfreeze()
    config = Config(data_dir=tmp_path, cooldown_seconds=0)
    fake_discord.guilds = [payloads.guild()]
    async with Store.open(config.database_path) as store:
        knowledge = Knowledge(load_factbase(DATA_FILE))
        assert gc.get_freeze_count() == 0
        await start_bot(RunOnBot(config=config, store=store, knowledge=knowledge))
        frozen = gc.get_freeze_count()
        # The engine's index is among what was frozen: not one of its objects is tracked.
        assert frozen > 0
        assert not any(o is knowledge.engine.index.postings for o in gc.get_objects())

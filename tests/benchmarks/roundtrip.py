"""Round trips through Discord's protocol: the real bot and the floor bot against the fake.

A round trip is what :attr:`SentInteraction.latency` measures: from the fake
writing INTERACTION_CREATE on the gateway socket to the fake receiving the
bot's interaction callback over HTTP. Everything discord.py and the bot do in
between is inside it (JSON decoding, building the Interaction, the command
tree, the store, the engine, rendering, the HTTP request).

The floor is :class:`PingBot`, a discord.py bot whose one command replies with
a constant: whatever the real bot costs beyond it is the bot's own doing.
Floor and bot sessions alternate (``Plan.rounds``) so that the machine's
drift hits both alike, and results are reported as ratios to the floor.

In process, the fake and the bot share one event loop and one core, so an
absolute time here is not what a user would see; the ratio is the figure.
:func:`tests.benchmarks.process.run_processes` repeats the burst with the
bot in its own process.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import itertools
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.client import RunOnBot
from bot.config import Config
from bot.core.model import FactBase
from bot.knowledge import Knowledge, freeze_long_lived
from bot.store import Store
from tests.benchmarks.common import ASKED_BEFORE, Plan, summary_ms
from tests.fakediscord import FakeDiscord, SentInteraction, payloads, redirect_discord
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.ping_bot import PingBot
from tests.quality.evaluate import Question

COMMANDS = ("ask", "character", "episode", "recap", "ratings")
DIAGNOSTICS = (ASKED_BEFORE,)  # reported, judged against no target
FLOOR = "ping"
GUILD = payloads.guild()
DISCORD_WINDOW = 3.0  # Discord drops a first response later than this
# The fake enforces the window; a burst measures how late answers come, so the
# fake accepts them all and the benchmark counts the ones past Discord's window.
BENCH_WINDOW = 600.0
CALLBACK_TIMEOUT = 10.0  # one sequential interaction
COMPLETION_TIMEOUT = 2.0  # a command that fails never completes: note it and go on
BURST_TIMEOUT = 180.0  # a whole burst
POLL = 0.02

# A payload maker: (fake, i) -> INTERACTION_CREATE payload for the i-th interaction.
Maker = Callable[[FakeDiscord, int], dict[str, Any]]


def reader(progress: int) -> payloads.Where:
    """A reader in the benchmark guild whose user id encodes their progress (0..16)."""
    who = payloads.user(str(int(payloads.DEFAULT_USER_ID) + progress), f"reader{progress}")
    return payloads.in_guild(GUILD, by=who)


def reader_id(progress: int) -> int:
    return int(payloads.DEFAULT_USER_ID) + progress


def makers(base: FactBase, questions: Sequence[Question],
           where_for: Callable[[int], payloads.Where] | None = None) -> dict[str, Maker]:  # fmt: skip
    """Varied, valid options for each measured command.

    /ask asks the question set, each question from a reader who has watched as
    far as the question says; /character cycles through every character and
    actor name; /episode and /recap through episodes 1..16; readers cycle
    through progress 0..16. No request (options and reader) comes again before
    every one of its command has come once. Each is new to the engine's reply
    cache until then, but where readers share one reply, as a server's do: readers
    past a recap's last episode share one recap (about a third of the sequential
    /recaps come from the cache), and readers past the last episode a card looks at
    share one card (episodes 1-11 have no story facts, so about two thirds of the
    sequential /episodes, and the people's cards, about a third of the /characters). Past the end of the question set, /ask asks it again from
    readers one episode further on, so no two of the first ``17 × len(questions)``
    interactions are the same question from the same reader, as the issue's /ask
    means. ``where_for(i)`` instead puts every interaction elsewhere (the process
    benchmark uses a new user each time, as a crowd would).
    ``ASKED_BEFORE`` asks the first question every time, from the same reader.
    """
    # 300 characters: the /ask option's limit (Discord would refuse a longer value).
    # Each text once (the set asks a few again at other progress): with the shift below,
    # no question then comes twice from one reader.
    asked = list({q.q: q for q in questions if 1 <= len(q.q) <= 300}.values()) or [Question("who plays Mi-joo?", "who-plays")]  # fmt: skip
    names = [c.display_name for c in base.characters] + [p.name for p in base.people]
    wheres = [reader(p) for p in range(17)]

    def make(name: str, options: Callable[[int], dict], where: Callable[[int], payloads.Where]) -> Maker:  # fmt: skip
        where = where_for or where
        return lambda fake, i: payloads.slash_command(
            fake.command(name), options(i), where=where(i)
        )

    return {
        "ask": make(
            "ask",
            lambda i: {"question": asked[i % len(asked)].q},
            lambda i: wheres[(asked[i % len(asked)].watched + i // len(asked)) % 17],
        ),
        # Every name from every reader before any pair comes again: with i % 17 for the
        # reader, a name count that 17 divides would pair each name with one reader only.
        "character": make(
            "character",
            lambda i: {"name": names[i % len(names)][:100]},
            lambda i: wheres[i // len(names) % 17],
        ),
        "episode": make("episode", lambda i: {"number": i % 16 + 1}, lambda i: wheres[i % 17]),
        "recap": make("recap", lambda i: {"up_to": (i * 7) % 16 + 1}, lambda i: wheres[i % 17]),
        "ratings": make("ratings", lambda i: {}, lambda i: wheres[i % 17]),
        ASKED_BEFORE: make(
            "ask", lambda i: {"question": asked[0].q}, lambda i: wheres[asked[0].watched]
        ),
    }


def floor_maker() -> Maker:
    wheres = [reader(p) for p in range(17)]
    return lambda fake, i: payloads.slash_command(fake.command(FLOOR), where=wheres[i % 17])


class Tally:
    """Latencies per command and mode, and every answer that was not a 2xx callback."""

    def __init__(self) -> None:
        self.latencies: dict[str, dict[str, list[float]]] = {}
        self.failures: list[str] = []

    def add(self, name: str, mode: str, sent: SentInteraction) -> None:
        first = sent.requests[0] if sent.requests else None
        if sent.latency is None or first is None:
            self.failures.append(f"/{name} {mode}: no callback")
            return
        if not 200 <= (first.status or 0) < 300:
            self.failures.append(f"/{name} {mode}: callback {first.status} {first.error_code}")
        self.latencies.setdefault(name, {}).setdefault(mode, []).append(sent.latency)


async def wait_all_answered(sents: Sequence[SentInteraction], timeout: float,
                            check: Callable[[], None] | None = None) -> None:  # fmt: skip
    """Poll until every interaction has its callback; ``check`` may raise (a dead bot process).

    Polling, not the fake's waiters: a waiter per interaction would re-check
    every pending one on every event, which in a burst costs more than the bot.
    """
    pending = list(sents)
    async with asyncio.timeout(timeout):
        while pending:
            pending = [s for s in pending if s.latency is None]
            if pending:
                if check is not None:
                    check()
                await asyncio.sleep(POLL)


async def burst(fake: FakeDiscord, maker: Maker, count: int, start: int = 0,
                check: Callable[[], None] | None = None) -> list[SentInteraction]:  # fmt: skip
    """Build ``count`` payloads, then dispatch them all at once and wait for every callback."""
    built = [maker(fake, start + i) for i in range(count)]
    sents = await asyncio.gather(*(fake.interact(p) for p in built))
    await wait_all_answered(sents, BURST_TIMEOUT, check)
    return list(sents)


class Completions:
    """Interactions whose command has completely finished in the bot.

    The fake records a round trip when the callback arrives, but the bot is not
    done then: it still reads Discord's answer to its callback and finishes the
    command. Sequential interactions wait for that (discord.py's
    ``app_command_completion`` event, a public listener), so one round trip is
    measured at a time and the tail of the previous one never lands in the next.
    """

    def __init__(self, bot: commands.Bot) -> None:
        self.done: set[int] = set()
        self._changed = asyncio.Event()
        bot.add_listener(self._on_completion, "on_app_command_completion")

    async def _on_completion(self, interaction: discord.Interaction, command: object) -> None:
        self.done.add(interaction.id)
        self._changed.set()

    async def wait(self, sents: Sequence[SentInteraction], timeout: float = COMPLETION_TIMEOUT) -> bool:  # fmt: skip
        """Whether every one of ``sents`` completed within ``timeout`` (False: give up, go on)."""
        wanted = {int(s.id) for s in sents}
        try:
            async with asyncio.timeout(timeout):
                while not wanted <= self.done:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True


def phase_numbers(plan: Plan, offset: int) -> dict[str, range]:
    """The interaction numbers each phase of one session sends, from ``offset``.

    Each phase has its own (warm-up last), so what one phase asked is not asked
    again in a later one: a repeat is served from the reply cache, and /ask
    would look faster than a new question is.
    """
    sequential = range(offset, offset + plan.sequential)
    burst = range(sequential.stop, sequential.stop + plan.burst)
    return {"sequential": sequential, "burst": burst, "warmup": range(burst.stop, burst.stop + plan.warmup)}  # fmt: skip


async def measure(fake: FakeDiscord, bot: commands.Bot, named: dict[str, Maker], plan: Plan,
                  tally: Tally, offset: int, fresh: Callable[[], None]) -> None:  # fmt: skip
    """Warm up, then sequential (commands interleaved), then one burst per command.

    ``fresh()`` runs after the warm-up and before each burst: the bot then starts
    the phase with nothing remembered of the requests before it, as after a
    moderator's edit: its code warm, its reply cache empty. Without it, the warm-up's requests and
    the sequential ones (a command has only so many: 16 episodes × 17 readers)
    would come back as cache hits in the phases after them.
    """
    completions = Completions(bot)
    numbers = phase_numbers(plan, offset)
    for i, name in itertools.product(numbers["warmup"], named):
        sent = await fake.interact(named[name](fake, i))
        await sent.callback(timeout=CALLBACK_TIMEOUT)
        await completions.wait([sent])
    fresh()
    for i in numbers["sequential"]:
        for name, maker in named.items():
            sent = await fake.interact(maker(fake, i))
            await sent.callback(timeout=CALLBACK_TIMEOUT)
            if not await completions.wait([sent]):
                tally.failures.append(f"/{name} sequential: the command did not complete")
            tally.add(name, "sequential", sent)
    for name, maker in named.items():
        fresh()
        sents = await burst(fake, maker, plan.burst, numbers["burst"].start)
        if not await completions.wait(sents, BURST_TIMEOUT):
            tally.failures.append(f"/{name} burst: not every command completed")
        for sent in sents:
            tally.add(name, "burst", sent)


async def floor_session(plan: Plan, tally: Tally, offset: int) -> None:
    """The floor bot. In this one process the heap is frozen for it too, as the real bot
    freezes it once set up (:func:`bot.knowledge.freeze_long_lived`): the fake's and the
    harness's objects are then out of the collector's walks in both sessions alike."""
    async with FakeDiscord(guilds=[GUILD], interaction_window=BENCH_WINDOW) as fake:
        with redirect_discord(fake):
            async with running_bot(PingBot(), fake) as bot:
                freeze_long_lived()
                try:
                    await measure(fake, bot, {FLOOR: floor_maker()}, plan, tally, offset, freeze_long_lived)  # fmt: skip
                finally:
                    gc.unfreeze()


async def bot_session(plan: Plan, tally: Tally, offset: int, base: FactBase, questions: Sequence[Question],
                      profiler: Any = None) -> None:  # fmt: skip
    """The real RunOnBot: real store on a temporary folder, real fact base, cooldown off.

    With a ``profiler`` (pyinstrument), only the measured interactions are profiled.
    """
    async with AsyncExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="runon-bench-")))
        config = Config(data_dir=tmp, cooldown_seconds=0)
        store = await stack.enter_async_context(Store.open(config.database_path))
        for progress in range(17):
            await store.set_progress(reader_id(progress), progress)
        fake = await stack.enter_async_context(FakeDiscord(guilds=[GUILD], interaction_window=BENCH_WINDOW))  # fmt: skip
        stack.enter_context(redirect_discord(fake))
        bot = RunOnBot(config=config, store=store, knowledge=Knowledge(base))
        await stack.enter_async_context(running_bot(bot, fake))
        if profiler is not None:
            profiler.start()
        try:
            await measure(fake, bot, makers(base, questions), plan, tally, offset, lambda: forget(bot))  # fmt: skip
        finally:
            if profiler is not None:
                profiler.stop()
            gc.unfreeze()  # the bot froze the heap in its setup_hook; the next session starts clean


def forget(bot: RunOnBot) -> None:
    """The bot with an empty reply cache and the rest warm: a new engine over the same
    fact base (what an edit does), its heap frozen as the bot's start freezes it."""
    bot.knowledge.replace(bot.knowledge.base)
    freeze_long_lived()


def profile_bot(plan: Plan, base: FactBase, questions: Sequence[Question]) -> str:
    """One extra bot session, sequential only, under pyinstrument: where a round trip's time goes.

    Separate from the measured sessions, whose timings a profiler would distort.
    The fake's own work is in the profile too (it shares the loop); read the
    bot's branches (bot/, discord/app_commands, discord/interactions).
    """
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    plan = dataclasses.replace(plan, burst=0)
    asyncio.run(bot_session(plan, Tally(), 100_000, base, questions, profiler=profiler))
    return profiler.output_text(unicode=False, color=False, show_all=False)


def report(tally: Tally) -> dict:
    """Per command and mode: p50/p99 and their ratios to the floor's."""
    floor = tally.latencies.get(FLOOR, {})
    out: dict[str, Any] = {
        "note": "fake Discord and bot share one event loop in one process: compare ratios, not absolute times; "
        "sequential: each interaction once the bot has finished the previous one",
        "floor": {mode: summary_ms(samples) for mode, samples in floor.items()},
        "commands": {},
        "diagnostics": {},
        "failures": tally.failures[:20],
        "failure_count": len(tally.failures),
    }
    for name in COMMANDS + DIAGNOSTICS:
        for mode, samples in tally.latencies.get(name, {}).items():
            row = summary_ms(samples)
            base = out["floor"].get(mode)
            if base:
                row["ratio_p50"] = row["p50_ms"] / base["p50_ms"]
                row["ratio_p99"] = row["p99_ms"] / base["p99_ms"]
            row["over_discord_window"] = sum(s > DISCORD_WINDOW for s in samples)
            out["commands" if name in COMMANDS else "diagnostics"].setdefault(name, {})[mode] = row
    for mode, row in out["floor"].items():
        row["over_discord_window"] = sum(s > DISCORD_WINDOW for s in floor[mode])
    return out


async def run_in_process(plan: Plan, base: FactBase, questions: Sequence[Question]) -> dict:
    tally = Tally()
    for round_ in range(plan.rounds):
        offset = round_ * (plan.sequential + plan.burst + plan.warmup)
        await floor_session(plan, tally, offset)
        await bot_session(plan, tally, offset, base, questions)
    return report(tally)

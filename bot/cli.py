"""The ``runon-bot`` command: one door into the core for hosts and terminals.

Each sub-command parses its arguments, calls the core and prints; nothing here
knows more about facts than the core tells it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from bot.core.loader import load_factbase, shipped_data_path
from bot.core.model import LAST_EPISODE, FactBase
from bot.core.schema import FactBaseError


def _episode(text: str) -> int:
    """argparse type: an episode count 0..16."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= LAST_EPISODE:
        raise argparse.ArgumentTypeError(f"must be 0 to {LAST_EPISODE}")
    return value


def _config(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def _engine(config: Config):
    """The engine over the served base: the file, plus moderators' changes when a database exists."""
    from bot.core.answer import Engine

    if not config.database_path.exists():  # nothing changed yet: don't create a database to answer
        return Engine(load_factbase(config.fact_base))

    async def served():
        from bot.editing import FactEditor
        from bot.store import Store

        async with Store.open(config.database_path) as store:
            return (await FactEditor.open(store, config.fact_base)).knowledge.engine

    return asyncio.run(served())


def _ask(args: argparse.Namespace) -> int:
    from bot.core.spoilers import Viewer
    from bot.render.payload import to_content
    from bot.render.terminal import to_text

    engine = _engine(_config(args))
    viewer = Viewer(progress=args.watched, private=args.private, reveal=args.reveal)
    reply = engine.ask(args.question, viewer)
    if args.json:
        print(json.dumps({
            "answer": to_content(reply, title=False),
            "found": reply.found,
            "sources": list(reply.sources),
            "facts": list(reply.facts),
            "withheld": reply.withheld,
        }, ensure_ascii=False))  # fmt: skip
    else:
        print(to_text(reply))
    return 0


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    logging.getLogger("discord.http").setLevel(max(logging.INFO, logging.getLevelName(level)))


def _run(args: argparse.Namespace) -> int:
    from bot.client import run_bot

    config = _config(args)
    _setup_logging(config.log_level)
    return asyncio.run(run_bot(config))


def _sync(args: argparse.Namespace) -> int:
    """Log in over REST only (no gateway) and push the command list now."""
    from bot.client import RunOnBot
    from bot.editing import FactEditor
    from bot.store import Store

    config = _config(args)
    _setup_logging(config.log_level)
    if not config.token:
        print("runon-bot: no Discord token: set DISCORD_TOKEN, or token_file in the config", file=sys.stderr)  # fmt: skip
        return 2

    async def run() -> int:
        async with Store.open(config.database_path) as store:
            editor = await FactEditor.open(store, config.fact_base)
            bot = RunOnBot(config=config, store=store, editor=editor, sync_on_start=False)
            async with bot:
                await bot.login(config.token)
                await bot.sync_commands(force=True, guild_id=args.guild)
        return 0

    return asyncio.run(run())


def _console(args: argparse.Namespace) -> int:
    from bot.console import console_main
    from bot.editing import FactEditor
    from bot.store import Store

    config = _config(args)

    async def run() -> int:
        async with Store.open(config.database_path) as store:
            editor = await FactEditor.open(store, config.fact_base)
            return await console_main(editor.knowledge.engine, store)

    return asyncio.run(run())


def _facts_validate(args: argparse.Namespace) -> int:
    path = args.path or shipped_data_path()
    try:
        base = load_factbase(path)
    except FactBaseError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{path}: ok, {_summary(base)}")
    return 0


def _summary(base: FactBase) -> str:
    return (
        f"{len(base.facts)} facts, {len(base.characters)} characters, {len(base.people)} people, "
        f"{len(base.episodes)} episodes, {len(base.reviews)} reviews, {len(base.conflicts)} conflicts"
    )


def _facts_stats(args: argparse.Namespace) -> int:
    base = load_factbase(args.path)
    print(_summary(base))
    print("\nFacts by topic:")
    for topic, n in sorted(Counter(f.topic for f in base.facts).items()):
        print(f"  {topic:<14}{n:>5}")
    print("\nFacts per review (a fact may cite several):")
    per_review = Counter(s for f in base.facts for s in f.sources)
    for review in base.reviews:
        print(f"  {review.id:<14}{per_review[review.id]:>5}")
    print("\nFacts per episode gate (0 = premise):")
    per_gate = Counter(f.gate for f in base.facts)
    for gate in sorted(per_gate):
        print(f"  {gate:<14}{per_gate[gate]:>5}")
    derived = sum(f.derived for f in base.facts)
    print(
        f"\nDerived facts: {derived}; facts in a conflict: {sum(bool(f.conflict) for f in base.facts)}"
    )
    return 0


def _with_editor(args: argparse.Namespace, work) -> int:
    """Run ``work(editor, store)`` on the same database the bot uses."""
    from bot.editing import FactEditor
    from bot.store import Store

    config = _config(args)

    async def run() -> int:
        async with Store.open(config.database_path) as store:
            editor = await FactEditor.open(store, config.fact_base)
            return await work(editor, store)

    return asyncio.run(run())


def _terminal_actor():
    import getpass

    from bot.store import Actor

    return Actor(0, f"terminal ({getpass.getuser()})")


def _facts_export(args: argparse.Namespace) -> int:
    async def work(editor, store) -> int:
        text = editor.export()
        if args.path:
            from bot.files import write_atomic

            write_atomic(args.path, text.encode("utf-8"))
            print(f"wrote {args.path}: {len(editor.base.facts)} facts")
        else:
            sys.stdout.write(text)
        return 0

    return _with_editor(args, work)


def _facts_import(args: argparse.Namespace) -> int:
    from bot.editing import describe_plan

    async def work(editor, store) -> int:
        try:
            preview = await editor.preview_import(Path(args.path).read_bytes(), args.path)
        except FactBaseError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{args.path}: not imported, nothing changed", file=sys.stderr)
            return 1
        print(describe_plan(preview.plan))
        if preview.plan.empty:
            return 0
        if not args.yes:
            answer = await asyncio.to_thread(input, "Apply? [y/N] ") if sys.stdin.isatty() else ""
            if answer.strip().lower() not in ("y", "yes"):
                print("Not applied.")
                return 1
        revisions = await editor.apply_import(preview, _terminal_actor(), args.reason)
        print(f"Applied: {len(revisions)} facts changed.")
        return 0

    return _with_editor(args, work)


def _facts_history(args: argparse.Namespace) -> int:
    async def work(editor, store) -> int:
        revisions = await editor.history(args.id)
        if not revisions:
            print(f"{args.id}: no changes since the data file (revision 0)")
        for r in revisions:
            print(f"r{r.revision}  {r.created_at}  {r.action:<7} {r.user_name}  {r.reason}")
        return 0

    return _with_editor(args, work)


def _facts_revert(args: argparse.Namespace) -> int:
    from bot.editing import EditError

    async def work(editor, store) -> int:
        try:
            revision = await editor.revert(args.id, args.revision, _terminal_actor(), args.reason)
        except EditError as exc:
            print(f"runon-bot: {exc}", file=sys.stderr)
            return 1
        print(f"{args.id}: restored revision {args.revision} as r{revision.revision}")
        return 0

    return _with_editor(args, work)


def _facts_gaps(args: argparse.Namespace) -> int:
    async def work(editor, store) -> int:
        if args.dismiss:
            done = await store.dismiss_gap(args.dismiss)
            print("dismissed" if done else "no open question matches that")
            return 0 if done else 1
        for gap in await store.gaps(args.limit):
            print(f"{gap.count:>5}  {gap.question}  (first {gap.first_asked[:10]}, last {gap.last_asked[:10]})")  # fmt: skip
        return 0

    return _with_editor(args, work)


def _db_backup(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, backup_database

    config = _config(args)
    try:
        size = backup_database(config.database_path, args.path)
    except BackupError as exc:
        print(f"runon-bot: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {config.database_path} to {args.path} ({size:,} bytes, integrity ok)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runon-bot", description="A Discord bot that answers questions about Run On.")  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question from the terminal (no token needed)")
    ask.add_argument("question")
    ask.add_argument("--watched", type=_episode, default=0, metavar="N", help="episodes you have watched (default 0: premise only)")  # fmt: skip
    ask.add_argument(
        "--reveal", action="store_true", help="show what is past --watched, spoiler-tagged"
    )
    ask.add_argument("--private", action="store_true", help="answer as a private reply (spoilers up to --watched untagged)")  # fmt: skip
    ask.add_argument("--json", action="store_true", help="print one JSON object: answer, found, sources, facts, withheld")  # fmt: skip
    ask.add_argument("--config", help="config file (YAML)")
    ask.set_defaults(func=_ask)

    console = commands.add_parser("console", help="an interactive terminal with the slash commands")
    console.add_argument("--config", help="config file (YAML)")
    console.set_defaults(func=_console)

    run = commands.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    run.add_argument("--config", help="config file (YAML); without one, defaults are used")
    run.set_defaults(func=_run)

    sync = commands.add_parser("sync", help="push the slash commands to Discord now")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to this guild only (instant)")
    sync.add_argument("--config", help="config file (YAML)")
    sync.set_defaults(func=_sync)

    facts = commands.add_parser("facts", help="check and inspect the fact base")
    facts_cmds = facts.add_subparsers(dest="facts_command", required=True, metavar="ACTION")
    validate = facts_cmds.add_parser("validate", help="check a fact base file; list every problem")
    validate.add_argument("path", nargs="?", help="file to check (default: the shipped fact base)")
    validate.set_defaults(func=_facts_validate)
    stats = facts_cmds.add_parser("stats", help="counts by kind, per review and per episode gate")
    stats.add_argument("path", nargs="?", help="file to read (default: the shipped fact base)")
    stats.set_defaults(func=_facts_stats)

    export = facts_cmds.add_parser("export", help="write the served fact base (moderators' changes included) as YAML")  # fmt: skip
    export.add_argument(
        "path", nargs="?", help="file to write atomically (default: standard output)"
    )
    importer = facts_cmds.add_parser(
        "import", help="check a YAML file, show what changes, apply it"
    )
    importer.add_argument("path")
    importer.add_argument("--yes", action="store_true", help="apply without asking")
    importer.add_argument("--reason", default="import from the terminal")
    history = facts_cmds.add_parser("history", help="every change to one fact")
    history.add_argument("id")
    revert = facts_cmds.add_parser("revert", help="restore a fact as it was at a revision (0: as in the file)")  # fmt: skip
    revert.add_argument("id")
    revert.add_argument("revision", type=int)
    revert.add_argument("--reason", default="")
    gaps = facts_cmds.add_parser(
        "gaps", help="questions the bot could not answer, most asked first"
    )
    gaps.add_argument("--limit", type=int, default=20)
    gaps.add_argument("--dismiss", metavar="QUESTION", help="take a question off the list")
    for sub, func in ((export, _facts_export), (importer, _facts_import), (history, _facts_history), (revert, _facts_revert), (gaps, _facts_gaps)):  # fmt: skip
        sub.add_argument("--config", help="config file (YAML)")
        sub.set_defaults(func=func)

    db = commands.add_parser("db", help="the bot's database")
    db_cmds = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    backup = db_cmds.add_parser("backup", help="copy the database consistently, even while the bot runs")  # fmt: skip
    backup.add_argument("path", help="the file to write (replaced whole)")
    backup.add_argument("--config", help="config file (YAML)")
    backup.set_defaults(func=_db_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FactBaseError, ConfigError) as exc:
        print(f"runon-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`runon-bot ask ... | head`): not an error worth a
        # trace. Point stdout at /dev/null so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141

"""The ``runon-bot`` command: one door into the core for hosts and terminals.

Each sub-command parses its arguments, calls the core and prints; nothing here
knows more about facts than the core tells it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from bot.core.loader import load_factbase, shipped_data_path
from bot.core.model import FactBase
from bot.core.schema import FactBaseError


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
    print(f"\nDerived facts: {derived}; facts in a conflict: {sum(bool(f.conflict) for f in base.facts)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runon-bot", description="A Discord bot that answers questions about Run On.")  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    facts = commands.add_parser("facts", help="check and inspect the fact base")
    facts_cmds = facts.add_subparsers(dest="facts_command", required=True, metavar="ACTION")
    validate = facts_cmds.add_parser("validate", help="check a fact base file; list every problem")
    validate.add_argument("path", nargs="?", help="file to check (default: the shipped fact base)")
    validate.set_defaults(func=_facts_validate)
    stats = facts_cmds.add_parser("stats", help="counts by kind, per review and per episode gate")
    stats.add_argument("path", nargs="?", help="file to read (default: the shipped fact base)")
    stats.set_defaults(func=_facts_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FactBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130

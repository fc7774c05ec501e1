"""The terminal door: type commands as in Discord and see the replies.

``run_command`` is the whole behaviour (and what the tests drive); ``main``
only adds a prompt loop. The console is one reader, so replies are private
(plain up to the stored progress) and progress lives in the same database the
bot uses, under a user id no Discord account can have.
"""

from __future__ import annotations

import asyncio
import shlex

from bot.core.answer import Engine
from bot.core.model import LAST_EPISODE
from bot.core.reply import Reply, line
from bot.core.spoilers import Viewer
from bot.render.terminal import to_text
from bot.store import Store

CONSOLE_USER_ID = 0

HELP = """Commands (as in Discord):
  /show                      series overview
  /cast                      who plays whom
  /character NAME [reveal]   a character or actor, any spelling
  /episode N [reveal]        air date and what happens in episode N
  /episodes                  all 16 with air dates
  /ratings                   each review's score and the average
  /reviews                   the five reviews
  /plot [NAME] [reveal]      the story so far, optionally for one character
  /recap [N]                 the story through episode N (default: your progress)
  /ask QUESTION              a free question ("who plays Mi-joo?")
  /progress set N | show | clear
  /help, /quit"""


def _message(title: str, text: str, found: bool = True) -> Reply:
    return Reply(title=title, lines=(line(text),), private=True, found=found)


async def run_command(text: str, engine: Engine, store: Store, user_id: int = CONSOLE_USER_ID) -> str:  # fmt: skip
    """Run one console line and return what to print."""
    text = text.strip()
    if not text:
        return ""
    if not text.startswith("/"):
        text = "/ask " + text
    command, _, rest = text[1:].partition(" ")
    command = command.lower()
    try:
        args = shlex.split(rest)
    except ValueError:
        args = rest.split()
    reveal = bool(args) and args[-1].lower() == "reveal"
    if reveal:
        args = args[:-1]
    progress = await store.get_progress(user_id)
    viewer = Viewer(progress=progress, private=True, reveal=reveal)

    if command in ("help", "h", "?"):
        return HELP
    if command == "show":
        reply = engine.show(viewer)
    elif command == "cast":
        reply = engine.cast(viewer)
    elif command == "character":
        if not args:
            return "Usage: /character NAME"
        reply = engine.character(" ".join(args), viewer)
    elif command == "episode":
        number = _episode_arg(args, 1)
        if number is None:
            return f"Usage: /episode N (1 to {LAST_EPISODE})"
        reply = engine.episode(number, viewer)
    elif command == "episodes":
        reply = engine.episodes(viewer)
    elif command == "ratings":
        reply = engine.ratings(viewer)
    elif command == "reviews":
        reply = engine.reviews(viewer)
    elif command == "plot":
        reply = engine.plot(viewer, " ".join(args) or None)
    elif command == "recap":
        number = _episode_arg(args, 0) if args else progress
        if number is None:
            return f"Usage: /recap [N] (1 to {LAST_EPISODE})"
        reply = engine.recap(number, viewer)
    elif command == "ask":
        if not args:
            return "Usage: /ask QUESTION"
        reply = engine.ask(rest, viewer)
    elif command == "progress":
        reply = await _progress(args, store, user_id)
    elif command in ("quit", "exit", "q"):
        raise EOFError
    else:
        return f"Unknown command /{command}. Type /help."
    return to_text(reply)


def _episode_arg(args: list[str], minimum: int) -> int | None:
    if not args or not args[0].isdigit():
        return None
    number = int(args[0])
    return number if minimum <= number <= LAST_EPISODE else None


async def _progress(args: list[str], store: Store, user_id: int) -> Reply:
    action = args[0].lower() if args else "show"
    if action == "set":
        number = _episode_arg(args[1:], 0)
        if number is None:
            return _message(
                "Progress", f"Usage: /progress set N (0 to {LAST_EPISODE})", found=False
            )
        await store.set_progress(user_id, number)
        return _message("Progress", f"Saved: you've watched through episode {number}.")
    if action == "clear":
        await store.clear_progress(user_id)
        return _message("Progress", "Cleared: you'll only see the premise until you set it again.")
    if action == "show":
        number = await store.get_progress(user_id)
        return _message("Progress", f"You've watched through episode {number}." if number else "No progress set: you see the premise only.")  # fmt: skip
    return _message("Progress", "Usage: /progress set N | show | clear", found=False)


async def console_main(engine: Engine, store: Store) -> int:
    """The prompt loop; input is read in a thread so the event loop stays free."""
    print("Run On console. Type /help for commands, /quit to leave.")
    while True:
        try:
            text = await asyncio.to_thread(input, "runon> ")
            output = await run_command(text, engine, store)
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if output:
            print(output, flush=True)
            print()

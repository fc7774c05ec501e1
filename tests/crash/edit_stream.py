"""Child process for the kill -9 test: edits facts as fast as it can, forever.

Prints "committed <fact> <revision>" after each change is committed, and every
few changes exports the base with an atomic write. It is killed with SIGKILL at
an arbitrary moment; the parent then checks nothing committed was lost.
"""

import asyncio
import sys
from pathlib import Path

from bot.editing import FactEditor
from bot.files import write_atomic
from bot.store import Actor, Store

FACTS = ("mi-joo.job", "seon-gyeom.cool", "mae-yi.personality")


async def main(database: Path, data_file: Path, export: Path) -> None:
    async with Store.open(database) as store:
        editor = await FactEditor.open(store, data_file)
        actor = Actor(1, "crash-test", 1)
        n = 0
        while True:
            fact_id = FACTS[n % len(FACTS)]
            data = editor.fact_data(fact_id)
            revision = await editor.edit(fact_id, {**data, "text": f"Edit number {n} of this fact."}, actor, f"edit {n}")  # fmt: skip
            print(f"committed {fact_id} {revision.revision}", flush=True)
            if n % 5 == 0:
                await asyncio.to_thread(write_atomic, export, editor.export().encode())
            n += 1


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))

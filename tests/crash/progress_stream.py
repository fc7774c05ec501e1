"""Child process for the kill -9 test: writes reader progress as fast as it can, forever.

Prints "committed <user> <episode>" once ``Store.set_progress`` has returned
(the write is committed); it is killed with SIGKILL at an arbitrary moment.
"""

import asyncio
import sys
from pathlib import Path

from bot.store import Store


async def main(database: Path) -> None:
    async with Store.open(database) as store:
        n = 0
        while True:
            user, episode = 1000 + n, n % 17
            await store.set_progress(user, episode)
            print(f"committed {user} {episode}", flush=True)
            if n % 3 == 0:  # overwrites too, not only new rows
                await store.set_progress(1000 + n // 2, (n + 5) % 17)
                print(f"committed {1000 + n // 2} {(n + 5) % 17}", flush=True)
            n += 1


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))

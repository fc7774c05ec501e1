"""One bot process per database and per Discord token, enforced with OS file locks.

Two bots on one token answer every interaction twice (or race to, and one gets
"already acknowledged"); two on one database interleave their writes. Each
running bot holds an exclusive ``flock`` on a lock file beside its database and
on one named after a hash of its token, for as long as the process lives: the
OS releases both when it exits, however it exits (kill -9 included), so a
stale lock can never keep the bot from starting again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX (Windows): no flock
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


class AlreadyRunning(Exception):
    """Another process holds the lock; the message says which resource."""


class ProcessLock:
    """An exclusive lock on ``path``, held from :meth:`acquire` until :meth:`release`."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> ProcessLock:
        if fcntl is None:
            log.warning(
                "no file locks on this platform: nothing stops a second bot on %s", self.what
            )
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise AlreadyRunning(f"another runon-bot{who} is already running on {self.what}; stop it first") from None  # fmt: skip
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)  # for the message above; never trusted
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __enter__(self) -> ProcessLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def database_lock(database: Path) -> ProcessLock:
    return ProcessLock(database.with_name(database.name + ".lock"), f"the database {database}")


def token_lock(token: str, directory: Path | None = None) -> ProcessLock:
    """A lock named after the token's hash (the token itself is never written anywhere)."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    directory = directory or Path(tempfile.gettempdir())
    return ProcessLock(directory / f"runon-bot-{digest}.lock", "this Discord token")


def single_instance(database: Path, token: str, lock_dir: Path | None = None) -> ExitStack:
    """Both locks, or ``AlreadyRunning``; release them by closing the returned stack."""
    stack = ExitStack()
    try:
        stack.enter_context(database_lock(database))
        stack.enter_context(token_lock(token, lock_dir))
    except BaseException:
        stack.close()
        raise
    return stack

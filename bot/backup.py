"""``runon-bot db backup PATH``: a consistent copy of the live database.

SQLite's online backup API copies the database page by page under a read
transaction, so the copy is one consistent moment even while the bot writes:
in WAL mode a reader never blocks the writer, and what the WAL holds is in the
copy (a plain file copy would miss it, or catch a page mid-write). The copy is
written beside its target, checked with ``integrity_check``, switched to a
self-contained rollback journal, and only then renamed into place.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path


class BackupError(Exception):
    """The backup was not made; the message says why."""


def backup_database(source: Path | str, target: Path | str) -> int:
    """Copy the database at ``source`` to ``target`` (replaced whole); return its size in bytes."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        # mode=ro: a missing or unreadable database is an error, never a new empty one.
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src, \
                closing(sqlite3.connect(partial)) as dst:  # fmt: skip
            src.execute(f"PRAGMA busy_timeout = {5000}")
            src.backup(dst)  # all pages in one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"the copy failed its integrity check: {result}")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {source}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size

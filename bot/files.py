"""Writing files so that a crash at any moment leaves the old file or the new one, whole."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path | str, data: bytes) -> None:
    """Temporary file beside the target, flushed and fsynced, then renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself is durable too
    finally:
        os.close(directory)

"""Load the fact base from a file: read, parse safely, check, build.

The shipped file is found relative to the installed package (``bot.data`` maps to
the repository's ``data/`` folder), never relative to the working directory.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from bot.core.model import FactBase
from bot.core.schema import FactBaseError, Problem, build_factbase
from bot.core.yamlsafe import MAX_BYTES, Where, YamlError, load_located

DATA_FILE_NAME = "runon.yaml"


def shipped_data_path() -> Path:
    """The fact base that ships with the bot."""
    return Path(str(importlib.resources.files("bot.data").joinpath(DATA_FILE_NAME)))


def parse_factbase(text: str | bytes, path: str = "<text>") -> FactBase:
    """Parse and check YAML text; raise ``FactBaseError`` listing every problem."""
    try:
        root = load_located(text, path)
    except YamlError as exc:
        raise FactBaseError([Problem(exc.where, exc.message)]) from None
    return build_factbase(root, path)


def load_factbase(path: Path | str | None = None) -> FactBase:
    """Load the file at ``path`` (default: the shipped one)."""
    path = Path(path) if path is not None else shipped_data_path()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FactBaseError([Problem(Where(str(path), 1, 1), f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])  # fmt: skip
        data = path.read_bytes()
    except OSError as exc:
        raise FactBaseError(
            [Problem(Where(str(path), 1, 1), f"cannot read: {exc.strerror}")]
        ) from None
    return parse_factbase(data, str(path))

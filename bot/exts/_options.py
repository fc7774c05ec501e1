"""Option values read again in code: discord.py passes them on as Discord sent them.

``app_commands.Range`` only tells Discord the limits; discord.py does not check
them when the interaction arrives, nor that an INTEGER option is an ``int``
(JSON has one number type: ``8.0`` is a valid encoding of 8). A value outside
the command's range is refused with a short private message, never a crash.
"""

from __future__ import annotations

from typing import Any

from bot.client import UserError


def whole_number(value: Any, low: int, high: int, what: str) -> int:
    """``value`` as an int in ``[low, high]``, or a ``UserError`` naming the range."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 20:
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise UserError(f"{what} must be a whole number from {low} to {high}.")
    return number


def optional_whole_number(value: Any, low: int, high: int, what: str) -> int | None:
    return None if value is None else whole_number(value, low, high, what)


def text(value: Any) -> str:
    """A STRING option as text, whatever JSON type it came as (the core checks its length)."""
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def optional_text(value: Any) -> str | None:
    return None if value is None else text(value)

"""Render a ``Reply`` as plain terminal text.

No markdown escaping (a terminal shows it literally), but spoilers are marked
the same way Discord would mark them, so what a host sees is what users see.
"""

from __future__ import annotations

from bot.core.reply import Line, Reply
from bot.core.text import strip_invisible


def _clean(text: str) -> str:
    """Invisibles and control characters out; a bare CR (which would let text
    overwrite the line a terminal shows) becomes a newline."""
    return strip_invisible(text).replace("\r\n", "\n").replace("\r", "\n")


def _line(ln: Line) -> str:
    out = []
    for span in ln:
        text = _clean(span.text)
        out.append(f"||{_clean(span.spoiler)}: {text}||" if span.spoiler else text)
    return "".join(out)


def to_text(reply: Reply) -> str:
    parts = [_clean(reply.title), "=" * min(len(reply.title), 60)]
    parts += [_line(ln) for ln in reply.lines]
    for field in reply.fields:
        parts += ["", _clean(field.name) + ":"]
        parts += ["  " + _line(ln) for ln in field.lines]
    if reply.sources:
        parts += ["", _clean("Sources: " + ", ".join(reply.sources))]
    return "\n".join(parts)

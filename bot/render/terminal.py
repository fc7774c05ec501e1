"""Render a ``Reply`` as plain terminal text.

No markdown escaping (a terminal shows it literally), but spoilers are marked
the same way Discord would mark them, so what a host sees is what users see.
"""

from __future__ import annotations

from bot.core.reply import Line, Reply
from bot.core.text import strip_invisible


def _line(ln: Line) -> str:
    out = []
    for span in ln:
        text = strip_invisible(span.text)
        out.append(f"||{span.spoiler}: {text}||" if span.spoiler else text)
    return "".join(out)


def to_text(reply: Reply) -> str:
    parts = [strip_invisible(reply.title), "=" * min(len(reply.title), 60)]
    parts += [_line(ln) for ln in reply.lines]
    for field in reply.fields:
        parts += ["", strip_invisible(field.name) + ":"]
        parts += ["  " + _line(ln) for ln in field.lines]
    if reply.sources:
        parts += ["", "Sources: " + ", ".join(reply.sources)]
    return "\n".join(parts)

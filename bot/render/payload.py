"""Render a ``Reply`` to Discord-shaped payloads (plain dicts, no discord import).

All text is escaped span by span before it is wrapped, so nothing a fact or a
user wrote can open or close a spoiler, ping anyone or form a link. Every limit
Discord sets is respected by cutting whole spans, or a span's own text, never
the markup around it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.reply import Line, Reply, Span
from bot.core.text import escape_markdown, one_line

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
ELLIPSIS = "…"
NO_MENTIONS = {"parse": []}
EMBED_COLOUR = 0x3B82F6
SPOILER_COLOUR = 0x7C3AED


def render_span(span: Span) -> str:
    text = escape_markdown(span.text)
    if span.strong and text:
        text = f"**{text}**"
    if span.spoiler:
        text = f"||{escape_markdown(span.spoiler)}: {text}||"
    return text


def fit_span(span: Span, budget: int) -> str:
    """The span rendered within ``budget`` characters, its text cut if need be ("" if nothing fits)."""
    whole = render_span(span)
    if len(whole) <= budget:
        return whole
    if escape_markdown(span.text) == span.text:
        # Text that escaping leaves alone (most prose) leaves every prefix alone too, so
        # the cut is worked out, not searched for: the same string, without escaping
        # (and caching) a dozen trial cuts.
        room = budget - (len(whole) - len(span.text)) - len(ELLIPSIS)
        return render_span(Span(span.text[:room].rstrip() + ELLIPSIS, span.spoiler, span.strong)) if room >= 0 else ""  # fmt: skip
    return _searched_cut(span, budget)


def _searched_cut(span: Span, budget: int) -> str:
    """The longest cut of ``span`` whose rendering (escapes and all) fits ``budget``."""
    low, high = 0, len(span.text)
    best = ""
    while low <= high:  # the longest prefix of the raw text whose rendering fits
        mid = (low + high) // 2
        cut = span.text[:mid].rstrip() + ELLIPSIS
        rendered = render_span(Span(cut, span.spoiler, span.strong))
        if len(rendered) <= budget:
            best, low = rendered, mid + 1
        else:
            high = mid - 1
    return best


def _merge_plain(ln: Line) -> Line:
    """Adjacent plain spans as one, so escaping sees what a reader sees: "@" then
    "everyone", or "http:/" then "/x", must not join into live markup."""
    out: list[Span] = []
    for span in ln:
        if out and not (span.spoiler or span.strong or out[-1].spoiler or out[-1].strong):
            out[-1] = Span(out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def render_lines(lines: tuple[Line, ...], budget: int) -> str:
    """Lines joined by newlines, cut at span boundaries to stay within ``budget``.

    Each span is rendered (escaped) once; only a span that does not fit is cut.
    """
    out: list[str] = []
    used = 0
    for ln in lines:
        if len(ln) == 1:  # most lines are one span (a fact): nothing to merge or join
            rendered = [whole_line := render_span(ln[0])]
        else:
            ln = _merge_plain(ln)
            rendered = [render_span(span) for span in ln]
            whole_line = "".join(rendered)
        if not whole_line:
            continue  # an empty line takes no room (and must not end the reply)
        sep = 1 if out else 0
        room = budget - used - sep
        if len(whole_line) <= room:
            out.append(whole_line)
            used += sep + len(whole_line)
            continue
        parts = []
        for span, whole in zip(ln, rendered, strict=True):
            if not whole:
                continue
            piece = whole if len(whole) <= room else fit_span(span, room)
            if piece:
                parts.append(piece)
                room -= len(piece)
            if piece != whole:
                break  # this span was cut (or dropped): the line ends here
        if parts:
            out.append("".join(parts))
        break  # the line did not fit whole: nothing after it is shown
    return "\n".join(out)


SOURCES_MAX = 300  # a handful of review ids; never allowed to crowd out the answer


def footer_text(reply: Reply) -> str:
    """Citations; plain text (Discord renders no markdown in footers), invisibles out."""
    return one_line("Sources: " + ", ".join(reply.sources), SOURCES_MAX) if reply.sources else ""


@dataclass(frozen=True, slots=True)
class Payload:
    """What a cog sends: one embed (as a dict for ``discord.Embed.from_dict``) or content."""

    embed: dict | None
    content: str | None
    ephemeral: bool
    allowed_mentions: dict

    def as_json(self) -> dict:
        data: dict = {"allowed_mentions": self.allowed_mentions}
        if self.content is not None:
            data["content"] = self.content
        if self.embed is not None:
            data["embeds"] = [self.embed]
        if self.ephemeral:
            data["flags"] = 64
        return data


def to_embed(reply: Reply) -> dict:
    """One embed within every limit, the total included."""
    total = EMBED_TOTAL_MAX
    title = fit_span(Span(one_line(reply.title, TITLE_MAX)), TITLE_MAX) or "Run On"
    total -= len(title)
    footer = footer_text(reply)
    total -= len(footer)
    # Leave fields a fair share of the 6,000 characters the whole embed may use.
    reserve = min(2000, 300 * min(len(reply.fields), FIELDS_MAX))
    description = render_lines(reply.lines, min(DESCRIPTION_MAX, total - reserve))
    total -= len(description)
    fields = []
    for f in reply.fields[:FIELDS_MAX]:
        name = fit_span(Span(one_line(f.name, FIELD_NAME_MAX)), FIELD_NAME_MAX) or "—"
        if total - len(name) < 20:
            break
        # Discord refuses a blank field value, whitespace-only included.
        value = render_lines(f.lines, min(FIELD_VALUE_MAX, total - len(name))).strip() or "—"
        total -= len(name) + len(value)
        fields.append({"name": name, "value": value, "inline": f.inline})
    embed: dict = {"title": title, "type": "rich",
                   "color": SPOILER_COLOUR if reply.has_spoilers else EMBED_COLOUR}  # fmt: skip
    if description:
        embed["description"] = description
    if fields:
        embed["fields"] = fields
    if footer:
        embed["footer"] = {"text": footer}
    return embed


def to_payload(reply: Reply) -> Payload:
    return Payload(embed=to_embed(reply), content=None, ephemeral=reply.private, allowed_mentions=NO_MENTIONS)  # fmt: skip


def to_content(reply: Reply, limit: int = CONTENT_MAX, *, title: bool = True) -> str:
    """The reply as one markdown message (``ask --json`` leaves out the echoed question)."""
    blocks: list[tuple[Line, ...]] = [((Span(reply.title, strong=True),),)] if title else []
    blocks.append(reply.lines)
    for f in reply.fields:
        blocks.append(((Span(f.name, strong=True),), *f.lines))
    footer = escape_markdown(
        footer_text(reply)
    )  # in content, unlike an embed footer, markdown is live
    budget = limit - (len(footer) + 1 if footer else 0)
    lines = tuple(ln for block in blocks for ln in block)
    text = render_lines(lines, budget)
    return f"{text}\n{footer}" if footer else text

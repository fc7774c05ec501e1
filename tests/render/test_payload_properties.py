"""Property tests: whatever text a reply carries, every renderer keeps Discord's
limits, closes exactly the spoiler tags it opened, and lets no user or
moderator text turn into a mention, a link or other live markup.

The text strategy mixes arbitrary Unicode with the fragments that break naive
renderers (pipes, backslashes, code fences, mentions, links, URLs with ``||``,
line-start markdown, invisibles, control characters), and sometimes repeats it
hundreds of times so every limit is reached.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.reply import Field, Line, Reply, Span
from bot.core.text import escape_markdown
from bot.render import payload
from bot.render.payload import to_content, to_embed, to_payload
from bot.render.terminal import to_text

HOSTILE = [
    "||", "|", "\\", "\\|", "\\\\||", "`", "``", "```", "```py\nx\n```", "*", "**", "_", "__",
    "~~", "> ", ">>> ", "# ", "-# ", "- ", "1. ", "[x](https://e.com/||a||)", "](", "[", "]",
    "(", ")", "<@123>", "<@!123>", "<@&456>", "<#789>", "</ask:1>", "<t:1:R>", "<:e:1>",
    "@everyone", "@here", "@", "everyone", "here", "@EVERYONE", "https://", "http://a.b/||x||",
    "discord://x", "www.e.com", "\n", "\r\n", "\t", " ", "\u200b", "\u202e", "\u2066", "\ufeff",
    "\x1b[2J", "\x00", "\x9b", "\u0301", "Ｍｉ－ｊｏｏ", "😀", "𝐀", "ep 3", ": ", "…",
]  # fmt: skip
fragment = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
short_text = st.lists(fragment, max_size=5).map("".join)


def repeated(strategy, most: int):
    """``strategy``'s value repeated 1 to ``most`` times: limits are reached with few draws."""
    return st.tuples(strategy, st.sampled_from([1, 1, 1, 2, 3, most])).map(lambda p: p[0] * p[1])


# Now and then a text long enough to reach every limit on its own.
text = repeated(short_text, 400)
label = st.one_of(st.none(), short_text)
span = st.builds(Span, text, label, st.booleans())
line = st.lists(span, min_size=1, max_size=3).map(tuple)
lines = repeated(st.lists(line, max_size=3).map(tuple), 8)
field = st.builds(Field, text, lines, st.booleans())
reply = st.builds(
    Reply,
    title=text,
    lines=lines,
    fields=repeated(st.lists(field, max_size=3).map(tuple), 12),
    sources=repeated(st.lists(short_text, max_size=3).map(tuple), 40),
    private=st.booleans(),
)


# --- what Discord would parse ------------------------------------------------------
def live_markup(text: str) -> list[tuple[int, str]]:
    """Markup tokens Discord would act on: escapes consumed the way its parser does
    (a backslash escapes the next character unless that is a letter, digit or space)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and not text[i + 1].isalnum() and not text[i + 1].isspace():  # fmt: skip
            i += 2
            continue
        for token in ("||", "**", "|", "*", "_", "~", "`", "[", "]", "<", ">"):
            if text.startswith(token, i):
                out.append((i, token))
                i += len(token)
                break
        else:
            i += 1
    return out


LINE_START_MARKDOWN = re.compile(r"(?m)^\s*(#|>|-|\+|\d+\.)")
# <@id>, <@&id> and <#id> need a live "<", which live_markup already refuses.
LIVE_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
LIVE_URL = re.compile(r"(https?|discord)://", re.IGNORECASE)


def labels_of(block: tuple[Line, ...]) -> list[str]:
    return [s.spoiler for ln in block for s in ln if s.spoiler]


def check_markdown_block(text: str, block: tuple[Line, ...]) -> None:
    """``text`` was rendered from ``block``: only the renderer's own markup is live."""
    tokens = live_markup(text)
    stray = [t for _, t in tokens if t not in ("||", "**")]
    assert not stray, f"live markup from user text: {stray} in {text!r}"
    pipes = [i for i, t in tokens if t == "||"]
    assert len(pipes) % 2 == 0, f"unclosed spoiler in {text!r}"
    labels = labels_of(block)
    assert len(pipes) // 2 <= len(labels), f"more spoiler tags than spoiler spans in {text!r}"
    for k in range(len(pipes) // 2):  # the k-th tag wraps the k-th spoiler span, label first
        inner = text[pipes[2 * k] + 2 : pipes[2 * k + 1]]
        assert inner.startswith(escape_markdown(labels[k]) + ": "), (k, inner[:80], labels[k][:80])
    # Given far more room (more than any one span's smallest cut needs), a cut
    # rendering grows; an uncut one comes out the same, with every spoiler there.
    if text == payload.render_lines(block, len(text) + 10_000):
        assert len(pipes) // 2 == len(labels)
    assert sum(t == "**" for _, t in tokens) % 2 == 0, f"unclosed bold in {text!r}"
    check_inert(text)


def check_inert(text: str) -> None:
    assert not LIVE_MENTION.search(text), f"live mention in {text!r}"
    assert not LIVE_URL.search(text), f"live URL in {text!r}"
    bad = [m.group(0) for m in LINE_START_MARKDOWN.finditer(text)]
    assert not bad, f"line-start markdown {bad} in {text!r}"
    controls = {c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\r\t\u200b"}  # fmt: skip
    assert not controls, f"control or invisible characters {controls!r}"


def embed_size(embed: dict) -> int:
    return (len(embed.get("title", "")) + len(embed.get("description", "")) + len(embed.get("footer", {}).get("text", ""))  # fmt: skip
            + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", [])))  # fmt: skip


# --- properties ----------------------------------------------------------------------
@given(reply)
def test_embed_keeps_every_limit_and_only_its_own_markup(r: Reply):
    embed = to_embed(r)
    assert 1 <= len(embed["title"]) <= payload.TITLE_MAX
    assert len(embed.get("description", "")) <= payload.DESCRIPTION_MAX
    assert len(embed.get("fields", [])) <= payload.FIELDS_MAX
    for f in embed.get("fields", []):
        # Discord refuses an empty or blank field name or value.
        assert 1 <= len(f["name"]) <= payload.FIELD_NAME_MAX and f["name"].strip()
        assert 1 <= len(f["value"]) <= payload.FIELD_VALUE_MAX and f["value"].strip()
    assert len(embed.get("footer", {}).get("text", "")) <= payload.FOOTER_MAX
    assert embed_size(embed) <= payload.EMBED_TOTAL_MAX

    check_markdown_block(embed["title"], ())
    check_markdown_block(embed.get("description", ""), r.lines)
    for f, source in zip(embed.get("fields", []), r.fields, strict=False):
        check_markdown_block(f["name"], ())
        if f["value"] != "—":
            check_markdown_block(f["value"], source.lines)
    # Discord shows a footer as plain text (no markdown, mentions or links): it
    # must only carry no invisibles or controls.
    footer = embed.get("footer", {}).get("text", "")
    assert not {c for c in footer if unicodedata.category(c) in ("Cc", "Cf")}, footer


@given(reply)
def test_content_and_payload_keep_limits_and_allow_no_mentions(r: Reply):
    for title in (True, False):
        text = to_content(r, title=title)
        assert len(text) <= payload.CONTENT_MAX
        block: list[Line] = [(Span(r.title, strong=True),)] if title else []
        block += r.lines
        for f in r.fields:
            block += [(Span(f.name, strong=True),), *f.lines]
        check_markdown_block(text, tuple(block))
    data = to_payload(r).as_json()
    assert data["allowed_mentions"] == {"parse": []}
    assert bool(data.get("flags", 0) & 64) == r.private


@settings(max_examples=100)
@given(reply)
def test_terminal_text_carries_no_control_sequences(r: Reply):
    text = to_text(r)
    controls = {c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t"}
    assert not controls, f"a terminal would act on {controls!r}"


# --- the cases the strategy is built to find, pinned ---------------------------------
def test_a_mention_split_across_spans_stays_dead():
    embed = to_embed(Reply(title="t", lines=((Span("@"), Span("everyone")), (Span("<"), Span("@123>")))))  # fmt: skip
    check_markdown_block(embed["description"], ((Span("@"), Span("everyone")), (Span("<"), Span("@123>"))))  # fmt: skip


def test_a_url_with_pipes_inside_a_spoiler_cannot_close_it():
    r = Reply(title="t", lines=((Span("see http://a.b/||x|| now", spoiler="ep 1"),),))
    text = to_embed(r)["description"]
    check_markdown_block(text, r.lines)
    assert len([t for _, t in live_markup(text) if t == "||"]) == 2


def test_mentions_and_links_glued_to_words_stay_dead():
    for hostile in (
        "@everyone1",
        "@here_x",
        "@Everyone's",
        "x_https://e.com/||a||",
        "_discord://x",
    ):
        r = Reply(title=hostile, lines=((Span(hostile),), (Span(hostile, spoiler="ep 2"),)))
        embed = to_embed(r)
        check_markdown_block(embed["title"], ())
        check_markdown_block(embed["description"], r.lines)


def test_sources_in_content_are_escaped():
    r = Reply(title="t", lines=((Span("x"),),), sources=("@everyone", "||a", "https://e.com"))
    check_markdown_block(to_content(r), ((Span("t", strong=True),), (Span("x"),)))


def test_a_blank_field_value_is_never_sent():
    embed = to_embed(Reply(title="t", fields=(Field("f", ((Span("\n \n"),),)),)))
    assert embed["fields"][0]["value"] == "—"


def test_an_empty_span_or_line_does_not_end_the_reply():
    r = Reply(title="t", lines=((Span(""), Span("seen", spoiler="ep 1")), (Span(""),), (Span("after"),)))  # fmt: skip
    description = to_embed(r)["description"]
    assert "seen" in description and description.endswith("after")
    cut = payload.render_lines(r.lines * 200, 300)  # and when cut, still the same way
    assert len(cut) <= 300 and "after" in cut


def test_a_numbered_line_shows_no_stray_backslash():
    assert escape_markdown("1. Mi-joo\n12. Seon-gyeom") == "1\\. Mi-joo\n12\\. Seon-gyeom"


# Prose with now and then a fragment that escaping changes: both ways of cutting get tried.
prose = st.lists(st.one_of(st.sampled_from(["a", "b", " ", "  ", "Mi-joo", "ep", ".", "1", "…"]), fragment), max_size=30).map("".join)  # fmt: skip


@given(st.builds(Span, repeated(prose, 20), label, st.booleans()), st.integers(-5, 400))
def test_a_span_cut_to_fit_is_the_longest_cut_whose_rendering_fits(s: Span, budget: int):
    """``fit_span`` works out the cut of text escaping leaves alone: it must be the one
    the search over every cut finds, and never longer than the budget."""
    fitted = payload.fit_span(s, budget)
    assert len(fitted) <= max(budget, 0)
    if len(payload.render_span(s)) > budget:
        assert fitted == payload._searched_cut(s, budget)

"""The Discord renderer keeps every limit and never cuts inside a tag."""

import re

from bot.core.reply import Field, Reply, Span, line
from bot.render import payload
from bot.render.payload import to_content, to_embed, to_payload


def spoiler_tags(text: str) -> int:
    return len(re.findall(r"(?<!\\)\|\|", text.replace("\\\\", "")))


def huge_reply() -> Reply:
    long = "word " * 2000
    lines = tuple(line(Span(long, spoiler="ep 3")) for _ in range(5))
    fields = tuple(Field("f" * 300, (line(Span(long, spoiler="ep 9")),)) for _ in range(40))
    return Reply(title="t" * 400, lines=lines, fields=fields, sources=tuple(f"s{i}" for i in range(900)))  # fmt: skip


def embed_size(embed: dict) -> int:
    return (len(embed.get("title", "")) + len(embed.get("description", "")) + len(embed.get("footer", {}).get("text", ""))  # fmt: skip
            + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", [])))  # fmt: skip


def test_embed_limits_hold_for_huge_replies():
    embed = to_embed(huge_reply())
    assert len(embed["title"]) <= payload.TITLE_MAX
    assert len(embed["description"]) <= payload.DESCRIPTION_MAX
    assert len(embed["fields"]) <= payload.FIELDS_MAX
    assert all(len(f["name"]) <= 256 and len(f["value"]) <= 1024 for f in embed["fields"])
    assert len(embed["footer"]["text"]) <= payload.FOOTER_MAX
    assert embed_size(embed) <= payload.EMBED_TOTAL_MAX


def test_truncation_keeps_spoiler_tags_closed():
    embed = to_embed(huge_reply())
    for text in [embed["description"], *(f["value"] for f in embed["fields"])]:
        assert spoiler_tags(text) % 2 == 0 and text.endswith("||")


def test_content_limit_and_closed_tags():
    text = to_content(huge_reply())
    assert len(text) <= payload.CONTENT_MAX
    assert spoiler_tags(text.rsplit("\n", 1)[0]) % 2 == 0


def test_hostile_fact_text_cannot_break_out_of_its_spoiler():
    reply = Reply(title="@everyone", lines=(line(Span("x|| @here <@1> [a](http://b) ||y", spoiler="ep 2")),))  # fmt: skip
    embed = to_embed(reply)
    assert spoiler_tags(embed["description"]) == 2
    assert "@everyone" not in embed["title"] and "@here" not in embed["description"]


def test_payload_never_allows_mentions_and_private_sets_flag():
    data = to_payload(Reply(title="t", private=True)).as_json()
    assert data["allowed_mentions"] == {"parse": []}
    assert data["flags"] == 64
    assert "flags" not in to_payload(Reply(title="t")).as_json()

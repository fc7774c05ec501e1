"""Folding for matching and escaping for display."""

import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import (
    _CONTROL,
    _LAUGH,
    _TOKEN,
    _UNAPOSTROPHED,
    compact,
    escape_markdown,
    fold,
    strip_invisible,
    tokens,
)


def test_invisible_ranges_match_unicodedata():
    every_cf = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")  # fmt: skip
    assert strip_invisible(every_cf + "a") == "a"


@pytest.mark.parametrize("spelling", ["Seon-gyeom", "seon gyeom", "SEONGYEOM", "Ｓｅｏｎ－ｇｙｅｏｍ", "Seon\u200b-gyeom", "Séon-gyeom"])  # fmt: skip
def test_spellings_fold_to_one_key(spelling):
    assert compact(spelling) == "seongyeom"


def test_fold_unifies_apostrophes():
    assert fold("Mi-joo’s") == fold("Mi-joo's")


def unescaped(text: str, token: str) -> int:
    """Occurrences of ``token`` not preceded by a backslash escape."""
    return len(re.findall(r"(?<!\\)" + re.escape(token), text.replace("\\\\", "")))


@pytest.mark.parametrize("hostile", ["||x||", "a|b", "`code`", "```block```", "[link](https://x.y/||z)", "\\||", "*b* _i_ ~~s~~"])  # fmt: skip
def test_escaped_text_has_no_live_markup(hostile):
    out = escape_markdown(hostile)
    assert unescaped(out, "|") == 0 and unescaped(out, "`") == 0 and unescaped(out, "[") == 0


@pytest.mark.parametrize(
    "ping", ["@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "@EveryOne"]
)
def test_mentions_are_broken(ping):
    out = escape_markdown(ping)
    assert not re.search(r"@(everyone|here)", out, re.IGNORECASE)
    assert not re.search(r"<@[!&]?\d", out)


def test_urls_do_not_autolink():
    assert "https://" not in escape_markdown("see https://example.com")


# fold and tokens take shortcuts for speed; these say the shortcuts read text as the
# plain definitions do.
_CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F])


@given(st.text(alphabet=st.characters(max_codepoint=0x7F) | st.sampled_from(_CONTROLS)))
def test_fold_of_ascii_drops_controls_as_the_pattern_does(text):
    assert fold(text) == _CONTROL.sub("", text).casefold().replace("`", "'")


_LAUGHS = st.sampled_from(["lol", "lmaooo", "hahaha", "hehe", "xd", "rofl", "haha1", "1lol", "lolx", "ha", "lo"])  # fmt: skip


@given(st.lists(_LAUGHS | st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), max_size=8))
def test_laughter_is_dropped_word_by_word(words):
    text = " ".join(words)
    found = [
        part for word in _TOKEN.findall(fold(text)) for part in _UNAPOSTROPHED.get(word, (word,))
    ]
    assert tokens(text) == [word for word in found if not _LAUGH.fullmatch(word)]

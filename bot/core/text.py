"""Text folding for matching, and neutralising text for display.

Matching folds what people type (full-width letters, accents, zero-width
characters, hyphens, case) to one form. Display escaping is what keeps user and
moderator text from closing a spoiler tag, pinging anyone or forming a link.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Format (Cf) characters are invisible: zero-width spaces and joiners, bidi
# controls, BOMs. They are never meaningful in a name or a question.
# (Unicode 14 ranges, as in Python 3.11; tests/core/test_text.py checks them against unicodedata.)
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_TOKEN = re.compile(r"[a-z0-9]+")
# C0 controls but tab, newline and CR; DEL; C1 controls (U+0080-U+009F: "\x9b" is a CSI to a terminal).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_invisible(text: str) -> str:
    """Drop zero-width, bidi and other format characters, and control characters."""
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def fold(text: str) -> str:
    """NFKC, casefold, accents off, invisibles out, apostrophes unified."""
    if text.isascii():  # the common case: nothing to normalise but case and controls
        if not text.isprintable():  # a C scan; most text has no control characters to drop
            text = _CONTROL.sub("", text)
        return text.casefold().replace("`", "'")
    text = unicodedata.normalize("NFKC", strip_invisible(text)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return text.translate(_APOSTROPHES)


# Contractions typed without their apostrophe, as "what's" and "don't" would tokenise.
_LAUGH = re.compile(r"l+m+a+o+|l+o+l+|(?:ha){2,}h?|(?:he){2,}h?|x+d+|r+o+f+l+")
# The same, as a whole word of tokens joined by spaces: one search, not one per token.
_LAUGH_WORD = re.compile(rf"\b(?:{_LAUGH.pattern})\b")
_UNAPOSTROPHED = {
    "whats": ("what", "s"), "whos": ("who", "s"), "wheres": ("where", "s"), "hows": ("how", "s"),
    "whens": ("when", "s"), "whys": ("why", "s"), "thats": ("that", "s"), "theres": ("there", "s"),
    "dont": ("don", "t"), "doesnt": ("doesn", "t"), "didnt": ("didn", "t"), "isnt": ("isn", "t"),
    "wasnt": ("wasn", "t"), "arent": ("aren", "t"), "werent": ("weren", "t"), "cant": ("can", "t"),
    "wont": ("won", "t"), "hasnt": ("hasn", "t"), "havent": ("haven", "t"),
    # chat shorthand, read as the words it stands for
    "wat": ("what",), "wut": ("what",), "wats": ("what", "s"), "ppl": ("people",),
    "wanna": ("want", "to"), "gonna": ("going", "to"), "bc": ("because",), "cuz": ("because",),
    "abt": ("about",), "bday": ("birthday",), "w": ("with",), "r": ("are",),
    # what a story's leads are called in reviews' and examiners' words
    "heroine": ("female", "lead"), "hero": ("male", "lead"),
    # a review's writer, whatever the review is ("the journey blogger")
    "blogger": ("reviewer",), "bloggers": ("reviewers",),
}  # fmt: skip


def tokens(text: str) -> list[str]:
    """Folded word tokens; possessive 's is split off ("mi-joo's" -> mi, joo, s), and a
    contraction typed without its apostrophe reads as with it ("whats" -> what, s)."""
    found = _TOKEN.findall(fold(text))
    if not _UNAPOSTROPHED.keys().isdisjoint(found):
        found = [part for word in found for part in _UNAPOSTROPHED.get(word, (word,))]
    if _LAUGH_WORD.search(" ".join(found)):  # "lmaooo", "hahaha": no words at all
        found = [word for word in found if not _LAUGH.fullmatch(word)]
    return found


def compact(text: str) -> str:
    """A name with every separator removed: "Seon-gyeom" == "seon gyeom" == "SEONGYEOM"."""
    return "".join(tokens(text))


# --- display --------------------------------------------------------------
# Characters that start Discord markdown anywhere in a line. Escaping each with a
# backslash makes it literal; "|" matters most, since "||" opens a spoiler.
_MARKDOWN_ANYWHERE = re.compile(r"([\\*_~`|\[\]<>])")
# Characters that are markdown only at the start of a line (headings, quotes, lists).
_MARKDOWN_LINE_START = re.compile(r"(?m)^(\s*)([#>\-+]|\d+(?=\.))")
# No \b after everyone/here: Discord may read "@everyone1" as @everyone and "1".
_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)", re.IGNORECASE)
# No \b before the scheme either: "_https://x" is escaped to "\_https://x", a live link.
_URL_SCHEME = re.compile(r"(?i)(https?|discord):(//)")


@functools.lru_cache(maxsize=4096)  # the same fact texts are escaped again and again
def escape_markdown(text: str) -> str:
    """Make arbitrary text inert in a Discord message.

    After this, the text cannot open or close a spoiler, a code span, a link or a
    mention, whatever it contains; what a reader sees is what was written.
    """
    text = strip_invisible(text)
    text = _MARKDOWN_ANYWHERE.sub(r"\\\1", text)
    # "1. x" becomes "1\. x": the list marker dies and no stray backslash shows.
    text = _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2).isdigit() else "\\" + m.group(2)), text)  # fmt: skip
    # A zero-width space after @ breaks @everyone / @here / <@id> as markup.
    text = _MENTION.sub("@\u200b", text)
    # Break auto-linking so a URL (which could carry "||") stays plain text.
    return _URL_SCHEME.sub(lambda m: f"{m.group(1)}:\u200b{m.group(2)}", text)


def one_line(text: str, limit: int) -> str:
    """Whitespace collapsed and cut to ``limit`` characters with an ellipsis."""
    text = " ".join(strip_invisible(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"

"""The fact base must be in our own words: no run of eight words shared with a review.

Review titles are names, so they are exempt; so is a short quoted line of dialogue
(under eight words), which is the only quoting the editors' rules allow.
"""

import re
from pathlib import Path

import yaml

from tests.conftest import DATA_FILE

RUN = 8
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("'", "")
    return _WORD.findall(text)


def _shingles(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _strings(node, exempt_keys=("title", "file")):
    """Every string in the YAML tree, skipping the values of exempt keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in exempt_keys:
                continue
            yield from _strings(value, exempt_keys)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, exempt_keys)
    elif isinstance(node, str):
        yield node


def shared_runs(data_text_strings, seed_texts) -> list[tuple[str, str]]:
    seed_runs = set()
    for text in seed_texts:
        seed_runs |= _shingles(_words(text))
    hits = []
    for s in data_text_strings:
        for run in _shingles(_words(s)):
            if run in seed_runs:
                hits.append((s, " ".join(run)))
                break
    return hits


def test_no_eight_word_run_from_any_review(seeds_dir: Path):
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    hits = shared_runs(_strings(data), seeds)
    assert not hits, "copied from a review:\n" + "\n".join(f"  {run!r} in {s!r}" for s, run in hits)


def test_the_check_catches_a_copied_sentence():
    seed = "Seon-gyeom's cool demeanour and calm temperament were better suited to more measured endeavours."
    copied = (
        "Critics said his cool demeanour and calm temperament were better suited to other work."
    )
    own = "He is calm and cool, and slower work suits him."
    assert shared_runs([copied], [seed])
    assert not shared_runs([own], [seed])

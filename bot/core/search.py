"""Lexical ranking of facts: the fallback when a question has no fixed shape.

Scores are IDF-weighted coverage: how much of what the question asks about
(its content words, after stemming and synonyms) a fact covers. Coverage, not a
raw score, is what lets the engine say "I don't know" when a question's key
words appear nowhere in a fact ("who composed the soundtrack?").
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from bot.core.model import Fact, FactBase
from bot.core.text import tokens

STOPWORDS = frozenset("""
a about after again all also am an and any are as at be been before being but by can
could did do does doing done during each for from get gets getting got had has have
having he her here hers herself him himself his how i if in into is it its itself just
me more most my no nor not of off on once only or other our out over own s same she
should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why
will with would you your tell me please know anything something happen happens happened
happening run on runon drama kdrama show series story thing things really actually
one ever still even go goes going went end up much many
""".split())  # fmt: skip

# Words a question may use for what a fact says in other words. Each group is
# one meaning; any member stands for all of them.
SYNONYM_GROUPS = [
    "die dies died death dead pass passes passed passing away deathbed funeral",
    "job work works working profession occupation career living employ employed",
    "kick kicked expel expelled remove removed fire fired drop dropped ban banned",
    "marry married marriage wedding arranged",
    "end ends ending ended finale final last conclusion conclude",
    "start starts begin begins beginning first premiere premiered debut",
    "air aired broadcast broadcasts release released premiere premiered",
    "watch stream streaming available netflix",
    "network channel broadcaster tv jtbc",
    "score rating rate rated stars star grade verdict",
    "gay sexuality coming come out comes outing lgbtq",
    "sick ill illness disease faint fainted fainting health",
    "direct directed director directs",
    "write wrote written writer screenwriter script screenplay",
    "break breakup split separate separated quits",
    "makeup reconcile reconciled reunite reunited reunion",
    "love romance romantic relationship date dating dates together couple",
    "meet met meeting meets encounter first",
    "translator translate translation subtitle subtitles subtitler interpreter",
    "agent agency agents manage management",
    "election vote votes elected campaign politics politician political",
    "genre genres kind type",
    "runtime long length duration minutes hour hours",
    "bully bullied bullying abuse abused assault",
    "party birthday surprise",
    "paint painting painter paintings art artist",
    "mother mom mum",
    "father dad",
    "run runner running sprint sprinter sprinting marathon athlete athletics track",
    "divorce divorced separate",
    "ramen noodles",
    "episode episodes ep eps",
    "compare compared similar like vibe comparison",
    "secret lie lied lying pretend pretended pretending fake",
    "cry cries cried crying tears",
    "asexual ace",
    "ceo vice president chairman heir heiress company business group seomyung",
]


def stem(word: str) -> str:
    """A light suffix strip, the same on both sides of a comparison."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _build_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        members = {stem(w) for w in group.split()}
        for m in members:
            table.setdefault(m, set()).update(members)
    return {k: frozenset(v) for k, v in table.items()}


SYNONYMS = _build_synonyms()


def terms(text: str) -> list[str]:
    """Content stems of a text, stopwords out."""
    return [stem(w) for w in tokens(text) if w not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class Hit:
    fact: Fact
    score: float
    coverage: float


class LexicalIndex:
    """Per-fact stem sets and their IDF, built once per fact base."""

    def __init__(self, base: FactBase, entity_names: dict[str, str]) -> None:
        self.base = base
        self.fact_terms: dict[str, frozenset[str]] = {}
        df: Counter[str] = Counter()
        for fact in base.facts:
            words = terms(fact.text) + terms(" ".join(fact.keywords))
            words += [stem(fact.topic)]
            for about in fact.about:
                words += terms(entity_names.get(about, about.replace("-", " ")))
            bag = frozenset(words)
            self.fact_terms[fact.id] = bag
            df.update(bag)
        n = max(len(base.facts), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.vocabulary = frozenset(df)

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)

    def rank(self, query_terms: list[str], candidates: list[Fact]) -> list[Hit]:
        """Facts by how much of the query they cover, best first."""
        wanted = list(dict.fromkeys(query_terms))
        if not wanted:
            return []
        total = sum(self.weight(t) for t in wanted)
        hits = []
        for fact in candidates:
            bag = self.fact_terms.get(fact.id, frozenset())
            covered = 0.0
            for term in wanted:
                if term in bag or (SYNONYMS.get(term, frozenset()) & bag):
                    covered += self.weight(term)
            if covered:
                hits.append(Hit(fact, covered, covered / total))
        hits.sort(key=lambda h: (-h.score, h.fact.gate))
        return hits

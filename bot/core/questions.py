"""Free questions: read what is asked, then answer from the facts or say "I don't know".

The pipeline, in order:
1. tokens, with the names in them found (any spelling, typos) and ordinary
   misspelt words corrected towards the fact base's own words;
2. a person named by relation ("Dan-ah's father") or by description ("the painter");
3. questions with a fixed shape: who plays / whom does an actor play / an
   episode's date / ratings / the cast / the premise / a review's details;
4. otherwise a lexical ranking over the facts, kept only when a fact covers
   most of what was asked, and conflicts shown with every claim.
Every fact passes through the reader's spoiler gate on its way out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from bot.core.model import LAST_EPISODE, Fact, Relation
from bot.core.names import RELATION_WORDS, Mention, relation_targets
from bot.core.reply import Line, Reply, Span, line
from bot.core.search import (
    HONORIFICS,
    IRREGULAR,
    LIGHT,
    STOPWORDS,
    SYNONYM_WEIGHT,
    SYNONYMS,
    question_words,
    stem,
    terms,
)
from bot.core.spoilers import Viewer
from bot.core.text import compact, fold, one_line, tokens

if TYPE_CHECKING:
    from bot.core.answer import Engine

MAX_QUESTION = 300
MAX_FAMILY = 5  # facts of one family shown together at most
LOOSE_COVERAGE = 0.4  # ... or this much, for a fact that stands out and a question of known words
LOOSE_MARGIN = 1.15  # how far ahead of the next fact it must score
MIN_COVERAGE = 0.6  # share of a question's weighted content words a fact must cover
COMMANDS_HINT = "Try /cast, /character, /episode, /plot or /reviews."
ENGLISH_ONLY = "I can only read questions asked in English."
# Words questions in other languages fans write in are full of, and no English word is
# (Indonesian/Malay, Tagalog, Portuguese, Spanish, French, German, Vietnamese; folded, so
# without accents). Left out: English words or names ("dan", "la", "do", "die", "ai", "kay",
# "yang", "ko", "uma", "est", "das", "sa").
_OTHER_LANGUAGE_WORDS = frozenset(["siapa", "apa", "ini", "itu", "dengan", "tidak", "bagaimana", "kapan", "mengapa", "kenapa", "dimana", "berapa", "pemeran", "nonton", "bisa", "apakah", "adalah", "mereka", "jadi", "sudah", "belum", "akhirnya", "sino", "ano", "ang", "ng", "mga", "bakit", "paano", "kailan", "saan", "gumaganap", "nangyari", "lang", "ba", "po", "yung", "niya", "talaga", "nila", "na", "onde", "quem", "fica", "feliz", "acontece", "quando", "porque", "posso", "assistir", "nao", "aqui", "ela", "voce", "qual", "sao", "tem", "muito", "isso", "esse", "essa", "episodio", "quien", "donde", "cuando", "que", "puedo", "cual", "esta", "este", "hay", "tiene", "pero", "muy", "capitulo", "interpreta", "qui", "quand", "pourquoi", "quoi", "elle", "joue", "regarder", "wer", "wann", "warum", "wie", "ist", "und", "der", "spielt", "nicht", "kann", "nguoi", "gi", "khong", "cua", "nao", "phim"])  # fmt: skip
STORY_TOPICS = ("event", "ending", "relationship")

_ACTOR_WORDS = frozenset(stem(w) for w in ["play", "plays", "played", "playing", "portray", "portrays", "actor", "actors", "actress", "cast", "role", "part", "character"])  # fmt: skip
_PROFESSION_WORDS = frozenset(stem(w) for w in ["actor", "actress"])
_CAST_WORDS = frozenset(stem(w) for w in ["cast", "actor", "actors", "actress", "star", "stars", "starring", "list", "full", "whole", "member", "members"])  # fmt: skip
_SUMMARY_WORDS = frozenset(stem(w) for w in ["average", "mean", "overall", "best", "worst", "highest", "lowest", "least", "most"])  # fmt: skip
_RATING_WORDS = frozenset(stem(w) for w in ["rating", "ratings", "score", "scores", "rated", "rate", "stars", "star", "average", "review", "reviews", "reviewer", "critic", "critics", "give", "gave", "overall", "best", "worst", "highest", "lowest", "least", "most", "like", "liked", "think", "thought", "out", "ten"])  # fmt: skip
_RATING_NOT_REVIEW = _RATING_WORDS - {stem("review")}
# Words that judge how well someone does a thing ("is Im Si-wan any good").
_JUDGING_WORDS = frozenset(stem(w) for w in ["good", "great", "bad", "decent", "convincing", "believable", "any", "well", "talented", "job"])  # fmt: skip
_SCORE_ONE = re.compile(r"\b\d{1,2}( \d{1,2}| out of \d{1,2}| stars?)? one\b")
_SAYS_REVIEW = frozenset(stem(w) for w in ["review", "reviewer", "critic"])
# What a word naming a person by what they are looks like: sprinter, translator,
# heiress, artist, student, politician, heroine, hero, lead, CEO.
_PERSON_NOUN = re.compile(
    r"(?:[^aeiou]er|or|ist|(?<![cs])ess|ete|ent|ant|ian|ine|ero|ead|eir|ceo)$"
)
# "the leads", "the main characters", "the protagonist": the lead characters.
_LEADS = re.compile(r"\b(main|lead|leading|central|principal)\s+(characters?|cast|roles?|couples?|actors?|actress(es)?|stars?|protagonists?|guys?|girls?|man|men|woman|women|ladies|lady)\b|\bleads\b|\bprotagonists?\b|\bthe lead\b")  # fmt: skip
_LEAD_WORDS = frozenset(stem(w) for w in ["two", "four", "2", "4", "main", "lead", "leads", "leading", "central", "principal", "character", "characters", "cast", "role", "roles", "couple", "couples", "actor", "actors", "actress", "actresses", "star", "stars", "protagonist", "protagonists", "play", "plays", "played", "name", "names", "list", "guy", "guys", "girl", "girls", "man", "men", "woman", "women", "lady", "ladies", "member", "members"])  # fmt: skip
# Words for "a person" that say nothing about which one: "the guy who paints".
_PERSON_WORDS = frozenset(stem(w) for w in ["guy", "guys", "man", "men", "woman", "women", "girl", "boy", "person", "lady", "dude", "fellow", "someone", "somebody", "character", "people", "kid"])  # fmt: skip
# Words that only point at the person already named ("a marathon guy"), unlike "kid" or "girl".
_REFERRING_WORDS = frozenset(stem(w) for w in ["guy", "guys", "dude", "fellow", "person", "man", "men", "woman", "women", "lady", "someone", "somebody"])  # fmt: skip
_PREMISE = stem("premise")  # what search.py reads "at the start of the show" as
_EPISODE_WORDS = frozenset(stem(w) for w in ["episode", "episodes", "ep", "eps", "e"])
# Words that name the first or last episode by its place ("the finale", "the first episode").
_EPISODE_BY_PLACE = frozenset(stem(w) for w in ["first", "last", "final", "finale", "premiere"])
_EPISODE_PARTS = frozenset(stem(w) for w in ["end", "ending", "ends", "finish", "finishes", "start", "beginning", "begin", "close", "closes", "cliffhanger", "final", "last", "scene", "recap", "summary", "summarise", "summarize", "synopsis"])  # fmt: skip
_FATE_WORDS = frozenset(stem(w) for w in ["end", "ending", "ends", "fate", "final", "eventually"])
# Words that open a clause setting the scene: "where does he live *after* he leaves".
_SUBORDINATORS = frozenset(["after", "before", "once", "since", "until", "while", "when", "whenever", "because"])  # fmt: skip
# What a question may ask of a review itself, rather than name it by.
_REVIEW_ASKS = frozenset(stem(w) for w in ["date", "dated", "publish", "published", "publication", "post", "posted", "written", "write", "wrote", "writer", "author", "year", "day", "month", "outlet", "site", "website", "release", "released", "comingout", "appear", "appeared", "come", "came", "online", "say", "says", "said", "think", "thought", "verdict", "paper", "newspaper", "magazine", "publisher", "publication", "website", "site", "outlet", "spoil", "spoils", "spoiler", "spoilers", "spoiled", "spoilt", "title", "titled", "entitled", "headline", "headlined", "level", "cover", "covers"])  # fmt: skip
_DATE_ASKS = frozenset(stem(w) for w in ["date", "dated", "publish", "published", "year", "month", "day"])  # fmt: skip
_AUTHOR_ASKS = frozenset(
    stem(w) for w in ["author", "write", "wrote", "written", "writer", "byline"]
)
_REVIEW_WORDS_STEMS = frozenset(
    stem(w)
    for w in [
        "review",
        "reviews",
        "reviewer",
        "reviewers",
        "critic",
        "critics",
        "piece",
        "article",
        "articles",
        "writeup",
    ]  # fmt: skip
)
# What asks for a review's record (its score, date, author, title), beside words no fact
# knows ("its score expressed out of 10"); what it says or thinks of a thing is no record
# ("what does the newspaper say about the soundtrack" is not known, not its verdict).
_RECORD_ASKS = (_RATING_WORDS | _REVIEW_ASKS) - _REVIEW_WORDS_STEMS - frozenset(stem(w) for w in ["say", "says", "said", "think", "thought", "like", "liked"])  # fmt: skip
# Where the noun a "what/which" question asks for ends, and nouns that ask for nothing.
_HEAD_STOPS = frozenset(["of", "do", "does", "did", "is", "are", "was", "were", "s", "has", "have", "had", "will", "would", "can", "could", "should", "the", "a", "an", "in", "on", "at", "to", "for", "from", "with", "about", "by", "and", "or", "it", "he", "she", "they", "i", "you", "we", "this", "that"])  # fmt: skip
_GENERIC_HEADS = frozenset(stem(w) for w in ["kind", "kinds", "type", "types", "sort", "sorts", "thing", "things", "way", "ways", "part", "parts", "one", "ones", "name", "happens", "happened", "lesson", "lessons", "message", "point", "exactly", "else", "other", "others", "more", "reason", "reasons", "role", "character", "characters", "people", "person", "episode", "episodes", "ep", "review", "reviews", "reviewer", "critic"])  # fmt: skip
# How a question opens: after a remark ("just finished ep 13, why ..."), and a yes/no one.
# "recap ep 13", "tell me about Dan-ah": asked without a question word.
_ASKING_VERBS = "recap|summarise|summarize|explain|describe|tell me"
_IMPERATIVE = re.compile(rf"({_ASKING_VERBS})\b")
_ASKS = re.compile(rf"(why|what|whats|who|whos|how|when|where|which|does|did|do|is|are|was|were|can|will|{_ASKING_VERBS})\b")  # fmt: skip
# What a question can ask of every review at once ("which reviews have a date").
_REVIEW_FIELDS = {
    "date": frozenset(stem(w) for w in ["date", "dated", "dates", "published", "publish", "posted", "post"]),  # fmt: skip
    "author": frozenset(stem(w) for w in ["author", "authors", "wrote", "write", "written", "writer", "writers", "byline"]),  # fmt: skip
}
_REVIEW_FIELD_WORDS = frozenset().union(*_REVIEW_FIELDS.values()) | frozenset(stem(w) for w in ["name", "names", "state", "states", "each", "carry", "show", "shows", "list"])  # fmt: skip
# What a review thought, not what it recounts.
_ASKS_OPINION = re.compile(r"\b(like|liked|love|loved|enjoy|enjoyed|think|thought|feel|felt|praise|praised|opinion|view)\b")  # fmt: skip
# "which episode has ...", "in what episode does ...": an episode number is what is asked.
_WHICH_EPISODE = re.compile(r"\b(what|which)\s+(episode|ep)\b")
# Where the show was shot: "where was it filmed", "where did they film the track scenes".
_ASKS_FILMING = re.compile(r"\bwhere\b.*\b(filmed|filming|shot|shooting)\b|\bwhere\b.*\b(film|shoot)\s+(the|it|this|that|run\s*on)\b|\b(filming|shooting)\s+locations?\b")  # fmt: skip
# "which newspaper ran ...", "what site published ...": the outlet is what is asked.
_ASKS_OUTLET = re.compile(r"(what|which) (newspaper|paper|outlet|site|website|publication|magazine|publisher)\b(?! (s )?(review|reviews|reviewer|critic)\b)")  # fmt: skip
_ASKS_GENRE = re.compile(r"(is|was|would you call)\s+(it|run\s*on|runon|the\s+show|this|this\s+show)\s+(a|an|more\s+of\s+a)\s+(\w+\s+){1,2}(drama|show|series|kdrama)\b")  # fmt: skip
_YES_NO = re.compile(r"(is|are|was|were|does|did|do|can|will)\b")
# A question asking to be told yes or no ("he dies right?", "who plays her, shin se kyung
# correct?", "how many episodes, 16 i think"): the tag asks nothing ("right" is no
# "rightful heir"), and what comes before it only guesses at the answer. "Right" after a
# copula is asked of ("which review is right").
_TAG_AFTER_COMMA = re.compile(r",\s*(right|correct|yeah|yea|ya|yes|true|innit|(is|are|was|were|do|does|did|has|have|can|will|wo|ca)n['’]?t (it|he|she|they|that|we|you)|is (that|it) (right|true|correct|so))\W*$", re.IGNORECASE)  # fmt: skip
# At the end without a comma, only of a statement ("seon gyeom quits right?"): a question
# ending in "right" asks it ("does mi joo turn right", "who is the girl on the right").
_TAG_AT_END = re.compile(r"\b(\w+)\s+(right|innit|correct|yeah|yea|i think|i guess|i believe)\W*$", re.IGNORECASE)  # fmt: skip
# "is it true that ...", not "is it true love", "is it right to skip", "is it correctly subtitled".
_TAG_IN_FRONT = re.compile(r"^\W*(so\s+)?(is\s+it|it\s+is|it['’]s|is\s+that)\s+(true|correct|right)\b(?!\s+(love|to|for|of|about|in|on|with)\b)\s*(that\b)?\s*,?\s*", re.IGNORECASE)  # fmt: skip
# The words a tag ends in: a question ending otherwise has none at its end.
_TAG_LAST_WORDS = frozenset(["right", "innit", "correct", "yeah", "yea", "ya", "yes", "true", "it", "he", "she", "they", "that", "we", "you", "so", "think", "guess", "believe"])  # fmt: skip
_COPULAS = frozenset(["is", "are", "was", "were", "be", "am", "s", "not", "all"])
# "is the break-up in ep 12 or 13": the second option an episode; both are what is asked.
_EPISODE_OPTION = re.compile(r"\s*(the\s+)?(ep|eps|episode)?\s*\d")
# What may stand between a name and a relation word: "dan ah younger brother".
_KIN_AGES = frozenset(["younger", "older", "elder", "little", "big", "baby", "kid"])
# How a reader says how far they are: "just finished ep 13", "binged to 14", "im on 12".
_PROGRESS_WORDS = frozenset(stem(w) for w in ["finished", "finish", "watched", "watch", "watching", "binged", "binge", "started", "start", "done", "currently", "now", "ep", "eps", "episode", "episodes", "upto", "till", "til", "until", "through", "thru", "last", "night", "today"])  # fmt: skip
# Words before a relation that say which one, not what they are ("his first client").
_QUALIFIERS = frozenset(["first", "new", "old", "only", "real", "current", "former", "late", "main", "other", "favourite", "favorite", "closest", "close", "dear", "beloved", "biggest", "own", "future", "eventual"])  # fmt: skip
# Short words that are no piece of a misspelt name next to them ("mae yee" is one;
# "mi-joo call things off" is not): the question words, and "call". Only words read
# otherwise when kept apart ("call things off"): "miss" kept apart finds nothing.
_NO_NAME_PIECES = frozenset(["s", "of", "and", "or", "the", "is", "who", "how", "why", "what", "does", "did", "when", "call"])  # fmt: skip
# Where one question ends and the next begins: "...? who ...", "... and who ...".
# A yes/no after ", and" only with the comma: "does Mi-joo and Seon-gyeom break up" is one.
_AND_START = re.compile(r"^(?:and|&|also|plus)\s+(?:also\s+)?", re.IGNORECASE)
_SEVERAL = re.compile(r"\?+\s+|,?\s+(?:and|&)\s+(?=(?:who|whos|what|whats|when|where|which|how|why)\b)|,\s+(?:and|&)\s+(?=(?:does|do|did|is|are|was|were)\b)", re.IGNORECASE)  # fmt: skip
_WH_WORD = re.compile(r"\b(who|whos|what|whats|when|where|which|how|why)\b", re.IGNORECASE)
MAX_PARTS = 4  # questions answered in one reply; more are read as one
# "Who becomes vice president? What about Dan-ah?": a name, and nothing asked of them.
_ASKS_ABOUT = re.compile(r"(what|how)\s+about\b|which\s+one\b")
_SIBLINGS = frozenset(["brother", "sister", "sibling", "siblings", "bro", "sis"])
# What starts a description after a relation: "Young-hwa's friend who is gay", "... with
# the crush on Ye-jun". A closed list: any words after a relation would take "does
# Seon-gyeom's dad win the election" for a description.
_DESCRIPTION_CONNECTORS = frozenset(["who", "whos", "that", "the", "which", "whom"])
_PRONOUNS = frozenset(["he", "she", "they", "him", "her", "them", "his", "hers", "their", "it", "its", "hes", "shes"])  # fmt: skip
# Words by which a later question leans on an earlier one: "... and what does he do",
# "Is it Dan-ah?" (a guess at the answer before), "and what is that out of 10", "which
# episodes does it cover" (the review just asked about, not the show).
_LEANING = _PRONOUNS | {"theyre", "that", "this"}
# "Variants" asks how a name is written only beside a word for a name.
_VARIANT_WORDS = frozenset(["variant", "variants"])
_NAME_ASKED = frozenset(["name", "names", "spelling", "spellings", "surname", "surnames"])
# Words that ask how a name is written.
_SPELLING_WORDS = frozenset(["spell", "spells", "spelled", "spelt", "spelling", "spellings", "romanise", "romanises", "romanised", "romanize", "romanizes", "romanized", "romanisation", "romanization", "romanisations", "romanizations", "variant", "variants"])  # fmt: skip
_THE_SHOW_AS_IT = frozenset(["it", "its"])
# How a remark after a question starts: the asker's own feelings ("that scene wrecked me").
_REMARK_START = re.compile(r"(that|this|i|im|omg|lol|ugh|honestly|tbh|literally|so)\b")
_SHOW_WORDS = frozenset(["show", "drama", "series", "kdrama", "runon"])
# What an "it" may mean instead of the show ("the last episode ... when does it air").
_NOT_THE_SHOW = frozenset(["episode", "ep", "finale", "scene", "scenes", "confession"])
# The phrase rules' token for "who is it for", "would people like it", "a good pick".
_SUITS = stem("whoisitfor")
_COPULA = re.compile(r"\b(is|are|was|were)\b")
# Where a sentence ends inside a message: after ?, ! or ., and at an ellipsis.
# An emoji ends one too ("just finished ep 13 😭😭 did he cry").
_SENTENCE_END = re.compile(r"(?<=[?!.])\s+|\.{2,}\s*|…\s*|\s*[\u2600-\u27bf\U0001f300-\U0001faff][\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u200d\s]*")
_CORRECTION = re.compile(r"\b(?:i mean|i meant|or rather|sorry,? i mean)\b", re.IGNORECASE)
# "who does the newspaper say plays Mi-joo", "which character does Herrera think is
# the funniest": a claim asked of a review, the clause after "say" being the question.
# Only "who" and "which" (else read as asking the review's author or a review); "...
# about the ending" is no clause: what the review says is asked.
_SAYS_CLAUSE = re.compile(
    r"^\s*(?P<wh>who|whom|which\s+\w+)\s+(?:does|do|did)\s+(?P<who>\S.{0,60}?)\s+"
    r"(?:say|says|said|think|thinks|reckon|reckons|believe|believes|feel|feels|claim|claims|suggest|suggests)\s+"
    r"(?:that\s+)?(?P<rest>(?!(?:about|of|on|regarding|to|in|at|as|for|with|it|so|was|were)\b)\w.*?)[\s?!.]*$",
    re.IGNORECASE,
)
# What "where" asks of the show itself ("where can I watch it", "where was it filmed").
_WHERE_SHOW_WORDS = frozenset(stem(w) for w in ["watch", "stream", "streaming", "available", "air", "aired", "broadcast", "set", "film", "filmed", "shot", "located", "find", "see", "buy", "rent"])  # fmt: skip
_WHO_HEADS = re.compile(
    r"^(which|what) (character|characters|person|people|one|guy|girl|man|woman)\b"
)
_AGREE_WORDS = frozenset(stem(w) for w in ["agree", "agrees", "agreed", "disagree", "disagrees", "disagreement", "disagreements", "differ", "differs", "conflict", "conflicting", "contradict", "contradicts", "dispute", "disputed"])  # fmt: skip
_SPOIL_WORDS = frozenset(
    stem(w) for w in ["spoil", "spoils", "spoiler", "spoilers", "spoiled", "spoilt"]
)
_RELATED_WORDS = frozenset(stem(w) for w in ["relation", "related", "relationship", "relate", "connection", "connected", "link", "linked", "tie", "ties", "know", "knows", "known", "family", "families", "relatives", "relative", "kin"])  # fmt: skip
_SPEECH = frozenset(stem(w) for w in ["say", "says", "said", "tell", "tells", "told"])
_NAME_WORDS = frozenset(stem(w) for w in ["name", "named", "called", "call", "full"])
_FULL_NAME_WORDS = frozenset(stem(w) for w in ["name", "names", "full", "last", "first", "family", "surname", "given", "real", "korean"])  # fmt: skip
_NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"])}  # fmt: skip
_NUMBER_STEMS = frozenset(stem(w) for w in _NUMBER_WORDS)
_COUNT_WORDS = frozenset([*(stem(w) for w in ["list", "lists", "listed", "thing", "things", "point", "points"]), *(stem(w) for w in _NUMBER_WORDS)])  # fmt: skip
_PRAISE_WORDS = frozenset(stem(w) for w in ["like", "likes", "liked", "love", "loved", "enjoy", "enjoyed", "praise", "praises", "praised", "best"])  # fmt: skip
# The topics of facts that give a review's views.
_VIEW_TOPICS = frozenset(["reception", "theme", "comparison"])
_DISLIKE_WORDS = frozenset(stem(w) for w in ["dislike", "dislikes", "disliked", "hate", "hated", "criticise", "criticised", "criticism", "criticisms", "complaint", "complaints", "flaw", "flaws", "weakness", "weaknesses", "worst"])  # fmt: skip
_EPISODE = re.compile(r"\b(?:episode|ep|eps|e)\s*\.?\s*(\d{1,2}|[a-z]+)\b")
_ANY_EPISODE = re.compile(r"\b(?:episode|ep|eps)\s*\.?\s*(\d+|[a-z]+)\b")
_LARGER_NUMBER_WORDS = {w: i for i, w in enumerate(["seventeen", "eighteen", "nineteen", "twenty"], 17)} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}  # fmt: skip
_ISO_DATE = re.compile(r"\b(\d{4})\s(\d{1,2})\s(\d{1,2})\b")
# Romance said with a verb: "who does Mi-joo date?", "who falls for Dan-ah?"
_ROMANCE = [(tuple(phrase.split()), rel) for phrase, rel in [
    *((f"{verb}", "lover") for verb in ["date", "dates", "dating", "dated", "love", "loves", "loved", "like", "likes", "kiss", "kisses", "kissed", "romance", "romances", "court", "courts"]),
    *((f"{verb} in love with", "lover") for verb in ["fall", "falls", "fell", "fallen", "falling"]),
    *((f"{verb} for", "lover") for verb in ["fall", "falls", "fell", "fallen", "falling"]),
    *((f"{verb} out with", "lover") for verb in ["go", "goes", "going", "went"]),
    *((f"{verb} up with", "lover") for verb in ["end", "ends", "ended", "ending"]),
    *((f"{verb} together with", "lover") for verb in ["get", "gets", "got"]),
    ("in love with", "lover"), ("crush on", "lover"), ("have a crush on", "lover"), ("has a crush on", "lover"),
    *((verb, "spouse") for verb in ["marry", "marries", "married", "wed", "weds"]),
]]  # fmt: skip
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}  # fmt: skip
_MONTH_STEMS = frozenset(stem(m) for m in _MONTHS)
_DAY_MONTH = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")|(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?)\b")  # fmt: skip


_NOT_ADVERBS = frozenset(["family", "bully", "lonely", "friendly", "elderly", "ugly", "holy", "jelly", "belly", "rally", "ally", "reply", "supply", "apply", "early", "july", "italy", "lily", "daily", "weekly", "monthly", "yearly", "deadly", "costly", "lovely", "likely", "silly", "only", "fly", "sly", "rely", "assembly", "comply", "anomaly", "melancholy", "homely", "manly", "womanly", "kindly", "orderly", "curly", "unlikely", "wily", "emily", "molly", "sally", "polly", "kelly", "billy", "holly"])  # fmt: skip


# How fans open a message to a group, in the languages of the server ("Chị ơi", "Mga sis",
# "Oi gente", "Kak", "Hola chicos"): words that address, never ask.
_GREETING_WORDS = frozenset(["hi", "hello", "hey", "heya", "hiya", "yo", "hola", "ola", "oi", "gente", "pessoal", "galera", "amigos", "amigas", "chicos", "chicas", "chingu", "chingus", "halo", "hallo", "hai", "kak", "kakak", "ka", "ate", "kuya", "mga", "sis", "guys", "gals", "bro", "bros", "fam", "friends", "everyone", "everybody", "all", "folks", "people", "chi", "anh", "em", "ban", "salut", "ciao", "annyeong", "annyeonghaseyo", "namaste", "alo", "aloha", "dear", "unnie", "unni", "eonni", "oppa", "hyung", "sunbae"])  # fmt: skip


def _greeting(remark: str) -> bool:
    """A short address to the group, and nothing else ("Chị ơi", "Kak", "Hola chicos")."""
    words = tokens(remark)
    return 0 < len(words) <= 4 and all(w in _GREETING_WORDS for w in words)


def _describes_from(words: list[str], i: int) -> bool:
    """Whether a description of who is meant starts at ``words[i]``, after a relation."""
    if i >= len(words):
        return False
    following = words[i + 1] if i + 1 < len(words) else ""
    # "with" only before an article: "is Mi-joo's boyfriend with her" says where he is.
    return words[i] in _DESCRIPTION_CONNECTORS or following == "one" or (words[i] == "with" and following in ("the", "a", "an"))  # fmt: skip


def _described_before(words: list[str], relation: int, in_name: set[int]) -> list[int]:
    """The words between an article and ``relation`` ("the *gay* best friend of ..."),
    less the ones that only say which ("best", "younger", "former"); none without the article."""
    start = relation
    while start > 0 and relation - start < 3 and words[start - 1] not in STOPWORDS and start - 1 not in in_name:  # fmt: skip
        start -= 1
    if start == relation or start == 0 or words[start - 1] not in ("the", "a", "an"):
        return []
    return [i for i in range(start, relation) if words[i] not in ("best", "love") and words[i] not in _KIN_AGES and words[i] not in _QUALIFIERS]  # fmt: skip


def _each_answered(title: str, parts: list[str], replies: list[Reply], viewer: Viewer) -> Reply:
    """One reply to several questions, each answer under its question, with its own note of
    what it held back: which question that was is part of the answer. A part's fields
    ("Reviews disagree") come under it as lines: gathered at the end, they would read
    as the last one's."""
    lines: list[Line] = []
    for part, reply in zip(parts, replies, strict=True):
        ends = "." if _IMPERATIVE.match(fold(part)) else "?"  # "tell me about Dan-ah."
        lines.append(line(Span(part.rstrip(" ?.!") + ends, strong=True)))
        lines += reply.lines
        for f in reply.fields:
            lines += [line(Span(f.name, strong=True)), *f.lines]
    withheld = sum(r.withheld for r in replies)
    return Reply(
        title=title, lines=tuple(lines), private=viewer.private,
        sources=tuple(dict.fromkeys(s for r in replies for s in r.sources)),
        facts=tuple(dict.fromkeys(f for r in replies for f in r.facts)), withheld=withheld,
    )  # fmt: skip


def _in_another_language(question: str) -> bool:
    """Whether a question is written in another script (Hangul, kana, Thai...) or language:
    then "I don't know" says why, and that the commands work whatever one's language."""
    letters = [c for c in question if c.isalpha()]
    if sum("LATIN" not in unicodedata.name(c, "") for c in letters) * 2 > len(letters):
        return True
    return len(_OTHER_LANGUAGE_WORDS.intersection(tokens(question))) >= 2  # two different ones


def _untagged(question: str) -> tuple[str, bool]:
    """The question without a tag asking to be told yes or no ("..., right?", "is it
    true that ..."), and whether it had one."""
    last = question.rstrip(" ?!.…)").rpartition(" ")[2].lower()
    if last not in _TAG_LAST_WORDS and question.lstrip(" \"'“(").lower()[:3] not in ("is ", "it ", "its", "it'", "it’", "so "):  # fmt: skip
        return question, False  # the usual question: no tag to look for
    front = _TAG_IN_FRONT.match(question)
    if front is not None and len(tokens(question[front.end() :])) >= 2:
        return _untagged(question[front.end() :])[0], True
    cut = _TAG_AFTER_COMMA.search(question)
    if cut is None:
        end = _TAG_AT_END.search(question)
        clause = question[question.rfind(",") + 1 :].strip()  # the statement the tag ends
        if end is None or fold(end.group(1)) in _COPULAS or _ASKS.match(fold(clause)):
            return question, False
        cut = end.start(2)
    else:
        cut = cut.start()
    untagged = question[:cut].rstrip(" ,")
    return (untagged, True) if len(tokens(untagged)) >= 2 else (question, False)


def _better(reply: Reply, other: Reply | None) -> Reply:
    """A retry's reply, when the whole question found nothing and the retry found something.

    Only then: a whole question whose answer is held back keeps saying so, rather than
    being answered by a part of it ("Dan-ah is the heir right? who becomes VP?").
    """
    return other if other is not None and other.found and not reply.found else reply


def _is_adverb(word: str) -> bool:
    return len(word) >= 5 and word.endswith("ly") and word not in _NOT_ADVERBS


def _quotes_title(words: list[str], joined: str, whole: str, title_words: frozenset[str]) -> bool:
    """Whether the words (``joined``: run together) hold a review's title (``whole``,
    compacted), entire or a long unbroken run of it ("a journey of self discovery and
    love" in "Run On (2020) – A ...")."""
    if len(whole) >= 8 and whole in joined:
        return True
    # Only a question sharing three of the title's words can hold a long run of it: the
    # cheap test first, the alignment (tens of microseconds) only then.
    if len(title_words.intersection(words)) < 3:
        return False
    match = SequenceMatcher(None, joined, whole, autojunk=False).find_longest_match(0, len(joined), 0, len(whole))  # fmt: skip
    return match.size >= 20


def _before_review(words: list[str]) -> set[str]:
    """Stems of the words said right before "review" ("the *ramen* review"), unless a
    number comes first: "the 5 star review" is a score, not the review that uses stars."""
    return {stem(words[i - 1]) for i, w in enumerate(words) if i and w in ("review", "reviews", "reviewer") and not (i > 1 and (words[i - 2].isdigit() or words[i - 2] in _NUMBER_WORDS))}  # fmt: skip


# Plurals of what the reviews list one by one: "what lessons", "which flaws".
_ENUMERATED = frozenset(["lessons", "themes", "messages", "morals", "flaws", "criticisms", "complaints", "strengths", "weaknesses", "positives", "negatives"])  # fmt: skip


def _asked_count(words: list[str]) -> int | None:
    """How many things a question asks for ("what three things", "list the ..."), if it says."""
    for i, word in enumerate(words[:-1]):
        number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if number and 2 <= number <= 6 and words[i + 1].endswith("s"):
            return number
    if "list" in words or "lists" in words:
        return 6
    # "what (life) lessons does it draw": a plural of what reviews enumerate asks for several.
    if words and words[0] in ("what", "which") and _ENUMERATED.intersection(words[1:4]):
        return 5
    return None


def _in_sentence(name: str) -> str:
    """A label as it reads mid-sentence: "the co-worker who ...", not "The co-worker ..."."""
    return name[0].lower() + name[1:] if name.startswith("The ") else name


@dataclass
class Parsed:
    """What a question asks, as far as words can tell."""

    words: list[str]  # folded tokens, typos corrected (names untouched)
    q: str  # the words joined, for phrase patterns
    mentions: list[Mention]
    entities: list[str]
    content: list[str]  # stems to search for: not names, relation words or stopwords
    asked: list[str]  # question words (who, when, where, ...)
    episode: int | None
    name_words: set[int]  # indices of words that are (pieces of) names


class QuestionAnswerer:
    def __init__(self, engine: Engine) -> None:
        # Held weakly: the engine owns this reader, and with no cycle between them a
        # replaced engine is freed at once, even after the bot froze it (bot/knowledge.py).
        self.engine = weakref.proxy(engine)
        self.base = engine.base
        self.names = engine.names
        self.index = engine.index
        name_tokens = {t for key_names in (engine.names.display.values(),) for n in key_names for t in tokens(n)}  # fmt: skip
        for c in self.base.characters:
            for a in c.aliases:
                name_tokens.update(tokens(a.name))
        for p in self.base.people:
            for a in p.aliases:
                name_tokens.update(tokens(a.name))
        self.name_tokens = frozenset(name_tokens)
        self.plain_words = self.index.word_set - self.name_tokens
        self.episode_by_date = {e.air_date: e.number for e in self.base.episodes}
        self._characters = frozenset(self.base.character_by_id)
        # The least gate of the facts that use each word: from when it is safe to say.
        self._first_said: dict[str, int] = {}
        for fact in self.base.facts:
            for t in self.index.fact_terms[fact.id]:
                self._first_said[t] = min(fact.gate, self._first_said.get(t, LAST_EPISODE))
        # What each character is, in words a description might use ("the painter").
        self.described_as: dict[str, frozenset[str]] = {}
        for character in self.base.characters:
            bag = set(terms(character.summary or ""))
            for fact in self.base.facts:
                if fact.about == (character.id,) and fact.gate == 0:
                    bag |= self.index.fact_terms[fact.id]
            self.described_as[character.id] = frozenset(bag)
        # Epithets ("the sprinter", "the male lead"): a character's own profile words,
        # usable as a name when they pick out that one character and no show or crew
        # fact ("the writer" is the screenwriter too).
        self._epithet_bags: dict[str, frozenset[str]] = {}
        self._vocabularies: dict[int, frozenset[str]] = {}  # by progress: see _vocabulary_through
        for character in self.base.characters:
            if character.gate > 0:
                continue
            bag = set(terms(character.summary or ""))
            for fact in self.base.facts_about(character.id):
                if fact.about == (character.id,) and fact.gate == 0 and fact.topic == "profile":
                    bag |= set(terms(fact.text + " " + " ".join(fact.keywords)))
            self._epithet_bags[character.id] = frozenset(bag)
        characters = set(self.base.character_by_id)
        self._show_bags = [self.index.fact_terms[f.id] for f in self.base.facts if not characters & set(f.about) and f.topic in ("series", "production", "cast")]  # fmt: skip
        self._epithets: dict[tuple[str, ...], str | None] = {}
        # Each title compacted, and its own words (not "run", "on", "review", in every title).
        self._titles = {r.id: (compact(r.title), frozenset(tokens(r.title)) - STOPWORDS - {"review", "kdrama", "k"}) for r in self.base.reviews}  # fmt: skip
        self._topic_labels = frozenset(stem(f.topic) for f in self.base.facts)
        # "the five reviews": how many there are, in digits or words.
        self._every_review = frozenset([str(len(self.base.reviews)), *(stem(w) for w, n in _NUMBER_WORDS.items() if n == len(self.base.reviews))])  # fmt: skip
        # A scale a score is given on ("out of 10") and "numeric": no review is named so.
        self._score_scales = frozenset([stem("numeric"), stem("numerical"), *(str(r.score.scale).removesuffix(".0") for r in self.base.reviews if r.score), "10"])  # fmt: skip
        # Title words a question may say before "review" to name one ("the closing-episodes
        # review", "the 'Full Review' blogger"): "review" itself counts here.
        self._title_pair_words = {r.id: frozenset(tokens(r.title)) - STOPWORDS for r in self.base.reviews}  # fmt: skip
        # The facts that say where (a keyword with "where" in it), for "where ..." about the show.
        self._where_facts = tuple(f for f in self.base.facts if any("where" in k for k in f.keywords))  # fmt: skip
        # The unit a review scores in ("8 out of 10 ramen"): "the ramen review" names it,
        # when no other review scores in it.
        units = {r.id: frozenset(t for t in terms(r.score.given) if not t.isdigit()) for r in self.base.reviews if r.score}  # fmt: skip
        self._review_units = {r: unit for r, unit in units.items() if not any(unit & other for o, other in units.items() if o != r)}  # fmt: skip
        self._author_words = frozenset(t for r in self.base.reviews if r.author for t in tokens(r.author))  # fmt: skip
        # The words that name a review ("unhurried", "herrera"), not ones a question
        # uses for other things ("full" in "full name").
        keyword_terms = {t for f in self.base.facts for t in terms(" ".join(f.keywords))}
        self._review_naming = {r.id: frozenset(t for t in terms(" ".join(filter(None, (r.id.replace("-", " "), r.author, r.outlet)))) if t not in keyword_terms) for r in self.base.reviews}  # fmt: skip

    # -- reading ----------------------------------------------------------------------
    def parse(self, question: str) -> Parsed:
        raw = self.names.split_possessives(tokens(question))
        # "Mae unnie": an honorific after a name says nothing; after a possessive ("SG's
        # hyung") it is a relation, which no fact has, so it stays and is not answered.
        if not HONORIFICS.isdisjoint(raw):
            raw = [w for i, w in enumerate(raw) if w not in HONORIFICS or (i and raw[i - 1] == "s")]
        mentions = self.names.mentions(raw, self.plain_words)
        in_name = {i for m in mentions for i in range(m.start, m.end)}
        words = [w if i in in_name else self.index.correct(w) for i, w in enumerate(raw)]
        q = " ".join(words)
        # A short unknown word right next to a name is a piece of a misspelt name ("mae yee");
        # a stopword is not ("is Seon-gyeom *at* the start of the show").
        for m in mentions:
            for i in (m.start - 1, m.end):
                if 0 <= i < len(words) and i not in in_name and len(words[i]) <= 4 and (words[i] == "s" or words[i] not in STOPWORDS) and words[i] not in self.index.word_set and stem(words[i]) not in self.index.idf and words[i] not in _NO_NAME_PIECES:  # fmt: skip
                    in_name.add(i)
        mentions = self._with_epithets(words, mentions, in_name)
        mentions = self._characters_of_actors(words, mentions, in_name)
        return Parsed(words, q, mentions, list(dict.fromkeys(m.entity for m in mentions)),
                      [], question_words(question), self._episode_number(q), in_name)  # fmt: skip

    def _characters_of_actors(self, words: list[str], mentions: list[Mention], in_name: set[int]) -> list[Mention]:  # fmt: skip
        """"Kang Tae-oh's character's job": the job of the one character that actor plays.
        Asked nothing more ("Choi Soo-young's character?"), who they play is the answer.
        """
        out = []
        for m in mentions:
            played = self.base.characters_played_by(m.entity) if m.entity in self.base.person_by_id else ()  # fmt: skip
            rest = [w for w in words[m.end + 2 :] if w not in STOPWORDS and w not in _SHOW_WORDS and w not in ("run", "on", "s", "name", "named", "called")]  # fmt: skip
            if len(played) == 1 and words[m.end : m.end + 2] in (["s", "character"], ["s", "role"]) and rest:  # fmt: skip
                m = Mention(played[0].id, m.start, m.end + 2)
                in_name.update(range(m.start, m.end))
            out.append(m)
        return out

    def _with_epithets(self, words: list[str], mentions: list[Mention], in_name: set[int]) -> list[Mention]:  # fmt: skip
        """Mentions plus people named by an epithet: "the sprinter('s)", "the male lead"."""
        found = []
        last = len(words) - 1
        for i, word in enumerate(words):
            starts = word == "the"
            if not starts and (i == last or words[i + 1] != "s"):  # "sprinter's" or "the ..." only
                continue
            for n in (2, 1) if starts else (1,):
                span = range(i + 1, i + 1 + n) if starts else range(i, i + 1)
                if span.stop > len(words) or in_name.intersection(span):
                    continue
                noun = words[span.stop - 1]
                following = words[span.stop] if span.stop < len(words) else ""
                if not starts and following != "s":  # "sprinter's agent" needs no "the"
                    continue
                if following == "of" or noun in RELATION_WORDS or noun in ("reviewer", "reviewers", "critic", "critics") or not _PERSON_NOUN.search(noun):  # "the herrera reviewer" is no one in the show  # fmt: skip
                    continue
                entity = self._epithet(tuple(terms(" ".join(words[j] for j in span))))
                if entity:
                    found.append(Mention(entity, i, span.stop))
                    in_name.update(range(i, span.stop))
                    break
        if not found:
            return mentions
        return sorted([*mentions, *found], key=lambda m: m.start)

    def _epithet(self, wanted: tuple[str, ...]) -> str | None:
        if wanted not in self._epithets:
            fits = [c for c, bag in self._epithet_bags.items() if wanted and all(t in bag for t in wanted)]  # fmt: skip
            shown = any(all(t in bag for t in wanted) for bag in self._show_bags)
            if len(self._epithets) > 10_000:  # bounded: questions are user text
                self._epithets.clear()
            self._epithets[wanted] = fits[0] if len(fits) == 1 and not shown else None
        return self._epithets[wanted]

    def _topic(self, p: Parsed) -> list[str]:
        """What a question asks about beyond the people and the episode it names."""
        return [t for t in self.content_of(p, set(p.name_words)) if t not in _EPISODE_WORDS and not t.isdigit() and t not in _NUMBER_STEMS]  # fmt: skip

    def content_of(self, p: Parsed, skip: set[int]) -> list[str]:
        return terms(" ".join(w for i, w in enumerate(p.words) if i not in skip and w != "s"))

    @staticmethod
    def _episode_number(q: str) -> int | None:
        for match in _EPISODE.finditer(q):
            raw = match.group(1)
            number = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
            if number is not None and 1 <= number <= LAST_EPISODE:
                return number
        if re.search(r"\b(last|final) episode\b|\bfinale\b", q):
            return LAST_EPISODE
        if re.search(r"\bfirst episode\b|\bpremiere episode\b", q) or (re.search(r"\bpremiere\b", q) and "when" in q):  # fmt: skip
            return 1
        return None

    @staticmethod
    def _episode_beyond(q: str) -> str | None:
        """An episode number past the last one ("episode 17", "ep 100", "episode twenty"),
        as typed (cut short), if the question names one."""
        for match in _ANY_EPISODE.finditer(q):
            raw = match.group(1)
            number = (
                int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, _LARGER_NUMBER_WORDS.get(raw))
            )
            if number is not None and number > LAST_EPISODE:
                return raw if not raw.isdigit() else raw[:6]
        return None

    def _no_such_episode(self, title: str, number: str, viewer: Viewer) -> Reply:
        c = self.engine.collector(viewer)
        for ep in self.base.episodes:
            c.cite(ep.sources)
        return c.reply(title, [line(f"Run On has {LAST_EPISODE} episodes, so there is no episode {number}.")])  # fmt: skip

    def _episode_on_date(self, q: str) -> int | None:
        for y, m, d in _ISO_DATE.findall(q):
            try:
                found = self.episode_by_date.get(dt.date(int(y), int(m), int(d)).isoformat())
            except ValueError:
                continue
            if found:
                return found
        for day1, month1, month2, day2 in _DAY_MONTH.findall(q):
            day, month = int(day1 or day2), _MONTHS[month1 or month2]
            for air_date, number in self.episode_by_date.items():
                date = dt.date.fromisoformat(air_date)
                if (date.month, date.day) == (month, day):
                    return number
        return None

    # -- answering ----------------------------------------------------------------------
    def ask(self, question: str, viewer: Viewer) -> Reply:
        question = one_line(question, MAX_QUESTION)
        title = question or "Question"
        parts = self._several_questions(question)
        if parts:
            replies = [self._ask_one(part, part, viewer) for part in parts]
            if any(r.found for r in replies):
                return _each_answered(title, parts, replies, viewer)
        reply = self._ask_one(question, title, viewer)
        # Only in place of the plain "the reviews don't say": a reason of its own ("no review
        # names who plays Je-wook") is kept.
        if not reply.found and _in_another_language(question) and reply == self.dont_know(title, viewer):  # fmt: skip
            return self.dont_know(title, viewer, ENGLISH_ONLY)
        return reply

    def _several_questions(self, question: str) -> list[str]:
        """ "who directed Run On and who wrote the screenplay?", "who plays mi joo? who plays
        dan ah?": the questions, when each asks something of its own; else none.

        A later one that leans on an earlier one ("who is Dan-ah's brother, and what does
        he do") is no question alone, so the whole is then read as one.
        """
        if not _SEVERAL.search(question):
            return []
        # "who wrote run on? and who directed it": a sentence may start with "and".
        parts = [p for p in (_AND_START.sub("", piece.strip(" ,;")) for piece in _SEVERAL.split(question)) if p]  # fmt: skip
        if not 2 <= len(parts) <= MAX_PARTS or not all(_ASKS.match(fold(p)) for p in parts[1:]):
            return []
        # The first may be asked inside a sentence ("I'd like to know who directed it").
        if not _ASKS.match(fold(parts[0])):
            wh = _WH_WORD.search(parts[0])
            before = self.parse(parts[0][: wh.start()]) if wh else None
            if before is None or before.entities or before.episode is not None or self._review_named(self.content_of(before, set()), before.words):  # fmt: skip
                return []  # "in ep 13, what happens and who cries": the episode is both's
            parts[0] = parts[0][wh.start() :]
        leaning = _LEANING
        for i, part in enumerate(parts):
            parsed = self.parse(part)
            if not i and self._means_the_show(parsed):
                leaning = _LEANING - _THE_SHOW_AS_IT  # "who directed it and who wrote it": both the show
            # "Who wrote it" after "who directed it" asks of the show, as short as it is.
            of_the_show = i and leaning is not _LEANING and not _THE_SHOW_AS_IT.isdisjoint(parsed.words)
            if not parsed.entities and len(parsed.words) < (4 if i else 3) and (i and not of_the_show or not set(self._topic(parsed)) - LIGHT - _GENERIC_HEADS):  # fmt: skip
                return []  # "why?", "which couple?": about the question before
            # A pronoun before any name in it is the one before ("... and what is she trying
            # to do with Seon-gyeom"); after one, it is that one ("does Ji-woo leave her husband").
            named_at = parsed.mentions[0].start if parsed.mentions else len(parsed.words)
            if i and not leaning.isdisjoint(parsed.words[:named_at]):
                return []
            # "Who becomes vice president? Does Dan-ah?", "... What about Dan-ah?": a name and
            # nothing asked of them is a guess at the answer before.
            if i and parsed.entities and (_YES_NO.match(fold(part)) or _ASKS_ABOUT.match(fold(part))) and not set(self._topic(parsed)) - LIGHT - _GENERIC_HEADS:  # fmt: skip
                return []
        return parts

    def _means_the_show(self, parsed: Parsed) -> bool:
        """A question that speaks of the show ("it", "Run On", "the drama") and of no one
        and no review: an "it" in the questions after it is the show too."""
        words = parsed.words
        if parsed.entities or parsed.episode is not None or not _NOT_THE_SHOW.isdisjoint(words) or self._review_named(self.content_of(parsed, set()), words):  # fmt: skip
            return False
        return not _THE_SHOW_AS_IT.isdisjoint(words) or not _SHOW_WORDS.isdisjoint(words) or "run on" in " ".join(words)  # fmt: skip

    def _ask_one(self, question: str, title: str, viewer: Viewer) -> Reply:
        question, confirming = _untagged(question)
        # A guess asked to be confirmed ("what does X do, hes a student right") is dropped
        # before anything is read: were the whole read first, whether it found a fact
        # held back would tell which words later facts use. A description is kept ("who
        # is X's friend, the gay one right": it says who is meant).
        clause, comma, guess = question.partition(",")
        if confirming and comma and self._confirms_only(guess, clause, viewer):
            question = clause
        question = self._claim_asked(question)
        # "who was X... I mean, whose ...": the asker corrected themselves; answer the correction.
        corrected = _CORRECTION.split(question)[-1]
        # "Just finished ep 13. Did they really break up?": how far the reader is, then the
        # question; read whole, "finished" would ask about the ending.
        said = _SENTENCE_END.split(question, maxsplit=1)
        if len(said) == 2 and _ASKS.match(fold(said[1].strip())) and self._says_progress_only(said[0], viewer):  # fmt: skip
            asked = self._after_remark(said[0], said[1], title, viewer)
            if asked is not None:
                return asked
        p = self.parse(corrected if len(tokens(corrected)) >= 2 else question)
        if not p.words:
            return self.dont_know(title, viewer)
        reply = self._answer(p, title, viewer)
        # Retries, each only while nothing is found, kept when it finds something.
        # "how do they first meet? i read two different versions": the question alone,
        # when the remark after it keeps the whole from being answered.
        first, mark, rest = question.partition("?")
        if not reply.found and mark and rest.strip() and len(tokens(first)) >= 2:
            reply = _better(reply, self._answer(self.parse(first), title, viewer))
        # "just finished ep 13, why did he cry??": a remark, then the question; or a
        # greeting, then the question in any order of words ("Chị ơi, in ep 13 do they ...").
        remark, comma, asked = question.partition(",")
        if not reply.found and comma and not question_words(remark) and not _ASKS.match(fold(remark.strip())) and (_ASKS.match(fold(asked.strip())) or _greeting(remark)):  # fmt: skip
            reply = _better(reply, self._after_remark(remark, asked, title, viewer))
        # "Weiß jemand... who is the director?", "Oi gente! can i watch it on netflix?":
        # sentences before the question that add nothing to it; the first later sentence
        # that asks is answered alone.
        sentences = _SENTENCE_END.split(question) if not reply.found else []
        for i, sentence in enumerate(sentences[1:], 1):
            if reply.found:
                break
            before = " ".join(sentences[:i])
            if _ASKS.match(fold(sentence.strip())) and self._asks_on_its_own(sentence) and self._adds_nothing(before, sentence, viewer):  # fmt: skip
                reply = _better(reply, self._after_remark(before, sentence, title, viewer))
        # "what days did it air, wed thurs??": the question, then a guess after a comma.
        clause, comma, guess = question.partition(",")
        if not reply.found and comma and guess.strip() and _ASKS.match(fold(clause.strip())) and self._asks_on_its_own(clause) and self._only_a_guess(guess, clause, viewer, confirming=confirming):  # fmt: skip
            reply = _better(reply, self._answer(self.parse(clause), title, viewer))
        # "why does he cry in ep 13, that scene wrecked me": the question, then the asker's
        # own feelings about it, which ask nothing and name no one.
        if not reply.found and comma and guess.strip() and _REMARK_START.match(fold(guess.strip())) and _ASKS.match(fold(clause.strip())) and self._asks_on_its_own(clause):  # fmt: skip
            said = self.parse(guess)
            if not said.entities and said.episode is None and not question_words(guess) and not _ASKS.match(fold(guess.strip())):  # fmt: skip
                reply = _better(reply, self._answer(self.parse(clause), title, viewer))
        # "is it a romcom or more of a serious drama": a yes/no between two; the first
        # one is answered when the two together are not, if it asks something of its own
        # ("does mi joo or dan ah have a sister" leaves only "does mi joo": no). Asked in
        # the order of a statement too ("SG papa is politician or businessman?").
        either, alternative, _ = question.partition(" or ")
        yes_no = _YES_NO.match(fold(either.strip())) or (question.rstrip().endswith("?") and _COPULA.search(fold(either)) and not question_words(either))  # fmt: skip
        if not reply.found and alternative and yes_no and not _EPISODE_OPTION.match(alternative) and self._topic(first_part := self.parse(either)):  # fmt: skip
            reply = _better(reply, self._answer(first_part, title, viewer))
        slips, sources = self.engine._slip_notes(" ".join(p.words[m.start : m.end]) for m in p.mentions)  # fmt: skip
        if slips and reply.found:
            reply = replace(reply, lines=(*slips, *reply.lines))
        elif slips:  # the spelling itself is what there is to know
            reply = replace(reply, lines=tuple(slips), found=True, sources=tuple(dict.fromkeys(sources)))  # fmt: skip
        return reply

    def _names_a_review_at_most(self, words: set[str]) -> bool:
        """Whether these words are none, say "review", or name one review ("ramen blog",
        "newspaper review") by its id, author or scoring unit."""
        if words <= _REVIEW_WORDS_STEMS:
            return True
        naming = [r for r, names in self._review_naming.items() if words <= names | self._review_units.get(r, frozenset()) | _REVIEW_WORDS_STEMS]  # fmt: skip
        return len(naming) == 1

    def _claim_asked(self, question: str) -> str:
        """ "Who does the newspaper say plays Mi-joo?" read as "who plays Mi-joo, according
        to the newspaper?": the clause after "say" is what is asked, of that review. Only
        when a review is who says it ("what does Mi-joo say she wants" is left as asked)."""
        said = _SAYS_CLAUSE.match(question)
        if said is None:
            return question
        who = self.parse(said["who"])
        content = set(self.content_of(who, set(who.name_words)))
        if who.entities or not content or not (self._names_a_review_at_most(content) or self._review_named(list(content), who.words)):  # fmt: skip
            return question
        review = "" if re.search(r"\b(review|reviews|reviewer|critic)\b", said["who"], re.IGNORECASE) else " review"  # fmt: skip
        return f"{said['wh']} {said['rest']}, according to {said['who']}{review}?"

    def _after_remark(self, remark: str, asked: str, title: str, viewer: Viewer) -> Reply | None:
        """The question after a remark, answered as if asked alone; an episode the remark
        names is still the one asked about.

        None when the remark names the person the question then calls "he" ("ye jun is
        sweet, who does he date"). The remark's episode is carried only when the question
        has a topic of its own and the reader has watched that far ("binged to ep 14, who
        is X" is no question about episode 14), and only while it finds an answer: "im on
        ep 14, did they break up" asks about the story so far when episode 14 says nothing.
        """
        before, tail = self.parse(remark), self.parse(asked)
        if before.entities and not tail.entities:
            return None
        if self._review_named(self.content_of(before, set(before.name_words)), before.words):
            return None  # "the 3 star review, what do they say is bad": the review is asked of
        if tail.episode is None and before.episode is not None and before.episode <= viewer.progress and self._topic(tail):  # fmt: skip
            tail.episode = before.episode
            reply = self._answer(tail, title, viewer)
            if reply.found:
                return reply
        # "im on ep 14, did they break up": where they are, not where it happens. The
        # question is read as if asked alone, its own retries included (a shorter text:
        # this ends).
        return self._ask_one(asked, title, viewer)

    def _confirms_only(self, guess: str, clause: str, viewer: Viewer) -> bool:
        """Whether the guess before a yes-or-no tag is no part of the question: the clause
        asks on its own and the guess describes no one and names nobody it lacks."""
        words = tokens(guess)
        if not words or "one" in words or any(_describes_from(words, i) for i in range(len(words))):
            return False
        return bool(_ASKS.match(fold(clause.strip()))) and self._asks_on_its_own(clause) and self._only_a_guess(guess, clause, viewer, confirming=True)  # fmt: skip

    def _asks_on_its_own(self, sentence: str) -> bool:
        """Whether a sentence names someone or something to ask about ("what kind" does not:
        it leans on the sentence before it)."""
        p = self.parse(sentence)
        return bool(p.entities or p.episode is not None or set(self._topic(p)) - LIGHT - _GENERIC_HEADS)  # fmt: skip

    def _says_progress_only(self, remark: str, viewer: Viewer) -> bool:
        """Whether a remark only says how far the reader has watched ("just finished ep 13",
        "im on ep 14"), as far as their progress says they have."""
        p = self.parse(remark)
        return not p.entities and self._progress_said(p, viewer, ignoring=LIGHT)

    def _progress_said(self, p: Parsed, viewer: Viewer, ignoring: frozenset[str] = frozenset()) -> bool:  # fmt: skip
        """Whether what was read names an episode the reader has watched and says nothing
        but how far they are (words in ``ignoring`` aside)."""
        return p.episode is not None and p.episode <= viewer.progress and not set(self._topic(p)) - _PROGRESS_WORDS - ignoring  # fmt: skip

    def _only_a_guess(self, guess: str, clause: str, viewer: Viewer, *, confirming: bool = False) -> bool:  # fmt: skip
        """Whether what follows the question's first clause only guesses at the answer in
        words the fact base does not use ("what days did it air, wed thurs"), and names
        nobody, no review and no episode the clause needs ("does he die, seon gyeom",
        "who wrote it, the journey review", "what does she want more, love or career").
        A guess asking to be confirmed (``confirming``: "what does young hwa do, hes a
        student right") may use any words: the clause's answer confirms it or not."""
        if " or " in f" {fold(guess)} ":
            return False
        if confirming:
            named, asked = self.parse(guess), self.parse(clause)
            names_review = self._review_named(self.content_of(named, set(named.name_words)), named.words)  # fmt: skip
            return set(named.entities) <= set(asked.entities) and named.episode in (None, asked.episode) and not names_review  # fmt: skip
        return self._adds_nothing(guess, clause, viewer, before_it=False)

    def _adds_nothing(self, remark: str, sentence: str, viewer: Viewer, *, before_it: bool = True) -> bool:
        """Whether every person, episode and known word of ``remark`` is in ``sentence`` too
        ("Mga sis, ano pangalan ng roommate ni Mijoo? what is the name of Mijoo's roommate?"),
        besides a greeting and how far the reader is ("just finished ep 13 😭 did he cry").

        A remark that names a review, a scene or an episode is what the next sentence's
        "it" means ("The 9/10 review. Who wrote it?"): that sentence is not asked alone.
        ``before_it``: the remark comes first, so it may be whom a pronoun after it means.
        """
        before = self.parse(" ".join(w for w in tokens(remark) if w not in _GREETING_WORDS))
        asked = self.parse(sentence)
        # "The coach. Does he die?", "The sis. what is her job?": whoever the remark
        # names, in any words, is who "he" is.
        if before_it and not asked.entities and not _PRONOUNS.isdisjoint(tokens(sentence)) and any(w not in STOPWORDS for w in tokens(remark)):  # fmt: skip
            return False
        progress_said = self._progress_said(before, viewer)
        if before.episode is not None and before.episode != asked.episode and not progress_said:
            return False
        # Known: a word of a fact the reader may see. A word only later facts use counts as
        # unknown, or the reply would tell which words those facts use ("..., asexual?").
        vocabulary = self._vocabulary_through(viewer.progress)
        known = {t for t in self.content_of(before, set(before.name_words)) if (t in vocabulary or t.isdigit()) and not (progress_said and (t in _PROGRESS_WORDS or t.isdigit()))}  # fmt: skip
        return set(before.entities) <= set(asked.entities) and known <= set(self.content_of(asked, set()))  # fmt: skip

    def _answer(self, p: Parsed, title: str, viewer: Viewer) -> Reply:
        q = p.q
        skip = set(p.name_words)
        # "who plays X", "who's the guy that plays X", "X played by", "X's actress".
        asks_actor = bool(re.search(r"\b(who\b(?!.*\b(does|did|do)\b).*\b(plays|played|portrays|portrayed|acts|acted)|play(s|ed)? by|actor|actress|cast as)\b", q))  # fmt: skip
        # "who (is) play Mi-joo": the plain form too, but only right before a name
        # ("who play football" asks who plays football).
        if not asks_actor and (bare := re.match(r"(who|whos) (is |s )?(play|portray) ", q)) and not re.search(r"\band (his|her|their)\b", q):
            asks_actor = any(m.start == len(bare.group(0).split()) for m in p.mentions)
        # "is Ji-woo an actress?" asks what a character does, not who plays her.
        if asks_actor and p.entities and p.entities[0] in self.base.character_by_id and re.search(r"\b(is|was|s)\b.*\ban? (actor|actress)\b|\b(is|was|s) (an? )?(actor|actress)$", q) and not re.search(r"\b(who|which|whom)\b", q):  # fmt: skip
            asks_actor = False
        asks_role = bool(re.search(r"\b(who|which|what)\b.*\b(does|did)\b.*\bplay\b|\b(role|character|part)\b", q))  # fmt: skip

        # A person named through someone else: "Dan-ah's father", "mother of Ye-jun".
        related, relation_words = self._relation_in(p.words, p.mentions, viewer, asks_actor=asks_actor)
        # "are Young-hwa and Seon-gyeom roommates", "is Dan-ah Young-hwa's girlfriend":
        # whether two people named are that to each other, which their tie says.
        if related and re.match(r"(are|is|were|was)\b", q) and not self.content_of(p, skip | relation_words) and not re.search(r"\b(name|named|called)\b", q):  # fmt: skip
            other = next((m.entity for m in p.mentions if m.entity in related), None)
            owner = next((m.entity for m in p.mentions if m.entity != other and (m.end in relation_words or m.end + 1 in relation_words)), None)  # fmt: skip
            kinds = {kind for i in relation_words for kind in RELATION_WORDS.get(p.words[i], ())}
            tie = self._tie(title, other, owner, kinds, viewer) if other and owner else None
            if tie is not None:
                return tie
        # "is Mae Mi-joo's mom?", "is Seon-gyeom Mi-joo's boyfriend?" before their romance:
        # what the two are to each other, as far as the reader may see, answers it, whether
        # no one is that to Mi-joo or whoever is has not come yet (only counted then).
        pair = list(dict.fromkeys(m.entity for m in p.mentions))
        if related is not None and not any(viewer.can_see(g) for g in related.values()) and len(pair) == 2 and re.match(r"(are|is|were|was)\b", q) and not self.content_of(p, skip | relation_words):  # fmt: skip
            ties = self._ties(title, pair, viewer, withheld=len(set(related) - set(pair)))  # a holder in the pair: its tie is counted
            if ties is not None:
                return ties
        if related is not None and not related:
            return self.dont_know(title, viewer)
        skip |= relation_words
        content = self.content_of(p, skip)
        if p.entities:  # "is seon gyeom a sprinter or a marathon guy": "guy" is him
            # "who is Woo-sik at the start of the show": who he is (a profile is the premise).
            content = [t for t in content if t not in _REFERRING_WORDS and t != _PREMISE]
        if _WHO_HEADS.match(q):  # "which character does the blog pity most": asks who
            content = [t for t in content if t not in _PERSON_WORDS and t != stem("character")]
            p.asked = [*p.asked, "who"]
        if p.entities and (asks_actor or asks_role or "play" in q):
            content = [t for t in content if t not in _ACTOR_WORDS]
        elif p.entities:
            content = [t for t in content if t not in _ACTOR_WORDS or t in _PROFESSION_WORDS]
        if related:
            # Only people the reader may know of: not even whether they are named, else.
            seen = {c: g for c, g in related.items() if viewer.can_see(g)}
            if not seen:
                c = self.engine.collector(viewer)
                c.withheld += len(related)
                return c.reply(title, [])
            # Whatever is said of them tells the tie too ("what does Mi-joo's boyfriend do"),
            # unless the question names them itself ("Young-hwa's barista friend Ye-jun").
            named = {m.entity for m in p.mentions}
            viewer = replace(viewer, at_least=max((g for c, g in seen.items() if c not in named), default=0))  # fmt: skip
            unnamed = all(self.base.character_by_id[c].name is None for c in seen)
            # "what's the name of X's agent", "what is X's mother called": asks who, too.
            naming = (
                bool(re.search(r"\b(name|named|called)\b", q)) and not set(content) - _NAME_WORDS
            )
            # "How do you spell Mi-joo's boyfriend's name": spelled below if the tie is the
            # premise; else who they are (tagged) is the answer, as to "what is his name".
            if self._asks_spelling(p, relation_words):
                if len(seen) == 1 and not any(seen.values()):
                    naming = False
                elif not unnamed:
                    return self._related(title, related, asks_actor, viewer, naming=True)
                else:
                    naming = True
            if unnamed and naming:
                return self.dont_know(title, viewer, "no review gives that person's name.")
            asks_who = re.match(r"(who|whos|whom|which|name)\b", q) or not re.search(r"\b(what|why|how|when|does|did|do|is)\b", q)  # fmt: skip
            # "who does Mi-joo date, according to the journey review": who, whichever review says it.
            if asks_actor or (asks_who and self._names_a_review_at_most(set(content))) or naming:
                return self._related(title, related, asks_actor, viewer, naming=naming)
            # "what does Seon-gyeom's dad do to Eun-bi": the others named stay in it.
            owners = {m.entity for m in p.mentions if m.end in relation_words or m.end + 1 in relation_words}  # fmt: skip
            p.entities = [*seen, *(e for e in p.entities if e not in seen and e not in owners)]

        entities = p.entities
        # "how do the reviews spell Im Si-wan's name", "which reviews write it Yeong-hwa".
        # Someone named through another ("Mi-joo's roommate") only when the tie is the
        # premise: a later one is answered by who they are, tagged, not spelled.
        visible = {r: g for r, g in (related or {}).items() if viewer.can_see(g)}
        through = len(visible) == 1 and not any(visible.values())
        if len(set(entities)) == 1 and (not related or through) and self._asks_spelling(p, relation_words):  # fmt: skip
            return self._spellings(title, entities[0], viewer, asks_actor=asks_actor, withheld=len(related or {}) - len(visible))  # fmt: skip
        if not entities:
            # "who are the leads?", "who is the main character?"
            if _LEADS.search(q) and not set(content) - _LEAD_WORDS:
                return self._leads(title, viewer)
            # "who stars in it?" asks for the cast, not the reviews' stars.
            if "who" in p.asked and content and set(content) <= _CAST_WORDS:
                return replace(self.engine.cast(viewer), title=title)
            # "who's the guy who paints?": someone described by what they are or do.
            if re.match(r"(who|whos) (is |s |was )?(the|a|an|that)\b", q) and not asks_actor:
                described = self._described([t for t in content if t not in _PERSON_WORDS], synonyms=True)  # fmt: skip
                if described:
                    return self._who(title, described, viewer)
            # "how do the leads meet?": the leads are who the question is about.
            if _LEADS.search(q) and not asks_actor:
                entities = p.entities = [ch.id for ch in self.base.characters if ch.role == "lead"]
                content = [t for t in content if t not in _LEAD_WORDS]
        # A person named by description: "who plays the painter?"
        if not entities and (asks_actor or asks_role):
            wanted = [t for t in content if t not in _PERSON_WORDS and t not in _NAME_WORDS]  # "name the actress who plays ..."
            described = self._described(wanted)
            if described:
                return self._actor(title, described, viewer)
            # Several fit ("the co-worker at the dinner party") and no review names an actor for any.
            fitting = self._all_described(wanted)
            if asks_actor and fitting and all(self.base.character_by_id[f].played_by is None for f in fitting) and all(viewer.can_see(self.base.character_by_id[f].gate) for f in fitting):  # fmt: skip
                names = " and ".join(
                    _in_sentence(self.base.character_by_id[f].display_name) for f in fitting
                )
                return self._no_actor(title, viewer, names, max(self.base.character_by_id[f].gate for f in fitting))  # fmt: skip
        if asks_actor and entities and entities[0] in self.base.character_by_id:
            played = [e for e in entities if e in self.base.character_by_id]
            if len(played) == 1:
                return self._actor(title, played[0], viewer)
            return self._actors(title, played, viewer)  # "who play Mi-joo and Seon-gyeom"
        # "what is Mi-joo's last name / surname / full name": the name as the reviews give it.
        # Asked "in the ramen blog" or "according to the newspaper", the review adds nothing to it.
        if len(entities) == 1 and not (asks_role or asks_actor or "play" in q) and re.search(r"\b(name|surname)\b", q) and content and self._names_a_review_at_most(set(content) - _FULL_NAME_WORDS):  # fmt: skip
            return self._full_name(title, entities[0], viewer)
        # "is Im Si-wan any good (in the lead role)?": what the reviews say of the acting.
        if entities and "actor" in getattr(self.base.person_by_id.get(entities[0]), "roles", ()) and set(content) & _JUDGING_WORDS and not set(content) - _JUDGING_WORDS - _ACTOR_WORDS - _LEAD_WORDS:  # fmt: skip
            content = [stem("acting")]
        elif (
            entities
            and entities[0] in self.base.person_by_id
            and (asks_role or asks_actor or "play" in q or _LEADS.search(q))
        ):
            # "did she win an award for this role": more is asked than whom they play.
            if not self._all_known([t for t in content if t not in _ACTOR_WORDS and t not in _LEAD_WORDS], set()):  # fmt: skip
                return self.dont_know(title, viewer)
            return self._role(title, entities[0], viewer)

        # "where did they film the track scenes": where it was shot, which no fact says
        # (one that did would carry "location"), not Ji-woo's film or a subtitling firm.
        if _ASKS_FILMING.search(q) and stem("location") not in self.index.vocabulary:
            return self.dont_know(title, viewer, "no review says where it was filmed.")
        beyond = self._episode_beyond(q)
        if beyond is not None:
            return self._no_such_episode(title, beyond, viewer)
        on_date = self._episode_on_date(q)
        if on_date is not None:
            return self._episode_date(title, on_date, viewer)
        if p.episode is not None and re.search(
            r"\b(when|date|day|air|aired|broadcast|released?)\b", q
        ):
            return self._episode_date(title, p.episode, viewer)
        # "how many of the five reviews give a score": all the reviews there are.
        rating_content = [t for t in content if t not in self._every_review and not (t in self._score_scales and "out" in p.words or t in (stem("numeric"), stem("numerical")))]  # fmt: skip
        if not entities and rating_content and set(rating_content) <= _RATING_WORDS and set(content) & {stem("rating"), stem("score"), stem("rated"), stem("stars"), stem("average"), stem("liked"), stem("best"), stem("worst"), stem("least"), stem("most")}:  # fmt: skip
            summary = bool(set(content) & _SUMMARY_WORDS)  # "the average", "which liked it most"
            return replace(self.engine.ratings(viewer, summary), title=title)
        if not entities and content and set(content) <= _CAST_WORDS:
            return replace(self.engine.cast(viewer), title=title)
        if not entities and set(content) == {stem("review")}:
            return replace(self.engine.reviews(viewer), title=title)

        # "do the reviewers agree on how good it is score-wise": the scores side by side.
        if set(content) & _AGREE_WORDS and set(content) & {stem("score"), stem("rating"), stem("rate"), stem("good"), stem("stars")} and not entities:  # fmt: skip
            return replace(self.engine.ratings(viewer), title=title)
        # "do the reviews agree on what kind of runner he is": the disputes the rest matches.
        if set(content) & _AGREE_WORDS:
            asked_of = [t for t in content if t not in _AGREE_WORDS and t not in _REVIEW_WORDS_STEMS and t not in LIGHT]  # fmt: skip
            relevant = [
                k for k in self.base.conflicts if not entities or set(entities) & set(k.about)
            ]
            ranked = self.index.rank_conflicts(asked_of, relevant) if asked_of else [(k, 1.0) for k in relevant]  # fmt: skip
            disputes = [k.id for k, cover in ranked if cover >= 0.5][:2]
            if disputes:
                c = self.engine.collector(viewer)
                return c.reply(title, [], self.engine._conflict_fields(c, [], only=disputes))
            # "Do the reviews agree on its genre?" with no dispute over it: what each says.
            content = [t for t in content if t not in _AGREE_WORDS]
        review = self._review_named(content, p.words)
        # "which of the reviews warns of spoilers": how far each one spoils.
        if set(content) & _SPOIL_WORDS and set(content) & _REVIEW_WORDS_STEMS and not review:  # fmt: skip
            c = self.engine.collector(viewer)
            c.cite(r.id for r in self.base.reviews)
            return c.reply(title, [line(Span(r.id, strong=True), f": spoilers {r.spoilers}" + (f" ({r.spoiler_note})" if r.spoiler_note else "")) for r in self.base.reviews])  # fmt: skip
        # "which reviews have a date on them", "who wrote each review": that, review by review.
        field = self._review_field_asked(content) if not review and not entities else None
        if field is not None:
            c = self.engine.collector(viewer)
            c.cite(r.id for r in self.base.reviews)
            unknown = {"date": "no date given", "author": "no author named"}[field]
            return c.reply(title, [line(Span(r.id, strong=True), f": {(r.date_text if field == 'date' else r.author) or unknown}") for r in self.base.reviews])  # fmt: skip
        if review:
            # Asked of the review itself (score, date, author, verdict): its record.
            # Named by its id or author, the rest is asked; quoting its title, the title is not.
            naming = self._review_naming[review] | (self._review_units.get(review, frozenset()) & _before_review(p.words))  # fmt: skip
            title_words = [t for t in content if t in self.index.review_terms[review] and t not in naming and t not in _REVIEW_WORDS_STEMS]  # fmt: skip
            title_core = self.index.review_terms[review] - naming - _REVIEW_WORDS_STEMS
            # Its title words said next to its name ("the 'Unhurriedly Strides' review") name it too.
            said = [stem(w) for w in p.words]
            beside = any(a in naming and b in title_core or a in title_core and b in naming for a, b in zip(said, said[1:], strict=False))  # fmt: skip
            # Named by its score ("the 3/5 review"), its title words are asked ("... of the ending").
            score = self.base.review_by_id[review].score
            by_score = score is not None and any(t.isdigit() and float(t) in (score.value, score.scale) for t in content)  # fmt: skip
            if not (naming & set(content) or by_score) or len(title_words) >= 2 or (title_core and title_core <= set(content)) or beside:  # named by its title  # fmt: skip
                naming = naming | self.index.review_terms[review]
            leftover = [t for t in content if t not in naming and t not in _REVIEW_WORDS_STEMS and t not in _RATING_WORDS and t not in _REVIEW_ASKS and not t.isdigit()]  # fmt: skip
            if leftover and not entities and (set(content) - naming) & _RECORD_ASKS and not set(leftover) & self.index.vocabulary:  # fmt: skip
                leftover = []  # "its score expressed out of 10": the score is what is asked
            # Counts ("what three things"), light words ("give"), and the date it was named by.
            leftover = [t for t in leftover if t not in _COUNT_WORDS and t not in LIGHT and t not in _MONTH_STEMS]  # fmt: skip
            if (
                set(content) & _SPOIL_WORDS and not entities
            ):  # "is the newspaper review safe to read spoiler-wise"
                leftover = []
            if _ASKS_OUTLET.match(q) and not entities:  # "which newspaper ran the 3/5 review"
                leftover = []
            # "what did the blog like / not like": its points for or against, as many as asked.
            tone = [t for t in content if t in _PRAISE_WORDS or t in _DISLIKE_WORDS]
            if tone and not [t for t in leftover if t not in _DISLIKE_WORDS] and not entities:
                c = self.engine.collector(viewer)
                wanted = [stem("dislike"), stem("criticism"), stem("flaw")] if set(tone) & _DISLIKE_WORDS else [stem("liked"), stem("praise")]  # fmt: skip
                # Its views, not its account of the story ("Dan-ah's family problems").
                pool = [f for f in self.base.facts if (review in f.about or review in f.sources) and f.topic in _VIEW_TOPICS]  # fmt: skip
                hits = [h.fact for h in self.index.rank(wanted, pool) if h.coverage >= 0.5]
                if hits:
                    return c.reply(title, self.engine._fact_lines(c, hits[: _asked_count(p.words) or 4]))  # fmt: skip
            if not leftover and not entities:
                return self._review_card(title, review, viewer, content, p.asked, p.q)
            # "what did the unhurried review think of the acting": what that review says.
            pool = [f for f in self.base.facts if review in f.about or review in f.sources]
            if entities:
                pool = [f for f in pool if set(entities) & set(f.about)]
            if not leftover:
                c = self.engine.collector(viewer)
                # "what did Herrera like about Seon-gyeom and Mi-joo": what it says of them
                # together first, then of each; asked what it liked or thought, its own
                # view (a reception fact) before its account of the story.
                opinion = bool(_ASKS_OPINION.search(q))
                pool.sort(key=lambda f: (not set(entities) <= set(f.about), opinion and f.topic != "reception", f.gate))  # fmt: skip
                lines = self.engine._fact_lines(c, pool[:5])
                return c.reply(title, lines) if lines or c.withheld else self.dont_know(title, viewer)  # fmt: skip
            content, candidates_from = leftover, pool
        else:
            candidates_from = None

        candidates = list(self.base.facts) if candidates_from is None else candidates_from
        if candidates_from is None and entities:
            about = {f.id: f for e in entities for f in self.base.facts_about(e)}
            candidates = list(about.values()) or candidates
        elif (
            candidates_from is None
            and "where" in p.asked
            and re.search(r"\b(run on|runon|it|show|series|drama)\b", q)
            and not set(content) - _WHERE_SHOW_WORDS
        ):
            # "Where ..." about the show itself: only facts that say where.
            candidates = list(self._where_facts)
        # "what does Seon-gyeom become?", "what does X end up doing?": the job at the end.
        if re.match(r"what (do|does|did|will)\b(?!.*\b(job|work|career)\b).*\b(become|becomes|became|end up( as| doing| being)?)$", q):  # fmt: skip
            content = [t for t in content if t not in LIGHT and t != stem("end")] + [stem("job"), stem("end")]  # fmt: skip
        # "what is wrong with X's health": no fact says "wrong"; the health is what is asked.
        if re.search(r"\bwrong with\b", q):
            content = [t for t in content if t != stem("wrong")]
        # "where does he live after he leaves the team": the clause after "after" sets
        # the scene; the main clause is what is asked.
        optional: set[str] = set()
        # Adverbs shade what is asked ("officially takes", "finally admits"): searched, not required.
        optional |= {stem(w) for w in p.words if _is_adverb(w)}
        # "is Run On a sports drama?": likely what kind of show it is, not who does sport
        # (searched, not required: "is it a slow drama" is about its pace).
        if not entities and _ASKS_GENRE.match(q):
            content = [*content, stem("genre")]
            optional.add(stem("genre"))
        for i, word in enumerate(p.words):
            if i > 1 and word in _SUBORDINATORS:
                main = self.content_of(p, skip | set(range(i, len(p.words))))
                if main:
                    optional = set(content) - set(main)
                break
        # "would someone who loves big conflicts enjoy it": whom the show suits is asked;
        # what the asker likes ranks the answers, and no fact has to say it.
        if _SUITS in content:
            optional |= set(content) - {_SUITS}
        # "after getting kicked off the team, where does he stay": the clause comes first.
        if p.words and p.words[0] in _SUBORDINATORS and p.words[0] != "when":
            ask_at = next((i for i, w in enumerate(p.words) if i > 0 and w in ("what", "where", "who", "how", "why", "which", "does", "did", "is")), None)  # fmt: skip
            if ask_at:
                main = self.content_of(p, skip | set(range(ask_at)))
                if main:
                    optional = set(content) - set(main)
        # "what does his mother tell his father": what someone says is a quoted line.
        if re.match(r"what (do|does|did)\b.*\b(say|says|said|tell|tells|told)\b", q) and entities and any(
            f.about[0] == entities[0] and stem("quote") in self.index.fact_terms[f.id] for f in candidates
        ):  # fmt: skip
            content = [t for t in content if t not in _SPEECH] + [stem("quote")]
            optional.add(stem("quote"))
            candidates = [f for f in candidates if f.about[0] == entities[0]] or candidates
        if p.episode is not None:
            n = p.episode
            content = [t for t in content if t not in _EPISODE_WORDS and t != str(n) and t not in _NUMBER_STEMS]  # fmt: skip
            # "what happens in the finale": "final" named the episode; it asks nothing of it.
            if not any(m.group(1).isdigit() or m.group(1) in _NUMBER_WORDS for m in _EPISODE.finditer(q)):  # fmt: skip
                content = [t for t in content if t not in _EPISODE_BY_PLACE]
            # "what happens at the end of episode 12": its own facts, else the episode card.
            # In episode N: what a review ties to N, else to a stretch around it; a fact
            # told for the whole run (episodes 1-16) is not "in episode N".
            pool = {f.id for f in candidates}
            single, spans = self.engine.episode_facts(n)
            exact, near = [f for f in single if f.id in pool], [f for f in spans if f.id in pool]
            if set(content) <= _EPISODE_PARTS:  # "how does the finale end": not when it aired
                tags = self.index.fact_tags
                exact, near = [f for f in exact if "when" not in tags[f.id]], [f for f in near if "when" not in tags[f.id]]  # fmt: skip
            # "what happens to Dan-ah's dad in the finale": that person's part of it, when the
            # reader may see some of it; with none visible, the card, as for anyone with
            # nothing in the episode (a held-back fact choosing between the two would hint
            # at it).
            mine = [f for f in exact + near if set(entities) & set(f.about)] if entities and not content else []  # fmt: skip
            if any(viewer.can_see(f.gate) for f in mine):
                c = self.engine.collector(viewer)
                return c.reply(title, self.engine._fact_lines(c, mine))
            # "what happens at the end of episode 12": its facts that say so, else its card.
            if not content or (set(content) <= _EPISODE_PARTS and not any(h.coverage >= MIN_COVERAGE for h in self.index.rank(content, exact + near, p.asked, optional))):  # fmt: skip
                return replace(self.engine.episode(n, viewer), title=title)
            # "what is remarkable about his reaction in episode 13": words no fact uses
            # leave the person and the episode, which is what there is to answer with.
            if entities and content and exact and not self.index.rank(content, exact):
                c = self.engine.collector(viewer)
                return c.reply(title, self.engine._fact_lines(c, [f for f in exact if set(entities) & set(f.about)] or exact))  # fmt: skip
            for tier in (exact, near):
                if any(h.coverage >= MIN_COVERAGE for h in self.index.rank(content, tier, p.asked, optional)):  # fmt: skip
                    candidates = tier
                    break
            else:
                candidates = exact + near
        # "what drama did Im Si-wan star in after Run On": an actor's other work is not known.
        if entities and "actor" in getattr(self.base.person_by_id.get(entities[0]), "roles", ()) and re.search(r"\b(other|another|next|previous|since|new|latest|known for|filmography|career)\b|\b(after|before) (run on|it|this|that)\b", q) and not re.search(r"\bin (run on|it|the show|the drama|the series)\b", q):  # fmt: skip
            return self.dont_know(title, viewer, "the reviews speak only of Run On.")
        if not content:
            if not entities:
                if re.search(r"\b(about|premise|synopsis|plot|story|storyline|summary)\b", q):
                    return self._premise(title, viewer)
                return self.dont_know(title, viewer)
            ties = self._ties(title, entities, viewer) if len(entities) == 2 and re.search(r"\b(is|are|was|were)\b.*\bto\b", q) else None  # fmt: skip
            if ties:  # "what is Dan-ah to Seon-gyeom"
                return ties
            if len(entities) > 1:
                return self._together(title, entities, viewer)
            if re.search(r"\bwhat happens|\bhappen|\bfate\b|\bend\b", q):
                return replace(self.engine._plot_for(entities[0], viewer, story_only=True), title=title)  # fmt: skip
            return self._who(title, entities[0], viewer)
        # "who is Eun-bi in relation to Seon-gyeom", "how is X related to Y": their ties.
        if len(entities) == 2 and candidates_from is None and {t for t in content if t not in optional} <= _RELATED_WORDS:  # fmt: skip
            ties = self._ties(title, entities, viewer)
            if ties:
                return ties
        # "woo sik ending", "what is Eun-bi's fate": that person's story.
        if len(entities) == 1 and set(content) <= _FATE_WORDS:
            return self._fate(title, entities[0], viewer)
        must = [t for t in self._head_of(p) if t in content]
        if re.match(r"how old\b|what (is|s) (his|her|their|the)? ?age\b", q) or re.search(r"\bage of\b|\bs age\b", q):  # fmt: skip
            must = [stem("age"), stem("born")]
        narrative = bool(
            re.search(r"\b(what happens|happen|why|how|story|storyline|plot|describe|explain)\b", q)
        )
        names = [t for m in p.mentions for t in terms(" ".join(p.words[m.start : m.end]))]
        # "what did the 3 star review think of the breakup": that review's view of it
        # comes before its account of it, when it gives one.
        views = [f for f in candidates if f.topic in _VIEW_TOPICS] if candidates_from is not None and _ASKS_OPINION.search(q) else []  # fmt: skip
        if views:
            reply = self._ranked(title, content, names, views, entities, p.asked, narrative, viewer, with_conflicts=p.episode is None, optional=optional, must=must, most=_asked_count(p.words), scoped=True)  # fmt: skip
            if reply.facts or reply.withheld:
                return reply
        reply = self._ranked(title, content, names, candidates, entities, p.asked, narrative, viewer,
                             with_conflicts=p.episode is None, optional=optional, must=must, most=_asked_count(p.words),
                             scoped=candidates_from is not None)  # fmt: skip
        # "poor eun bi what happened to her": their story, when nothing matches the rest.
        if not reply.found and len(entities) == 1 and re.search(r"\bwhat(ever)? (happens|happened|will happen) (to|with)\b", q):  # fmt: skip
            return self._fate(title, entities[0], viewer)
        # "which episode has the confession scene": when no fact shown is tied to one
        # episode, say so, rather than leave a range to pass for the answer.
        if reply.found and p.episode is None and _WHICH_EPISODE.search(q):
            shown = [self.base.fact_by_id[f] for f in reply.facts if f in self.base.fact_by_id]
            if shown and not any(f.gate > 0 and (f.episodes is None or f.episodes[0] == f.episodes[1]) for f in shown):  # fmt: skip
                reply = replace(reply, lines=(line("No review ties that to one episode; here is what they say."), *reply.lines))  # fmt: skip
        return reply

    def _family(self, fact_id: str) -> str | None:
        """ "series.genre" for "series.genre.journey"; None for a fact of no family, or of
        one review's own (reception.newspaper.*: one review's points are not one answer)."""
        parts = fact_id.split(".")
        if len(parts) < 3 or parts[1] in self.base.review_by_id:
            return None
        return ".".join(parts[:-1])

    def _all_known(self, content: list[str], optional: set[str], vocabulary: frozenset[str] | None = None) -> bool:  # fmt: skip
        """Whether every word the question requires is one some fact uses (of ``vocabulary``,
        all facts' by default), or a synonym of one: a word no fact knows ("awards",
        "viewership") is likely what is not known."""
        required = [t for t in content if t not in optional and t not in LIGHT] or content
        vocabulary = self.index.vocabulary if vocabulary is None else vocabulary
        return all(t in vocabulary or not SYNONYMS.get(t, frozenset()).isdisjoint(vocabulary) for t in required)  # fmt: skip

    def _head_of(self, p: Parsed) -> list[str]:
        """What a "what/which N ..." question asks for: "what production company made it"
        -> production, company. A fact that does not say it is a near miss, not an answer."""
        if not p.words or p.words[0] not in ("what", "which"):
            return []
        head = []
        # "what were the ratings like": the noun after "the" is asked for too.
        start = 3 if p.words[1:3] in (["is", "the"], ["are", "the"], ["was", "the"], ["were", "the"], ["s", "the"]) else 1  # fmt: skip
        for i in range(start, min(len(p.words), start + 3)):
            word = p.words[i]
            # A verb ends the noun: a past form, or a light or speech verb ("which reviewer *says*",
            # "what *becomes* of").
            if i in p.name_words or word in _HEAD_STOPS or word in IRREGULAR or (word.endswith("ed") and len(word) > 4) or stem(word) in LIGHT or stem(word) in _SPEECH:  # fmt: skip
                break
            head.append(word)
        # After "the", a word that is also a kind of fact ("the main theme", "the ending")
        # may be answered by facts of that kind, in whatever words.
        labels = self._topic_labels if start > 1 else frozenset()
        return [t for t in terms(" ".join(head)) if t not in _GENERIC_HEADS and t not in labels]

    def _relation_in(self, words: list[str], mentions: list[Mention], viewer: Viewer, *,
                     asks_actor: bool = False) -> tuple[dict[str, int] | None, set[int]]:  # fmt: skip
        """Characters a "X's mother" / "mother of X" / "X married to" phrase points to.

        Also the phrasings without a possessive ("seon gyeom mom actress") and
        "who does X date / fall in love with" (romance as a relation). Returns
        (None, {}) when the question has no such phrase, ({}, ...) when it has a
        possessive one the fact base cannot answer (Mi-joo's father); else each
        person with the gate from which the relation is known, and the indices of
        the relation words so they are not searched for as content. ``asks_actor``: "who
        plays X sister" claims the relation as "X's sister" does.
        """
        in_name = {i for m in mentions for i in range(m.start, m.end)}
        for m in mentions:
            rel, used, claims, romance = None, set(), True, False
            described_first: list[str] = []
            after = words[m.end : m.end + 4]
            start = 1 if after[:1] == ["s"] else 0
            # "Young-hwa's (gay) best friend"; without the 's only right after the name,
            # or after an age ("dan ah younger brother").
            # Asked for an actor, a word or two may describe the relation ("who play
            # Young-hwa gay friend"): the relation is still who is asked about.
            reach = start + 2 if start else (3 if asks_actor else 2 if after[:2] and after[0] in _KIN_AGES and after[1:2] and after[1] in _SIBLINGS else 1)  # fmt: skip
            for offset, word in enumerate(after[start:reach], start=start):
                if not start and offset and after[offset - 1] in STOPWORDS:
                    break  # "Woo-sik, the bullied teammate": an apposition, not whose teammate
                if word == "best" and after[offset + 1 : offset + 2] == ["friend"]:
                    rel, used = "bestie", {m.end + k for k in range(offset + 2)}
                    break
                if word == "love" and after[offset + 1 : offset + 2] in (
                    ["interest"],
                    ["interests"],
                ):
                    rel, used = "lover", {m.end + k for k in range(offset + 2)}
                    break
                if word in RELATION_WORDS:
                    rel, used = word, {m.end + k for k in range(offset + 1)}
                    break
            rel_end = max(used) + 1 if rel is not None else 0  # the word after the relation
            next_word = words[rel_end] if rel is not None and rel_end < len(words) else ""
            if next_word in RELATION_WORDS and rel != "ex":  # "Seon-gyeom's agent boss": which one is unclear
                if asks_actor:
                    return {}, used
                continue
            # "X's sister", or "who plays X sister": the relation is what is asked about.
            claims = start == 1 or (asks_actor and rel is not None)
            after_name = rel is not None  # the relation word follows the name
            of_form = False
            if rel is None and after[:2] == ["married", "to"]:
                rel, used, claims = "spouse", {m.end, m.end + 1}, True
            elif rel is None and m.start >= 2 and words[m.start - 1] == "of" and words[m.start - 2] in RELATION_WORDS:  # fmt: skip
                rel, used, claims, of_form = words[m.start - 2], {m.start - 2, m.start - 1}, True, True
                # "the gay best friend of Young-hwa": words between an article and the
                # relation describe who is meant, as after a possessive.
                before_rel = _described_before(words, m.start - 2, in_name)
                used |= set(before_rel)
                described_first = [words[i] for i in before_rel]
            elif rel is None and words[:1] and words[0] in ("who", "whom", "whos"):
                rel, used = self._romance_in(words, m)
                claims, romance = False, True
            if rel is None:
                continue
            targets = relation_targets(self.base, m.entity, rel)
            for character in self.base.characters_played_by(m.entity):
                targets |= relation_targets(self.base, character.id, rel)
            # "Young-hwa's gay friend": a word describing who is meant (see _described_as).
            described = described_first + [words[i] for i in sorted(used) if i >= m.end and words[i] not in RELATION_WORDS and words[i] not in ("s", "best", "love", "interest", "interests") and words[i] not in _KIN_AGES and words[i] not in _QUALIFIERS]  # fmt: skip
            # "Young-hwa's best friend who is gay": a relative clause describes them too.
            # Also "which is gay", "whom ...", ", gay one?", "with the ...", and after "the
            # friend of Young-hwa" as after "Young-hwa's friend".
            clause_from = rel_end if after_name else m.end if of_form else None
            if clause_from is not None and _describes_from(words, clause_from):
                clause = range(clause_from, len(words))
                described += [words[i] for i in clause if words[i] not in ("who", "whos", "that", "the", "one", "right", "yes", "yeah", "no")]  # fmt: skip
                used = used | set(clause)  # what describes them is not searched for as well
            if described and (after_name or of_form):
                targets = self._described_as(targets, described, viewer)
                claims = True  # described, the relation is what is asked: no looser reading
            if not claims and not any(viewer.can_see(g) for g in targets.values()):
                continue  # a looser phrasing: let the facts answer instead
            if romance and all(self.base.character_by_id[t].name is None for t in targets) and self._facts_answer(m.entity, words, used, viewer):  # fmt: skip
                continue  # "who does Ye-jun love": facts that name someone beat "Ye-jun's boyfriend"
            return targets, used
        return None, set()

    def _story_words(self, content: list[str], optional: set[str]) -> set[str]:
        """The words of a question that only facts beyond the premise use, and no synonym
        of which a premise fact uses ("gay"; not "dad", which is "father")."""
        premise = self._vocabulary_through(0)
        return {t for t in set(content) - optional if t in self._first_said and t not in premise and not SYNONYMS.get(t, frozenset()) & premise}  # fmt: skip

    def _vocabulary_through(self, progress: int) -> frozenset[str]:
        """The words of every fact known by ``progress``, with the names' and reviews' own."""
        cached = self._vocabularies.get(progress)
        if cached is None:
            later = {t for f in self.base.facts if f.gate > progress for t in self.index.fact_terms[f.id]}
            shown = {t for f in self.base.facts if f.gate <= progress for t in self.index.fact_terms[f.id]}
            cached = self._vocabularies[progress] = frozenset(self.index.vocabulary - (later - shown))
        return cached

    def _described_as(self, targets: dict[str, int], words: list[str], viewer: Viewer) -> dict[str, int]:
        """Of ``targets``, those a fact says ``words`` of ("Young-hwa's *gay* friend").

        Whom a description fits is only settled by the whole story, and a reply that
        changed with the word would tell which words later facts use: so every target is
        known from the last episode on, whatever the word, and only then filtered.
        """
        if not viewer.can_see(LAST_EPISODE):
            return {target: max(gate, LAST_EPISODE) for target, gate in targets.items()}
        wanted = terms(" ".join(words))
        return {target: max(gate, LAST_EPISODE) for target, gate in targets.items() if any(self.index.cover(wanted, self.index.fact_terms[f.id]) >= sum(map(self.index.weight, wanted)) for f in self.base.facts_about(target))}  # fmt: skip

    def _facts_answer(self, entity: str, words: list[str], used: set[int], viewer: Viewer) -> bool:
        """Whether a fact the reader may see, about ``entity``, says the verb itself
        ("love", not only "end up with", which any ending would match)."""
        verb = [t for t in terms(" ".join(words[i] for i in sorted(used))) if t not in LIGHT]
        hits = self.index.rank(verb, self.base.facts_about(entity)) if verb else []
        return any(h.coverage >= MIN_COVERAGE and viewer.can_see(h.fact.gate) for h in hits)

    @staticmethod
    def _romance_in(words: list[str], m: Mention) -> tuple[str | None, set[int]]:
        """ "who does X date / fall for / end up with", "who is in love with X": a romance."""
        after = tuple(words[m.end : m.end + 4])
        for phrase, rel in _ROMANCE:
            if after[: len(phrase)] == phrase:
                return rel, set(range(m.end, m.end + len(phrase)))
        before = tuple(
            w for w in words[1 : m.start] if w not in ("is", "s", "was", "does", "did", "has")
        )
        for phrase, rel in _ROMANCE:
            if before == phrase:
                return rel, set(range(1, m.start))
        return None, set()

    def _described(self, content: list[str], *, synonyms: bool = False) -> str | None:
        """The one character a description fits ("the painter", "the subtitle translator");
        with ``synonyms``, every word may be met by a synonym ("the guy who paints")."""
        wanted = [t for t in content if t not in _ACTOR_WORDS]
        if not wanted:
            return None
        total = sum(self.index.weight(t) for t in wanted)
        scores = [(self.index.cover(wanted, bag, synonyms=synonyms) / total, character_id) for character_id, bag in self.described_as.items()]  # fmt: skip
        scores.sort(reverse=True)
        best, runner_up = scores[0], scores[1] if len(scores) > 1 else (0, None)
        enough = SYNONYM_WEIGHT - 0.01 if synonyms else 0.99
        if synonyms and any(self.index.cover(wanted, bag) / total >= enough for bag in self._show_bags):  # fmt: skip
            return None  # the show's own facts fit too: "the screenwriter" is crew, not a writer in the story
        if best[0] >= enough and best[0] - runner_up[0] >= 0.15:
            return best[1]
        return None

    def _all_described(self, content: list[str]) -> list[str]:
        """Every character a description fits fully ("the co-worker": there are two)."""
        wanted = [t for t in content if t not in _ACTOR_WORDS]
        total = sum(self.index.weight(t) for t in wanted)
        if not total:
            return []
        return [c for c, bag in self.described_as.items() if self.index.cover(wanted, bag, synonyms=False) / total >= 0.99]  # fmt: skip

    def _review_named(self, content: list[str], words: list[str]) -> str | None:
        """The review a question is about, when it clearly asks about one.

        Only when it says "review"/"critic", names a review's author, or asks a
        rating of a named review: a word that happens to be in a title is not enough.
        """
        # "when was 'A Journey of Self Discovery and Love' published": a title, quoted.
        joined = "".join(words)
        titled = [r for r, (whole, title_words) in self._titles.items() if _quotes_title(words, joined, whole, title_words)]  # fmt: skip
        if len(titled) == 1:
            return titled[0]
        # "the ramen review": the word before "review" is one review's scoring unit.
        before = _before_review(words)
        by_unit = [r for r, unit in self._review_units.items() if unit & before]
        if len(by_unit) == 1:
            return by_unit[0]
        # "the closing-episodes review": two words of one title right before "review".
        pairs = [{words[i - 2], words[i - 1]} for i, w in enumerate(words) if i > 1 and w in ("review", "reviews", "reviewer")]  # fmt: skip
        by_title = {r for r, title_words in self._title_pair_words.items() for pair in pairs if pair <= title_words}  # fmt: skip
        if len(by_title) == 1:
            return by_title.pop()
        # "the 3/5 one", "the 8 out of 10 one": a score, then "one", says "review" too.
        score_one = _SCORE_ONE.search(" ".join(words))
        says_review = not _SAYS_REVIEW.isdisjoint(content) or score_one is not None
        names_author = not self._author_words.isdisjoint(words)
        about_rating = not _RATING_NOT_REVIEW.isdisjoint(content)
        # "what did the newspaper criticise": a view asked of what names one review.
        about_view = not (_PRAISE_WORDS | _DISLIKE_WORDS).isdisjoint(content)
        if not (says_review or names_author or about_rating or about_view):
            return None
        named = [r for r, naming in self._review_naming.items() if naming & set(content)]
        if len(named) == 1:
            return named[0]
        if about_view and not (says_review or names_author or about_rating):
            return None
        # "the review dated October 11, 2022": its date.
        dated = [r.id for r in self.base.reviews if r.date and self._names_date(words, r.date)]
        if len(dated) == 1:
            return dated[0]
        # "the 3 star review", "the 8 out of 10 one": a review named by its score.
        episode_numbers = {match.group(1) for match in _ANY_EPISODE.finditer(" ".join(words))}
        # Not a count of things asked for ("what three things did it dislike").
        counts = {w for w, after in zip(words, words[1:], strict=False) if after.endswith("s") and stem(after) not in _RATING_NOT_REVIEW}  # fmt: skip
        if score_one:
            counts.add("one")  # the review it names, no number of it
        numbers = {float(w) for w in words if w.isdigit() and w not in episode_numbers and w not in counts and len(w) <= 3} | {float(_NUMBER_WORDS[w]) for w in words if w in _NUMBER_WORDS and w not in episode_numbers and w not in counts}  # fmt: skip
        if says_review and numbers:
            scored = [r.id for r in self.base.reviews if r.score and r.score.value in numbers and (r.score.scale in numbers or len(numbers) == 1)]  # fmt: skip
            if len(scored) == 1:
                return scored[0]
        if not says_review:  # "what does Mi-joo think of romance" names no review by a title word
            return None
        # "according to the reviews, how long is each episode": all of them, not one whose
        # title says "episodes".
        if not any(w in ("review", "reviewer", "critic") for w in words):
            return None
        # What is asked of the review (its date, author, score) does not pick the review.
        ranked = self.index.rank_reviews([t for t in content if t not in _RATING_WORDS and t not in _REVIEW_ASKS and not t.isdigit()])  # fmt: skip
        if ranked and ranked[0][1] >= 0.6 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
            return ranked[0][0]
        return None

    @staticmethod
    def _review_field_asked(content: list[str]) -> str | None:
        """ "date" or "author" when a question asks that of the reviews in general, and
        nothing else ("which reviews have a date", "who wrote the reviews")."""
        asked = set(content)
        if not asked & _REVIEW_WORDS_STEMS:
            return None
        fields = [name for name, words in _REVIEW_FIELDS.items() if asked & words]
        rest = asked - _REVIEW_WORDS_STEMS - LIGHT - _REVIEW_FIELD_WORDS
        return fields[0] if len(fields) == 1 and not rest else None

    @staticmethod
    def _names_date(words: list[str], iso: str) -> bool:
        """Whether the words give this date: 2022 10 11, or October 11 (2022)."""
        year, month, day = (int(x) for x in iso.split("-"))
        q = " ".join(words)
        if re.search(rf"\b{year}\s0?{month}\s0?{day}\b", q):
            return True
        for day1, month1, month2, day2 in _DAY_MONTH.findall(q):
            if (_MONTHS[month1 or month2], int(day1 or day2)) == (month, day) and (str(year) in words or not any(w.isdigit() and len(w) == 4 for w in words)):  # fmt: skip
                return True
        # "the October 2022 review": its month and year
        return bool(re.search(rf"\b{list(_MONTHS)[month - 1]}\s+{year}\b", q))

    # -- replies ----------------------------------------------------------------------
    def dont_know(self, title: str, viewer: Viewer, why: str = "the reviews I draw on don't say.") -> Reply:  # fmt: skip
        return Reply(title=title, lines=(line(f"I don't know: {why} {COMMANDS_HINT}"),), private=viewer.private, found=False)  # fmt: skip

    def _related(self, title: str, related: dict[str, int], asks_actor: bool, viewer: Viewer, *, naming: bool = False) -> Reply:  # fmt: skip
        c = self.engine.collector(viewer)
        lines = []
        any_actor = False
        unplayed: dict[str, int] = {}  # asked for an actor no review names: who, seen from when
        for character_id, shown_gate in related.items():
            character = self.base.character_by_id[character_id]
            if asks_actor:
                actor = self.base.person_by_id.get(character.played_by or "")
                if actor is None:
                    if viewer.can_see(shown_gate):
                        unplayed[character_id] = shown_gate
                    else:
                        c.withheld += 1
                    continue
                any_actor = True
                text = f"{character.display_name} is played by {actor.name}."
            elif character.name is None:  # "Dan-ah's secretary": say so, then what is known of them
                text = f"No review names {character.display_name}."
            else:
                text = self.engine._character_name(character)
            span = viewer.span(text, shown_gate)
            if span is None:
                c.withheld += 1
                continue
            c.cite(character.sources)
            lines.append((span,))
            if asks_actor or character.gate > viewer.progress:
                continue
            if self._summary_of(character):
                lines.append((viewer.span(character.summary, max(shown_gate, character.gate)),))  # fmt: skip
            if character.name is None:
                lines += self.engine._fact_lines(c, self.base.facts_about(character_id)[:2])
        if asks_actor and not any_actor:
            if not unplayed:
                return c.reply(title, [])  # every one of them is held back
            names = ", ".join(self.base.character_by_id[r].display_name for r in unplayed)
            return self._no_actor(title, viewer, names, max(unplayed.values()))
        fields = []
        if naming and lines:  # where the reviews disagree on the name, say so
            seen = {r for r, g in related.items() if viewer.can_see(g)}  # not a dispute about one held back
            disputed = [k.id for k in self.base.conflicts if set(k.about) & seen and re.search(r"\bnamed?\b", k.question.lower())]  # fmt: skip
            fields = self.engine._conflict_fields(c, [], only=disputed)
        return c.reply(title, lines, fields)

    def _actors(self, title: str, character_ids: list[str], viewer: Viewer) -> Reply:
        """Who plays each of several characters, each held back or tagged as its own."""
        c = self.engine.collector(viewer)
        lines: list[Line] = []
        for character_id in character_ids:
            reply = self._actor(title, character_id, viewer)
            c.withheld += reply.withheld
            if reply.withheld:
                continue
            if reply.found:
                c.cite(reply.sources)
                lines += reply.lines
            else:
                lines += [tuple(span for span in ln if COMMANDS_HINT not in span.text) for ln in reply.lines]  # fmt: skip
        return c.reply(title, lines)

    def _no_actor(self, title: str, viewer: Viewer, names: str, gate: int) -> Reply:
        """ "I don't know: no review names who plays X", tagged as X is: naming a character
        known only from a later episode is a spoiler in itself (Mae-yi's boyfriend)."""
        span = viewer.span(f"I don't know: no review names who plays {names}.", gate)
        if span is None:  # callers check first; never show it regardless
            c = self.engine.collector(viewer)
            c.withheld += 1
            return c.reply(title, [])
        return Reply(title=title, lines=((span, Span(f" {COMMANDS_HINT}")),), private=viewer.private, found=False)  # fmt: skip

    def _full_name(self, title: str, entity: str, viewer: Viewer) -> Reply:
        """A character's or person's name, the family name pointed out (it comes first)."""
        c = self.engine.collector(viewer)
        record = self.base.character_by_id.get(entity) or self.base.person_by_id[entity]
        if not viewer.can_see(getattr(record, "gate", 0)):  # not even whether they are named
            c.withheld += 1
            return c.reply(title, [])
        if not record.name:
            return self.dont_know(title, viewer, "no review gives that person's name.")
        c.cite(record.sources)
        family = self.names.family_name(record.name)
        given = record.name.split(" ", 1)[1] if family else record.name
        fuller = [
            a for a in record.aliases if not a.error and self.names.family_name(a.name, record.name)
        ]
        if family:
            text = f"{given}'s full name is {record.name}; {family} is the family name, which Korean names put first."  # fmt: skip
        elif fuller:
            forms = "; ".join(f"{a.name} ({', '.join(a.sources)})" for a in fuller)
            text = f"The reviews mostly call them {record.name}; with a family name (it comes first): {forms}."  # fmt: skip
            c.cite(s for a in fuller for s in a.sources)
        else:
            text = f"The reviews call them only {record.name}; none gives a family name."
        disputed = [k.id for k in self.base.conflicts if entity in k.about and re.search(r"\bnamed?\b", k.question.lower())]  # fmt: skip
        gate = getattr(record, "gate", 0)  # a character who comes later is story: tagged in public
        return c.reply(title, [(viewer.span(text, gate),)], self.engine._conflict_fields(c, [], only=disputed))  # fmt: skip

    @staticmethod
    def _summary_of(character) -> str | None:
        """The character's summary, unless it only repeats their label ("Dan-ah's secretary.")."""
        if character.summary and compact(character.summary) != compact(character.display_name):
            return character.summary
        return None

    def _actor(self, title: str, character_id: str, viewer: Viewer) -> Reply:
        character = self.base.character_by_id[character_id]
        c = self.engine.collector(viewer)
        if not viewer.can_see(character.gate):
            c.withheld += 1
            return c.reply(title, [])
        actor = self.base.person_by_id.get(character.played_by or "")
        if actor is None:
            return self._no_actor(title, viewer, character.display_name, character.gate)
        c.cite(character.sources)
        return c.reply(title, [line(Span(character.display_name, strong=True), " is played by ", Span(actor.name, strong=True), ".")])  # fmt: skip

    def _role(self, title: str, person_id: str, viewer: Viewer) -> Reply:
        person = self.base.person_by_id[person_id]
        c = self.engine.collector(viewer)
        roles = self.base.characters_played_by(person_id)
        lines = []
        for character in roles:
            if viewer.can_see(character.gate):
                c.cite(character.sources)
                lines.append(line(Span(person.name, strong=True), " plays ", Span(character.display_name, strong=True), "."))  # fmt: skip
            else:
                c.withheld += 1
        if not roles:
            c.cite(person.sources)
            crew = [r for r in person.roles if r not in ("actor", "referenced")]
            lines.append(line(f"{person.name} is credited as {' and '.join(crew)}." if crew else f"{person.name} is not in Run On's cast; a review mentions them."))  # fmt: skip
            lines += self.engine._fact_lines(c, self.base.facts_about(person_id)[:3])
        return c.reply(title, lines)

    def _episode_date(self, title: str, number: int, viewer: Viewer) -> Reply:
        ep = self.base.episode_by_number[number]
        c = self.engine.collector(viewer)
        c.cite(ep.sources)
        note = f" ({ep.dating_note})" if ep.dating_note else ""
        return c.reply(
            title, [line(f"Episode {number} aired on {ep.aired}{note}.")]
        )

    def _review_card(self, title: str, review_id: str, viewer: Viewer, content: list[str] = (), asked: list[str] = (), q: str = "") -> Reply:  # fmt: skip
        """A review's record: title, author and date as stated, score, verdict; and the
        one fact about the review that best answers what was asked of it."""
        review = self.base.review_by_id[review_id]
        c = self.engine.collector(viewer)
        c.cite([review.id])
        score = review.score.text if review.score else "no score"
        date = f"Published: {review.date_text}." if review.date_text else "It states no date."
        told = c.viewer.span(f"“{review.title}”", review.title_gate) if review.title_gate else Span(f"“{review.title}”", strong=True)  # fmt: skip
        if told is None:  # a title that tells story, past the reader's progress
            c.withheld += 1
        lines = [line(told or Span(f"The {review.id} review", strong=True), f" ({review.id})"),
                 line(f"By: {review.author or 'no author named'}. {date} Score: {score}."), line(review.verdict)]  # fmt: skip
        if set(content) & _SPOIL_WORDS:  # "how heavily does it spoil the series"
            lines.append(line(f"Spoilers: {review.spoilers}" + (f" ({review.spoiler_note})" if review.spoiler_note else ".")))  # fmt: skip
        about = [f for f in self.base.facts_about(review_id) if viewer.can_see(f.gate)]
        # "what newspaper / which site published it": where it appeared.
        if (_ASKS_OUTLET.match(q) or re.search(r"\bpublished (by|in|on)\b|\bwhere\b.*\b(published|posted|appear|appeared)\b", q)) and "when" not in asked:  # fmt: skip
            if not review.outlet:
                return self.dont_know(title, viewer, f"the {review.id} review does not name where it was published.")  # fmt: skip
            return c.reply(title, [line(f"The {review.id} review appeared in {review.outlet}.")])
        asks_date = "when" in asked or bool(set(content) & _DATE_ASKS)
        asks_author = not asks_date and ("who" in asked or bool(set(content) & _AUTHOR_ASKS))
        if asks_author and not review.author:
            return self.dont_know(title, viewer, f"the {review.id} review names no author.")
        if asks_date:  # its date, or a fact that dates it
            dating = [f for f in about if "when" in self.index.fact_tags[f.id]][:1]
            if not review.date and not dating:
                return self.dont_know(title, viewer, f"the {review.id} review gives no date.")
            lines += self.engine._fact_lines(c, dating)
        else:
            wanted = [t for t in content if t not in _REVIEW_WORDS_STEMS and t not in self.index.review_terms[review_id]]  # fmt: skip
            hits = [h for h in self.index.rank(wanted, about, asked) if h.coverage >= MIN_COVERAGE]
            lines += self.engine._fact_lines(c, [h.fact for h in hits[:1]])
        return c.reply(title, lines)

    def _leads(self, title: str, viewer: Viewer) -> Reply:
        """The leads with their actors, and what the reviews disagree on about who leads."""
        c = self.engine.collector(viewer)
        names = []
        for character in self.base.characters:
            if character.role != "lead":
                continue
            if not viewer.can_see(character.gate):
                c.withheld += 1
                continue
            c.cite(character.sources)
            names.append(self.engine._character_name(character))
        if not names:
            return self.dont_know(title, viewer)
        billing = {f.conflict for f in self.base.facts if f.topic == "cast" and f.conflict}
        return c.reply(title, [line("The leads: " + ", ".join(names) + ".")], self.engine._conflict_fields(c, [], only=billing))  # fmt: skip

    def _premise(self, title: str, viewer: Viewer) -> Reply:
        c = self.engine.collector(viewer)
        facts = [f for f in self.base.facts if f.gate == 0 and f.topic == "event"][:3]
        return c.reply(title, self.engine._fact_lines(c, facts))

    def _ties(self, title: str, entities: list[str], viewer: Viewer, *, withheld: int = 0) -> Reply | None:  # fmt: skip
        """The relations between two characters, either way round, as sentences (gated);
        None when the reader may see none. ``withheld``: more held back, to count too."""
        c = self.engine.collector(viewer)
        c.withheld += withheld
        lines: list[Line] = []
        for a, b in (entities, entities[::-1]):
            for relation, span in self._tie_spans(a, b, viewer):
                if span is None:
                    c.withheld += 1
                else:
                    lines.append((span,))
                    c.cite(relation.sources)
        return c.reply(title, lines) if lines else None

    def _tie(self, title: str, one: str, other: str, kinds: set[str], viewer: Viewer) -> Reply | None:  # fmt: skip
        """Whether ``one`` is ``other``'s relation of one of ``kinds``, or the reverse: the
        first such tie the viewer may see, as a sentence; None when there is none. A tie
        held back is as if there were none (the question is read as before), so what is
        shown never hints at it."""
        c = self.engine.collector(viewer)
        for a, b in ((one, other), (other, one)):
            for relation, span in self._tie_spans(a, b, viewer):
                if relation.is_ in kinds and span is not None:
                    c.cite(relation.sources)
                    return c.reply(title, [(span,)])
        return None

    def _tie_spans(self, a: str, b: str, viewer: Viewer) -> list[tuple[Relation, Span | None]]:
        """Each relation ``a`` has to ``b`` with its sentence as this viewer may see it
        (None: held back), gated at the later of the relation and the two people."""
        owner, other = self.base.character_by_id.get(a), self.base.character_by_id.get(b)
        if owner is None or other is None:
            return []
        out = []
        for relation in owner.relations:
            if relation.of == b:
                gate = max(relation.gate, owner.gate, other.gate)
                text = f"{owner.display_name} is {other.display_name}'s {relation.is_.replace('-', ' ')}."  # fmt: skip
                out.append((relation, viewer.span(text, gate)))
        return out

    def _fate(self, title: str, entity: str, viewer: Viewer) -> Reply:
        """How a person's story ends: their ending facts, else the latest of their story."""
        story = [f for f in self.base.facts_about(entity) if f.topic in STORY_TOPICS]
        endings = [f for f in story if f.topic == "ending"]
        if not story:
            return self._who(title, entity, viewer)
        # The latest told first: by gate, then from the end of the file (told in order).
        chosen = endings or sorted(reversed(story), key=lambda f: -f.gate)[:4]
        c = self.engine.collector(viewer)
        told = {f.id: i for i, f in enumerate(story)}
        lines = self.engine._fact_lines(c, sorted(chosen, key=lambda f: (f.gate, told[f.id])))
        return c.reply(title, lines, self.engine._conflict_fields(c, chosen))

    def _together(self, title: str, entities: list[str], viewer: Viewer) -> Reply:
        """What the reviews say about two or more people together."""
        c = self.engine.collector(viewer)
        wanted = set(entities)
        facts = [f for f in self.base.facts if wanted <= set(f.about) and f.topic in (*STORY_TOPICS, "profile")]  # fmt: skip
        if not facts:
            return self._who(title, entities[0], viewer)
        facts.sort(key=lambda f: f.gate)
        lines = self.engine._fact_lines(c, facts[:5])
        return c.reply(title, lines, self.engine._conflict_fields(c, facts[:5]))

    def _asks_spelling(self, p: Parsed, relation_words: set[int]) -> bool:
        """Whether the question asks how a name is written: a spelling word ("variants" only
        of a name; "spell out" is no spelling), and each person it names named as
        themselves, their actor's or their known relation's ("Mi-joo's roommate"), not as
        the owner of something else ("Mi-joo's tenant's name": no tie the file knows)."""
        words = p.words
        spelling = any(w in _SPELLING_WORDS and words[i + 1 : i + 2] != ["out"] for i, w in enumerate(words))  # fmt: skip
        if not spelling:
            return False
        if all(w in _VARIANT_WORDS for w in words if w in _SPELLING_WORDS) and _NAME_ASKED.isdisjoint(words):
            return False  # "what are the variants of Dan-ah's job"

        def named_so(i: int) -> bool:  # the words from i on say "name", or nothing more
            after = words[i : i + 1]
            if after in ([], *([w] for w in _NAME_ASKED)):
                return True
            return after in (["first"], ["last"], ["full"]) and words[i + 1 : i + 2] in (["name"], ["names"])

        def as_themselves(m: Mention) -> bool:
            if words[m.end : m.end + 1] != ["s"]:
                return True
            i = m.end + 1
            if words[i : i + 1] in (["actor"], ["actress"]) or i in relation_words:  # their actor's, their roommate's
                i += 1 + (words[i + 1 : i + 2] == ["s"])
            return named_so(i)

        return all(as_themselves(m) for m in p.mentions)

    def _spellings(self, title: str, entity: str, viewer: Viewer, *, asks_actor: bool, withheld: int = 0) -> Reply:  # fmt: skip
        """Every way the reviews write someone's name, with which review writes it so, and
        the reviews' dispute over the name itself (Mi-joo and "Mi-do"), if there is one.
        A character who comes later is story: their spellings are tagged in public.
        ``withheld``: others the question may mean, held back, to count."""
        character = self.base.character_by_id.get(entity)
        if character is not None and asks_actor and character.played_by:
            entity, character = character.played_by, None  # "the male lead actor's name"
        c = self.engine.collector(viewer)
        c.withheld += withheld
        if character is not None and not viewer.can_see(character.gate):
            c.withheld += 1
            return c.reply(title, [])
        who = character or self.base.person_by_id[entity]
        if character is not None and character.name is None:
            return self.dont_know(title, viewer, "no review gives that person's name.")
        name = who.display_name if character else who.name
        gate = character.gate if character is not None else 0
        c.cite(who.sources)
        if not who.aliases:
            return c.reply(title, [(viewer.span(f"The reviews write {name} one way only.", gate),)])  # fmt: skip
        for alias in who.aliases:
            c.cite(alias.sources)
        # A dispute over this name: one whose claims are this one's names (not "the name of
        # Young-hwa's best friend", whose claims are the friend's).
        names = {fold(n) for n in (name, *(a.name for a in who.aliases))}
        disputes = [k.id for k in self.base.conflicts if entity in k.about and any(fold(claim.text).startswith(n) for claim in k.claims for n in names)]  # fmt: skip
        written = self.engine._aliases_field(who.aliases, viewer, gate)
        if gate:
            lead: Line = (viewer.span(f"Besides {name}, the reviews write:", gate),)
        else:
            lead = line("Besides ", Span(name, strong=True), ", the reviews write:")
        return c.reply(title, [lead], [written, *self.engine._conflict_fields(c, [], only=disputes)])

    def _who(self, title: str, entity: str, viewer: Viewer) -> Reply:
        """A short "who is X": summary and actor, relations, one or two facts."""
        if entity in self.base.person_by_id:
            return self._role(title, entity, viewer)
        character = self.base.character_by_id[entity]
        c = self.engine.collector(viewer)
        if not viewer.can_see(character.gate):
            c.withheld += 1
            return c.reply(title, [])
        c.cite(character.sources)
        summary = self._summary_of(character)
        name = self.engine._character_name(character)
        # Someone who comes into the story later, or is reached through a later tie, is
        # story: tagged in public.
        head = viewer.span(f"{name}: {summary}" if summary else name, character.gate)
        if head is not None and head.spoiler:
            lines: list[Line] = [(head,)]
        else:
            lines = [line(Span(name, strong=True), f": {summary}" if summary else "")]
        for relation in character.relations:
            span = self.engine.relation_span(c, character, relation, sentence=True)
            if span is not None:
                lines.append((span,))
        about = self.base.facts_about(entity)
        profile = [f for f in about if f.topic == "profile"][:2] or about[:2]
        lines += self.engine._fact_lines(c, profile)
        return c.reply(title, lines, self.engine._conflict_fields(c, profile, [entity]))

    def _ranked(self, title: str, content: list[str], names: list[str], candidates: list[Fact],
                entities: list[str], asked: list[str], narrative: bool, viewer: Viewer, *,
                with_conflicts: bool = True, optional: set[str] = frozenset(), must: list[str] = (),
                most: int | None = None, scoped: bool = False) -> Reply:  # fmt: skip
        """The facts that best cover the question; ``with_conflicts``: also a disagreement
        the question itself matches (off for one episode's facts); ``must``: what the
        question asks for ("what *production company*"), which a fact has to say."""
        index = self.index
        hits = []
        if len(entities) > 1:  # prefer facts about every person named, then about two of them
            named = set(entities)
            together = [f for f in candidates if named <= set(f.about)]
            hits = [h for h in index.rank(content, together, asked, optional) if h.coverage >= MIN_COVERAGE]  # fmt: skip
            if not hits and len(named) > 2:
                pairs = [f for f in candidates if len(named & set(f.about)) >= 2]
                hits = [h for h in index.rank(content, pairs, asked, optional) if h.coverage >= MIN_COVERAGE]  # fmt: skip
        if not hits:
            ranked = index.rank(content, candidates, asked, optional)
            hits = [h for h in ranked if h.coverage >= MIN_COVERAGE]
            if not hits and ranked and (scoped or self._all_known(content, optional)):
                # Every word is one the fact base uses, yet no fact has most of them: the
                # best one may still answer, if it has a good part and stands out. A fact
                # the reader may see is shown so only if every word is one of the facts
                # they may see ("does Mi-joo have a birthday party" before Dan-ah's party:
                # no dinner party because a later fact knows "birthday").
                best, runner_up = ranked[0], (ranked[1].score if len(ranked) > 1 else 0.0)
                known = scoped or not viewer.can_see(best.fact.gate) or viewer.reveal or self._all_known(content, optional, self._vocabulary_through(viewer.progress))  # fmt: skip
                if best.coverage >= LOOSE_COVERAGE and best.score >= LOOSE_MARGIN * runner_up and known:  # fmt: skip
                    hits = [best]
        if must:
            # One of the words is enough ("which Korean channel"), but from the fact's own
            # words, not its topic label ("production" is no production company).
            hits = [h for h in hits if self.index.cover(must, self.index.synonym_terms[h.fact.id])]
        # "When"/"where"/"how many"/"how long": facts that give a time, a place, a number
        # or a length answer it, when there are any.
        for word in ("when", "where", "many", "long"):
            if word in asked:
                tagged = [h for h in hits if word in index.fact_tags[h.fact.id]]
                if any(viewer.can_see(h.fact.gate) for h in tagged):
                    hits = tagged
        relevant = [k for k in self.base.conflicts if with_conflicts and (not entities or set(entities) & set(k.about))  # fmt: skip
                    and not any(w in asked and not k.question.lower().startswith(w) for w in ("when", "where"))]  # fmt: skip
        conflicts = [
            k for k, cover in index.rank_conflicts(content + names, relevant) if cover >= 0.75
        ]
        if not hits and not conflicts:
            return self.dont_know(title, viewer)
        most, share = (
            (max(most or 0, 4), 0.6) if narrative else ((most, 0.6) if most else (3, 0.85))
        )
        # Answer from what the reader may see; count better answers held back. When the
        # best answer is held back, a visible fact that covers less of the question is
        # no stand-in for it ("who becomes vice president" at episode 6 is not answered
        # with "she is the heir"): only those covering as much are shown.
        visible = [h for h in hits if viewer.can_see(h.fact.gate)]
        if hits and not viewer.can_see(hits[0].fact.gate):
            visible = [h for h in visible if h.coverage >= hits[0].coverage]
        best = visible[0].score if visible else (hits[0].score if hits else 0)
        chosen = [h.fact for h in visible if h.score >= best * share][:most]
        # Facts of one family ("series.genre.*": each review's word on the genre)
        # answer together: one review's take alone would hide the others'.
        family = self._family(chosen[0].id) if chosen else None
        if family:
            chosen += [h.fact for h in visible if h.fact not in chosen and self._family(h.fact.id) == family][: MAX_FAMILY - len(chosen)]  # fmt: skip
        hidden = sum(1 for h in hits[:most] if not viewer.can_see(h.fact.gate) and h.score >= best * share)  # fmt: skip
        # Asked in words only the story uses ("who plays the *gay* friend"), a premise
        # line shown with the answer (the cast line) tells whom those words fit: every
        # line is tagged from the first shown fact that says them, or else from the first
        # shown story fact, or else from the first fact the reader may see that says them.
        # With none of those, the premise lines answer the question without its story
        # words: they are stand-ins, and are not shown.
        # Only a line about someone can tell whom the words fit ("Run On aired on
        # Wednesdays" tells no one's story).
        story_words = self._story_words(content, optional) if any(self._characters.intersection(f.about) for f in chosen) else set()  # fmt: skip
        if story_words:
            telling = [f.gate for f in chosen if story_words & index.fact_terms[f.id]]
            telling = telling or [f.gate for f in chosen if f.gate > 0]
            first = min(self._first_said[t] for t in story_words)
            telling = telling or ([first] if viewer.can_see(first) else [])
            if telling and min(telling) > viewer.at_least:
                viewer = replace(viewer, at_least=min(telling))
            elif not telling:
                chosen, conflicts = [], []
        c = self.engine.collector(viewer)
        c.withheld += hidden
        lines = self.engine._fact_lines(c, chosen)
        fields = self.engine._conflict_fields(c, chosen)
        if conflicts[:1] and not any(f.conflict == conflicts[0].id for f in chosen):
            fields = self.engine._conflict_fields(c, [], only=[conflicts[0].id]) + fields
        if not lines and not fields and not c.withheld:
            return self.dont_know(title, viewer)
        return c.reply(title, lines, fields)

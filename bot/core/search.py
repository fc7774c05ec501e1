"""Lexical ranking of facts: the fallback when a question has no fixed shape.

Scores are IDF-weighted coverage: how much of what the question asks about
(its content words, after stemming and synonyms) a fact covers. Coverage, not a
raw score, is what lets the engine say "I don't know" when a question's key
words appear nowhere in a fact ("who composed the soundtrack?").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import Stemmer
from rapidfuzz import fuzz, process

from bot.core.model import Conflict, Fact, FactBase
from bot.core.text import fold

_TOKEN = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(["a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "during", "each", "for", "from", "get", "gets", "getting", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "teach", "teaches", "taught", "draw", "draws", "drew", "themselves", "themself", "myself", "yourself", "yourselves", "ourselves", "oneself", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "s", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "which", "while", "whom", "will", "with", "would", "you", "your", "tell", "please", "know", "anything", "something", "happen", "happens", "happened", "happening", "run", "runon", "drama", "kdrama", "show", "series", "story", "thing", "things", "really", "actually", "one", "ever", "still", "even", "go", "goes", "going", "went", "much", "anywhere", "deal", "between", "storyline", "storylines", "plot", "arc", "subplot", "called", "named", "main", "react", "reacts", "reaction", "respond", "responds", "response", "exactly", "basically", "like", "anyone", "anybody", "someone", "somebody",
    # how an examiner frames a question: "according to the blog, ...", "how does X describe ..."
    # what is left of a contraction ("weren't" -> weren, t)
    "t", "don", "doesn", "didn", "isn", "wasn", "aren", "weren", "won", "hasn", "haven", "hadn", "couldn", "wouldn", "shouldn", "ll", "re", "ve", "d", "m",
    "shown", "whatever", "without", "both", "each", "besides", "across", "along", "around", "among", "against", "toward", "towards", "upon", "within", "onto", "beside",
    "whether", "according", "describe", "describes", "described", "description", "mention", "mentions", "mentioned", "consider", "considers", "considered", "regard", "regards", "call", "calls",
    # chat filler: "wait who's the guy...", "main cast list pls", "... lol"
    "wait", "pls", "plz", "lol", "lmao", "haha", "ok", "okay", "hey", "hi", "um", "uh", "btw", "tho", "omg", "rn", "ngl", "yo", "hmm", "idk", "u", "ur", "ya", "yall", "tf", "nah", "bruh", "fr", "smh", "tbh", "imo", "actually"])  # fmt: skip
# Korean honorifics fans put after a name ("Mae unnie", "Mi-joo ssi"): dropped there, but
# after a possessive they are a relation ("SG's hyung"). "noona" is neither: a review
# calls a romance that.
HONORIFICS = frozenset(["unnie", "unni", "eonni", "oppa", "oppar", "hyung", "hyeong", "sunbae", "sunbaenim", "ssi", "nim"])  # fmt: skip

# Question words: never required of a fact, but a fact tagged with one (a
# keyword "when" on an air-date fact) ranks higher for that kind of question.
QUESTION_WORDS = frozenset(
    ["who", "whose", "when", "where", "why", "how", "many", "long", "what", "which"]
)

# Words a question may use for what a fact says in other words. Each group is
# one meaning; any member stands for all of them.
SYNONYM_GROUPS = [
    "display displays displayed exhibit exhibits exhibited exhibition exhibitions hang hangs hung",
    "die dies died death dead pass passes passed passing deathbed funeral",
    "job work works working profession occupation career employ employed",
    "kick kicked expel expelled remove removed fire fired drop dropped ban banned",
    "marry married marriage wedding arranged",
    "end ends ending ended finale final last conclusion conclude close closes closing finish finishes finished eventually",
    "start starts begin begins beginning premiere premiered debut",
    "air aired broadcast broadcasts release released premiere premiered",
    "watch stream streaming available netflix platform",
    "network channel broadcaster tv jtbc",
    "score rating rate rated stars star grade",
    "gay sexuality comingout outing lgbtq lgbt lgbtqia queer",
    "sick ill illness disease faint fainted fainting health",
    "direct directed director directs",
    "write wrote written writer screenwriter script screenplay pen penned pens",
    "breakup split separate separated dump dumps dumped",
    "reconcile reconciled reunite reunited reunion makeup",
    "dislike dislikes disliked hate hates hated criticise criticises criticised criticism complaint complaints flaw flaws weakness weaknesses drawback drawbacks issue issues problem problems",
    "love romance romantic relationship couple together date dating dated pair pairing pairings",
    "meet met meeting meets encounter",
    "translator translate translation subtitle subtitles subtitler interpreter",
    "agent agency agents",
    "election vote votes elected campaign politics politician political",
    "genre genres kind type",
    "runtime length duration minutes hour hours",
    "bully bullied bullying abuse abused assault",
    "paint painting painter paintings art artist",
    "mother mom mum mama mommy mummy",
    "father dad daddy papa",
    "runner running sprint sprinter sprinting marathon athlete athletics track",
    "divorce divorced",
    "ramen noodles",
    "approve approves approved approval disapprove disapproves disapproved disapproval oppose opposes opposed",
    "invite invites invited inviting invitation invitations offer offers offered",
    "episode episodes ep eps",
    "compare compares compared comparing similar vibe comparison liken likens likened likening",
    "part parts element elements aspect aspects",
    "lie lied lying pretend pretended pretending fake",
    "cry cries cried crying tears",
    "asexual ace",
    "ceo president chairman heir heiress company business group seomyung",
    "cast actor actors actress starring stars performer performers",
    "kid kids child childhood young girl boy little",
    "want wanted wish dream dreamed dreams dreamt",
    "study studying studies student",
    "flower flowers bouquet",
    "together closer bond bonds bonded bonding",
    "latest newest recent",
    "favourite favourites favorite favorites fav fave",
    "stay stays stayed staying crash crashes crashed move moves moved moving",
    "talk talks talked talking conversation conversations chat discussion dialogue dialogues",
    "choice choices choose chooses chose chosen decide decides decided decision",
    "affect affects affected effect effects impact impacts suffer suffers suffered",
    "pity pities pitied sorry sympathy sympathise sympathize",
    "funny funniest humour humor comic comedy comedic hilarious",
    "representation represent represented portrayal portray portrays portrayed depiction depict depicts",
    "background backgrounds backstory backstories",
    "phrase phrases expression expressions idiom idioms",
    "trip trips excursion excursions getaway holiday vacation",
]

# Irregular past forms the stemmer cannot reach ("became" is not "become").
IRREGULAR = {
    "became": "become", "met": "meet", "wrote": "write", "written": "write", "fell": "fall",
    "ran": "run", "left": "leave", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "began": "begin", "begun": "begin", "knew": "know", "known": "know",
    "thought": "think", "found": "find", "told": "tell", "said": "say", "lost": "lose",
    "won": "win",
    # "criticism" is no "critic" (a reviewer): both stem to "critic" otherwise.
    "criticism": "criticise", "criticisms": "criticise", "criticize": "criticise",
    "criticizes": "criticises", "criticized": "criticised", "chose": "choose", "chosen": "choose", "broke": "break", "broken": "break",
    "made": "make", "came": "come", "saw": "see", "seen": "see", "kept": "keep", "felt": "feel",
    "hid": "hide", "hidden": "hide", "fought": "fight", "brought": "bring", "sold": "sell",
    "stood": "stand", "understood": "understand", "slept": "sleep", "grew": "grow",
    "grown": "grow", "threw": "throw", "thrown": "throw", "drove": "drive", "ate": "eat",
    # "nearly" is "almost": near the end is no "nearly his whole life".
    "nearly": "almost",
}  # fmt: skip

# Multi-word phrases that mean one thing, folded before tokenising: (pattern,
# replacement, the words the pattern cannot match without).
_PHRASES = [
    # "who is it for", "who would like it and who wouldn't", "who might not like it",
    # "is it a good pick": who the show suits, one word on both sides (keywords too).
    (
        re.compile(
            r"\bwho\s+(is\s+it|it\s+is|s\s+it|is\s+this|is\s+run\s*on)\s+(\w+ly\s+)?(for|meant\s+for|aimed\s+at)\b"
            # "who is the show for", "who this drama is especially for"
            r"|\bwho\s+((is|s)\s+)?(the|this|that)\s+(show|drama|series|kdrama)\s+((is|s)\s+)?(\w+ly\s+)?(for|meant\s+for|aimed\s+at)\b"
            r"|\bwho\s+(would|will|might|should|could|may)\s+(not\s+|n'?t\s+)?(like|love|enjoy|watch|skip|hate|dislike)\b"
            r"|\bwho\s+(wouldn'?t|won'?t|shouldn'?t)\b|\bgood\s+(pick|choice|fit)\b"
            r"|\btarget\s+(audience|audiences|viewer|viewers|demographic)\b"
            # "is run on for me", "is this show my type"
            r"|\b(is|s)\s+(it|this|that|run\s*on|runon)(\s+(show|drama|series|kdrama))?\s+(for\s+me|my\s+(thing|type|kind\s+of\s+(show|drama)))\b"
        ),
        "whoisitfor",
        "who good target me my",
    ),
    (
        re.compile(r"\b(it|show|drama|series|run on|runon|piece|review|article|post|episode|finale)\s+(come|came|comes)\s+out\b(?!\s+that)"),
        r"\1 released",
        "out",
    ),
    (re.compile(r"\b(come|comes|came|coming)\s+out\b"), "comingout", "out"),
    # "why did she call things off": a break-up too.
    (re.compile(r"\bbreak(s|ing)?\s+up\b|\bbroke\s+up\b|\bcall(s|ed|ing)?\s+(it|things)\s+off\b"), "breakup", "up off"),  # fmt: skip
    (re.compile(r"\b(make|makes|made|making)\s+up\b"), "makeup", "up"),
    (re.compile(r"\b(pass|passes|passed|passing)\s+away\b"), "dies", "away"),
    # "what does he say at the end of his life": as he is dying (no one else dies).
    (re.compile(r"\b(end|close|last\s+days|final\s+days)\s+of\s+(his|their)\s+(life|lives)\b"), "dying", "life lives"),
    (re.compile(r"\bkicked\s+off\b"), "kicked", "kicked"),
    # "who is the bad guy": the villain (not someone "badly" bullied).
    (re.compile(r"\bthe\s+bad\s+(guy|guys)\b|\bantagonists?\b"), "the villain", "bad antagonist antagonists"),
    # "sees nothing wrong with it" is no flaw (folded first, so the rule below keeps off it;
    # a lookbehind in the rule made the one search for every rule three times slower).
    (re.compile(r"\b(nothing|anything|not)\s+(bad|wrong)\b"), r"\1 amiss", "bad wrong"),
    # "what is bad about the show", "the bad points of it": its flaws.
    (re.compile(r"\b(bad|wrong|weak)\s+(about|with)\s+(the\s+)?(show|drama|series|kdrama|it|run\s*on)\b|\b(bad|weak|negative)\s+(things?|points?|parts?|sides?)\s+(about|of|in)\s+(the\s+)?(show|drama|series|kdrama|it|run\s*on)\b"), "flaws", "bad wrong weak negative"),  # fmt: skip
    # "why does she want to break up": why she breaks up (an event the facts state).
    (re.compile(r"\b(want|wants|wanted|wanting)\s+(to\s+)?(break\s+up|breakup|split\s+up)\b"), r"\3", "up breakup"),  # fmt: skip
    # "does he say sorry": an apology (alone, "sorry" is pity: "I feel sorry for her").
    (re.compile(r"\b(say|says|said|saying)\s+sorry\b"), "apologises", "sorry"),
    (
        re.compile(r"\b(fall|falls|fell|fallen|falling)\s+(in\s+love\s+with|in\s+love|for)\b"),
        "love",
        "fall falls fell fallen falling",
    ),
    (re.compile(r"\bfirst\s+loves?\b"), "firstlove love", "love loves"),  # a first love is a love too
    (re.compile(r"\bfor\s+a\s+living\b"), "job", "living"),
    (re.compile(r"\brep\b"), "representation", "rep"),
    # "how did Dan-ah come across Young-hwa": how they met.
    (
        re.compile(r"\b(come|comes|came|coming|run|runs|ran|bump|bumps|bumped)\s+(across|into)\b"),
        "meet",
        "across into",
    ),
    # "professionally speaking, ...": a manner of asking, not speech.
    (re.compile(r"\b([a-z]+ly)\s+speaking\b"), r"\1", "speaking"),
    # "why did he become an athlete in the first place": no place, no first.
    (re.compile(r"\bin\s+the\s+first\s+place\b"), "", "place"),
    (re.compile(r"\b(why\b.*?)\s*\bin\s+first\s+place\b"), r"\1", "place"),  # "why ... in first place", not "finish in first place"
    # "how did they meet (for the) first time": how they first met.
    (re.compile(r"\b(meet|meets|met|meeting)\s+(each\s+other\s+)?(for\s+)?(the\s+)?first\s+time\b"), r"first \1", "time"),  # fmt: skip
    # "what happens at the start of the show": the premise, when the story begins (not a
    # fact that says "beginning with"). "premise" is a light word, so a question about
    # more ranks by the rest; asked of a person, it is dropped (questions.py). The start
    # of anything else ("of episode 2", "of their relationship") is left alone.
    (re.compile(r"\b(at|in)\s+(the\s+)?(very\s+)?(start|beginning)\b(\s+of\s+(the\s+)?(show|series|drama|kdrama|story|run\s*on)\b|(?!\s+of\b))"), "premise", "start beginning"),  # fmt: skip
    # "where does the final scene take place": where it is, not a place taken.
    (re.compile(r"\b(take|takes|took|taking)\s+place\b"), "happen", "place"),
    # "what event takes place in the final scene": what happens (an athlete's event is no "event ... happens").
    (re.compile(r"\bevents?\s+(happen|happens|happened|happening|occur|occurs|occurred|occurring)\b"), "happen", "event events"),  # fmt: skip
    # "does Mi-joo live alone", "who does she live with": who shares the house.
    (
        re.compile(
            r"\b(live|lives|living|lived)\s+(alone|with|together|on (her|his) own|by (her|him)self)\b"
        ),
        "roommate",
        "live lives living lived",
    ),
    # "did the blog not like", "what didn't Herrera like": a dislike.
    (
        re.compile(
            r"\b(not|didn'?t|doesn'?t|don'?t|didn t|doesn t|don t)\s+(like|likes|liked|love|loved|enjoy|enjoyed)\b"
        ),
        "dislike",
        "like likes liked love loved enjoy enjoyed",
    ),
    # "what didn't the 8/10 review like": the one who dislikes comes in between.
    (
        re.compile(
            r"\b(?:didn'?t|doesn'?t|don'?t|didn t|doesn t|don t)\s+((?:(?!you\b)[\w/.'’-]+\s+){1,4}?)(?:like|likes|liked|love|loved|enjoy|enjoyed)\b"
        ),
        r"\1dislike",
        "like likes liked love loved enjoy enjoyed",
    ),
    # "back together": a reconciliation; "health wise": the health.
    (
        re.compile(r"\b(get|gets|got|getting|come|comes|came|be|are|were)?\s*back\s+together\b"),
        " reconcile",
        "together",
    ),
    (re.compile(r"\b([a-z]+)[\s-]wise\b"), r"\1", "wise"),
    # "something like Run On", "shows similar to it": a likeness, not a liking.
    (
        re.compile(
            r"\b(something|anything|dramas?|kdramas?|shows?|series)\s+(like|similar\s+to)\s+(run\s*on|it|this|that)\b"
        ),
        r"similar \3",
        "like similar",
    ),
    # "the most impressive element of its closing stages": of its closing episodes.
    (re.compile(r"\b(closing|final|last|late|later)\s+(stages?|stretch)\b"), r"\1 episodes", "stage stages stretch"),  # fmt: skip
    # "does Mae end up dating anyone": "end up" says "in the end", not "the ending".
    (re.compile(r"\b(end|ends|ended|ending)\s+up\b"), "eventually", "up"),
    # "does her father survive": whether he dies, which is what a fact would say.
    (re.compile(r"\b(survive|survives|survived|surviving|pull through|pulls through|pulled through)\b"), "die", "survive survives survived surviving through"),  # fmt: skip
    # "who does he end up rooming with": who shares the house.
    (re.compile(r"\b(room|rooms|roomed|rooming)\s+(with|together)\b"), "roommate", "room rooms roomed rooming"),
    # "what does the review talk about": what it says.
    (re.compile(r"\b(talk|talks|talked|talking)\s+about\b"), "say", "talk talks talked talking"),
    # "what life lessons does it draw": lessons; "life" says nothing more.
    (re.compile(r"\blife\s+(lesson|lessons)\b"), r"\1", "life"),
    # "why did she storm out of the dinner": she walked out.
    (re.compile(r"\b(storm|storms|stormed|storming|stomp|stomps|stomped|stomping)\s+(out|off)\b"), "walks out", "storm storms stormed storming stomp stomps stomped stomping"),  # fmt: skip
    # "does her boyfriend stand by her": whether he stays with her.
    (re.compile(r"\b(stand|stands|stood|standing|stick|sticks|stuck|sticking)\s+(by|with)\s+(her|him|them|each\s+other)\b"), "stays with \\3", "stand stands stood standing stick sticks stuck sticking"),  # fmt: skip
    # "the least enthusiastic score": the lowest; "a ratings box": a rating.
    (re.compile(r"\b(least|less)\s+(enthusiastic|favourable|favorable|positive|generous|glowing|kind)\b"), "lowest score", "least less"),  # fmt: skip
    (re.compile(r"\b(most|more)\s+(enthusiastic|favourable|favorable|positive|generous|glowing)\b"), "highest score", "enthusiastic favourable favorable positive generous glowing"),  # fmt: skip
    (re.compile(r"\b(rating|ratings|score|scores)\s+(box|boxes|field|fields|section)\b"), r"\1", "box boxes field fields section"),  # fmt: skip
    # "does she have a family to lean on": someone to fall back on.
    (re.compile(r"\b(lean|leans|leaned|leaning|rely|relies|relied|relying|depend|depends|depended|depending|fall\s+back|falls\s+back|fell\s+back|falling\s+back)\s+on\b"), "fallbackon", "lean leans leaned leaning rely relies relied relying depend depends depended depending back"),  # fmt: skip
    # "does he like her right away": at once.
    (re.compile(r"\b(right\s+away|straight\s+away|at\s+once|immediately|instantly)\b"), "atonce", "away once immediately instantly"),
    # "what nights of the week did it air": which days.
    (re.compile(r"\b(nights|evenings|weeknights)(\s+of\s+the\s+week)?\b"), "days", "nights evenings weeknights"),
    # "what goes wrong at the party": what happens there.
    (re.compile(r"\b(go|goes|went|going|gone)\s+wrong\b"), "happens", "wrong"),
    # "would someone who loves plot twists enjoy it", "is it good for people who like
    # action": who the show suits.
    (re.compile(r"\b(would|will|might|could)\s+(someone|anyone|somebody|anybody|people|viewers|fans)\b|\b(is|s)\s+(it|this|run\s*on)\s+(good|ok|okay|right|worth\s+it)\s+for\s+(someone|anyone|people|viewers|fans|me)\b"), "whoisitfor", "someone anyone somebody anybody people viewers fans good ok okay right worth"),  # fmt: skip
    # "does it get better", "is it worth sticking with": whether it is worthwhile.
    (re.compile(r"\b(get|gets|getting)\s+better\b|\bworth\s+(sticking\s+with|continuing|finishing)\b|\b(stick|sticking)\s+with\s+it\b|\bkeep\s+watching\b"), "worthwhile", "better worth stick sticking keep"),  # fmt: skip
    # "how does the newspaper sum up the finale": what it says of the finale.
    (re.compile(r"\b(sum|sums|summed|summing)\s+(it\s+)?up\b"), "", "sum sums summed summing"),
    # "it may not suit every viewer": not everyone.
    (re.compile(r"\bevery\s+(viewer|viewers|person|one|body)\b|\beverybody\b"), "everyone", "every everybody"),
    # "does it put a numerical score on the show": a score (no fact says "numerical").
    (re.compile(r"\b(numeric|numerical)\s+(score|scores|rating|ratings|grade|grades|mark|marks)\b"), r"\2", "numeric numerical"),
    # "how many reviews commit to a score": give one.
    (re.compile(r"\b(commit|commits|committed|committing|stick|sticks|put|puts)\s+to\s+(a\s+|any\s+)?(score|rating|grade)\b"), r"give \2\3", "commit commits committed committing stick sticks put puts"),  # fmt: skip
    # "what does the review single out as its funniest set piece": its funniest scene.
    (re.compile(r"\bset[\s-]+pieces?\b"), "scene", "set"),
    (re.compile(r"\b(single|singles|singled|singling)\s+out\b"), "", "single singles singled singling"),
    # "which genres does the review list in its details box": what it lists, anywhere.
    (re.compile(r"\b(in|on)\s+(its|the|their|her|his)\s+(details?|info|information|fact|facts)\s+(box|boxes|section|panel|card)\b"), "", "box boxes section panel card"),  # fmt: skip
    # "his bestie", "her bff": a best friend, read as the two words are.
    (re.compile(r"\b(bestie|besties|bff|bffs|bestfriend|bestfriends)\b"), "best friend", "bestie besties bff bffs bestfriend bestfriends"),  # fmt: skip
    # "what helps his mother come round": what makes her accept him.
    (re.compile(r"\b(come|comes|came|coming)\s+(a?round|around\s+to|round\s+to)\b"), "accept", "come comes came coming"),  # fmt: skip
    # "what does he say to her before he dies": on his deathbed.
    (re.compile(r"\b(before|as|when)\s+(he|she|they)\s+(die|dies|died|is dying|was dying)\b"), "deathbed", "die dies died dying"),  # fmt: skip
]


class _Phrase(NamedTuple):
    """A phrase rule, and the words it cannot match without (its match has one of them)."""

    pattern: re.Pattern[str]
    replacement: str
    needs: frozenset[str]


# Each rule is tried only on a text that has one of its words: about half of all
# questions have none of any rule's, the rest a few rules', and looking for words is a
# tenth of the cost of a search by every rule. Skipping a rule that cannot match changes
# nothing; the rest apply in order, as ever (tests check each rule's words against
# strings its pattern matches).
_PHRASE_RULES = [_Phrase(pattern, replacement, frozenset(needs.split())) for pattern, replacement, needs in _PHRASES]  # fmt: skip
_PHRASE_WORDS = frozenset().union(*(rule.needs for rule in _PHRASE_RULES))
# Words as a pattern's \b sees them: a needed word in a match is one of these whole.
_WORD = re.compile(r"\w+")

_STEMMER = Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """Snowball (Porter 2) stem of the word's base form; the same on both sides."""
    return _STEMMER.stemWord(IRREGULAR.get(word, word))


def _build_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        members = {stem(w) for w in group.split()}
        for m in members:
            table.setdefault(m, set()).update(members)
    return {k: frozenset(v - {k}) for k, v in table.items()}


SYNONYMS = _build_synonyms()


def phrase_fold(text: str) -> str:
    """Folded text with multi-word phrases turned into single words."""
    text = fold(text)
    words = set(_WORD.findall(text))
    if _PHRASE_WORDS.isdisjoint(words):
        return text
    for rule in _PHRASE_RULES:
        if not rule.needs.isdisjoint(words):
            replaced = rule.pattern.sub(rule.replacement, text)
            if replaced != text:  # a rule's words may be a later rule's ("die")
                text = replaced
                words = set(_WORD.findall(text))
    return text


def terms(text: str) -> list[str]:
    """Content stems of a text, stopwords and question words out."""
    return [stem(w) for w in _TOKEN.findall(phrase_fold(text)) if w not in STOPWORDS and w not in QUESTION_WORDS]  # fmt: skip


def question_words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(fold(text)) if w in QUESTION_WORDS]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_date(value: object) -> bool:
    return isinstance(value, str) and bool(_DATE.fullmatch(value))


class Hit(NamedTuple):
    """One ranked fact (a tuple: ``rank`` makes hundreds per question, a dataclass costs thrice)."""

    fact: Fact
    score: float
    coverage: float


# Words that shade a question but do not carry it: "when did it *first* air",
# "what job does he *take*", "does he *become* an agent".
LIGHT = frozenset(stem(w) for w in ["file", "files", "filed", "say", "says", "said", "people", "use", "uses", "used", "feel", "feels", "felt", "kind", "type", "sort", "try", "tries", "tried", "trying", "eventually", "different", "differently", "first", "think", "thinks", "thought", "take", "takes", "taking", "become", "becomes", "becoming", "make", "makes", "making", "give", "gives", "giving", "put", "puts", "keep", "keeps", "premise", "list", "lists", "listed", "change", "changes", "changed", "mark", "marks", "marked", "reveal", "reveals", "revealed", "resolve", "resolves", "resolved", "originally", "supposed", "supposedly", "label", "labels", "labelled", "labeled", "credit", "credits", "credited", "describe", "describes", "described", "attitude", "attitudes", "approach", "approaches", "belong", "belongs", "belonged", "may", "might", "must", "measure", "measures", "measured", "near"])  # fmt: skip
# Places: a fact naming one can answer "where".
PLACES = frozenset(stem(w) for w in ["house", "home", "room", "apartment", "flat", "gallery", "museum", "hospital", "school", "university", "college", "cafe", "city", "seoul", "korea", "abroad", "park", "office", "studio", "camping", "trip", "restaurant", "bar", "street", "country", "bedroom", "exhibition", "track", "stadium", "netflix", "jtbc", "cinema", "theater", "theatre", "premiere", "outside", "inside"])  # fmt: skip
_REVIEW_WORDS = frozenset(stem(w) for w in ["review", "reviews", "reviewer", "critic"])
# Words that frame a question rather than say what it is about.
FRAMING = frozenset(stem(w) for w in ["kind", "type", "sort", "way", "much", "many", "exactly"])
CORRECT_CUTOFF = 85  # fuzz.ratio a misspelt word needs against a fact word to be read as it
SYNONYM_WEIGHT = 0.8  # a synonym counts for a little less than the word itself
LENGTH_B = 0.3  # how much a long fact is penalised against a short one (BM25's b)
QUESTION_WORD_BONUS = 0.5


def _derived(word: str, near: str) -> bool:
    """Whether ``word`` is ``near``'s stem and a suffix of three letters or more: a word
    made from it ("characterise", not a typo for "characters"), not a slip ("episoeds")."""
    root = stem(near)
    return len(root) >= 5 and word.startswith(root) and len(word) - len(root) >= 3


class LexicalIndex:
    """Per-fact stem sets and their IDF, built once per fact base."""

    def __init__(self, base: FactBase, entity_names: dict[str, str]) -> None:
        self.base = base
        self.fact_terms: dict[str, frozenset[str]] = {}
        self.synonym_terms: dict[str, frozenset[str]] = {}
        self.postings: dict[str, set[str]] = {}  # term -> ids of the facts that have it
        self.fact_tags: dict[str, frozenset[str]] = {}
        df: Counter[str] = Counter()
        # Words of people's own names, in fact texts too ("Young-hwa throws..."), are no
        # words to look up synonyms of (a label like "Seon-gyeom's father" keeps "father").
        proper = [p.name for p in base.people] + [c.name for c in base.characters if c.name]
        proper += [a.name for x in (*base.people, *base.characters) for a in x.aliases]
        name_stems = frozenset(t for name in proper for t in terms(name))
        for fact in base.facts:
            words = terms(fact.text) + terms(" ".join(fact.keywords))
            # The topic and the id's last part ("mae-yi.personality") are labels: matched as
            # themselves, never through a synonym nor as what a fact must say. The names
            # of who it is about count as the fact's words, but a proper name's words
            # ("young" in Young-hwa) are never matched through a synonym ("kid").
            id_words = terms(fact.id.rsplit(".", 1)[-1].replace("-", " "))
            labels = [stem(fact.topic), *id_words]
            for about in fact.about:
                labels += terms(entity_names.get(about, about.replace("-", " ")))
            bag = frozenset([*words, *labels])
            self.fact_terms[fact.id] = bag
            self.synonym_terms[fact.id] = (
                frozenset(words + labels[1 + len(id_words) :]) - name_stems
            )
            for term in bag:
                self.postings.setdefault(term, set()).add(fact.id)
            tags = set(question_words(" ".join(fact.keywords)))
            if _is_date(fact.value):  # a fact that gives a date answers "when"
                tags.add("when")
            if bag & PLACES:  # one that names a place answers "where"
                tags.add("where")
            if isinstance(fact.value, int | float) and not isinstance(fact.value, bool):
                tags.add("many")  # one that gives a number answers "how many"
            self.fact_tags[fact.id] = frozenset(tags)
            df.update(bag)
        self.review_terms = {
            r.id: frozenset(
                terms(" ".join(filter(None, (r.id.replace("-", " "), r.title, r.author, r.outlet))))
            )
            for r in base.reviews
        }
        # A conflict's question frames what is disputed ("What *kind* of runner"):
        # its framing words would match any question that uses them ("what kind of drama").
        self.conflict_terms = {
            k.id: frozenset(terms(k.question + " " + " ".join(c.text for c in k.claims))) - FRAMING
            for k in base.conflicts
        }
        # Plain words of fact texts and keywords (not names): what a misspelt word
        # in a question is corrected towards.
        # Review titles and authors are the base's words too ("strides" is no typo for "stories").
        texts = [f.text + " " + " ".join(f.keywords) for f in base.facts] + [" ".join(filter(None, (r.title, r.author))) for r in base.reviews]  # fmt: skip
        self.words = sorted({w for text in texts for w in _TOKEN.findall(phrase_fold(text)) if len(w) >= 4 and w not in STOPWORDS})  # fmt: skip
        self.word_set = frozenset(self.words)
        self._corrected: dict[str, str] = {}
        self._by_length: dict[int, tuple[str, ...]] = {}
        n = max(len(base.facts), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.vocabulary = frozenset(df)
        self.average_length = sum(map(len, self.fact_terms.values())) / n
        # Each fact's length normalisation, which ``rank`` divides by.
        self._norms = {fid: 1 - LENGTH_B + LENGTH_B * len(bag) / self.average_length for fid, bag in self.fact_terms.items()}  # fmt: skip

    def correct(self, word: str) -> str:
        """A misspelt word ("direced") as the fact base spells it, when one is clearly meant."""
        if len(word) < 5 or word in self.word_set or word in STOPWORDS or word in QUESTION_WORDS:
            return word
        if stem(word) in self.idf or stem(word) in SYNONYMS:
            return word
        if word not in self._corrected:
            if len(self._corrected) > 10_000:  # bounded: questions are user text
                self._corrected.clear()
            match = process.extractOne(word, self._words_of_length(len(word)), scorer=fuzz.ratio, score_cutoff=CORRECT_CUTOFF)  # fmt: skip
            self._corrected[word] = match[0] if match and not _derived(word, match[0]) else word
        return self._corrected[word]

    def _words_of_length(self, length: int) -> tuple[str, ...]:
        """The fact words that could score ``CORRECT_CUTOFF`` against a word this long, in order.

        fuzz.ratio is 200 * common / (len a + len b), and common <= the shorter length, so
        a word can only reach the cutoff when short / long >= cutoff / (200 - cutoff):
        the rest are skipped before rapidfuzz sees them (the same answers, a third of the work).
        """
        near = self._by_length.get(length)
        if near is None:
            bound = CORRECT_CUTOFF / (200 - CORRECT_CUTOFF)
            near = tuple(w for w in self.words if min(len(w), length) / max(len(w), length) >= bound - 1e-9)  # fmt: skip
            if len(self._by_length) < 256:  # lengths come from user text: bounded
                self._by_length[length] = near
        return near

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.default_idf)

    def cover(self, wanted: list[str], bag: frozenset[str], *, synonyms: bool = True,
              synonym_bag: frozenset[str] | None = None) -> float:  # fmt: skip
        covered = 0.0
        synonym_bag = bag if synonym_bag is None else synonym_bag
        for term in wanted:
            if term in bag:
                covered += self.weight(term)
            elif synonyms and SYNONYMS.get(term, frozenset()) & synonym_bag:
                covered += SYNONYM_WEIGHT * self.weight(term)
        return covered

    def rank(self, query_terms: list[str], candidates: list[Fact], asked: list[str] = (), optional: Iterable[str] = ()) -> list[Hit]:  # fmt: skip
        """Facts by how much of the query they cover, best first.

        ``coverage`` ignores length (it decides "do I know this?"); ``score``
        prefers the shorter, more specific fact and the one tagged for the kind
        of question asked (``asked``: its question words). ``optional`` terms
        (and light words) add to the score but are not required.
        """
        wanted = list(dict.fromkeys(query_terms))
        if not wanted:
            return []
        # Light words ("first", "take", "become") rank a fact up when it has them
        # but are not required of it, unless they are all the question has.
        optional = LIGHT.union(optional)
        required = [t for t in wanted if t not in optional] or wanted
        total = sum(self.weight(t) for t in required)
        asked = set(asked)
        # Only facts sharing a term (or a synonym of one) can score: look those up.
        sharing: set[str] = set()
        for term in wanted:
            for t in (term, *SYNONYMS.get(term, ())):
                sharing |= self.postings.get(t, set())
        # Each term's weight and synonyms, looked up once for all the facts below.
        specs = [(t, self.weight(t), SYNONYMS.get(t), t not in optional or required is wanted) for t in wanted]  # fmt: skip
        ranked: list[tuple[float, int, int, Hit]] = []
        fact_terms, synonym_terms, norms, tags = self.fact_terms, self.synonym_terms, self._norms, self.fact_tags  # fmt: skip
        for fact in candidates:
            fid = fact.id
            if fid not in sharing:
                continue
            bag = fact_terms[fid]
            synonym_bag = synonym_terms[fid]
            covered = needed = 0.0
            for term, weight, synonyms, is_required in specs:
                if term in bag:
                    gained = weight
                elif synonyms is not None and not synonyms.isdisjoint(synonym_bag):
                    gained = SYNONYM_WEIGHT * weight
                else:
                    continue
                covered += gained
                if is_required:
                    needed += gained
            if not covered:
                continue
            bonus = QUESTION_WORD_BONUS * len(asked & tags[fid]) if asked else 0.0
            score = covered / norms[fid] + bonus
            # Best score first, then the earliest gate, then the order given (the sort
            # compares these tuples in C; no key function is called per hit).
            ranked.append((-score, fact.gate, len(ranked), Hit(fact, score, needed / total)))
        ranked.sort()
        return [entry[3] for entry in ranked]

    def rank_reviews(self, query_terms: list[str]) -> list[tuple[str, float]]:
        """Reviews whose id, title or author the query names, with coverage."""
        wanted = [t for t in dict.fromkeys(query_terms) if t not in _REVIEW_WORDS]
        total = sum(self.weight(t) for t in wanted)
        if not total:
            return []
        out = [(rid, sum(self.weight(t) for t in wanted if t in bag) / total) for rid, bag in self.review_terms.items()]  # fmt: skip
        return sorted((x for x in out if x[1] > 0), key=lambda x: -x[1])

    def rank_conflicts(self, query_terms: list[str], conflicts: list[Conflict]) -> list[tuple[Conflict, float]]:  # fmt: skip
        """Conflicts whose question and claims cover the query, with their coverage."""
        wanted = [t for t in dict.fromkeys(query_terms) if t not in FRAMING]
        total = sum(self.weight(t) for t in wanted)
        if not total:
            return []
        out = [(k, self.cover(wanted, self.conflict_terms[k.id]) / total) for k in conflicts]
        return sorted((x for x in out if x[1] > 0), key=lambda x: -x[1])

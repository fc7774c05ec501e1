"""The answering engine: every command and free question, spoiler-gated.

Each public method returns a ``Reply``. Facts become spans only through
``Viewer.span``, so the spoiler rules live in one place and no code path here
can show a fact past the reader's progress.
"""

from __future__ import annotations

import bisect
import functools
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bot.core.model import LAST_EPISODE, SERIES_ID, Character, Fact, FactBase, Relation, episode_id
from bot.core.names import NameIndex, Resolution
from bot.core.questions import COMMANDS_HINT, STORY_TOPICS, QuestionAnswerer
from bot.core.reply import Field, Line, Reply, Span, line
from bot.core.search import LexicalIndex
from bot.core.spoilers import Viewer
from bot.core.text import compact, one_line


@dataclass
class _Collector:
    """Gathers what a reply shows, what it cites and what it held back."""

    viewer: Viewer
    facts: list[str] = field(default_factory=list)
    sources: dict[str, None] = field(default_factory=dict)
    withheld: int = 0

    def cite(self, sources: Iterable[str]) -> None:
        self.sources.update((s, None) for s in sources)

    def fact(self, fact: Fact, prefix: str = "") -> Span | None:
        """The span for a fact, or None when it is past the reader's progress."""
        span = self.viewer.span(prefix + fact.text, fact.gate, fact.episode_label)
        if span is None:
            self.withheld += 1
            return None
        self.facts.append(fact.id)
        self.cite(fact.sources)
        return span

    def reply(self, title: str, lines: Iterable[Line] = (), fields: Iterable[Field] = (), *,
              found: bool = True) -> Reply:  # fmt: skip
        lines = list(lines)
        if self.withheld:
            lines.append(line(Span(self.viewer.withheld_note(self.withheld), strong=False)))
        return Reply(
            title=title, lines=tuple(lines), fields=tuple(fields), sources=tuple(self.sources),
            private=self.viewer.private, found=found, facts=tuple(dict.fromkeys(self.facts)),
            withheld=self.withheld,
        )  # fmt: skip


def _story_order(fact: Fact) -> tuple:
    """Story in the order it is told: by gate, then by the episodes it spans."""
    return (fact.gate, fact.episodes or (0, 0))


def _dates_the_episode(fact: Fact) -> bool:
    """A premise fact about the series tied to an episode: its air date, not its story."""
    return fact.gate == 0 and fact.topic not in (*STORY_TOPICS, "profile")


def _episode_facts(facts: Iterable[Fact], number: int) -> tuple[list[Fact], list[Fact]]:
    """What a review ties to episode ``number``, and the stretches (not the whole run) around it."""
    single, spans = [], []
    for f in facts:
        if f.episodes == (number, number) or episode_id(number) in f.about:
            single.append(f)
        elif f.episodes and f.episodes[0] <= number <= f.episodes[1] and f.episodes[0] != f.episodes[1] and f.episodes[1] - f.episodes[0] < LAST_EPISODE - 1:  # fmt: skip
            spans.append(f)
    return single, spans


# Replies kept per engine. A reply is a few kilobytes; 512 bound the memory
# whatever is asked, and cover the commands a busy server repeats.
REPLY_CACHE_SIZE = 512
# A recap is one message: about this much text (an embed's description holds 4,096
# characters; a tagged line adds its episode label and the tags).
RECAP_BUDGET = 3900
RECAP_PREMISE_LINES = 5


def _remembered(method: Callable[..., Reply]) -> Callable[..., Reply]:
    """Serve a repeated call from the engine's reply cache.

    A reply depends only on the fact base (fixed for an engine's life: a change
    builds a new engine) and the arguments, the ``Viewer`` included, and a
    ``Reply`` is immutable, so one can be handed to every caller who asks the same.
    A new reply equal to one handed out before is handed out as that one
    (``Engine._one_of``).
    """

    @functools.wraps(method)
    def remembered(self: Engine, *args) -> Reply:
        cache = self._replies
        if cache is None:
            return method(self, *args)
        key = (method.__name__, *args)
        reply = cache.get(key)
        if reply is None:
            reply = cache[key] = self._one_of(method(self, *args))
            if len(cache) > self._reply_cache_size:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return reply

    return remembered


class Engine:
    """Answers from one fact base. Build a new engine when the base changes."""

    def __init__(self, base: FactBase, *, reply_cache: int = REPLY_CACHE_SIZE) -> None:
        """``reply_cache=0`` answers every call afresh (benchmarks time the work itself)."""
        self.base = base
        self._reply_cache_size = reply_cache
        self._replies: OrderedDict[tuple, Reply] | None = OrderedDict() if reply_cache > 0 else None  # fmt: skip
        self._distinct: OrderedDict[Reply, Reply] = OrderedDict()
        self.names = NameIndex(base)
        self.index = LexicalIndex(base, self.names.display | {SERIES_ID: "Run On series"})
        self._questions = QuestionAnswerer(self)
        # What episode, recap and plot pick from never changes for an engine: chosen
        # once here, not by a scan of every fact on every call.
        self._story = sorted((f for f in base.facts if f.topic in STORY_TOPICS), key=_story_order)
        self._episode_facts = {n: _episode_facts(base.facts, n) for n in range(1, LAST_EPISODE + 1)}
        # The last episode anything on a card is gated at: every reader past it gets the
        # same card, so they share one (``_settled``), as readers past a recap's end do.
        self._card_settles = {n: max((f.gate for f in (*single, *spans)), default=0) for n, (single, spans) in self._episode_facts.items()}  # fmt: skip
        self._entity_settles = {**{c.id: self._character_settles(c) for c in base.characters},
                                **{p.id: self._person_settles(p.id) for p in base.people}}  # fmt: skip

    def _character_settles(self, character: Character) -> int:
        """The latest gate a character card looks at: the character, its ties (with the
        other's own gate), its facts, and the disputes those facts or the character are in."""
        facts = self.base.facts_about(character.id)
        disputes = {f.conflict for f in facts if f.conflict}
        gates = [character.gate, *(max(r.gate, self.base.character_by_id[r.of].gate) for r in character.relations), *(f.gate for f in facts)]  # fmt: skip
        gates += [k.gate for k in self.base.conflicts if k.id in disputes or character.id in k.about]  # fmt: skip
        return max(gates)

    def _person_settles(self, person_id: str) -> int:
        """The latest gate a person's card looks at: whom they play, and their facts."""
        gates = [c.gate for c in self.base.characters_played_by(person_id)]
        return max([*gates, *(f.gate for f in self.base.facts_about(person_id))], default=0)

    @staticmethod
    def _settled(viewer: Viewer, settles: int | None) -> Viewer:
        """The viewer as a card settled at ``settles`` sees them: past it, every reader sees
        all of it under the same rules, so they are one reader (one cached card, one embed)."""
        if settles is None or viewer.progress <= settles:
            return viewer
        return replace(viewer, progress=settles, reveal=False)

    def _one_of(self, reply: Reply) -> Reply:
        """``reply``, or the equal reply handed out before it.

        Readers whose progress changes nothing in a reply get one object (an
        episode card is the same for everyone who has watched past it; a recap
        for everyone past its last episode), so what a renderer keeps per reply
        object (the cogs' embeds) is made once. Bounded as the reply cache is.
        """
        kept = self._distinct.get(reply)
        if kept is not None:
            self._distinct.move_to_end(reply)
            return kept
        self._distinct[reply] = reply
        if len(self._distinct) > self._reply_cache_size:
            self._distinct.popitem(last=False)
        return reply

    # -- helpers ----------------------------------------------------------------
    def _fact_lines(self, c: _Collector, facts: Iterable[Fact]) -> list[Line]:
        out = []
        for fact in facts:
            span = c.fact(fact)
            if span is not None:
                out.append((span,))
        return out

    def _conflict_fields(self, c: _Collector, facts: Iterable[Fact], about: Iterable[str] = (), only: Iterable[str] = ()) -> list[Field]:  # fmt: skip
        """A "reviews disagree" field for each conflict the shown facts take part in
        (and each one named in ``only``, or about one of ``about``)."""
        wanted = {f.conflict for f in facts if f.conflict and f.id in c.facts} | set(only)
        about = set(about)
        wanted |= {k.id for k in self.base.conflicts if about & set(k.about)}
        fields = []
        for conflict in self.base.conflicts:
            if conflict.id not in wanted:
                continue
            lines = []
            # The question itself can tell story ("Who confesses his love to
            # Young-hwa?"): a field name cannot hold a spoiler tag, so a question
            # that must be tagged moves into the field, behind its tag.
            heading = "Reviews disagree"
            question = c.viewer.span(conflict.question, conflict.gate)
            if question is not None and question.spoiler:
                lines.append((question,))
            else:
                heading = f"Reviews disagree: {conflict.question}"
            for claim in conflict.claims:
                span = c.viewer.span(f"{claim.text} ({', '.join(claim.sources)})", conflict.gate)  # fmt: skip
                if span is None:
                    c.withheld += 1
                    break
                lines.append((Span("• "), span))
            else:
                for claim in conflict.claims:
                    c.cite(claim.sources)
                note_span = c.viewer.span(conflict.note, conflict.gate) if conflict.note else None  # fmt: skip
                note = [(Span("Note: "), note_span)] if note_span else []
                fields.append(Field(heading, (*lines, *note)))
        return fields

    def _slip_notes(self, typed: Iterable[str]) -> tuple[list[Line], list[str]]:
        """Lines saying a name was typed the way one review misspelt it, and those reviews."""
        lines, sources = [], []
        for text in typed:
            slip = self.names.slips.get(compact(text))
            if slip:
                entity, alias = slip
                lines.append(line(f"Note: “{alias.name}” ({', '.join(alias.sources)}) is a review's slip for {self.names.name_of(entity)}."))  # fmt: skip
                sources += alias.sources
        return lines, sources

    def _character_name(self, character: Character) -> str:
        actor = self.base.person_by_id.get(character.played_by or "")
        return f"{character.display_name} ({actor.name})" if actor else character.display_name

    def _unknown_name(self, name: str, resolution: Resolution, viewer: Viewer, kind: str = "character or actor") -> Reply:  # fmt: skip
        # Only people the reader has met are offered: a later one's name is a spoiler.
        met = [e for e in resolution.candidates if e not in self.base.character_by_id or viewer.can_see(self.base.character_by_id[e].gate)]  # fmt: skip
        if met:
            options = ", ".join(self.names.name_of(e) for e in met)
            text = f"I'm not sure who you mean. Did you mean: {options}?"
        else:
            text = f"I don't know a {kind} called that. {COMMANDS_HINT}"
        return Reply(title=one_line(name, 100) or "Not found", lines=(line(text),), found=False, private=viewer.private)

    # -- commands ---------------------------------------------------------------
    @_remembered
    def show(self, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        facts = [f for f in self.base.facts_about(SERIES_ID) if f.topic in ("series", "production")]
        return c.reply("Run On (2020–21)", self._fact_lines(c, facts), self._conflict_fields(c, facts, [SERIES_ID]))  # fmt: skip

    @_remembered
    def cast(self, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        lines = []
        for character in self.base.characters:
            actor = self.base.person_by_id.get(character.played_by or "")
            if actor is None:
                continue
            if not viewer.can_see(character.gate):
                c.withheld += 1
                continue
            c.cite(character.sources)
            lines.append(line(Span(actor.name, strong=True), f" as {character.display_name}"))
        crew = [p for p in self.base.people if {"director", "screenwriter"} & set(p.roles)]
        for person in crew:
            c.cite(person.sources)
            lines.append(line(Span(person.name, strong=True), f" — {' and '.join(r for r in person.roles if r != 'actor')}"))  # fmt: skip
        return c.reply("Cast and crew", lines)

    def character(self, name: str, viewer: Viewer) -> Reply:
        settles = self._entity_settles.get(self.names.resolve(name).match or "")
        return self._character_card(name, self._settled(viewer, settles))

    @_remembered
    def _character_card(self, name: str, viewer: Viewer) -> Reply:
        resolution = self.names.resolve(name)
        if resolution.match is None:
            return self._unknown_name(name, resolution, viewer)
        entity = resolution.match
        if entity in self.base.person_by_id:
            return self._person(entity, viewer)
        reply = self._typed_title(self._character(entity, viewer), entity, name)
        slips, _ = self._slip_notes([name])
        return replace(reply, lines=(*slips, *reply.lines)) if slips else reply

    def _person(self, person_id: str, viewer: Viewer) -> Reply:
        person = self.base.person_by_id[person_id]
        c = _Collector(viewer)
        c.cite(person.sources)
        lines = [line(f"Credited as: {', '.join(person.roles)}.")]
        for character in self.base.characters_played_by(person_id):
            if viewer.can_see(character.gate):
                c.cite(character.sources)
                lines.append(line("Plays ", Span(character.display_name, strong=True), "."))
            else:
                c.withheld += 1
        lines += self._fact_lines(c, self.base.facts_about(person_id))
        return c.reply(person.name, lines, [self._aliases_field(person.aliases)] if person.aliases else [])  # fmt: skip

    def _aliases_field(self, aliases, viewer: Viewer | None = None, gate: int = 0) -> Field:
        """How else the reviews write a name; tagged in public for someone who comes later
        (``gate``), as their name is story."""
        parts = []
        for alias in aliases:
            note = f" — {alias.note}" if alias.error and alias.note else (" — a review's slip" if alias.error else "")  # fmt: skip
            text = f"{alias.name} ({', '.join(alias.sources)}){note}"
            parts.append((viewer.span(text, gate),) if viewer is not None and gate else line(text))  # fmt: skip
        return Field("Also written as", tuple(parts))

    def _character(self, character_id: str, viewer: Viewer) -> Reply:
        character = self.base.character_by_id[character_id]
        c = _Collector(viewer)
        if not viewer.can_see(character.gate):
            c.withheld += 1
            return c.reply(character.display_name, [line("This character's part in the story comes later than you have watched.")])  # fmt: skip
        c.cite(character.sources)
        lines: list[Line] = []
        actor = self.base.person_by_id.get(character.played_by or "")
        lines.append(line("Played by ", Span(actor.name, strong=True), ".") if actor else line("No review names the actor."))  # fmt: skip
        if character.summary:  # a character who comes later is story: tagged in public
            lines.append((c.viewer.span(character.summary, character.gate),))
        relations = []
        for relation in character.relations:
            span = self.relation_span(c, character, relation)
            if span is not None:
                relations.append((Span("• "), span))
        facts = [f for f in self.base.facts_about(character_id)]
        story = self._fact_lines(c, sorted(facts, key=lambda f: f.gate))
        fields = []
        if relations:
            fields.append(Field("Relations", tuple(relations)))
        if story:
            fields.append(Field("What the reviews say", tuple(story)))
        if character.aliases:
            fields.append(self._aliases_field(character.aliases, viewer, character.gate))
        fields += self._conflict_fields(c, facts, [character_id])
        return c.reply(self._title_for(character), lines, fields)

    def relation_span(self, c: _Collector, character: Character, relation: Relation, *, sentence: bool = False) -> Span | None:  # fmt: skip
        """ "Agent of Ki Seon-gyeom", gated on the later of the tie and the other character.

        A relative the reviews know only through this character ("Dan-ah's
        father") is named alone: "Daughter of Dan-ah's father" says nothing.
        """
        other = self.base.character_by_id[relation.of]
        gate = max(relation.gate, other.gate)
        name = other.display_name
        owner = name.split("'s ", 1)[0] if other.name is None and "'s " in name else None
        if owner and self.names.resolve(owner).match == character.id:
            text = f"Also in the story: {name}." if sentence else name
        else:
            kind = relation.is_.replace("-", " ").capitalize()
            text = f"{kind} of {name[0].lower() + name[1:] if name.startswith('The ') else name}"
            text += "." if sentence else ""
        span = c.viewer.span(text, gate)
        if span is None:
            c.withheld += 1
        else:
            c.cite(relation.sources)
        return span

    def _title_for(self, character: Character) -> str:
        return character.display_name

    def episode(self, number: int, viewer: Viewer) -> Reply:
        return self._episode_card(number, self._settled(viewer, self._card_settles.get(number)))

    @_remembered
    def _episode_card(self, number: int, viewer: Viewer) -> Reply:
        if not 1 <= number <= LAST_EPISODE:
            return Reply(title="Episodes", lines=(line(f"Run On has {LAST_EPISODE} episodes; pick 1 to {LAST_EPISODE}."),), found=False)  # fmt: skip
        ep = self.base.episode_by_number[number]
        c = _Collector(viewer)
        c.cite(ep.sources)
        when = f"Aired {ep.aired}"
        lines = [line(when + (f" ({ep.dating_note})." if ep.dating_note else "."))]
        single, spans = self.episode_facts(number)
        # The series' own facts about the episode (its air date) go with the date line.
        dating = [f for f in single if _dates_the_episode(f)]
        lines += self._fact_lines(c, dating)
        happens = self._fact_lines(c, [f for f in single if f not in dating])
        around = self._fact_lines(c, spans)
        fields = []
        if happens:
            fields.append(Field("What happens", tuple(happens)))
        if around:
            fields.append(Field("Around this point (the reviews give a range)", tuple(around)))
        if not happens and not around and not c.withheld:
            lines.append(line("The reviews don't say what happens in this episode."))
        return c.reply(f"Episode {number}", lines, fields)

    def episode_facts(self, number: int) -> tuple[list[Fact], list[Fact]]:
        """What a review ties to episode ``number``, and the stretches around it."""
        return self._episode_facts[number]

    @_remembered
    def episodes(self, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        lines = []
        for ep in self.base.episodes:
            c.cite(ep.sources)
            lines.append(line(f"Episode {ep.number}: {ep.aired}"))
        # A date is stated when it is not derived, or when a fact no one derived gives it.
        stated = [ep.number for ep in self.base.episodes if not ep.derived or any(f.value == ep.air_date and not f.derived for f in self.base.facts_about(f"episode-{ep.number}"))]  # fmt: skip
        if len(stated) < len(self.base.episodes):
            worked_out = "worked out from the first air date and the Wednesday/Thursday schedule"
            if stated:
                numbers = " and ".join(map(str, stated))
                lines.append(line(f"The reviews state the date{'s' if len(stated) > 1 else ''} of episode{'s' if len(stated) > 1 else ''} {numbers}; the others are {worked_out}."))  # fmt: skip
            else:
                lines.append(line(f"Dates are {worked_out}."))
        return c.reply("Episodes", lines)

    @_remembered
    def ratings(self, viewer: Viewer, summary_first: bool = False) -> Reply:
        """Each review's score and verdict, then the average and the extremes; those first
        (``summary_first``) when they are what was asked ("what's the average rating")."""
        c = _Collector(viewer)
        lines = []
        scores = []
        for review in self.base.reviews:
            c.cite([review.id])
            if review.score:
                scores.append(review.score.out_of_10)
                lines.append(line(Span(review.id, strong=True), f": {review.score.text} — {review.verdict}"))  # fmt: skip
            else:
                lines.append(line(Span(review.id, strong=True), f": no score — {review.verdict}"))
        if scores:
            average = sum(scores) / len(scores)
            lines.append(line(Span(f"Average {average:.1f}/10", strong=True), f" over the {len(scores)} reviews that give a score."))  # fmt: skip
        if len(set(scores)) > 1:  # "which review liked it most": said, not left to the reader
            scored = [r for r in self.base.reviews if r.score]

            def at(score: float) -> str:
                return " and ".join(r.id for r in scored if r.score.out_of_10 == score) + f" ({score:g}/10)"  # fmt: skip

            lines.append(line(f"Highest of the {len(scores)} scored: {at(max(scores))}; lowest: {at(min(scores))}."))  # fmt: skip
        if summary_first:
            each = len(self.base.reviews)
            lines = lines[each:] + lines[:each]
        return c.reply("Ratings", lines)

    @_remembered
    def reviews(self, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        fields = []
        for review in self.base.reviews:
            c.cite([review.id])
            score = review.score.text if review.score else "no score"
            spoil = f"spoilers: {review.spoilers}" + (f" ({review.spoiler_note})" if review.spoiler_note else "")  # fmt: skip
            # A field name cannot be tagged: a title that tells story goes in the field.
            title = c.viewer.span(f"“{review.title}”", review.title_gate) if review.title_gate else None
            if review.title_gate and title is None:
                c.withheld += 1
            name = one_line(f"{review.id}: {review.title}", 256) if not review.title_gate else review.id
            fields.append(Field(name, (
                *([(title,)] if title else []), line(review.byline + "; " + score), line(review.verdict), line(spoil))))  # fmt: skip
        return c.reply("The five reviews", fields=fields)

    @_remembered
    def plot(self, viewer: Viewer, character: str | None = None) -> Reply:
        if character:
            resolution = self.names.resolve(character)
            if resolution.match is None:
                return self._unknown_name(character, resolution, viewer, "character")
            return self._typed_title(self._plot_for(resolution.match, viewer), resolution.match, character, "Plot: ")  # fmt: skip
        return self._plot(self._story, "Plot", viewer)

    def _typed_title(self, reply: Reply, entity: str, typed: str, prefix: str = "") -> Reply:
        """A title cannot hold a spoiler tag: for someone who comes into the story later,
        it says what the reader typed, not the name it was matched to ("jewok")."""
        character = self.base.character_by_id.get(entity)
        if character is None or not character.gate:
            return reply
        return replace(reply, title=prefix + (one_line(typed, 100) or "Not found"))

    def _plot_for(self, entity: str, viewer: Viewer, *, story_only: bool = False) -> Reply:
        """One person's story; ``story_only`` leaves out who they are ("what happens to X")."""
        targets = {entity} | {ch.id for ch in self.base.characters_played_by(entity)}
        about = [f for f in self.base.facts if targets & set(f.about)]
        story = [f for f in about if f.topic in STORY_TOPICS]
        facts = story if story_only and story else [f for f in about if f.topic in (*STORY_TOPICS, "profile")]  # fmt: skip
        return self._plot(facts, f"Plot: {self.names.name_of(entity)}", viewer)

    def _plot(self, facts: Iterable[Fact], title: str, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        facts = sorted(facts, key=_story_order)
        lines = self._fact_lines(c, facts)
        if not lines and not c.withheld:
            lines.append(line("The reviews say nothing about that."))
        return c.reply(title, lines, self._conflict_fields(c, facts))

    def recap(self, up_to: int, viewer: Viewer) -> Reply:
        """The story through ``up_to`` only; always private. Past progress is tagged.

        A recap shows every fact through ``up_to`` (tagged past the reader's
        progress), so all it takes from the viewer is how far short of ``up_to``
        they are: readers past it share one recap, served from the cache.
        """
        up_to = max(0, min(up_to, LAST_EPISODE))
        # Private, so plain-through says nothing; past ``up_to``, readers are one (``_settled``).
        own = Viewer(progress=viewer.progress, private=True, reveal=up_to > viewer.progress)
        return self._recap(up_to, self._settled(own, up_to))

    @_remembered
    def _recap(self, up_to: int, viewer: Viewer) -> Reply:
        c = _Collector(viewer)
        facts = self._story[: bisect.bisect_right(self._story, up_to, key=lambda f: f.gate)]
        # One screen: how it begins (a few lines), then what happens through ``up_to``,
        # in story order, as much as fits; what is left is said plainly rather than
        # cut off mid-sentence by the message limit.
        premise = [f for f in facts if f.gate == 0]
        ordered = premise[:RECAP_PREMISE_LINES] + [f for f in facts if f.gate > 0] + premise[RECAP_PREMISE_LINES:]  # fmt: skip
        shown, used = [], 0
        for fact in ordered:  # the start, then the story, then the rest of the start
            cost = len(fact.text) + (
                len(fact.episode_label) + 8 if fact.gate > viewer.progress else 1
            )
            if used + cost > RECAP_BUDGET:
                break
            shown.append(fact)
            used += cost
        shown.sort(key=_story_order)
        lines = self._fact_lines(c, shown) or [line(f"The reviews tie nothing in the story to episodes 1–{up_to}." if up_to else "Nothing has happened yet: see /show for the premise.")]  # fmt: skip
        if len(shown) < len(facts):
            lines.append(line(Span(f"…and {len(facts) - len(shown)} more. For the rest, try /plot with a character, or /episode for one episode.", strong=False)))  # fmt: skip
        title = f"Recap through episode {up_to}" if up_to else "Recap"
        return replace(c.reply(title, lines), private=True)

    # -- free questions ---------------------------------------------------------
    @_remembered
    def ask(self, question: str, viewer: Viewer) -> Reply:
        """A free question, answered from the facts or with "I don't know"."""
        return self._questions.ask(question, viewer)

    def collector(self, viewer: Viewer) -> _Collector:
        return _Collector(viewer)


def suggest_names(engine: Engine, prefix: str, progress: int, limit: int = 25) -> list[str]:
    """Names for autocomplete: names only, and no character the reader has not met yet."""

    def visible(entity_id: str) -> bool:
        character = engine.base.character_by_id.get(entity_id)
        return character is None or character.gate <= progress

    return engine.names.complete(prefix[:100], limit, visible=visible)

"""The engine's reply cache: same question, same viewer, same reply; nothing else shared."""

from dataclasses import replace

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.spoilers import Viewer
from tests.conftest import DATA_FILE


@pytest.fixture(scope="module")
def base():
    return load_factbase(DATA_FILE)


CALLS = [
    ("ratings", ()),
    ("show", ()),
    ("character", ("mi-joo",)),
    ("character", ("Seon Gyeum",)),
    ("episode", (13,)),
    ("recap", (8,)),
    ("plot", ("dan-ah",)),
    ("ask", ("who plays mi-joo?",)),
    ("ask", ("what happens to dan-ah's father?",)),
]
VIEWERS = [Viewer(progress=0), Viewer(progress=16), Viewer(progress=8, private=True), Viewer(progress=4, reveal=True, private=True)]  # fmt: skip


def call(engine, name, args, viewer):
    method = getattr(engine, name)
    return method(viewer, *args) if name == "plot" else method(*args, viewer)


def test_a_repeated_call_is_served_from_the_cache(base):
    engine = Engine(base)
    first = engine.ratings(Viewer(progress=3))
    assert engine.ratings(Viewer(progress=3)) is first


def test_cached_replies_equal_fresh_ones_for_every_viewer(base):
    cached, fresh = Engine(base), Engine(base, reply_cache=0)
    for _ in range(2):  # the second pass is all cache hits
        for (name, args), viewer in zip(CALLS * len(VIEWERS), VIEWERS * len(CALLS), strict=True):
            assert call(cached, name, args, viewer) == call(fresh, name, args, viewer), (
                name,
                args,
                viewer,
            )


def test_the_viewer_is_part_of_the_key(base):
    engine = Engine(base)
    early = engine.character("mi-joo", Viewer(progress=0))
    late = engine.character("mi-joo", Viewer(progress=16))
    assert early.withheld > 0 and late.withheld == 0


def test_the_cache_is_bounded_least_recently_used_first(base):
    engine = Engine(base, reply_cache=2)
    one = engine.episode(1, Viewer())
    engine.episode(2, Viewer())
    assert engine.episode(1, Viewer()) is one  # 1 is now the most recent
    engine.episode(3, Viewer())  # evicts 2
    assert len(engine._replies) == 2
    assert engine.episode(1, Viewer()) is one
    assert [key[1] for key in engine._replies] == [3, 1]


def test_without_a_cache_every_call_is_answered_afresh(base):
    engine = Engine(base, reply_cache=0)
    assert engine.ratings(Viewer()) is not engine.ratings(Viewer())


def test_equal_replies_for_different_viewers_are_one_object(base):
    """A reply that progress does not change is one object, so its embed is made once."""
    engine = Engine(base)
    fresh = Engine(base, reply_cache=0)
    # Nothing in episode 5's card is gated; a recap through 12 is the same for all past it.
    assert fresh.episode(5, Viewer(progress=0)) == fresh.episode(5, Viewer(progress=16))
    assert engine.episode(5, Viewer(progress=0)) is engine.episode(5, Viewer(progress=16))
    assert fresh.recap(12, Viewer(progress=12)) == fresh.recap(12, Viewer(progress=16))
    assert engine.recap(12, Viewer(progress=12)) is engine.recap(12, Viewer(progress=16))
    # Replies that differ stay apart.
    early, late = engine.episode(16, Viewer(progress=0)), engine.episode(16, Viewer(progress=16))
    assert early.withheld > 0 and late.withheld == 0
    assert early == fresh.episode(16, Viewer(progress=0)) and late == fresh.episode(16, Viewer(progress=16))


def test_equal_replies_are_kept_within_the_cache_bound(base):
    engine = Engine(base, reply_cache=2)
    for progress in range(17):
        engine.episode(progress % 16 + 1, Viewer(progress=progress))
    assert len(engine._distinct) == 2


def test_a_recap_is_the_same_whatever_else_the_viewer_says(base):
    """Recaps are cached by how far short of ``up_to`` the reader is. For every viewer the
    recap served is the one built from that very viewer (made private, revealing when
    ``up_to`` is past their progress), as the recap was built before it was so cached."""
    engine, fresh = Engine(base), Engine(base, reply_cache=0)
    viewers = [Viewer(progress=p, private=private, reveal=reveal, plain_through=plain)
               for p in range(17) for private, reveal in ((False, False), (True, False), (True, True)) for plain in (0, 9)]  # fmt: skip
    for up_to in range(17):
        for viewer in viewers:
            own = replace(viewer, private=True, reveal=up_to > viewer.progress)
            assert engine.recap(up_to, viewer) == fresh._recap(up_to, own), (up_to, viewer)
    assert engine.recap(8, Viewer(progress=8)) is engine.recap(8, Viewer(progress=16, plain_through=9))
    assert engine.recap(13, Viewer(progress=12)) != engine.recap(13, Viewer(progress=13))


ALL_VIEWERS = [Viewer(progress=p, private=private, reveal=reveal, plain_through=plain)
               for p in range(17) for private, reveal in ((False, False), (True, False), (True, True)) for plain in (0, 5, 16)]  # fmt: skip


def card_names(base):
    """Every character and person, by name, alias and a review's slip, and names that resolve to nothing."""
    names = [c.display_name for c in base.characters] + [p.name for p in base.people]
    names += [a.name for c in base.characters for a in c.aliases] + [a.name for p in base.people for a in p.aliases]  # fmt: skip
    return [*dict.fromkeys(names), "mi joo", "Seon Gyeum", "nobody at all", "the father"]


def test_a_character_card_is_the_one_built_for_that_very_viewer(base):
    """Readers past the last gate a card looks at share one card. For every name, viewer and
    plain-through setting, the card served equals the card built for that viewer itself:
    a gate the settling misses (a tie, a dispute, a fact) fails here."""
    engine, fresh = Engine(base), Engine(base, reply_cache=0)
    for name in card_names(base):
        for viewer in ALL_VIEWERS:
            assert engine.character(name, viewer) == fresh._character_card(name, viewer), (name, viewer)  # fmt: skip
    # Shared for real: a person's card (all premise) is one object for every reader.
    assert engine.character("Im Si-wan", Viewer(progress=3)) is engine.character("Im Si-wan", Viewer(progress=16))  # fmt: skip
    assert engine.character("Dan-ah", Viewer(progress=3)) != engine.character("Dan-ah", Viewer(progress=16))  # fmt: skip


def test_an_episode_card_is_the_one_built_for_that_very_viewer(base):
    engine, fresh = Engine(base), Engine(base, reply_cache=0)
    for number in range(0, 18):
        for viewer in ALL_VIEWERS:
            assert engine.episode(number, viewer) == fresh._episode_card(number, viewer), (number, viewer)  # fmt: skip
    assert engine.episode(3, Viewer(progress=0)) is engine.episode(3, Viewer(progress=16))
    assert engine.episode(13, Viewer(progress=12)) != engine.episode(13, Viewer(progress=16))


def test_settling_misses_nothing_a_card_looks_at(base):
    """The settling gate is at least every gate the card's own parts carry, so a late tie
    or dispute added by a moderator moves it."""
    engine = Engine(base)
    for character in base.characters:
        settles = engine._entity_settles[character.id]
        assert all(max(r.gate, base.character_by_id[r.of].gate) <= settles for r in character.relations)  # fmt: skip
        assert all(f.gate <= settles for f in base.facts_about(character.id))
    late = next(c for c in base.characters if engine._entity_settles[c.id] == 0 and c.relations)
    moved = replace(late, relations=(replace(late.relations[0], gate=9),))
    edited = replace(base, characters=tuple(moved if c.id == late.id else c for c in base.characters))  # fmt: skip
    assert Engine(edited)._entity_settles[late.id] == 9
    disputed = replace(base.conflicts[0], about=(*base.conflicts[0].about, late.id), gate=11)
    edited = replace(base, conflicts=(disputed, *base.conflicts[1:]))
    assert Engine(edited)._entity_settles[late.id] == 11

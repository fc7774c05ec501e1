"""Dates read as people write them, wherever a reply shows one.

The fact base stores ISO dates (validation checks them); a reader is shown
"Wednesday 23 December 2020", as the reviews' own facts write dates.
"""

import re

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.model import long_date
from bot.core.spoilers import Viewer
from bot.render.payload import to_content

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DATE_QUESTIONS = (
    "when did episode 3 air", "when did the finale air", "what day did ep 12 come out",
    "which reviews have a date on them", "when was the journey review published",
    "who wrote the journey review and when", "when did run on first air", "ep 1 recap",
)  # fmt: skip


@pytest.fixture(scope="module")
def engine():
    return Engine(load_factbase(), reply_cache=0)


@pytest.mark.parametrize(
    "iso, written",
    [
        ("2020-12-16", "16 December 2020"),
        ("2021-02-04", "4 February 2021"),
        ("2022-10-11", "11 October 2022"),
    ],
)
def test_long_date_is_day_month_year(iso, written):
    assert long_date(iso) == written


def test_no_reply_shows_a_stored_iso_date(engine):
    viewer = Viewer(progress=16, private=True)
    replies = [engine.show(viewer), engine.episodes(viewer), engine.reviews(viewer), engine.ratings(viewer)]  # fmt: skip
    replies += [engine.episode(n, viewer) for n in range(1, 17)]
    replies += [engine.ask(q, viewer) for q in DATE_QUESTIONS]
    for reply in replies:
        text = to_content(reply, 6000, title=False)
        assert not ISO_DATE.search(text), text


def test_episode_dates_name_the_weekday_and_say_when_worked_out(engine):
    card = to_content(engine.episode(3, Viewer(progress=3, private=True)))
    assert "Aired Wednesday 23 December 2020 (worked out from the first air date" in card
    listing = to_content(engine.episodes(Viewer()), 6000)
    assert "Episode 16: Thursday 4 February 2021" in listing
    assert "Thursday 21 January 2021" in to_content(engine.ask("when did episode 12 air", Viewer(progress=12)))  # fmt: skip


def test_review_dates_as_written_and_none_stated_said_so(engine):
    text = to_content(engine.ask("which reviews have a date on them", Viewer()), title=False)
    assert "**journey**: 11 October 2022" in text and "**newspaper**: no date given" in text
    card = to_content(engine.ask("when was the journey review published", Viewer()), title=False)
    assert "Published: 11 October 2022." in card

"""Loading and checking: the shipped file loads, and each kind of breakage is
reported at the right line and column, all problems at once."""

from pathlib import Path

import pytest

from bot.core.loader import load_factbase, parse_factbase
from bot.core.schema import FactBaseError
from tests.conftest import DATA_FILE

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def problems_of(text: str) -> list[str]:
    with pytest.raises(FactBaseError) as info:
        parse_factbase(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def test_minimal_fixture_loads_and_gates_on_the_last_episode_of_a_range():
    base = parse_factbase(MINIMAL, "f.yaml")
    quits = base.fact_by_id["hero.quits"]
    assert quits.episodes == (3, 5) and quits.gate == 5
    assert base.fact_by_id["hero.job"].gate == 0
    assert base.review_by_id["alpha"].score.out_of_10 == 8.0
    assert base.character_by_id["hero-father"].display_name == "the hero's father"
    assert len(base.episodes) == 16 and base.episode_by_number[16].air_date == "2021-02-04"


def test_shipped_file_validates():
    base = load_factbase(DATA_FILE)
    assert len(base.facts) > 150
    assert len(base.reviews) == 5


def test_bad_yaml_syntax_reports_line_and_column():
    text = MINIMAL.replace("    verdict: Mixed.", "    verdict: [Mixed.")
    (problem,) = problems_of(text)
    assert problem.startswith("f.yaml:")
    line = int(problem.split(":")[1])
    assert line >= line_of(text, "verdict: [Mixed.")


def test_duplicate_key_is_rejected_at_the_second_occurrence():
    text = MINIMAL.replace("    verdict: Liked it.", "    verdict: Liked it.\n    verdict: Again.")
    (problem,) = problems_of(text)
    assert (
        problem
        == f"f.yaml:{line_of(text, 'verdict: Again.')}:5: duplicate key 'verdict' (first at line {line_of(text, 'verdict: Liked it.')})"
    )


def test_unknown_source_id():
    text = MINIMAL.replace("    sources: [alpha, beta]", "    sources: [alpha, gamma]")
    (problem,) = problems_of(text)
    assert problem.startswith(
        f"f.yaml:{line_of(text, '[alpha, gamma]')}:14: unknown source 'gamma'"
    )


def test_unknown_character():
    text = MINIMAL.replace(
        "    about: [hero]\n    topic: event", "    about: [villain]\n    topic: event"
    )
    (problem,) = problems_of(text)
    assert (
        problem
        == f"f.yaml:{line_of(text, '[villain]')}:12: unknown thing a fact can be about 'villain'"
    )


def test_gate_out_of_range():
    text = MINIMAL.replace("    gate: 0\n", "    gate: 17\n", 1)
    (problem,) = problems_of(text)
    assert (
        problem
        == f"f.yaml:{line_of(text, 'gate: 17')}:11: 'gate' must be an episode from 0 to 16, found 17"
    )


def test_reversed_range():
    text = MINIMAL.replace("episodes: [3, 5]", "episodes: [5, 3]")
    (problem,) = problems_of(text)
    assert problem.endswith("'episodes' range is reversed: [5, 3]")


def test_missing_required_field():
    text = MINIMAL.replace("    topic: profile\n", "")
    (problem,) = problems_of(text)
    assert problem == f"f.yaml:{line_of(text, 'id: hero.job')}:5: missing required field 'topic'"


def test_wrong_type_and_yaml_implicit_bool_are_named():
    text = MINIMAL.replace("    verdict: Mixed.", "    verdict: no")
    (problem,) = problems_of(text)
    assert problem.startswith(
        f"f.yaml:{line_of(text, 'verdict: no')}:14: 'verdict' must be text, found false"
    )


def test_unquoted_date_is_a_type_error():
    text = MINIMAL.replace('date: "2021-02-05"', "date: 2021-02-05")
    (problem,) = problems_of(text)
    assert "'date' must be text, found a date 2021-02-05 (quote it)" in problem


def test_weekday_must_match_the_date():
    text = MINIMAL.replace('"2020-12-16", weekday: Wednesday', '"2020-12-16", weekday: Thursday')
    (problem,) = problems_of(text)
    assert problem.endswith("2020-12-16 is a Wednesday, not a Thursday")


def test_duplicate_id_across_sections():
    text = MINIMAL.replace("  - id: hero.quits", "  - id: hero")
    (problem,) = problems_of(text)
    assert "duplicate id 'hero'" in problem


def test_every_problem_is_reported_at_once_in_file_order():
    text = (
        MINIMAL.replace("    gate: 0\n", "    gate: 99\n", 1)
        .replace("sources: [alpha, beta]", "sources: [alpha, nobody]")
        .replace("played_by: actor-one", "played_by: actor-two")
    )
    found = problems_of(text)
    assert len(found) == 3
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


def test_aliases_and_anchors_are_refused():
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    (problem,) = problems_of(bomb)
    assert problem == "f.yaml:1:4: YAML anchors and aliases (&name, *name) are not allowed"


def test_oversized_text_is_refused_before_parsing():
    (problem,) = problems_of("a: " + "x" * (3 * 1024 * 1024))
    assert "the limit is" in problem


def test_not_a_mapping():
    (problem,) = problems_of("- just\n- a list\n")
    assert "must be a YAML mapping" in problem


def test_missing_file_is_a_clear_problem(tmp_path):
    with pytest.raises(FactBaseError) as info:
        load_factbase(tmp_path / "nope.yaml")
    assert "cannot read" in str(info.value)


def test_a_review_title_gate_is_an_episode():
    text = MINIMAL.replace("    title: Alpha review\n", "    title: Alpha review\n    title_gate: 17\n", 1)
    (problem,) = problems_of(text)
    assert problem.endswith("'title_gate' must be an episode from 0 to 16, found 17")
    gated = parse_factbase(MINIMAL.replace("    title: Alpha review\n", "    title: Alpha review\n    title_gate: 5\n", 1), "f.yaml")  # fmt: skip
    assert gated.reviews[0].title_gate == 5 and gated.reviews[1].title_gate == 0

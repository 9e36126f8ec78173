"""The scoring of scan-model.md: worked examples, rounding, cap, bands, advice order."""

from __future__ import annotations

import pytest

from mkbscan.scan.questions import load_content
from mkbscan.scan.scoring import ScanResult, compute_result, round_half_up_ratio

CONTENT = load_content()
PARTNER = [q.id for q in CONTENT.scored if q.theme == "partnerkeuze"]
EQUALITY = [q.id for q in CONTENT.scored if q.theme == "gelijkwaardigheid"]


def scores(result: ScanResult) -> tuple[int, ...]:
    """Partnerkeuze, Gelijkwaardigheid, total."""
    return (result.theme_score("partnerkeuze"), result.theme_score("gelijkwaardigheid"),
            result.total)


def answers(default: int | None, **levels: int | None) -> dict[str, int | None]:
    result = {qid: default for qid in PARTNER + EQUALITY}
    result.update(levels)
    return result


def test_the_model_has_the_specified_weights() -> None:
    weights = {q.id: q.weight for q in CONTENT.scored}
    assert weights == {"P1": 3, "P2": 2, "P3": 2, "P4": 2, "P5": 3, "P6": 2,
                       "G1": 3, "G2": 3, "G3": 2, "G4": 2, "G5": 3, "G6": 2, "G7": 2}
    assert [q.id for q in CONTENT.scored if q.critical] == ["P1", "P5", "G1", "G2", "G5"]


def test_all_three_is_100_and_ready() -> None:
    result = compute_result(answers(3))
    assert scores(result) == (100, 100, 100)
    assert result.band == "Klaar om samen te werken"
    assert result.advice_ids == () and result.unknown_ids == ()


def test_all_two_is_67_versterken() -> None:
    result = compute_result(answers(2))
    assert scores(result) == (67, 67, 67)
    assert result.band == "Versterken"


def test_partner_choice_three_equality_zero() -> None:
    result = compute_result({**{q: 3 for q in PARTNER}, **{q: 0 for q in EQUALITY}})
    assert scores(result)[:2] == (100, 0)
    # 42/93 = 45.16 -> 45; the cap (G1, G2, G5 at 0) does not lower it further.
    assert result.total == 45 and result.band == "Voorbereiden"
    assert not result.capped and result.capped_by == ("G1", "G2", "G5")


def test_p1_zero_caps_the_total_at_59() -> None:
    result = compute_result(answers(3, P1=0))
    assert scores(result)[:2] == (79, 100)
    assert result.uncapped_total == 90 and result.total == 59
    assert result.capped and result.capped_by == ("P1",)
    assert result.band == "Voorbereiden"


def test_unknown_scores_zero_caps_and_is_listed() -> None:
    result = compute_result(answers(3, G5=None, G7=None))
    assert result.unknown_ids == ("G5", "G7")
    assert scores(result)[1] == round_half_up_ratio(51 - 9 - 6, 51)  # 70.6 -> 71
    assert result.total == 59 and result.capped_by == ("G5",)


def test_unknown_on_a_non_critical_question_does_not_cap() -> None:
    result = compute_result(answers(3, P2=None))
    assert result.total == round_half_up_ratio(93 - 6, 93) == 94
    assert not result.capped


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (1, 2, 50), (1, 3, 33), (2, 3, 67), (1, 8, 13), (3, 8, 38), (5, 1000, 1), (4, 1000, 0),
    (0, 93, 0), (93, 93, 100),
])
def test_round_half_up(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up_ratio(numerator, denominator) == expected


def test_rounding_half_up_on_a_real_theme_score() -> None:
    # Partnerkeuze with P3 = 1 (shortfall 4 of 42): 38/42 = 90.476 -> 90;
    # with P1 = 2, P5 = 2 (shortfall 6): 36/42 = 85.71 -> 86.
    assert compute_result(answers(3, P3=1)).theme_score("partnerkeuze") == 90
    assert compute_result(answers(3, P1=2, P5=2)).theme_score("partnerkeuze") == 86


@pytest.mark.parametrize(("total", "band"), [
    (0, "Verkennen"), (39, "Verkennen"), (40, "Voorbereiden"), (59, "Voorbereiden"),
    (60, "Versterken"), (79, "Versterken"), (80, "Klaar om samen te werken"),
    (100, "Klaar om samen te werken"),
])
def test_band_edges(total: int, band: str) -> None:
    assert CONTENT.band_for(total).name == band


def test_advice_takes_largest_weighted_shortfall() -> None:
    # Shortfalls: P2 2*(3-0)=6, G5 3*(3-1)=6, P1 3*(3-2)=3, G7 2*(3-1)=4.
    result = compute_result(answers(3, P1=2, P2=0, G5=1, G7=1))
    assert result.advice_ids == ("P2", "G5", "G7")


def test_advice_ties_are_broken_by_question_order() -> None:
    # Every question at 0: weight-3 questions tie at 9, in order P1, P5, G1.
    assert compute_result(answers(0)).advice_ids == ("P1", "P5", "G1")
    # Weight-2 ties at 2: P2, P3, P4 come first.
    assert compute_result(answers(3, P2=2, P3=2, P4=2, G7=2)).advice_ids == ("P2", "P3", "P4")


def test_fewer_than_three_shortfalls_give_fewer_advice_points() -> None:
    assert compute_result(answers(3, G6=2)).advice_ids == ("G6",)


def test_missing_answers_are_refused() -> None:
    incomplete = answers(3)
    del incomplete["G7"]
    with pytest.raises(ValueError, match="G7"):
        compute_result(incomplete)


def test_invalid_level_is_refused() -> None:
    with pytest.raises(ValueError):
        compute_result(answers(3, P1=4))

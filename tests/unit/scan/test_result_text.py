"""The result in the chat: two messages (scores with the phase, then strengths and the plan),
the scan model's exact score labels, text bars only where no picture is shown."""

from __future__ import annotations

from mkbscan.scan.questions import Profile, load_content
from mkbscan.scan.result_text import bar, result_messages, score_lines
from mkbscan.scan.scoring import compute_result
from mkbscan.wording import all_texts

CONTENT = load_content()
IDS = [q.id for q in CONTENT.scored]


def levels(default: int | None, **overrides: int | None) -> dict[str, int | None]:
    return {**{qid: default for qid in IDS}, **overrides}


def texts(answers: dict[str, int | None], context: dict[str, str] | None = None) -> list[str]:
    return [m.text for m in result_messages(compute_result(answers), answers, context or {})]


def test_score_lines_have_the_exact_labels() -> None:
    lines = score_lines(compute_result(levels(2))).splitlines()
    assert lines == ["Partnerkeuze: 67/100", "Gelijkwaardigheid: 67/100", "Totaalscore: 67/100",
                     "Versterken"]


def test_bars() -> None:
    assert bar(0) == "░" * 10 and bar(100) == "█" * 10 and bar(67) == "███████░░░"


def test_two_messages_one_display_of_the_scores_with_the_phase() -> None:
    scores, plan = texts(levels(2))
    assert scores.count("Totaalscore: 67/100") == 1 and "Totaalscore" not in plan
    assert "Partnerkeuze: 67/100\nGelijkwaardigheid: 67/100\nTotaalscore: 67/100\nVersterken" \
        in scores
    assert "███████░░░  67  Partnerkeuze" in scores  # text bars only in the text version
    assert "Fase 3 van 4:" in scores and "●\u00a0Versterken" in scores
    assert "○\u00a0Verkennen" in scores
    assert CONTENT.band_for(67).meaning in scores
    card = result_messages(compute_result(levels(2)), levels(2), {})[0].card
    assert card is not None and (card.total, card.band, card.current) == (67, "Versterken", 2)
    assert card.phases == ("Verkennen", "Voorbereiden", "Versterken", "Klaar om samen te werken")
    assert "Partnerkeuze 67; Gelijkwaardigheid 67; Totaalscore 67" in card.chart_text


def test_the_plan_follows_the_route_in_stage_order_with_action_result_and_example() -> None:
    # Largest shortfalls: P2 (own), G5 (together), P1 (partner): shown own, partner, together.
    answers = levels(3, P2=0, G5=1, P1=1)
    plan = texts(answers)[1]
    steps = [CONTENT.scored_by_id(q).worded().step for q in ("P2", "P1", "G5")]
    positions = [plan.index(f"{n}. {step.action}") for n, step in enumerate(steps, start=1)]
    assert positions == sorted(positions)
    assert plan.index(CONTENT.band_for(compute_result(answers).total).route) < positions[0]
    for step in steps:
        assert f"Dit levert je op: {step.produces}." in plan and step.example in plan


def test_strengths_come_first() -> None:
    plan = texts(levels(3, P2=0, G5=1, P1=1))[1]
    # Answered 3: the heaviest first (P5, G1: weight 3, in question order).
    strengths = [CONTENT.scored_by_id(q).worded().strength for q in ("P5", "G1")]
    assert plan.startswith(f"Dit gaat al goed: {strengths[0]} {strengths[1]}")


def test_the_wording_follows_the_track_sector_and_size() -> None:
    none = texts(levels(3, P1=0), {"C2": "geen"})[1]
    assert CONTENT.scored_by_id("P1").worded(Profile(track="none")).step.action in none
    existing = texts(levels(3, P1=0), {"C2": "bestaand"})[1]
    assert CONTENT.scored_by_id("P1").worded(Profile(track="existing")).step.action in existing
    it = texts(levels(3, P2=0), {"C1": "IT"})[1]
    assert CONTENT.scored_by_id("P2").worded(Profile(sector="IT")).step.action in it
    solo = texts(levels(3, P2=0), {"C1": "IT", "C3": "1"})[1]
    assert CONTENT.scored_by_id("P2").worded(Profile(sector="IT", solo=True)).step.action in solo
    assert len({none, existing, it, solo}) == 4


def test_an_unknown_becomes_a_find_out_step_and_others_are_named() -> None:
    answers = levels(3, G6=None, P4=None, G7=None, P6=None)
    plan = texts(answers)[1]
    result = compute_result(answers)
    planned = result.advice_ids
    for qid in planned:
        assert CONTENT.scored_by_id(qid).worded().step.find_out in plan
    rest = [CONTENT.scored_by_id(q).topic for q in result.unknown_ids if q not in planned]
    assert rest and f"Zoek ook uit: {rest[0]}." in plan


def test_perfect_score_needs_no_plan() -> None:
    plan = texts(levels(3))[1]
    assert plan.endswith(all_texts()["result_perfect"][0]) and "1. " not in plan


def test_all_zero_has_no_strengths_and_three_steps() -> None:
    plan = texts(levels(0))[1]
    assert not plan.startswith("Dit gaat al goed") and "3. " in plan and "4. " not in plan


def test_the_cap_is_explained_in_plain_words_only_when_it_lowered_the_total() -> None:
    capped = texts(levels(3, G1=0))[0]
    assert f"maximaal {CONTENT.cap}" in capped and CONTENT.scored_by_id("G1").topic in capped
    assert f"maximaal {CONTENT.cap}" not in texts(levels(0))[0]

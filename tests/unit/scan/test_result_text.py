"""The result messages: exact score lines, bars, advice tuned to the context."""

from __future__ import annotations

from mkbscan.scan.questions import load_content
from mkbscan.scan.result_text import bar, result_messages, score_lines
from mkbscan.scan.scoring import compute_result

CONTENT = load_content()
IDS = [q.id for q in CONTENT.scored]


def levels(default: int | None, **overrides: int | None) -> dict[str, int | None]:
    return {**{qid: default for qid in IDS}, **overrides}


def body(answers: dict[str, int | None], context: dict[str, str] | None = None) -> str:
    result = compute_result(answers)
    return "\n".join(m.text for m in result_messages(result, context or {}))


def test_score_lines_have_the_exact_labels() -> None:
    lines = score_lines(compute_result(levels(2))).splitlines()
    assert lines == ["Partnerkeuze: 67/100", "Gelijkwaardigheid: 67/100", "Totaalscore: 67/100",
                     "Versterken"]


def test_bars() -> None:
    assert bar(0) == "░" * 10 and bar(100) == "█" * 10 and bar(67) == "███████░░░"


def test_perfect_score_suggests_doing_the_scan_with_the_partner() -> None:
    text = body(levels(3))
    assert "samen met je partner" in text and "meest winnen" not in text


def test_three_advice_points_in_order() -> None:
    text = body(levels(3, P2=0, G5=1, G7=1))
    expected = [CONTENT.scored_by_id(q).advice for q in ("P2", "G5", "G7")]
    assert f"1. {expected[0]}\n2. {expected[1]}\n3. {expected[2]}" in text


def test_advice_is_tuned_to_an_existing_supplier() -> None:
    text = body(levels(3, P1=0), {"C2": "bestaand"})
    assert CONTENT.scored_by_id("P1").advice_variants["existing_partner"] in text


def test_advice_is_tuned_to_a_one_person_company_and_a_circular_chain() -> None:
    solo = body(levels(3, G3=0), {"C3": "1"})
    assert CONTENT.scored_by_id("G3").advice_variants["solo"] in solo
    circular = body(levels(3, P5=1), {"C1": "circulaire keten"})
    assert CONTENT.scored_by_id("P5").advice_variants["circular"] in circular


def test_unknowns_are_named_as_things_to_find_out() -> None:
    text = body(levels(3, G6=None, P4=None))
    topics = [CONTENT.scored_by_id(q).topic for q in ("P4", "G6")]
    assert f"Nog uit te zoeken: {topics[0]} en {topics[1]}." in text


def test_cap_is_explained_only_when_it_lowered_the_total() -> None:
    assert "begrensd" in body(levels(3, G1=0))
    assert "begrensd" not in body(levels(0))

"""What the report shows, from the stored scan data: the same result and plan as the chat."""

from __future__ import annotations

from mkbscan.scan.questions import load_content
from mkbscan.scan.result_text import result_messages
from mkbscan.scan.scoring import compute_result
from mkbscan.site.report_view import example_blocks, report_view

CONTENT = load_content()


def test_the_report_holds_the_chat_s_result_and_every_answered_question() -> None:
    answers = {q.id: (i % 4) for i, q in enumerate(CONTENT.scored)}
    answers[CONTENT.scored[2].id] = None
    context = {"C1": "IT", "C2": "none", "C3": "3"}
    view = report_view({"context": context, "context_labels": {"C1": "IT"},
                        "answers": answers})
    chat_card = result_messages(compute_result(answers, CONTENT), answers, context)[0].card
    assert chat_card is not None
    assert (view.card.total, view.card.band, view.card.plan) == (
        chat_card.total, chat_card.band, chat_card.plan)
    asked = [q for theme in view.themes for q in theme.questions]
    assert [q.number for q in asked] == sorted(q.number for q in asked)
    assert len(asked) == len(CONTENT.scored)
    profile = CONTENT.profile(context)
    third = next(q for q in asked if q.number == 3)
    assert third.answer == CONTENT.scale_button(None)
    assert third.question == CONTENT.scored[2].worded(profile).text  # the wording asked
    assert view.context == ((CONTENT.context[0].text, "IT"),)
    assert view.chart.startswith("<svg") and f">{view.card.total}</text>" in view.chart


def test_examples_become_tables_and_paragraphs() -> None:
    blocks = example_blocks("| Wij | Partner\nKosten | 20 uur | geen\nWie beslist? | wij | zij\n"
                            "Let op de kosten.\nA | B")
    assert blocks == [
        ("table", [["", "Wij", "Partner"], ["Kosten", "20 uur", "geen"],
                   ["Wie beslist?", "wij", "zij"]]),
        ("p", "Let op de kosten."),
        ("table", [["A", "B"]]),
    ]

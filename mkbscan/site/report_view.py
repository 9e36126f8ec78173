"""What the personal report shows, from the report's scan data (levels and labels only).

The same pieces as the chat's result (mkbscan.scan.result_text): scores, phase, strengths and
plan, plus every question as it was worded for this entrepreneur, their answer and why the
question matters, and how to reach the advisor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mkbscan.messages import ResultCard
from mkbscan.scan.chart_svg import chart_svg
from mkbscan.scan.comparison import Comparison
from mkbscan.scan.partner_text import agenda_topics, bucket_lines, bucket_name, score_lines
from mkbscan.scan.plan import build_plan
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.result_text import labelled_scores, plan_pieces, result_card
from mkbscan.scan.scan_flow import ScanState
from mkbscan.scan.scoring import compute_result
from mkbscan.wording import say


@dataclass(frozen=True)
class AnsweredQuestion:
    number: int
    question: str
    answer: str
    why: str
    compared: str = ""  # with the partner: "eens", "groot verschil", ... (a two-party scan)


@dataclass(frozen=True)
class ComparedView:
    """The comparison with the partner, as both see it in the chat."""

    scores: tuple[str, ...]  # "Partnerkeuze: jij 50, je partner 100", ..., the total
    buckets: tuple[str, ...]  # "Groot verschil: vraag 3, 4 en 12"
    agenda: tuple[str, ...]  # topics, the largest difference first
    no_agenda: str  # what to say when every item agrees


@dataclass(frozen=True)
class ThemeAnswers:
    name: str
    questions: tuple[AnsweredQuestion, ...]


@dataclass(frozen=True)
class ReportView:
    card: ResultCard
    chart: str  # inline SVG
    context: tuple[tuple[str, str], ...]  # (question, the answer's label)
    themes: tuple[ThemeAnswers, ...]
    compared: ComparedView | None = None


def report_view(data: Mapping[str, Any], content: ScanContent | None = None,
                comparison: Comparison | None = None) -> ReportView:
    content = content or load_content()
    state = ScanState.from_dict(dict(data))
    result = compute_result(state.answers, content)
    profile = content.profile(state.context)
    pieces = plan_pieces(build_plan(result, state.answers, profile, content), result, profile,
                         content)
    card = result_card(result, pieces, content, intro=say("site_report_intro"))
    context = tuple((q.text, state.context_labels.get(q.id, "")) for q in content.context
                    if q.id in state.context_labels)
    numbers = {q.id: n for n, q in enumerate(content.scored, start=1)}
    buckets = {item.question_id: bucket_name(item.bucket)
               for item in (comparison.items if comparison else ())}
    themes = tuple(ThemeAnswers(theme.name, tuple(
        AnsweredQuestion(numbers[q.id], q.worded(profile).text,
                         content.scale_button(state.answers.get(q.id)),
                         q.worded(profile).explanation, buckets.get(q.id, ""))
        for q in theme.questions if q.id in state.answers)) for theme in content.themes)
    compared = ComparedView(tuple(score_lines(comparison, content)),
                            tuple(bucket_lines(comparison, content)),
                            tuple(agenda_topics(comparison, content)),
                            say("comparison_no_agenda")) if comparison else None
    return ReportView(card, chart_svg(labelled_scores(result, content), content,
                                      title_id="report-chart"), context, themes, compared)


def example_blocks(example: str) -> list[tuple[str, Any]]:
    """A plan step's example: lines "a | b | c" (or "| b | c": an empty first cell) become a
    table, the first its header; other lines paragraphs (web/widget.js does the same)."""
    blocks: list[tuple[str, Any]] = []
    for line in example.split("\n"):
        if not is_table_row(line):
            blocks.append(("p", line))
        elif blocks and blocks[-1][0] == "table":
            blocks[-1][1].append(table_cells(line))
        else:
            blocks.append(("table", [table_cells(line)]))
    return blocks


def is_table_row(line: str) -> bool:
    return " | " in line or line.startswith("| ")


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]

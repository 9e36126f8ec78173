"""What the desk shows of one lead: the advisor's email's sections (one home for what a lead
holds), the chart, the transcript."""

from __future__ import annotations

from dataclasses import dataclass

from mkbscan.leads.email_message import Rows, lead_sections
from mkbscan.leads.models import LeadRecord
from mkbscan.scan.chart_svg import chart_svg
from mkbscan.scan.questions import load_content
from mkbscan.wording import say


@dataclass(frozen=True)
class LeadView:
    sections: list[tuple[str, Rows]]
    chart: str  # inline SVG, or "" for an unfinished scan


def lead_view(lead: LeadRecord) -> LeadView:
    content = load_content()
    scores = lead.scan.scores
    chart = ""
    if scores is not None:
        rows = [(theme.name, theme.score) for theme in scores.themes]
        rows.append((say("total_label"), scores.total))
        chart = chart_svg(rows, content, title_id="lead-chart")
    return LeadView(lead_sections(lead, content), chart)

"""The result chart as SVG: sharp at any width and on any screen, text a screen reader reads.

One drawing for the widget's result card (as an image), the report page and its PDF (inline),
and the site's example. A bar per theme and the total, filled in the colour of the band the
score falls in, the label above its bar and the number beside it. The advisor's email keeps
the PNG of mkbscan/scan/charts.py: mail programs do not show SVG.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from mkbscan.scan.questions import ScanContent
from mkbscan.wording import say

WIDTH = 360
MARGIN = 8
ROW_HEIGHT = 50
BAR_HEIGHT = 14
NUMBER_WIDTH = 44
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1d2a27"
TRACK = "#e3e8e2"


def chart_text(rows: Sequence[tuple[str, int]]) -> str:
    """The chart in words, for its text alternative: every label with its score."""
    return say("chart_text", scores="; ".join(
        say("chart_text_row", label=label, score=score) for label, score in rows))


def chart_svg(rows: Sequence[tuple[str, int]], content: ScanContent, *,
              title_id: str = "chart-title") -> str:
    """(label, score) rows, top to bottom; the last row (the total) in bold."""
    height = MARGIN * 2 + ROW_HEIGHT * len(rows)
    track = WIDTH - 2 * MARGIN - NUMBER_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{title_id}" '
        f'font-family={quoteattr(FONT)}>',
        f'<title id="{title_id}">{escape(chart_text(rows))}</title>',
    ]
    for index, (label, score) in enumerate(rows):
        top = MARGIN + index * ROW_HEIGHT
        weight = ' font-weight="700"' if index == len(rows) - 1 else ""
        fill = content.band_for(score).colour
        length = round(track * max(0, min(score, 100)) / 100)
        bar_top = top + 24
        parts += [
            f'<text x="{MARGIN}" y="{top + 16}" font-size="14" fill="{INK}"{weight}>'
            f'{escape(label)}</text>',
            f'<rect x="{MARGIN}" y="{bar_top}" width="{track}" height="{BAR_HEIGHT}" '
            f'rx="4" fill="{TRACK}"/>',
            f'<rect x="{MARGIN}" y="{bar_top}" width="{length}" height="{BAR_HEIGHT}" '
            f'rx="4" fill="{fill}"/>',
            f'<text x="{WIDTH - MARGIN}" y="{bar_top + BAR_HEIGHT - 1}" font-size="16" '
            f'text-anchor="end" fill="{INK}"{weight}>{score}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def chart_data_uri(rows: Sequence[tuple[str, int]], content: ScanContent) -> str:
    """The chart as an image address (the widget shows it with chart_text as alt)."""
    svg = chart_svg(rows, content).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

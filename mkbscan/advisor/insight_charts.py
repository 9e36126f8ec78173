"""The insights' charts as inline SVG: sharp at any width, no script, no inline style (the
site's CSP allows neither), and a <title> that says in words what the chart shows. Every
chart on the page also has its table (insights.html), so nothing is only in a picture.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 420  # about a phone's width, so the text stays readable there
LABEL_SIZE = 15
LABELS_AT_MOST = 8  # under a column chart
MARGIN = 8
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1d2a27"
MUTED = "#55615e"
TRACK = "#e3e8e2"
BAR = "#1f6f5c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str  # the value as written beside the bar ("34 · 68%")
    colour: str = BAR


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def _open(height: int, title: str, title_id: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{title_id}" '
            f'font-family={quoteattr(FONT)}>', f'<title id="{title_id}">{escape(title)}</title>']


def _text(x: float, y: float, words: str, *, size: int = 14, anchor: str = "start",
          fill: str = INK, bold: bool = False) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{weight}>{escape(words)}</text>')


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return f'<rect x="{x:g}" y="{y:g}" width="{max(width, 0):g}" height="{height:g}" ' \
           f'fill="{fill}"/>'


def _wrapped(label: str, size: int) -> list[str]:
    """The label over as many lines as it needs at this font size (about 0.56 em a letter)."""
    return textwrap.wrap(label, int((WIDTH - 2 * MARGIN) / (size * 0.56))) or [""]


def _label(lines: list[str], top: float, size: int) -> list[str]:
    return [_text(MARGIN, top + (n + 1) * (size + 3) - 3, line, size=size)
            for n, line in enumerate(lines)]


def bars(rows: Sequence[Bar], title: str, title_id: str, *, largest: int = 0) -> str:
    """Horizontal bars, each with its label above it and its value at the end; the longest
    possible bar is `largest` (default: the largest value)."""
    bar_height, gap = 16, 12
    track = WIDTH - 2 * MARGIN - 96
    top_value = max([largest, *(row.value for row in rows)]) or 1
    body: list[str] = []
    top = float(MARGIN)
    for row in rows:
        lines = _wrapped(row.label, LABEL_SIZE)
        bar_top = top + len(lines) * (LABEL_SIZE + 3) + 3
        body += [*_label(lines, top, LABEL_SIZE),
                 _rect(MARGIN, bar_top, track, bar_height, TRACK),
                 _rect(MARGIN, bar_top, round(track * row.value / top_value), bar_height,
                       row.colour),
                 _text(WIDTH - MARGIN, bar_top + bar_height - 2, row.shown, size=LABEL_SIZE,
                       anchor="end", bold=True)]
        top = bar_top + bar_height + gap
    return "".join(_open(round(top + MARGIN - gap), title, title_id) + body + ["</svg>"])


def _legend(series: Sequence[Series], top: int) -> tuple[list[str], int]:
    """Swatches with names, wrapped over lines; returns the parts and the height used."""
    parts, x, y = [], MARGIN, top
    for item in series:
        width = 18 + round(14 * 0.56 * len(item.name))
        if x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + 24
        parts += [_rect(x, y + 3, 13, 13, item.colour), _text(x + 18, y + 15, item.name)]
        x += width + 14
    return parts, y - top + 26


def stacked(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series], title: str,
            title_id: str) -> str:
    """One bar per row split into its series' shares (a row of only zeros stays empty),
    with the row's number of answers at its end."""
    legend, legend_height = _legend(series, MARGIN)
    bar_height, gap = 16, 12
    track = WIDTH - 2 * MARGIN - 36
    body: list[str] = []
    top = float(MARGIN + legend_height)
    for label, counts in rows:
        lines = _wrapped(label, LABEL_SIZE)
        bar_top = top + len(lines) * (LABEL_SIZE + 3) + 3
        body += [*_label(lines, top, LABEL_SIZE), _rect(MARGIN, bar_top, track, bar_height, TRACK)]
        whole, x = sum(counts), float(MARGIN)
        for count, item in zip(counts, series, strict=True):
            if whole and count:
                width = track * count / whole
                body.append(_rect(round(x, 1), bar_top, round(width, 1), bar_height, item.colour))
                x += width
        body.append(_text(WIDTH - MARGIN, bar_top + bar_height - 2, str(whole), size=LABEL_SIZE,
                          anchor="end", fill=MUTED))
        top = bar_top + bar_height + gap
    return "".join(_open(round(top + MARGIN - gap), title, title_id) + legend + body
                   + ["</svg>"])


def layered_columns(labels: Sequence[str], series: Sequence[tuple[Series, Sequence[int]]],
                    title: str, title_id: str) -> str:
    """One column per label (a week); the series are drawn over each other, the first (the
    largest, as in a funnel) at the back and each next one narrower, so any number of weeks
    fits the width and every series' top stays in sight."""
    legend, legend_height = _legend([item for item, _ in series], MARGIN)
    plot_top, plot_height, axis_height = MARGIN + legend_height + 18, 150, 24
    height = plot_top + plot_height + axis_height + MARGIN
    top_value = max([1, *(v for _, values in series for v in values)])
    group = (WIDTH - 2 * MARGIN) / max(len(labels), 1)
    width = max(group - 3, 1.0)
    every = -(-len(labels) // LABELS_AT_MOST)  # label every n-th column
    baseline = plot_top + plot_height
    parts = _open(height, title, title_id) + legend
    parts.append(f'<line x1="{MARGIN}" y1="{baseline}" x2="{WIDTH - MARGIN}" y2="{baseline}" '
                 f'stroke="{MUTED}" stroke-width="1"/>')
    for index, label in enumerate(labels):
        x = round(MARGIN + index * group + 1.5, 1)
        for number, (item, values) in enumerate(series):
            # each series a little narrower than the one behind it, so every top shows
            inset = width * 0.12 * number
            tall = round(plot_height * values[index] / top_value, 1)
            parts.append(_rect(round(x + inset, 1), round(baseline - tall, 1),
                               round(width - 2 * inset, 1), tall, item.colour))
        first = series[0][1][index]
        if first and width >= 18:
            parts.append(_text(round(x + width / 2, 1),
                               round(baseline - plot_height * first / top_value - 4, 1),
                               str(first), size=12, anchor="middle", fill=MUTED))
        if index % every == 0:
            parts.append(_text(round(x + width / 2, 1), baseline + 17, label, size=12,
                               anchor="middle", fill=MUTED))
    return "".join(parts + ["</svg>"])

"""The result as a PNG for the advisor's email (mail programs do not show SVG; the widget,
the report and the site use mkbscan/scan/chart_svg.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mkbscan.scan.questions import ScanContent, load_content  # noqa: E402
from mkbscan.wording import say  # noqa: E402


def render_chart(rows: Sequence[tuple[str, int]], band: str,
                 content: ScanContent | None = None) -> bytes:
    """A PNG of (label, score) rows, top to bottom; `band` is the total's band."""
    content = content or load_content()
    labels = [label for label, _ in rows][::-1]
    scores = [score for _, score in rows][::-1]
    colours = [content.band_for(score).colour for score in scores]
    figure, axes = plt.subplots(figsize=(5, 1.4 + 0.4 * len(rows)), dpi=100)
    try:
        bars = axes.barh(labels, scores, color=colours)
        axes.set_xlim(0, 100)
        axes.set_xlabel(say("chart_axis"))
        axes.set_title(say("chart_title", band=band), fontsize=11)
        for bar, score in zip(bars, scores, strict=True):
            axes.text(min(score + 2, 88), bar.get_y() + bar.get_height() / 2, str(score),
                      va="center", fontsize=10)
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)

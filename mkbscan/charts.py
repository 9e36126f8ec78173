"""The result as a picture: a bar chart of the two theme scores and the total."""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mkbscan.scoring import band_for  # noqa: E402

BAND_COLOURS = {
    "Verkennen": "#c0392b",
    "Voorbereiden": "#e67e22",
    "Versterken": "#f1c40f",
    "Klaar om samen te werken": "#27ae60",
}


def render_chart(partnerkeuze: int, gelijkwaardigheid: int, total: int) -> bytes:
    labels = ["Partnerkeuze", "Gelijkwaardigheid", "Totaalscore"]
    scores = [partnerkeuze, gelijkwaardigheid, total]
    colours = [BAND_COLOURS[band_for(score)] for score in scores]
    figure, axes = plt.subplots(figsize=(5, 2.6), dpi=100)
    try:
        bars = axes.barh(labels[::-1], scores[::-1], color=colours[::-1])
        axes.set_xlim(0, 100)
        axes.set_xlabel("score (0-100)")
        axes.set_title(f"Samenwerkingsscan: {band_for(total)}", fontsize=11)
        for bar, score in zip(bars, scores[::-1], strict=True):
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


def chart_data_uri(partnerkeuze: int, gelijkwaardigheid: int, total: int) -> str:
    png = render_chart(partnerkeuze, gelijkwaardigheid, total)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_lead_chart(lead: Any) -> bytes | None:
    """The chart for the advisor's email, when the lead holds a finished scan."""
    scores = (getattr(lead, "scan", None) or {}).get("scores")
    if not scores:
        return None
    return render_chart(scores["partnerkeuze"], scores["gelijkwaardigheid"], scores["totaal"])

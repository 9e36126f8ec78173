"""The insights' SVG charts: lengths in proportion, shares that fill the bar, text escaped,
every chart titled in words, no inline style (the CSP forbids it), any number of weeks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from mkbscan.advisor.insight_charts import (
    MARGIN,
    WIDTH,
    Bar,
    Series,
    bars,
    layered_columns,
    stacked,
)

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ElementTree.Element:
    assert "style=" not in svg and "<script" not in svg
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    return root


def widths(root: ElementTree.Element, fill: str) -> list[float]:
    return [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect") if r.get("fill") == fill]


def test_bars_are_in_proportion_to_the_largest_possible_value() -> None:
    root = parsed(bars([Bar("Geopend", 8, "8 · 100%", "#111111"),
                        Bar("Scan begonnen", 6, "6 · 75%", "#222222"),
                        Bar("Lead <verstuurd> & zo", 0, "0 · 0%", "#333333")],
                       "Trechter: Geopend 8", "t", largest=8))
    [full], [part], [none] = (widths(root, c) for c in ("#111111", "#222222", "#333333"))
    assert part == round(full * 6 / 8) and none == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Lead <verstuurd> & zo" in texts and "6 · 75%" in texts
    assert root.find(f"{SVG}title").text == "Trechter: Geopend 8"


def test_a_long_label_wraps_and_stays_inside_the_chart() -> None:
    label = "Vraag 9: evenveel zeggenschap, hoe groot of klein ieder ook is, " * 2
    root = parsed(bars([Bar(label, 1, "1")], "t", "t"))
    lines = [t.text or "" for t in root.iter(f"{SVG}text")][:-1]
    assert len(lines) >= 3 and " ".join(lines) == label.strip()
    height = float(root.get("height", 0))
    assert all(float(t.get("y", 0)) < height for t in root.iter(f"{SVG}text"))


def test_stacked_shares_fill_the_bar_and_an_empty_row_stays_empty() -> None:
    series = [Series("ja", "#aa0000"), Series("nee", "#00aa00"), Series("?", "#0000aa")]
    root = parsed(stacked([("Vraag 1", (2, 1, 1)), ("Vraag 2", (0, 0, 0))], series, "t", "t"))
    ja, nee, unknown = (widths(root, s.colour) for s in series)
    assert len(ja) == len(nee) == len(unknown) == 2  # a swatch in the legend and one share
    assert abs(ja[1] - 2 * nee[1]) < 0.2 and abs(nee[1] - unknown[1]) < 0.2
    track = [w for w in widths(root, "#e3e8e2")]
    assert len(track) == 2 and abs(ja[1] + nee[1] + unknown[1] - track[0]) < 0.3


def test_fifty_two_weeks_fit_the_width_with_a_label_now_and_then() -> None:
    labels = [f"wk {n}" for n in range(1, 53)]
    series = [(Series("Geopend", "#111111"), list(range(52))),
              (Series("Uitslag", "#222222"), [n // 2 for n in range(52)])]
    root = parsed(layered_columns(labels, series, "Per week", "w"))
    columns = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#111111"][1:]
    assert len(columns) == 52
    assert all(float(r.get("x", 0)) >= MARGIN and float(r.get("x", 0)) + float(r.get("width", 0))
               <= WIDTH - MARGIN + 0.1 for r in columns)
    shown = [t.text for t in root.iter(f"{SVG}text") if re.fullmatch(r"wk \d+", t.text or "")]
    assert shown[0] == "wk 1" and 6 <= len(shown) <= 8
    tallest = max(float(r.get("height", 0)) for r in columns)
    assert float(columns[-1].get("height", 0)) == tallest  # 51 is the largest value

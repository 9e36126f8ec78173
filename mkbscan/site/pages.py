"""The site's pages filled in from configuration and the scan's content.

Templates in web/ name facts as {{name}}; a name that is no fact is an error. Local assets
(style.css, widget.js, ...) are referenced with a version (?v=<hash of the file>) so
browsers may cache them for a year and still get a new file after a change.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from mkbscan.scan.chart_svg import chart_svg
from mkbscan.scan.questions import load_content
from mkbscan.scan.result_text import labelled_scores
from mkbscan.scan.scan_flow import duration
from mkbscan.scan.scoring import compute_result
from mkbscan.wording import facts, say, templates

WEB_ROOT = Path(__file__).resolve().parents[2] / "web"
# The one file of node_modules the page loads: socket.io-client's browser build.
WIDGET_BUNDLE = "node_modules/socket.io-client/dist/socket.io.min.js"
WIDGET_TEXT = "widget_"  # the keys of mkbscan/content/widget.yml
FACT = re.compile(r"\{\{(\w+)\}\}")
ASSET_REFERENCE = re.compile(r'(href|src)="/?([\w./-]+\.(?:css|js|svg))"')
# The invented entrepreneur of the site's example result: levels per question (3 is best).
EXAMPLE_LEVELS = (3, 2, 1, 2, 2, 1, 2, 1, 2, 3, 1, 2, 2)


def page_facts() -> dict[str, str]:
    """What a page may name, HTML-escaped: configuration and the scan's numbers."""
    values = {name: html.escape(str(value)) for name, value in facts().items()}
    content = load_content()
    values["themes"] = "\n        ".join(
        f"<li><strong>{html.escape(t.name)}</strong>: {html.escape(t.summary)}</li>"
        for t in content.themes)
    values["duration"] = html.escape(duration(len(content.context) + len(content.scored)))
    values["example_result"] = example_result()
    return values


def example_result() -> str:
    """The example on the home page: the real scoring of an invented scan, as a figure."""
    content = load_content()
    answers = dict(zip((q.id for q in content.scored), EXAMPLE_LEVELS, strict=True))
    result = compute_result(answers, content)
    svg = chart_svg(labelled_scores(result, content), content, title_id="example-chart")
    caption = say("site_example_caption", total=result.total, band=result.band)
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def render_page(template: str, values: Mapping[str, str] | None = None,
                root: Path = WEB_ROOT) -> str:
    """The page with its {{facts}} filled in and its local assets versioned."""
    values = page_facts() if values is None else values
    page = FACT.sub(lambda match: values[match.group(1)], template)
    return ASSET_REFERENCE.sub(lambda m: _versioned(m, root), page)


def _versioned(match: re.Match[str], root: Path) -> str:
    return f'{match.group(1)}="{asset_url(root, match.group(2))}"'


def asset_url(root: Path, name: str) -> str:
    """/name?v=<version> for a file of web/; a missing file keeps its plain address."""
    path = root / name
    return f"/{name}?v={asset_version(path)}" if path.is_file() else f"/{name}"


@lru_cache(maxsize=64)
def _read(path: Path, mtime: float) -> tuple[bytes, str]:
    body = path.read_bytes()
    return body, hashlib.sha256(body).hexdigest()


def read_asset(path: Path) -> tuple[bytes, str]:
    """A file of web/ and the SHA-256 of its bytes, read once per version of the file."""
    return _read(path, path.stat().st_mtime)


def asset_version(path: Path) -> str:
    return read_asset(path)[1][:12]


def widget_texts() -> dict[str, str]:
    """What the widget says itself (mkbscan/content/widget.yml), by the widget's own names,
    facts filled in; {step} and {total} stay for the widget."""
    return {key.removeprefix(WIDGET_TEXT): text for key, text in templates(WIDGET_TEXT).items()}

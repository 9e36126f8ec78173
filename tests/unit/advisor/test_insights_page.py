"""The desk's insights page over HTTP: the figures of a seeded set in its tables, the
period filter (and what it says about a wrong one), charts with a title and no inline style,
and not a word of personal data."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from mkbscan.advisor.insights_view import default_period, period_from
from mkbscan.leads import journeys
from mkbscan.leads.insights import Period
from mkbscan.leads.models import LeadContact
from mkbscan.scan.questions import load_content
from mkbscan.scan.snapshot import ScanSnapshot
from tests.unit.advisor.desk_client import Desk

SCORED = [q.id for q in load_content().scored]
NOW = datetime.now(timezone.utc)


@pytest.fixture
def desk(logged_in_desk: Desk) -> Desk:
    store = logged_in_desk.store
    two_days = NOW - timedelta(days=2)
    journeys.record_opened(store, "looked", now=two_days)
    journeys.record_scan(store, "left", {"P1": 1}, "P2", False, {"sector": "IT"}, now=two_days)
    journeys.record_scan(store, "done", dict.fromkeys(SCORED, 3), None, True,
                         {"sector": "productie", "size": "micro (2-9)"}, now=two_days)
    journeys.record_milestone(store, "done", journeys.FOLLOWUP, now=two_days)
    journeys.record_scan(store, "last-year", {}, "C1", False, now=NOW - timedelta(days=400))
    store.submit_lead("done", LeadContact(name="Anne de Vries", email="anne@zon.nl"), "v3",
                      NOW, ScanSnapshot(), "Jij: hallo")
    return logged_in_desk


def page(desk: Desk, query: str = "") -> str:
    return desk.page(f"advisor/inzicht{query}")


def row(body: str, label: str) -> list[str]:
    """The cells of the first table row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(html.escape(label))}</th>(.*?)</tr>', body)
    assert match, label
    return re.findall(r"<td>(.*?)</td>", match.group(1))


def test_the_page_shows_the_seeded_figures_in_charts_and_tables(desk) -> None:
    body = page(desk)
    assert row(body, "Gesprek geopend") == ["3", "100%"]  # not last year's
    assert row(body, "Scan begonnen") == ["2", "67%"]
    assert row(body, "Uitslag bereikt") == ["1", "33%"]
    assert row(body, "Wil een gesprek met Marco") == ["1", "33%"]
    assert row(body, "Lead verstuurd") == ["0", "0%"]
    assert row(body, "Vraag 2: de kernactiviteiten van je bedrijf") == ["1"]  # left there
    assert row(body, "productie") == ["1", "100", "100", "100"]
    charts = re.findall(r'<svg [^>]*role="img" aria-labelledby="([^"]+)"', body)
    assert {"chart-funnel", "chart-answers", "chart-weeks"} <= set(charts)
    assert "<title id=\"chart-funnel\">Van gesprek tot lead: Gesprek geopend 3 (100%);" in body
    assert "style=" not in body and "<script" not in body
    for personal in ("Anne", "anne@zon.nl", "looked", "done"):
        assert personal not in body


def test_the_period_filter_and_what_it_says_about_a_wrong_period(desk) -> None:
    old = (NOW - timedelta(days=400)).date()
    body = page(desk, f"?van={old.isoformat()}&tot={old.isoformat()}")
    assert row(body, "Gesprek geopend") == ["1", "100%"]
    assert row(body, "Vragen vooraf beantwoord") == ["0", "0%"]
    for wrong in ("?van=2026-13-01&tot=2026-12-01", "?van=2026-12-01&tot=2026-11-01",
                  "?van=<script>&tot=x"):
        body = page(desk, wrong)
        assert "Die periode klopt niet" in body and "<script>" not in body
        assert row(body, "Gesprek geopend") == ["3", "100%"]  # the default period instead
    assert "hoogstens 366 dagen" in page(desk, "?van=2024-01-01&tot=2026-01-01")


def test_the_default_period_is_twelve_weeks_from_a_monday() -> None:
    assert default_period(date(2026, 12, 6)) == Period(date(2026, 9, 14), date(2026, 12, 6))
    assert period_from({}, date(2026, 12, 6)) == (default_period(date(2026, 12, 6)), "")
    chosen = period_from({"van": "2026-11-02", "tot": "2026-11-15"}, date(2026, 12, 6))
    assert chosen == (Period(date(2026, 11, 2), date(2026, 11, 15)), "")

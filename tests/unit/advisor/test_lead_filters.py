"""The leads list's filters: phase, sector and size, from questions.yml and the lead's scan."""

from __future__ import annotations

from datetime import datetime, timezone

from mkbscan.advisor.lead_filters import choices, matches
from mkbscan.leads.models import LeadRecord
from mkbscan.scan.questions import load_content
from mkbscan.scan.snapshot import Answer, ScanSnapshot, Scores

CONTENT = load_content()


def lead(band: str | None, sector: str, size: str) -> LeadRecord:
    scan = ScanSnapshot(context=(Answer("C1", "", sector), Answer("C3", "", size)),
                        scores=Scores((), 50, band, False) if band else None)
    return LeadRecord(1, "id", "conv", datetime(2026, 12, 1, tzinfo=timezone.utc), None, None,
                      None, None, None, None, None, None, scan)


def test_the_choices_are_the_scan_s_own() -> None:
    found = choices(CONTENT)
    assert found.bands == tuple(band.name for band in reversed(CONTENT.bands))
    assert "productie" in found.sectors and all("{" not in s for s in found.sectors)
    assert found.sizes[0] == "eenmanszaak" and "klein (10-49)" in found.sizes


def test_a_lead_passes_only_the_filters_it_meets() -> None:
    bakery = lead("Voorbereiden", "productie", "25 (klein (10-49))")
    assert matches(bakery) and matches(bakery, band="Voorbereiden")
    assert matches(bakery, sector="productie", size="klein (10-49)")
    assert not matches(bakery, band="Versterken")
    assert not matches(bakery, sector="IT")
    assert not matches(bakery, size="micro (2-9)")
    assert not matches(lead(None, "IT", "3 (micro (2-9))"), band="Voorbereiden")

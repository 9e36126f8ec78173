"""The leads list's filters by phase, sector and size: the choices come from questions.yml,
the values from what the lead's scan holds (its band and its context answers' labels)."""

from __future__ import annotations

from dataclasses import dataclass

from mkbscan.leads.models import LeadRecord
from mkbscan.scan.questions import FREE_TEXT, ScanContent, load_content


@dataclass(frozen=True)
class Choices:
    bands: tuple[str, ...]
    sectors: tuple[str, ...]
    sizes: tuple[str, ...]


def choices(content: ScanContent | None = None) -> Choices:
    content = content or load_content()
    sector, size = content.context_reading("sector"), content.context_reading("size")
    return Choices(
        bands=tuple(band.name for band in reversed(content.bands)),
        sectors=tuple(label for value, label in sector.labels.items() if value != FREE_TEXT)
        if sector else (),
        sizes=tuple(size_class.label for size_class in size.sizes) if size else ())


def _context_answer(lead: LeadRecord, reads: str, content: ScanContent) -> str:
    question = content.context_reading(reads)
    return next((a.answer for a in lead.scan.context if question and a.id == question.id), "")


def matches(lead: LeadRecord, band: str = "", sector: str = "", size: str = "",
            content: ScanContent | None = None) -> bool:
    """Whether the lead passes the filters that are set ("" is any)."""
    content = content or load_content()
    scores = lead.scan.scores
    if band and (scores is None or scores.band != band):
        return False
    if sector and _context_answer(lead, "sector", content) != sector:
        return False
    # A size answer reads "12 (klein (10-49))": the class's label is in it.
    return not size or size in _context_answer(lead, "size", content)

"""The advisor's follow-up of a lead: its status (nieuw, gebeld, afspraak, afgerond, geen
interesse) with a note and a date, kept as a history; the lead's current status is the last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select, update

from mkbscan.leads.schema import LEAD_STATUSES, advisors, lead_notes, leads
from mkbscan.leads.store import LeadStore, _guarded, utcnow
from mkbscan.leads.validation import MAX_TEXT_LENGTH, clean_text


@dataclass(frozen=True)
class Note:
    at: datetime
    advisor: str
    status: str
    on_date: str
    note: str


class InvalidStatus(ValueError):
    pass


def parse_date(value: str) -> str:
    """A date as the form's date field gives it (YYYY-MM-DD), or "" for none."""
    value = value.strip()
    return date.fromisoformat(value).isoformat() if value else ""


@_guarded
def set_status(store: LeadStore, public_id: str, advisor_id: int, status: str, note: str = "",
               on_date: str = "", now: datetime | None = None) -> bool:
    """Record a status with its note and date; False when the lead does not exist."""
    if status not in LEAD_STATUSES:
        raise InvalidStatus(status)
    now = now or utcnow()
    with store.engine.begin() as conn:
        lead_id = conn.execute(select(leads.c.id).where(leads.c.public_id == public_id)).scalar()
        if lead_id is None:
            return False
        conn.execute(update(leads).where(leads.c.id == lead_id).values(
            status=status, handled_at=now if status == "handled" else None))
        conn.execute(insert(lead_notes).values(
            lead_id=lead_id, at=now, advisor_id=advisor_id, status=status,
            on_date=parse_date(on_date) or None, note=clean_text(note, MAX_TEXT_LENGTH)))
    return True


@_guarded
def notes_of(store: LeadStore, public_id: str) -> list[Note]:
    """The lead's history, newest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(lead_notes.c.at, advisors.c.email, lead_notes.c.status, lead_notes.c.on_date,
                   lead_notes.c.note)
            .join(leads, leads.c.id == lead_notes.c.lead_id)
            .join(advisors, advisors.c.id == lead_notes.c.advisor_id, isouter=True)
            .where(leads.c.public_id == public_id)
            .order_by(lead_notes.c.id.desc())).all()
    return [Note(r.at, r.email or "", r.status, r.on_date or "", r.note) for r in rows]

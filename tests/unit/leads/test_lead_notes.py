"""The advisor's follow-up: statuses with a note and a date, as a history, erased with the lead."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import SubmitLead
from sqlalchemy import func, select

from mkbscan.leads import advisors
from mkbscan.leads.lead_notes import InvalidStatus, notes_of, set_status
from mkbscan.leads.schema import lead_notes
from mkbscan.leads.store import LeadStore

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def test_each_status_is_kept_with_its_note_and_the_lead_shows_the_last(
        store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1")
    marco = advisors.add_advisor(store, "marco@example.org", "een lang wachtwoord 42")
    assert set_status(store, lead.public_id, marco, "called", "  Voicemail ingesproken ",
                      "2026-12-03", now=T0)
    assert set_status(store, lead.public_id, marco, "appointment", "Koffie bij de bakkerij",
                      "2026-12-10", now=T0 + timedelta(hours=1))
    notes = notes_of(store, lead.public_id)
    assert [(n.status, n.on_date, n.note, n.advisor) for n in notes] == [
        ("appointment", "2026-12-10", "Koffie bij de bakkerij", "marco@example.org"),
        ("called", "2026-12-03", "Voicemail ingesproken", "marco@example.org")]
    current = store.get_lead(lead.public_id)
    assert current is not None and current.status == "appointment"
    assert [x.public_id for x in store.list_leads("appointment")] == [lead.public_id]
    assert not set_status(store, "bestaat-niet", marco, "called")


@pytest.mark.parametrize(("status", "on_date"), [("gebeld", ""), ("called", "3 december"),
                                                  ("called", "2026-02-30")])
def test_an_unknown_status_or_a_wrong_date_changes_nothing(
        store: LeadStore, submit: SubmitLead, status: str, on_date: str) -> None:
    lead = submit("conv-1")
    with pytest.raises(ValueError):
        set_status(store, lead.public_id, 1, status, "", on_date)
    assert notes_of(store, lead.public_id) == []
    assert issubclass(InvalidStatus, ValueError)


def test_erasing_the_lead_erases_its_history(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1")
    set_status(store, lead.public_id, 1, "handled", "Klant geholpen", now=T0)
    store.erase_by_conversation("conv-1")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(lead_notes)).scalar_one() == 0

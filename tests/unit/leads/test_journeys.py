"""The journeys' store (mkbscan/leads/journeys.py) on SQLite and PostgreSQL: what is kept per
conversation for the insights, the first time of each moment, the lead's delivery, erasure,
retention (the key is replaced) and the in-place upgrade of an older database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import CONSENT_AT, SAMPLE_SCAN
from sqlalchemy import create_engine, select, text

from mkbscan.leads import journeys
from mkbscan.leads.models import LeadContact
from mkbscan.leads.schema import scan_progress
from mkbscan.leads.store import ANONYMOUS, LeadStore, conversation_key

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


def _keys(store: LeadStore) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(scan_progress.c.conversation_key)).scalars())


def test_a_journey_keeps_its_first_message_and_the_first_time_of_each_moment(
        store: LeadStore) -> None:
    journeys.record_opened(store, "c1", now=T0)
    journeys.record_opened(store, "c1", now=T0 + MINUTE)  # a second first message: no change
    journeys.record_scan(store, "c1", {"P1": 3, "P2": None}, "P3", False,
                         {"sector": "IT", "size": "micro (2-9)"}, now=T0 + 2 * MINUTE)
    journeys.record_milestone(store, "c1", journeys.FOLLOWUP, now=T0 + 3 * MINUTE)
    journeys.record_milestone(store, "c1", journeys.FOLLOWUP, now=T0 + 9 * MINUTE)
    journeys.record_milestone(store, "c1", journeys.CONSENT, now=T0 + 4 * MINUTE)
    [journey] = journeys.journeys(store)
    assert journey == journeys.Journey(
        started_at=T0, updated_at=T0 + 2 * MINUTE, answers={"P1": 3, "P2": None},
        last_question_id="P3", finished=False, context={"sector": "IT", "size": "micro (2-9)"},
        followup_at=T0 + 3 * MINUTE, consent_at=T0 + 4 * MINUTE, lead_sent_at=None)
    assert _keys(store) == [conversation_key("c1")]  # the hash, not the conversation id


def test_a_moment_without_a_first_message_still_makes_the_journey(store: LeadStore) -> None:
    journeys.record_milestone(store, "c2", journeys.CONSENT, now=T0)
    [journey] = journeys.journeys(store)
    assert (journey.started_at, journey.consent_at, journey.answers) == (T0, T0, {})


def test_the_lead_sent_is_the_outbox_marking_it_sent(store: LeadStore) -> None:
    journeys.record_opened(store, "c3", now=T0)
    lead = store.submit_lead("c3", LeadContact(name="Anne", email="anne@zon.nl"), "v1",
                             CONSENT_AT, SAMPLE_SCAN, "", now=T0)
    assert journeys.journeys(store)[0].lead_sent_at is None  # stored is not sent
    store.claim_due(T0 + MINUTE, 60)
    assert store.mark_sent(lead.id, T0 + 2 * MINUTE)
    assert journeys.journeys(store)[0].lead_sent_at == T0 + 2 * MINUTE


def test_journeys_are_selected_by_their_first_message(store: LeadStore) -> None:
    for day in range(4):
        journeys.record_opened(store, f"day-{day}", now=T0 + timedelta(days=day))
    found = journeys.journeys(store, T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert [j.started_at for j in found] == [T0 + timedelta(days=1), T0 + timedelta(days=2)]


def test_erasure_removes_the_journey_and_retention_cuts_it_loose(store: LeadStore) -> None:
    journeys.record_scan(store, "old", {"P1": 2}, "P2", False, now=T0)
    journeys.record_scan(store, "new", {"P1": 1}, "P2", False, now=T0 + timedelta(days=10))
    journeys.record_scan(store, "erased", {"P1": 0}, "P2", False, now=T0)
    store.erase_by_conversation("erased")
    assert sorted(_keys(store)) == sorted([conversation_key("old"), conversation_key("new")])
    store.erase_older_than(T0 + timedelta(days=5))
    keys = _keys(store)
    assert conversation_key("old") not in keys and conversation_key("new") in keys
    [loose] = [key for key in keys if key.startswith(ANONYMOUS)]
    assert len(loose) <= 64
    store.erase_older_than(T0 + timedelta(days=5))  # cut loose once: the key stays
    assert loose in _keys(store)
    # The journey still counts; the conversation, if it comes back, starts a new one.
    assert sorted(j.answers["P1"] for j in journeys.journeys(store)) == [1, 2]
    journeys.record_scan(store, "old", {"P1": 3}, "P2", False, now=T0 + timedelta(days=11))
    assert len(journeys.journeys(store)) == 3
    store.erase_by_conversation("old")  # the loose journey is nobody's to erase
    assert len(journeys.journeys(store)) == 2


def test_an_older_database_gets_the_new_columns_in_place(store_url: str) -> None:
    if store_url.startswith("sqlite:///"):
        Path(store_url.removeprefix("sqlite:///")).parent.mkdir(parents=True)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # scan_progress as the first release made it
        conn.execute(text(
            "CREATE TABLE scan_progress (conversation_key VARCHAR(64) PRIMARY KEY, "
            "started_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, answers TEXT NOT NULL,"
            " last_question_id VARCHAR(64), finished BOOLEAN NOT NULL)"))
        conn.execute(text("INSERT INTO scan_progress VALUES ('k1', '2026-11-02 09:00:00', "
                          "'2026-11-02 09:05:00', '{\"P1\": 2}', 'P2', FALSE)"))
    engine.dispose()
    store = LeadStore(store_url)
    try:
        [journey] = journeys.journeys(store)
        assert (journey.started_at, journey.answers, journey.context) == (T0, {"P1": 2}, {})
        journeys.record_milestone(store, "c4", journeys.FOLLOWUP, now=T0)
        assert [j.followup_at for j in journeys.journeys(store)] == [None, T0]
        LeadStore(store_url).dispose()  # a second start finds nothing to add
    finally:
        store.dispose()

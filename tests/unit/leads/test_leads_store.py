from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import CONSENT_AT, SAMPLE_SCAN, SubmitLead, free_port
from sqlalchemy import func, select

from mkbscan.leads import journeys
from mkbscan.leads.models import LeadContact
from mkbscan.leads.schema import leads, outbox, scan_progress
from mkbscan.leads.store import (
    DEFAULT_DATABASE_URL,
    LeadStore,
    StoreUnavailable,
    conversation_key,
    default_database_url,
)
from mkbscan.scan.snapshot import ScanSnapshot

T0 = datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc)


def _count(store: LeadStore, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_submit_lead_stores_everything(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    assert lead.id > 0
    assert len(lead.public_id) == 36
    assert lead.conversation_id == "conv-1"
    assert lead.created_at == T0
    assert (lead.name, lead.company, lead.email, lead.phone) == (
        "Anne de Vries",
        "Bakkerij Zon",
        "anne@zon.nl",
        "+31612345678",
    )
    assert lead.preferred_moment == "dinsdagochtend"
    assert lead.consent_version == "v1"
    assert lead.consent_given_at == CONSENT_AT
    assert lead.scan == SAMPLE_SCAN
    assert lead.transcript.startswith("bot: Hoi!")
    assert lead.status == "new"
    assert lead.message_id and lead.message_id.startswith("<lead-")
    assert lead.delivery_status == "pending"
    item = store.get_outbox(lead.id)
    assert item is not None
    assert (item.status, item.attempts, item.next_attempt_at) == ("pending", 0, T0)
    assert item.message_id == lead.message_id


def test_submit_is_idempotent(store: LeadStore, submit: SubmitLead) -> None:
    first = submit("conv-1", idempotency_key="conv-1:confirm-1")
    second = submit("conv-1", idempotency_key="conv-1:confirm-1")
    assert second.public_id == first.public_id
    assert second.message_id == first.message_id
    assert _count(store, leads) == 1
    assert _count(store, outbox) == 1


def test_derived_idempotency_key(store: LeadStore, submit: SubmitLead) -> None:
    first = submit("conv-1")
    again = submit("conv-1")
    other = submit("conv-1", contact=LeadContact(name="Anne", email="anne@zon.nl"))
    assert again.public_id == first.public_id
    assert other.public_id != first.public_id
    assert _count(store, outbox) == 2


def test_idempotency_key_of_other_conversation_is_refused(submit: SubmitLead) -> None:
    submit("conv-1", idempotency_key="k")
    with pytest.raises(ValueError):
        submit("conv-2", idempotency_key="k")


def test_concurrent_identical_submits_create_one_lead(
    store_url: str, store: LeadStore, submit: SubmitLead
) -> None:
    stores = [LeadStore(store_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list[str] = []
    errors: list[BaseException] = []

    def worker(s: LeadStore) -> None:
        barrier.wait()
        try:
            results.append(submit("conv-race", store=s, idempotency_key="race").public_id)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.dispose()
    assert errors == []
    assert len(set(results)) == 1
    assert _count(store, leads) == 1
    assert _count(store, outbox) == 1


def test_contact_mapping_and_cleaning(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit(
        "conv-m",
        contact={"name": "Anne\r\nBcc: x@y.nl", "company": "Robert'); DROP TABLE leads;--"},
    )
    assert lead.name == "Anne Bcc: x@y.nl"
    assert lead.company == "Robert'); DROP TABLE leads;--"
    assert lead.email is None
    assert _count(store, leads) == 1


def test_unicode_and_emoji_round_trip(submit: SubmitLead, store: LeadStore) -> None:
    lead = submit("conv-u", contact=LeadContact(name="Zoë 🌻", company="Café Één"))
    again = store.get_lead(lead.public_id)
    assert again is not None
    assert (again.name, again.company) == ("Zoë 🌻", "Café Één")


def test_get_list_and_handle(store: LeadStore, submit: SubmitLead) -> None:
    a = submit("conv-a", now=T0)
    b = submit("conv-b", now=T0 + timedelta(minutes=1))
    assert store.get_lead("bestaat-niet") is None
    assert store.get_lead_by_id(a.id) == store.get_lead(a.public_id)
    assert [lead.public_id for lead in store.list_leads()] == [b.public_id, a.public_id]
    assert store.mark_handled(a.public_id, now=T0 + timedelta(hours=1))
    assert not store.mark_handled("bestaat-niet")
    handled = store.list_leads("handled")
    assert [lead.public_id for lead in handled] == [a.public_id]
    assert handled[0].handled_at == T0 + timedelta(hours=1)
    assert [lead.public_id for lead in store.list_leads("new")] == [b.public_id]


def test_erase_by_email(store: LeadStore, submit: SubmitLead) -> None:
    submit("conv-1")
    submit("conv-2", contact=LeadContact(name="Anne", email="ANNE@zon.nl"))
    keep = submit("conv-3", contact=LeadContact(name="Piet", email="piet@zon.nl"))
    journeys.record_scan(store, "conv-1", {"P1": 3}, "P1", False)
    journeys.record_scan(store, "conv-3", {"P1": 2}, "P1", False)
    assert store.erase_by_email(" Anne@Zon.nl ") == 2
    assert store.erase_by_email("niemand@zon.nl") == 0
    assert store.erase_by_email("") == 0
    assert [lead.public_id for lead in store.list_leads()] == [keep.public_id]
    assert _count(store, outbox) == 1
    assert len(journeys.journeys(store)) == 1


def test_erase_by_conversation(store: LeadStore, submit: SubmitLead) -> None:
    submit("conv-1")
    keep = submit("conv-2", contact=LeadContact(name="Piet", email="piet@zon.nl"))
    journeys.record_scan(store, "conv-1", {"P1": 3}, "P1", True)
    journeys.record_scan(store, "conv-2", {"P1": 3}, "P1", True)
    assert store.erase_by_conversation("conv-1") == 1
    assert store.erase_by_conversation("conv-1") == 0
    assert [lead.public_id for lead in store.list_leads()] == [keep.public_id]
    assert _count(store, outbox) == 1
    with store.engine.connect() as conn:
        keys = conn.execute(select(scan_progress.c.conversation_key)).scalars().all()
    assert keys == [conversation_key("conv-2")]


def test_erase_progress_without_lead(store: LeadStore) -> None:
    journeys.record_scan(store, "conv-x", {"P1": 1}, "P1", False)
    assert store.erase_by_conversation("conv-x") == 0
    assert _count(store, scan_progress) == 0


def test_claim_due_respects_next_attempt(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    assert store.claim_due(T0 - timedelta(seconds=1), 60) == []
    items = store.claim_due(T0, 60)
    assert [i.lead_id for i in items] == [lead.id]
    assert items[0].status == "sending"
    assert items[0].claimed_until == T0 + timedelta(seconds=60)
    assert items[0].message_id == lead.message_id
    assert store.claim_due(T0 + timedelta(seconds=30), 60) == []


def test_expired_lease_is_reclaimed(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    assert len(store.claim_due(T0, 60)) == 1
    # The first worker "died"; before the lease ends nobody may take the row.
    assert store.claim_due(T0 + timedelta(seconds=59), 60) == []
    reclaimed = store.claim_due(T0 + timedelta(seconds=61), 60)
    assert [i.lead_id for i in reclaimed] == [lead.id]
    assert reclaimed[0].claimed_until == T0 + timedelta(seconds=121)


def test_mark_sent_and_failed(store: LeadStore, submit: SubmitLead) -> None:
    a = submit("conv-a", now=T0)
    b = submit("conv-b", now=T0, contact=LeadContact(name="Piet", email="piet@zon.nl"))
    assert not store.mark_sent(a.id, T0)  # not claimed yet
    store.claim_due(T0, 60)
    assert store.mark_sent(a.id, T0 + timedelta(seconds=1))
    retry_at = T0 + timedelta(seconds=30)
    assert store.mark_failed(b.id, "ConnectionRefusedError", T0, retry_at)
    sent = store.get_outbox(a.id)
    failed = store.get_outbox(b.id)
    assert sent is not None and failed is not None
    assert (sent.status, sent.sent_at, sent.claimed_until) == (
        "sent",
        T0 + timedelta(seconds=1),
        None,
    )
    assert (failed.status, failed.attempts, failed.last_error) == (
        "failed",
        1,
        "ConnectionRefusedError",
    )
    assert failed.next_attempt_at == retry_at
    assert store.claim_due(T0 + timedelta(seconds=29), 60) == []
    assert [i.lead_id for i in store.claim_due(retry_at, 60)] == [b.id]
    assert store.get_lead(a.public_id).delivery_status == "sent"  # type: ignore[union-attr]


def test_reset_for_resend(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    store.claim_due(T0, 60)
    store.mark_sent(lead.id, T0)
    assert store.claim_due(T0 + timedelta(days=1), 60) == []
    assert store.reset_for_resend(lead.public_id, now=T0 + timedelta(days=1))
    assert not store.reset_for_resend("bestaat-niet")
    items = store.claim_due(T0 + timedelta(days=1), 60)
    assert [i.lead_id for i in items] == [lead.id]
    assert items[0].message_id == lead.message_id
    assert items[0].attempts == 0


def test_two_workers_never_claim_the_same_row(
    store_url: str, store: LeadStore, submit: SubmitLead
) -> None:
    ids = {
        submit(f"conv-{n}", now=T0, contact=LeadContact(name=f"Lead {n}", email=f"l{n}@x.nl")).id
        for n in range(20)
    }
    workers = [LeadStore(store_url) for _ in range(3)]
    barrier = threading.Barrier(len(workers))
    claimed: list[list[int]] = [[] for _ in workers]

    def run(index: int) -> None:
        barrier.wait()
        for _ in range(5):
            claimed[index] += [i.lead_id for i in workers[index].claim_due(T0, 60, limit=4)]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in workers:
        w.dispose()
    everything = [lead_id for part in claimed for lead_id in part]
    assert sorted(everything) == sorted(ids)  # each row exactly once


def test_unwritable_sqlite_path_raises_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = LeadStore(f"sqlite:///{blocker}/leads.db")  # must not raise: the bot must start
    with pytest.raises(StoreUnavailable):
        store.list_leads()
    with pytest.raises(StoreUnavailable):
        store.submit_lead("c", LeadContact(name="A"), "v1", CONSENT_AT, ScanSnapshot(), "")
    with pytest.raises(StoreUnavailable):
        store.claim_due()
    # Once the folder can be made, the same store recovers and creates its tables.
    blocker.unlink()
    assert store.list_leads() == []
    store.dispose()


def test_unreadable_database_file_raises_store_unavailable(tmp_path: Path) -> None:
    db = tmp_path / "leads.db"
    db.write_bytes(b"dit is geen sqlite-bestand" * 100)
    store = LeadStore(f"sqlite:///{db}")
    with pytest.raises(StoreUnavailable):
        store.list_leads()
    store.dispose()


def test_unreachable_postgres_raises_store_unavailable() -> None:
    store = LeadStore(f"postgresql://leads:geheim@127.0.0.1:{free_port()}/leads")
    with pytest.raises(StoreUnavailable):
        store.submit_lead("c", LeadContact(name="A"), "v1", CONSENT_AT, ScanSnapshot(), "")
    with pytest.raises(StoreUnavailable):
        store.ping()
    store.dispose()


def test_default_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LEADS_DATABASE_URL", raising=False)
    assert default_database_url() == DEFAULT_DATABASE_URL == "sqlite:///var/leads.db"
    monkeypatch.chdir(tmp_path)
    store = LeadStore()
    assert store.list_leads() == []
    assert (tmp_path / "var" / "leads.db").is_file()
    store.dispose()
    monkeypatch.setenv("LEADS_DATABASE_URL", f"sqlite:///{tmp_path}/other.db")
    assert default_database_url() == f"sqlite:///{tmp_path}/other.db"


def test_naive_datetimes_are_refused(store: LeadStore, submit: SubmitLead) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        submit("conv-naive", consent_given_at=datetime(2024, 1, 1))

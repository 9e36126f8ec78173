"""Retention: leads and idle conversations older than the promised period are erased."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from mkbscan import runtime
from mkbscan.leads.cli import main as leads_cli
from mkbscan.leads.models import LeadContact
from mkbscan.leads.retention import apply_retention
from mkbscan.leads.store import LeadStore
from mkbscan.scan.snapshot import ScanSnapshot

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def submit(store: LeadStore, conversation: str, created: datetime) -> None:
    store.submit_lead(conversation, LeadContact(name="Anne", company="Zon", email="a@zon.nl"),
                      "v1", created, ScanSnapshot(part_done="volledig"), "", now=created)


def test_erase_older_than(tmp_path) -> None:
    store = LeadStore(f"sqlite:///{tmp_path / 'leads.db'}")
    submit(store, "old", NOW - timedelta(days=400))
    submit(store, "new", NOW - timedelta(days=10))
    assert store.erase_older_than(NOW - timedelta(days=365)) == 1
    assert [lead.conversation_id for lead in store.list_leads()] == ["new"]
    with pytest.raises(ValueError):
        store.erase_older_than(datetime(2026, 1, 1))


def test_apply_retention_erases_old_leads_and_idle_conversations(tmp_path, monkeypatch) -> None:
    leads_url, tracker_url = f"sqlite:///{tmp_path / 'l.db'}", f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("LEADS_DATABASE_URL", leads_url)
    monkeypatch.setenv("TRACKER_DB_URL", tracker_url)
    runtime.lead_store.cache_clear()
    now = time.time()
    engine = create_engine(tracker_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                                "timestamp FLOAT)"))
        for sender, age_days in (("idle", 400), ("idle", 380), ("active", 400), ("active", 5)):
            connection.execute(text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
                               {"s": sender, "t": now - age_days * 86400})
    submit(runtime.lead_store(), "idle", datetime.fromtimestamp(now, timezone.utc)
           - timedelta(days=400))
    try:
        assert apply_retention(runtime.lead_store(), now=now, days=365) == (1, 2)
        with engine.connect() as connection:
            left = connection.execute(text("SELECT DISTINCT sender_id FROM events")).scalars()
            assert list(left) == ["active"]
    finally:
        engine.dispose()
        runtime.lead_store.cache_clear()


def test_cli_retention_erases_what_the_hourly_job_erases(tmp_path, capsys,
                                                         monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    store = LeadStore(url)
    submit(store, "old", datetime.now(timezone.utc) - timedelta(days=800))
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("TRACKER_DB_URL", tracker)
    assert leads_cli(["--database-url", url, "retention", "--days", "365"]) == 0
    assert "1 lead(s) en 0 gespreksregel(s)" in capsys.readouterr().out  # no tracker table yet
    engine = create_engine(tracker)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, "
                                "sender_id TEXT, timestamp REAL)"))
        old, recent = time.time() - 800 * 86400, time.time() - 86400
        connection.execute(text("INSERT INTO events (sender_id, timestamp) VALUES "
                                "('idle', :old), ('idle', :old), ('active', :recent)"),
                           {"old": old, "recent": recent})
    assert leads_cli(["--database-url", url, "retention"]) == 0  # RETENTION_DAYS, 365
    assert "0 lead(s) en 2 gespreksregel(s)" in capsys.readouterr().out
    with engine.begin() as connection:
        left = connection.execute(text("SELECT DISTINCT sender_id FROM events")).scalars()
        assert list(left) == ["active"]
    engine.dispose()

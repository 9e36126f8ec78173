"""The personal reports in the lead store: found by the hash of the link's token only, one
per conversation, gone with the conversation's erasure and after the retention period."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import event, select

from mkbscan.leads.reports import find_report_row, save_report, token_hash
from mkbscan.leads.schema import reports
from mkbscan.leads.store import LeadStore
from mkbscan.settings import settings

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
TOKEN = "k" * 43
SCAN = {"context": {"C1": "it"}, "context_labels": {"C1": "IT"}, "answers": {"P1": 2, "G7": None},
        "status": "finished"}


def find_report(store: LeadStore, token: str, now: datetime) -> dict[str, Any] | None:
    """The scan data behind a token, through the site's own lookup."""
    found = find_report_row(store, token, now)
    return found.scan if found else None


def test_a_saved_report_is_found_by_its_token_and_only_the_hash_is_stored(
        store: LeadStore) -> None:
    save_report(store, "conv-1", TOKEN, SCAN, now=T0)
    assert find_report(store, TOKEN, now=T0) == SCAN
    with store.engine.connect() as conn:
        rows = conn.execute(select(reports)).all()
    assert len(rows) == 1 and rows[0].token_hash == hashlib.sha256(TOKEN.encode()).hexdigest()
    assert TOKEN not in str(tuple(rows[0])) and "conv-1" not in str(tuple(rows[0]))
    assert find_report(store, TOKEN[:-1] + "j", now=T0) is None
    assert find_report(store, "", now=T0) is None


def test_one_report_per_conversation_a_new_scan_replaces_the_old_link(store: LeadStore) -> None:
    save_report(store, "conv-1", TOKEN, SCAN, now=T0)
    changed = {**SCAN, "answers": {"P1": 3}}
    save_report(store, "conv-1", TOKEN, changed, now=T0)  # a correction: same link
    assert find_report(store, TOKEN, now=T0) == changed
    save_report(store, "conv-1", "n" * 43, SCAN, now=T0)  # the scan done again
    assert find_report(store, TOKEN, now=T0) is None
    assert find_report(store, "n" * 43, now=T0) == SCAN
    save_report(store, "conv-2", TOKEN, SCAN, now=T0)
    assert find_report(store, TOKEN, now=T0) == SCAN


def test_a_report_expires_after_the_retention_period_and_retention_removes_it(
        store: LeadStore) -> None:
    save_report(store, "conv-1", TOKEN, SCAN, now=T0)
    days = settings().retention_days
    assert find_report(store, TOKEN, now=T0 + timedelta(days=days, seconds=-1)) == SCAN
    assert find_report(store, TOKEN, now=T0 + timedelta(days=days)) is None
    save_report(store, "conv-old", "o" * 43, SCAN, now=T0 - timedelta(seconds=1))
    store.erase_older_than(T0)  # the retention job: reports last changed before the cutoff
    assert find_report(store, "o" * 43, now=T0) is None
    assert find_report(store, TOKEN, now=T0) == SCAN


def test_erasing_the_conversation_erases_its_report(store: LeadStore) -> None:
    save_report(store, "conv-1", TOKEN, SCAN, now=T0)
    save_report(store, "conv-2", "p" * 43, SCAN, now=T0)
    store.erase_by_conversation("conv-1")
    assert find_report(store, TOKEN, now=T0) is None
    assert find_report(store, "p" * 43, now=T0) == SCAN


def test_a_known_and_a_guessed_token_take_the_same_query(store: LeadStore) -> None:
    """No timing difference by construction: any token costs one hash and the same
    primary-key lookup; nothing compares the token itself character by character."""
    save_report(store, "conv-1", TOKEN, SCAN, now=T0)
    statements: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        for token in (TOKEN, TOKEN[:-1] + "j", "x"):
            find_report(store, token, now=T0)
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)
    assert len({statement for statement, _ in statements}) == 1 and len(statements) == 3
    assert [token_hash(t) in str(p) for t, (_, p) in zip((TOKEN, TOKEN[:-1] + "j", "x"),
                                                          statements, strict=True)] == [True] * 3

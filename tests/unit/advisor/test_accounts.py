"""Advisor accounts: argon2 hashes, sessions found by hash, log-out, throttling, CSRF."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from mkbscan.leads import advisors as accounts
from mkbscan.leads.schema import advisor_sessions, advisors
from mkbscan.leads.store import LeadStore

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PASSWORD = "een lang wachtwoord 42"


@pytest.fixture
def store(tmp_path: Path) -> LeadStore:
    return LeadStore(f"sqlite:///{tmp_path}/leads.db")


def test_passwords_are_argon2_hashes_and_short_ones_are_refused(store: LeadStore) -> None:
    accounts.add_advisor(store, " Marco@Example.org ", PASSWORD)
    with store.engine.connect() as conn:
        row = conn.execute(select(advisors)).one()
    assert row.email == "marco@example.org" and row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    with pytest.raises(accounts.PasswordTooShort):
        accounts.add_advisor(store, "kort@example.org", "te kort")
    with pytest.raises(accounts.AccountExists):
        accounts.add_advisor(store, "marco@example.org", PASSWORD)


def test_a_session_is_stored_as_a_hash_and_ends_at_log_out(store: LeadStore) -> None:
    accounts.add_advisor(store, "marco@example.org", PASSWORD)
    started = accounts.log_in(store, "MARCO@example.org", PASSWORD, now=T0)
    assert started is not None
    token, session = started
    with store.engine.connect() as conn:
        stored = conn.execute(select(advisor_sessions)).one()
    assert token not in str(tuple(stored)) and len(token) >= 43
    assert accounts.session_of(store, token, now=T0) == session
    assert accounts.session_of(store, token, now=T0 + accounts.SESSION_LIFETIME) is None
    assert accounts.csrf_ok(session, session.csrf_token)
    assert not accounts.csrf_ok(session, "") and not accounts.csrf_ok(session, None)
    accounts.log_out(store, token)
    assert accounts.session_of(store, token, now=T0) is None


def test_ten_failures_throttle_the_address_for_a_while(store: LeadStore) -> None:
    accounts.add_advisor(store, "marco@example.org", PASSWORD)
    for _ in range(accounts.MAX_FAILURES):
        assert not accounts.throttled(store, "marco@example.org", now=T0)
        assert accounts.log_in(store, "marco@example.org", "fout", now=T0) is None
    assert accounts.throttled(store, "Marco@example.org", now=T0)
    later = T0 + accounts.FAILURE_WINDOW + timedelta(seconds=1)
    assert not accounts.throttled(store, "marco@example.org", now=later)
    assert accounts.log_in(store, "marco@example.org", PASSWORD, now=later) is not None
    assert not accounts.throttled(store, "marco@example.org", now=later)  # reset by success


def test_an_unknown_address_fails_like_a_wrong_password(store: LeadStore) -> None:
    assert accounts.log_in(store, "niemand@example.org", PASSWORD, now=T0) is None

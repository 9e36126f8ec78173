"""Advisor accounts, log-in and sessions, in the lead store's database.

Passwords are hashed with argon2id (argon2-cffi). A session is a random cookie of which only
the SHA-256 is stored; log-out deletes it, so an old cookie no longer works. Each session has
its own CSRF token for the forms. After MAX_FAILURES failed log-ins for one address within
FAILURE_WINDOW, that address is refused for the rest of the window, even with the right
password. An unknown address costs the same hash as a known one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mkbscan.leads.schema import advisor_sessions, advisors, audit_log, login_failures
from mkbscan.leads.store import LeadStore, _guarded, utcnow

MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class PasswordTooShort(ValueError):
    pass


class AccountExists(ValueError):
    pass


@dataclass(frozen=True)
class Session:
    advisor_id: int
    email: str
    csrf_token: str


def _key(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


@_guarded
def add_advisor(store: LeadStore, email: str, password: str,
                now: datetime | None = None) -> int:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(email)
    try:
        with store.engine.begin() as conn:
            return int(conn.execute(insert(advisors).values(
                email=normalise_email(email), password_hash=_hasher.hash(password),
                created_at=now or utcnow())).inserted_primary_key[0])
    except IntegrityError as exc:
        raise AccountExists(email) from exc


@_guarded
def throttled(store: LeadStore, email: str, now: datetime | None = None) -> bool:
    now = now or utcnow()
    with store.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(login_failures).where(
            login_failures.c.email_key == _key(normalise_email(email)),
            login_failures.c.at > now - FAILURE_WINDOW)).scalar_one()
    return int(count) >= MAX_FAILURES


@_guarded
def log_in(store: LeadStore, email: str, password: str,
           now: datetime | None = None) -> tuple[str, Session] | None:
    """A new session (cookie token, session) for the right password, else None (and one more
    failure counted). The caller checks `throttled` first."""
    now = now or utcnow()
    address = normalise_email(email)
    with store.engine.connect() as conn:
        row = conn.execute(select(advisors).where(advisors.c.email == address)).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    with store.engine.begin() as conn:
        # Housekeeping: ended sessions and failures outside the window are of no use.
        conn.execute(delete(advisor_sessions).where(advisor_sessions.c.expires_at <= now))
        conn.execute(delete(login_failures).where(login_failures.c.at <= now - FAILURE_WINDOW))
        if not ok:
            conn.execute(insert(login_failures).values(email_key=_key(address), at=now))
            return None
        conn.execute(delete(login_failures).where(login_failures.c.email_key == _key(address)))
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        conn.execute(insert(advisor_sessions).values(
            token_hash=_key(token), advisor_id=row.id, csrf_token=csrf, created_at=now,
            expires_at=now + SESSION_LIFETIME))
        if _hasher.check_needs_rehash(row.password_hash):
            conn.execute(update(advisors).where(advisors.c.id == row.id)
                         .values(password_hash=_hasher.hash(password)))
    return token, Session(row.id, row.email, csrf)


@_guarded
def session_of(store: LeadStore, token: str | None,
               now: datetime | None = None) -> Session | None:
    if not token:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(
            select(advisor_sessions.c.advisor_id, advisor_sessions.c.csrf_token,
                   advisors.c.email)
            .join(advisors, advisors.c.id == advisor_sessions.c.advisor_id)
            .where(advisor_sessions.c.token_hash == _key(token),
                   advisor_sessions.c.expires_at > (now or utcnow()))).first()
    return Session(row.advisor_id, row.email, row.csrf_token) if row else None


@_guarded
def log_out(store: LeadStore, token: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(advisor_sessions).where(advisor_sessions.c.token_hash == _key(token)))


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf_token, submitted or "")


@_guarded
def audit(store: LeadStore, advisor_id: int, action: str, lead_public_id: str | None = None,
          now: datetime | None = None) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(audit_log).values(at=now or utcnow(), advisor_id=advisor_id,
                                              action=action, lead_public_id=lead_public_id))


@_guarded
def audit_entries(store: LeadStore) -> list[tuple[datetime, str, str, str | None]]:
    """(when, who, what, which lead), newest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.at, advisors.c.email, audit_log.c.action,
                   audit_log.c.lead_public_id)
            .join(advisors, advisors.c.id == audit_log.c.advisor_id, isouter=True)
            .order_by(audit_log.c.id.desc())).all()
    return [(r.at, r.email or "", r.action, r.lead_public_id) for r in rows]

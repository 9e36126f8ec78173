"""The personal reports' store: one per conversation, found by the hash of its link's token;
and the outbox of the report links mailed to the entrepreneur.

A report holds the scan's answers and context (levels and button labels, never typed text),
so it carries no personal data; it stays for the retention period after its last change and
goes with the conversation's erasure (LeadStore._erase_progress) and with retention
(LeadStore.erase_older_than). Looking up a token costs one hash and one primary-key read,
whether the token exists or not.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mkbscan.leads import outbox_rows
from mkbscan.leads.schema import report_mails, reports
from mkbscan.leads.store import LeadStore, _guarded, conversation_key, utcnow
from mkbscan.settings import settings


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@_guarded
def save_report(store: LeadStore, conversation_id: str, token: str, scan: Mapping[str, Any],
                now: datetime | None = None) -> None:
    """Keep (or replace) the conversation's report under `token`."""
    now = now or utcnow()
    key = conversation_key(conversation_id)
    values = {"token_hash": token_hash(token), "updated_at": now, "scan": json.dumps(dict(scan)),
              "expires_at": now + timedelta(days=settings().retention_days)}
    for _ in range(2):
        try:
            with store.engine.begin() as conn:
                changed = conn.execute(update(reports).where(
                    reports.c.conversation_key == key).values(**values)).rowcount
                if not changed:
                    conn.execute(insert(reports).values(conversation_key=key, **values))
            return
        except IntegrityError:
            continue  # inserted concurrently: the retry updates it


@dataclass(frozen=True)
class FoundReport:
    scan: dict[str, Any]
    conversation_key: str  # for the comparison beside it (mkbscan/leads/pair_part.py)


@_guarded
def find_report_row(store: LeadStore, token: str,
                    now: datetime | None = None) -> FoundReport | None:
    """The report behind a token, or None when unknown or expired: one query, whatever the
    outcome."""
    now = now or utcnow()
    with store.engine.connect() as conn:
        row = conn.execute(select(reports.c.scan, reports.c.conversation_key).where(
            reports.c.token_hash == token_hash(token),
            reports.c.expires_at > now)).first()
    return FoundReport(json.loads(row.scan), row.conversation_key) if row else None


# --- the report's link by e-mail, with its own consent --------------------------------------


@dataclass(frozen=True)
class ReportMail:
    id: int
    email: str
    report_url: str
    message_id: str
    attempts: int


@_guarded
def queue_report_mail(store: LeadStore, conversation_id: str, email: str, report_url: str,
                      consent_version: str, consent_given_at: datetime,
                      now: datetime | None = None) -> bool:
    """Queue the mail once per consent (idempotent); False when it was queued already."""
    now = now or utcnow()
    key = f"{conversation_key(conversation_id)}:{consent_given_at.isoformat()}"
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(report_mails).values(
                conversation_key=conversation_key(conversation_id), idempotency_key=key[:128],
                created_at=now, consent_version=consent_version,
                consent_given_at=consent_given_at, email=email, report_url=report_url,
                message_id=f"<report-{uuid.uuid4().hex}@{store.message_id_domain}>",
                status="pending", attempts=0, next_attempt_at=now))
    except IntegrityError:
        return False
    return True


@_guarded
def claim_due_report_mails(store: LeadStore, now: datetime | None = None,
                           lease_seconds: int = 300, limit: int = 50) -> list[ReportMail]:
    rows = outbox_rows.claim(store.engine, report_mails, now or utcnow(), lease_seconds, limit)
    return [ReportMail(row.id, row.email or "", row.report_url or "", row.message_id,
                       row.attempts) for row in rows]


@_guarded
def mark_report_mail_sent(store: LeadStore, mail_id: int, now: datetime | None = None) -> bool:
    """Sent: the address and the link are wiped; the consent record and the state stay."""
    return outbox_rows.mark_sent(store.engine, report_mails, report_mails.c.id == mail_id,
                                 now or utcnow(), email=None, report_url=None)


@_guarded
def mark_report_mail_failed(store: LeadStore, mail_id: int, error_class: str, now: datetime,
                            next_attempt_at: datetime) -> bool:
    return outbox_rows.mark_failed(store.engine, report_mails, report_mails.c.id == mail_id,
                                   error_class, now, next_attempt_at)

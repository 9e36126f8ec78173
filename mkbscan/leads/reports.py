"""The personal reports' store: one per conversation, found by the hash of its link's token.

A report holds the scan's answers and context (levels and button labels, never typed text),
so it carries no personal data; it stays for the retention period after its last change and
goes with the conversation's erasure (LeadStore._erase_progress) and with retention
(LeadStore.erase_older_than). Looking up a token costs one hash and one primary-key read,
whether the token exists or not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mkbscan.leads.schema import reports
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


@_guarded
def find_report(store: LeadStore, token: str,
                now: datetime | None = None) -> dict[str, Any] | None:
    """The report's scan data, or None when unknown or expired."""
    now = now or utcnow()
    with store.engine.connect() as conn:
        row = conn.execute(select(reports.c.scan).where(
            reports.c.token_hash == token_hash(token),
            reports.c.expires_at > now)).first()
    return json.loads(row.scan) if row else None

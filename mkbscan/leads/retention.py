"""Retention and erasure in the stores: leads, and the conversations in Rasa's tracker store.

One path for the hourly job (mkbscan.runtime) and `mkbscan-leads retention`. The tracker
store is read with plain SQL on its `events` table; nothing here needs Rasa.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from sqlalchemy import create_engine, inspect, text

from mkbscan.leads.store import LeadStore
from mkbscan.settings import settings

DEFAULT_TRACKER_DB_URL = "sqlite:///var/tracker.db"


def tracker_db_url() -> str:
    return os.environ.get("TRACKER_DB_URL") or DEFAULT_TRACKER_DB_URL


def purge_conversation(conversation_id: str, url: str | None = None) -> int:
    """Delete a conversation's events from Rasa's SQL tracker store."""
    engine = create_engine(url or tracker_db_url())
    try:
        if not inspect(engine).has_table("events"):
            return 0  # no conversation stored yet
        with engine.begin() as connection:
            result = connection.execute(text("DELETE FROM events WHERE sender_id = :sender"),
                                        {"sender": conversation_id})
            return result.rowcount or 0
    finally:
        engine.dispose()


def apply_retention(store: LeadStore, now: float | None = None,
                    days: int | None = None) -> tuple[int, int]:
    """Erase leads older than the retention period and conversations idle that long.

    Returns (leads erased, conversation events erased).
    """
    now = time.time() if now is None else now
    days = settings().retention_days if days is None else days
    cutoff = now - days * 86400
    leads = store.erase_older_than(datetime.fromtimestamp(cutoff, timezone.utc))
    engine = create_engine(tracker_db_url())
    try:
        if not inspect(engine).has_table("events"):
            return leads, 0  # no conversation stored yet
        with engine.begin() as connection:
            result = connection.execute(text(
                "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events "
                "GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)"), {"cutoff": cutoff})
            events = result.rowcount or 0
    finally:
        engine.dispose()
    return leads, events

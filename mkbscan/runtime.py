"""Process-wide services of the action server: the lead store, mail delivery, erasure.

Created lazily from the environment so importing the actions costs nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import create_engine, inspect, text

from mkbscan.leads.delivery import DeliveryWorker, MailConfig
from mkbscan.leads.store import LeadStore
from mkbscan.settings import settings

logger = logging.getLogger(__name__)
DEFAULT_TRACKER_DB_URL = "sqlite:///var/tracker.db"
PURGE_DELAY_SECONDS = 3.0
_worker: DeliveryWorker | None = None


@lru_cache(maxsize=1)
def lead_store() -> LeadStore:
    return LeadStore()


def start_delivery_worker() -> DeliveryWorker:
    global _worker
    if _worker is None:
        interval = float(os.environ.get("MAIL_RETRY_INTERVAL", "5"))
        _worker = DeliveryWorker(lead_store(), interval=interval)
        _worker.start()
        threading.Thread(target=_retention_loop, name="retention", daemon=True).start()
    return _worker


def _retention_loop(interval: float = 3600.0) -> None:
    while True:
        try:
            leads, events = apply_retention()
            if leads or events:
                logger.info("retention: %s leads and %s conversation events erased", leads, events)
        except Exception as exc:
            logger.warning("retention run failed (%s)", type(exc).__name__)
        time.sleep(interval)


def wake_delivery() -> None:
    if _worker is not None:
        _worker.wake()


def outbox_description() -> str:
    config = MailConfig.from_env()
    if config.smtp_host:
        return f"via SMTP {config.smtp_host}:{config.smtp_port} naar {config.advisor_email}"
    return f"geen SMTP_HOST: e-mails als .eml in {config.outbox_dir}"


def tracker_db_url() -> str:
    return os.environ.get("TRACKER_DB_URL") or DEFAULT_TRACKER_DB_URL


def purge_conversation(conversation_id: str, url: str | None = None) -> int:
    """Delete a conversation's events from Rasa's SQL tracker store."""
    engine = create_engine(url or tracker_db_url())
    try:
        with engine.begin() as connection:
            result = connection.execute(text("DELETE FROM events WHERE sender_id = :sender"),
                                        {"sender": conversation_id})
            return result.rowcount or 0
    finally:
        engine.dispose()


def purge_conversation_later(conversation_id: str) -> None:
    # Rasa writes the tracker after the action returns; purge once that write is done.
    def purge() -> None:
        try:
            purge_conversation(conversation_id)
        except Exception as exc:
            logger.warning("conversation purge failed (%s)", type(exc).__name__)

    timer = threading.Timer(PURGE_DELAY_SECONDS, purge)
    timer.daemon = True
    timer.start()


def apply_retention(now: float | None = None, days: int | None = None,
                    store: LeadStore | None = None) -> tuple[int, int]:
    """Erase leads older than the retention period and conversations idle that long.

    Returns (leads erased, conversation events erased).
    """
    now = time.time() if now is None else now
    days = settings().retention_days if days is None else days
    cutoff = now - days * 86400
    leads = (store or lead_store()).erase_older_than(datetime.fromtimestamp(cutoff, timezone.utc))
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

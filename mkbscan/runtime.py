"""Process-wide services of the action server: the lead store, mail delivery, erasure.

Created lazily from the environment so importing the actions costs nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache

from sqlalchemy import create_engine, text

from mkbscan.leads.delivery import DeliveryWorker, MailConfig
from mkbscan.leads.store import LeadStore
from mkbscan.questions import load_content

logger = logging.getLogger(__name__)
DEFAULT_TRACKER_DB_URL = "sqlite:///var/tracker.db"
PURGE_DELAY_SECONDS = 3.0
_worker: DeliveryWorker | None = None


@lru_cache(maxsize=1)
def lead_store() -> LeadStore:
    return LeadStore()


def question_texts() -> list[tuple[str, str]]:
    content = load_content()
    return [(q.id, q.text) for q in content.scored]


def start_delivery_worker() -> DeliveryWorker:
    global _worker
    if _worker is None:
        from mkbscan.charts import render_lead_chart

        interval = float(os.environ.get("MAIL_RETRY_INTERVAL", "5"))
        _worker = DeliveryWorker(lead_store(), interval=interval, questions=question_texts(),
                                 chart_renderer=render_lead_chart)
        _worker.start()
    return _worker


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

"""Process-wide services of the action server: the lead store, mail delivery, erasure.

Created lazily from the environment so importing the actions costs nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import lru_cache

from mkbscan.leads.delivery import DeliveryWorker
from mkbscan.leads.retention import apply_retention, purge_conversation
from mkbscan.leads.store import LeadStore

logger = logging.getLogger(__name__)
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
            leads, events = apply_retention(lead_store())
            if leads or events:
                logger.info("retention: %s leads and %s conversation events erased", leads, events)
        except Exception as exc:
            logger.warning("retention run failed (%s)", type(exc).__name__)
        time.sleep(interval)


def wake_delivery() -> None:
    if _worker is not None:
        _worker.wake()


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

"""The conversation's journey for the advisor's insights (mkbscan.leads.journeys): recorded
off the event loop, and never in the way of the conversation when the database fails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from mkbscan.leads import journeys
from mkbscan.runtime import lead_store
from mkbscan.scan import scan_flow
from mkbscan.scan.questions import load_content

logger = logging.getLogger(__name__)


async def _record(write: Callable[..., None], *args: Any) -> None:
    try:
        await asyncio.to_thread(write, lead_store(), *args)
    except Exception as exc:  # statistics must not break a conversation
        logger.warning("scan statistics not recorded (%s)", type(exc).__name__)


async def opened(conversation_id: str) -> None:
    await _record(journeys.record_opened, conversation_id)


async def scan(conversation_id: str, state: scan_flow.ScanState) -> None:
    await _record(journeys.record_scan, conversation_id, dict(state.answers), state.current,
                  state.status == scan_flow.FINISHED, load_content().categories(state.context))


async def milestone(conversation_id: str, name: str) -> None:
    await _record(journeys.record_milestone, conversation_id, name)

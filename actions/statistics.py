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


_UNDER_WAY: set[asyncio.Future[None]] = set()  # writes not awaited, kept until done


def _write(write: Callable[..., None], *args: Any) -> None:
    try:
        write(lead_store(), *args)
    except Exception as exc:  # statistics must not break a conversation
        logger.warning("scan statistics not recorded (%s)", type(exc).__name__)


async def _record(write: Callable[..., None], *args: Any) -> None:
    await asyncio.to_thread(_write, write, *args)


def opened(conversation_id: str) -> None:
    """The first message: written beside the greeting, not before it (the greeting should
    not wait for a disk; `make bench` times it)."""
    under_way = asyncio.get_running_loop().run_in_executor(
        None, _write, journeys.record_opened, conversation_id)
    _UNDER_WAY.add(under_way)
    under_way.add_done_callback(_UNDER_WAY.discard)


async def scan(conversation_id: str, state: scan_flow.ScanState) -> None:
    await _record(journeys.record_scan, conversation_id, dict(state.answers), state.current,
                  state.status == scan_flow.FINISHED, load_content().categories(state.context))


async def milestone(conversation_id: str, name: str) -> None:
    await _record(journeys.record_milestone, conversation_id, name)

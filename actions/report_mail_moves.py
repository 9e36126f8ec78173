"""The report's link by e-mail: call mkbscan.leads.report_mail_flow, queue the mail."""

from __future__ import annotations

import asyncio
from datetime import datetime

from actions.glue import Conversation
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import report_mail_flow
from mkbscan.leads.report_mail_flow import MailTurn
from mkbscan.leads.reports import queue_report_mail
from mkbscan.leads.store import StoreUnavailable, utcnow
from mkbscan.runtime import lead_store, wake_delivery
from mkbscan.settings import settings


def _take(chat: Conversation, turn: MailTurn) -> None:
    chat.show(turn.messages)
    chat.awaiting = Awaiting.of(turn.awaiting)


async def ask(chat: Conversation) -> None:
    _take(chat, report_mail_flow.offer(chat.scan))


async def consent_given(chat: Conversation) -> None:
    _take(chat, report_mail_flow.consent_given(chat.scan, utcnow()))


async def refused(chat: Conversation) -> None:
    _take(chat, report_mail_flow.consent_refused(chat.scan))


async def unclear(chat: Conversation) -> None:
    _take(chat, report_mail_flow.consent_unclear())


async def address(chat: Conversation) -> None:
    scan = chat.scan
    turn = report_mail_flow.address(scan, chat.heard.text)
    if turn.email is None:
        _take(chat, turn)
        return
    try:
        # A blocking database write: off the event loop.
        new = await asyncio.to_thread(
            queue_report_mail, lead_store(), chat.sender, turn.email,
            settings().report_url(scan.report_token), report_mail_flow.CONSENT_VERSION,
            datetime.fromisoformat(scan.report_mail_consent_at))
    except StoreUnavailable:
        _take(chat, report_mail_flow.store_down())
        return
    if new:
        wake_delivery()
    _take(chat, report_mail_flow.queued(scan, turn.email, sent_already=not new))

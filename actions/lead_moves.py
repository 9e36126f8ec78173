"""The hand-over's moves: call mkbscan.leads.lead_flow; store the lead, or erase everything."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from actions import statistics
from actions.glue import Conversation
from mkbscan.dialogue.replies import reply
from mkbscan.dialogue.router import TOPICS
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import invites, journeys, lead_flow
from mkbscan.leads.lead_flow import LeadTurn
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import StoreUnavailable
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.reading.abuse import is_abusive
from mkbscan.runtime import lead_store, purge_conversation_later, wake_delivery
from mkbscan.scan import scan_flow
from mkbscan.wording import say

logger = logging.getLogger(__name__)


def _take(chat: Conversation, turn: LeadTurn) -> None:
    if turn.topic_response in TOPICS:
        chat.show([reply(TOPICS[turn.topic_response])])
    chat.take_lead(turn)


def _paired(chat: Conversation) -> bool:
    """A two-party scan: this conversation made an invitation or used one."""
    return bool(chat.scan.invite_code or chat.scan.partner_scan)


async def start(chat: Conversation) -> None:
    _take(chat, lead_flow.consent_request(chat.lead, chat.scan.status == scan_flow.FINISHED,
                                          _paired(chat)))
    if chat.lead.stage == "consent":
        await statistics.milestone(chat.sender, journeys.FOLLOWUP)


async def hold_details(chat: Conversation) -> None:
    finished = chat.scan.status == scan_flow.FINISHED
    _take(chat, lead_flow.hold_details(chat.lead, chat.heard.text, finished, _paired(chat)))


async def hold_quietly(chat: Conversation) -> None:
    chat.lead.held = lead_flow.details_in(chat.heard.text)


async def decline(chat: Conversation) -> None:
    chat.awaiting = None


async def consent_given(chat: Conversation) -> None:
    _take(chat, lead_flow.consent_given(chat.lead))
    await statistics.milestone(chat.sender, journeys.CONSENT)


async def consent_unclear(chat: Conversation) -> None:
    _take(chat, lead_flow.consent_unclear(chat.lead))


async def consent_refused(chat: Conversation) -> None:
    _take(chat, lead_flow.consent_refused())


async def field_input(chat: Conversation) -> None:
    _take(chat, lead_flow.field_input(chat.lead, chat.heard.text, chat.heard.intent))


async def explain(chat: Conversation) -> None:
    turn = lead_flow.explain_field(chat.lead)
    if turn is not None:
        _take(chat, turn)


def transcript_of(chat: Conversation) -> str:
    """The conversation for the advisor; an insult is left out, never sent on."""
    user, bot = say("transcript_user"), say("transcript_bot")
    lines = []
    for event in chat.tracker.events:
        if event.get("event") == "user":
            said = event.get("text") or ""
            lines.append(f"{user}: {say('transcript_left_out') if is_abusive(said) else said}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"{bot}: {event['text']}")
    return "\n".join(lines)


async def sending_unclear(chat: Conversation) -> None:
    _take(chat, lead_flow.sending_unclear(chat.lead))


async def submit(chat: Conversation) -> None:
    draft = chat.lead
    if draft.stage != "confirm" or not draft.consent_given_at:
        turn = lead_flow.reprompt(draft)
        if turn is not None:
            _take(chat, turn)
        else:
            chat.awaiting = None
        return
    contact = LeadContact(
        name=draft.contact.get("name"), company=draft.contact.get("company"),
        email=draft.contact.get("email"), phone=draft.contact.get("phone"),
        preferred_moment=draft.contact.get("moment"), question=draft.contact.get("question"),
    )
    try:
        lead = lead_store().submit_lead(
            chat.sender, contact, draft.consent_version or lead_flow.CONSENT_VERSION,
            datetime.fromisoformat(draft.consent_given_at),
            scan_flow.snapshot(chat.scan), transcript_of(chat),
            idempotency_key=f"{chat.sender}:{draft.consent_given_at}",
        )
    except StoreUnavailable:
        logger.warning("lead store unavailable; lead kept in the conversation")
        chat.show([BotMessage(say("lead_store_down"))])
        chat.awaiting = Awaiting.LEAD_CONFIRM
        return
    if lead_flow.shares_with_the_partner(draft):
        await _mark_shared_with_the_advisor(chat, draft.consent_given_at)
    wake_delivery()
    logger.info("lead %s stored", lead.public_id)
    _take(chat, lead_flow.submitted(draft, lead.public_id))
    if chat.scan.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
        chat.show([BotMessage(say("lead_scan_continue"),
                              intent_buttons((say("lead_scan_continue_button"), "resume_scan")))])


async def _mark_shared_with_the_advisor(chat: Conversation, consent_given_at: str) -> None:
    """Mark this side's part as shared with the advisor, before the lead's e-mail is built
    (the delivery worker reads it then). The lead stands even if this fails: the partner's
    lead then lacks this side's part, which is what it shows without consent too."""
    try:
        await asyncio.to_thread(invites.share_with_advisor, lead_store(), chat.sender,
                                datetime.fromisoformat(consent_given_at))
    except StoreUnavailable:
        logger.warning("lead store unavailable; this side's part not marked as shared")


async def erase_ask(chat: Conversation) -> None:
    chat.show([lead_flow.erase_question()])
    chat.awaiting = Awaiting.ERASE_CONFIRM


async def erase(chat: Conversation) -> None:
    try:
        lead_store().erase_by_conversation(chat.sender)
    except StoreUnavailable:
        chat.show([BotMessage(say("erase_failed"))])
        chat.awaiting = None
        return
    purge_conversation_later(chat.sender)
    logger.info("conversation erased on request")
    chat.show([BotMessage(say("erase_done"))])
    chat.erased = True


async def erase_cancel(chat: Conversation) -> None:
    chat.show([BotMessage(say("erase_cancelled"))])
    chat.awaiting = None

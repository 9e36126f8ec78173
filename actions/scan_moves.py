"""The scan's moves: call mkbscan.scan.scan_flow and record the anonymous journey."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from actions import statistics
from actions.glue import Conversation, unreadable
from mkbscan.leads import invite_flow, invites
from mkbscan.leads.reports import save_report
from mkbscan.leads.store import StoreUnavailable
from mkbscan.messages import BotMessage
from mkbscan.reading.corrections import find_correction
from mkbscan.runtime import lead_store, wake_delivery
from mkbscan.scan import scan_flow
from mkbscan.scan.partner_text import comparison_messages
from mkbscan.scan.questions import load_content
from mkbscan.wording import say

logger = logging.getLogger(__name__)
# Intents after which free text for "iets anders" (C1) is not taken as an answer.
NOT_AN_ANSWER_INTENTS = {"out_of_scope", "nlu_fallback", "other_language"}


async def start(chat: Conversation) -> None:
    turn = scan_flow.start(chat.scan)
    await statistics.scan(chat.sender, turn.state)
    chat.take(turn)


async def answer(chat: Conversation) -> None:
    text = chat.heard.text
    notice = unreadable(text)
    if notice is not None:
        chat.show([notice])
        turn = scan_flow.reprompt(chat.scan)
        if turn is not None:
            chat.take(turn)
        return
    turn = scan_flow.answer(chat.scan, text,
                            allow_free_text=chat.heard.intent not in NOT_AN_ANSWER_INTENTS)
    await _take_with_result(chat, turn)


async def correct(chat: Conversation) -> None:
    correction = find_correction(chat.heard.text, load_content())
    if correction is None:  # the router saw one; the text cannot have changed
        await answer(chat)
        return
    turn = scan_flow.correct(chat.scan, correction)
    await _take_with_result(chat, turn)
    if turn.corrected and turn.result is not None and chat.lead.stage == "submitted":
        await asyncio.to_thread(_tell_the_advisor, chat, turn.corrected)


def _tell_the_advisor(chat: Conversation, question_id: str) -> None:
    """The advisor already has this lead: one short update, exactly once per correction."""
    content = load_content()
    user = next((e for e in reversed(chat.tracker.events) if e.get("event") == "user"), {})
    message_key = user.get("message_id") or str(user.get("timestamp"))
    number = [q.id for q in content.scored].index(question_id) + 1
    before = scan_flow.ScanState.from_dict(chat.tracker.get_slot("scan_state"))
    change = {"id": question_id, "number": number,
              "question": content.scored_by_id(question_id).worded(
                  content.profile(chat.scan.context)).text,
              "old": content.scale_button(before.answers.get(question_id)),
              "new": content.scale_button(chat.scan.answers.get(question_id))}
    try:
        queued = lead_store().submit_update(chat.lead.lead_id or "", change,
                                            scan_flow.snapshot(chat.scan),
                                            f"{chat.lead.lead_id}:{message_key}")
    except StoreUnavailable:
        chat.show([BotMessage(say("update_store_down"))])
        return
    if queued:
        wake_delivery()
        chat.show([BotMessage(say("update_queued"))])


async def _take_with_result(chat: Conversation, turn: scan_flow.Turn) -> None:
    await statistics.scan(chat.sender, turn.state)
    # A blocking database write: off the event loop, so other conversations go on.
    if (turn.result is not None and turn.state.report_token
            and not await asyncio.to_thread(_save_report, chat.sender, turn.state)):
        turn.messages = _without_report_link(turn.messages, turn.state.report_token)
    if turn.result is not None:
        comparison = await asyncio.to_thread(_save_for_the_comparison, chat.sender, turn.state)
        if comparison:  # the partner's result: the comparison before the follow-up offer
            turn.messages = turn.messages[:-1] + comparison + turn.messages[-1:]
    chat.take(turn)


def _save_for_the_comparison(conversation_id: str,
                            state: scan_flow.ScanState) -> list[BotMessage]:
    """A result in a two-party scan goes to the invitation (either side, corrections too);
    the partner then sees the comparison. Nothing when the store is down: the result stands."""
    try:
        invites.save_answers(lead_store(), conversation_id, dict(state.answers))
        found = invites.invite_of(lead_store(), conversation_id) if state.partner_scan else None
    except StoreUnavailable:
        return []
    if found is None:
        return []
    comparison = invite_flow.comparison_of(*found)
    return comparison_messages(comparison) if comparison else []


def _save_report(conversation_id: str, state: scan_flow.ScanState) -> bool:
    """Keep the personal report behind the link the result names."""
    try:
        save_report(lead_store(), conversation_id, state.report_token,
                    scan_flow.report_data(state))
        return True
    except Exception as exc:  # the result itself must still be shown
        logger.warning("report not saved (%s)", type(exc).__name__)
        return False


def _without_report_link(messages: list[BotMessage], token: str) -> list[BotMessage]:
    """The result without a link that would lead nowhere (the report could not be kept)."""
    kept = []
    for message in messages:
        if token in message.text:
            continue
        if message.card is not None and message.card.report_url:
            message = replace(message, card=replace(message.card, report_url=""))
        kept.append(message)
    return kept


async def explain(chat: Conversation) -> None:
    turn = scan_flow.explain(chat.scan)
    if turn is not None:
        chat.take(turn)


async def note_told(chat: Conversation) -> None:
    chat.scan = scan_flow.note_told(chat.scan, chat.heard.text)


async def pause(chat: Conversation) -> None:
    chat.take(scan_flow.pause(chat.scan))


async def back(chat: Conversation) -> None:
    chat.take(scan_flow.back(chat.scan))


async def ask_restart(chat: Conversation) -> None:
    chat.take(scan_flow.ask_restart(chat.scan))


async def restart(chat: Conversation) -> None:
    chat.take(scan_flow.restart())

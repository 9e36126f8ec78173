"""The one Rasa action: ask mkbscan.dialogue.router what to do, then carry out its plan."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import islice
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import invite_moves, lead_moves, report_mail_moves, scan_moves, statistics
from actions.glue import Conversation
from mkbscan.dialogue.replies import reply
from mkbscan.dialogue.reprompt import Reprompt, ask_again, reprompt
from mkbscan.dialogue.router import Move, Reply, route
from mkbscan.dialogue.states import Awaiting
from mkbscan.scan import scan_flow

Handler = Callable[[Conversation], Awaitable[None]]


def _asking(ask: Callable[..., Reprompt]) -> Handler:
    async def handler(chat: Conversation) -> None:
        again = ask(chat.awaiting, chat.scan, chat.lead)
        chat.show(again.messages)
        chat.scan, chat.lead, chat.awaiting = again.scan, again.lead, again.awaiting
    return handler


_reprompt = _asking(reprompt)


async def _repeat(chat: Conversation) -> None:
    """The channel refused the message and said why: ask the open question, change nothing."""
    scan_open = chat.awaiting is Awaiting.SCAN_QUESTION
    turn = scan_flow.repeat_question(chat.scan) if scan_open else None
    if turn is not None:
        chat.take(turn)
    else:
        await _reprompt(chat)


def _say(messages: Callable[[scan_flow.ScanState], list]) -> Handler:
    async def handler(chat: Conversation) -> None:
        chat.show(messages(chat.scan))
    return handler


HANDLERS: dict[Move, Handler] = {
    Move.PROGRESS: _say(scan_flow.progress),
    Move.SHOW_RESULT: _say(scan_flow.show_result),
    Move.WHAT_NOW: _say(scan_flow.what_now),
    Move.SELF_WORK: _say(scan_flow.self_work),
    Move.REPROMPT: _reprompt,
    Move.REPEAT: _repeat,
    Move.ASK_AGAIN: _asking(ask_again),
    Move.SCAN_START: scan_moves.start,
    Move.SCAN_ANSWER: scan_moves.answer,
    Move.SCAN_CORRECT: scan_moves.correct,
    Move.SCAN_EXPLAIN: scan_moves.explain,
    Move.SCAN_PAUSE: scan_moves.pause,
    Move.NOTE_TOLD: scan_moves.note_told,
    Move.SCAN_BACK: scan_moves.back,
    Move.SCAN_ASK_RESTART: scan_moves.ask_restart,
    Move.SCAN_RESTART: scan_moves.restart,
    Move.LEAD_START: lead_moves.start,
    Move.HOLD_DETAILS: lead_moves.hold_details,
    Move.HOLD_QUIETLY: lead_moves.hold_quietly,
    Move.LEAD_DECLINE: lead_moves.decline,
    Move.CONSENT_GIVEN: lead_moves.consent_given,
    Move.CONSENT_REFUSED: lead_moves.consent_refused,
    Move.CONSENT_UNCLEAR: lead_moves.consent_unclear,
    Move.LEAD_INPUT: lead_moves.field_input,
    Move.LEAD_EXPLAIN: lead_moves.explain,
    Move.LEAD_SUBMIT: lead_moves.submit,
    Move.SENDING_UNCLEAR: lead_moves.sending_unclear,
    Move.ERASE_ASK: lead_moves.erase_ask,
    Move.ERASE: lead_moves.erase,
    Move.ERASE_CANCEL: lead_moves.erase_cancel,
    Move.REPORT_MAIL_ASK: report_mail_moves.ask,
    Move.REPORT_MAIL_CONSENT: report_mail_moves.consent_given,
    Move.REPORT_MAIL_REFUSED: report_mail_moves.refused,
    Move.REPORT_MAIL_UNCLEAR: report_mail_moves.unclear,
    Move.REPORT_MAIL_ADDRESS: report_mail_moves.address,
    Move.INVITE_ASK: invite_moves.ask,
    Move.INVITE_CONSENT: invite_moves.consent_given,
    Move.INVITE_REFUSED: invite_moves.refused,
    Move.INVITE_UNCLEAR: invite_moves.unclear,
    Move.CODE_ENTER: invite_moves.code,
    Move.PARTNER_RESULT: invite_moves.partner_result,
}


def _first_message(tracker: Tracker) -> bool:
    """Whether the conversation holds one user message (looks no further than a second)."""
    users = (event for event in tracker.events if event.get("event") == "user")
    return len(list(islice(users, 2))) == 1


class ActionDialogue(Action):
    def name(self) -> str:
        return "action_dialogue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        chat = Conversation.of(dispatcher, tracker)
        if _first_message(tracker):
            statistics.opened(chat.sender)  # the widget's greeting, or a first line
        for step in route(chat.awaiting, chat.heard, chat.scan, chat.lead):
            if isinstance(step, Reply):
                chat.show([reply(step.key)])
                if step.once:
                    chat.given.append(step.key)
            else:
                await HANDLERS[step](chat)
        return chat.events()

"""After a side step: ask again whatever is open, or offer a way forward (never a dead end)."""

from __future__ import annotations

from dataclasses import dataclass

from mkbscan import lead_flow, scan_flow
from mkbscan.dialogue.states import Awaiting
from mkbscan.lead_flow import LeadDraft
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.scan_flow import ScanState


@dataclass
class Reprompt:
    messages: list[BotMessage]
    awaiting: Awaiting | None
    scan: ScanState
    lead: LeadDraft


SCAN_SIDE = (None, Awaiting.SCAN_QUESTION, Awaiting.SCAN_OFFER, Awaiting.RESTART_CONFIRM,
             Awaiting.ANSWER_CHECK)


def reprompt(awaiting: Awaiting | None, scan: ScanState, lead: LeadDraft) -> Reprompt:
    if awaiting is Awaiting.ANSWER_CHECK:
        turn = scan_flow.repeat_question(scan)
        if turn is not None:
            return Reprompt(turn.messages, Awaiting.of(turn.awaiting), turn.state, lead)
    if awaiting in SCAN_SIDE:
        turn = scan_flow.reprompt(scan)
        if turn is not None:
            return Reprompt(turn.messages, Awaiting.of(turn.awaiting), turn.state, lead)
    if awaiting is Awaiting.ERASE_CONFIRM:
        return Reprompt([lead_flow.erase_question()], awaiting, scan, lead)
    lead_turn = lead_flow.reprompt(lead)
    if lead_turn is not None:
        return Reprompt(lead_turn.messages, Awaiting.of(lead_turn.awaiting), scan, lead_turn.draft)
    return Reprompt([offer(scan)], None if scan.status == scan_flow.FINISHED
                    else Awaiting.SCAN_OFFER, scan, lead)


def offer(scan: ScanState) -> BotMessage:
    if scan.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
        return BotMessage("Wil je verder met de scan?",
                          intent_buttons(("Verder met de scan", "resume_scan"),
                                         ("Opnieuw beginnen", "restart_scan")))
    if scan.status == scan_flow.FINISHED:
        return BotMessage("Kan ik nog iets voor je doen?",
                          intent_buttons(("Ik wil met Marco praten", "request_advisor"),
                                         ("Opnieuw beginnen", "restart_scan")))
    return BotMessage("Zullen we de samenwerkingsscan starten?",
                      intent_buttons(("Start de scan", "start_scan"),
                                     ("Wat kun je?", "capabilities")))

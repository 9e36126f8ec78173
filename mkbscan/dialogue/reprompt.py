"""After a side step: ask again whatever is open, or offer a way forward (never a dead end)."""

from __future__ import annotations

from dataclasses import dataclass

from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import lead_flow, report_mail_flow
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.scan import scan_flow
from mkbscan.scan.partner_text import consent_question
from mkbscan.scan.scan_flow import ScanState
from mkbscan.wording import say


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
    if awaiting is Awaiting.REPORT_MAIL_CONSENT and report_mail_flow.has_report(scan):
        return Reprompt([report_mail_flow.consent_question()], awaiting, scan, lead)
    if awaiting is Awaiting.INVITE_CONSENT and scan.status == scan_flow.FINISHED:
        return Reprompt([consent_question()], awaiting, scan, lead)
    if awaiting is Awaiting.REPORT_MAIL_ADDRESS and scan.report_mail_consent_at:
        return Reprompt([BotMessage(say("report_mail_ask_address"))], awaiting, scan, lead)
    lead_turn = lead_flow.reprompt(lead)
    if lead_turn is not None:
        return Reprompt(lead_turn.messages, Awaiting.of(lead_turn.awaiting), scan, lead_turn.draft)
    return Reprompt([offer(scan)], None if scan.status == scan_flow.FINISHED
                    else Awaiting.SCAN_OFFER, scan, lead)


def ask_again(awaiting: Awaiting | None, scan: ScanState, lead: LeadDraft) -> Reprompt:
    """After an unclear yes or no, the question itself once more. (After a side step the
    follow-up offer gives way to the menu instead, which offers the talk too.)"""
    if awaiting is Awaiting.FOLLOWUP_OFFER and scan.status == scan_flow.FINISHED:
        return Reprompt([scan_flow.followup_offer()], awaiting, scan, lead)
    return reprompt(awaiting, scan, lead)


def offer(scan: ScanState) -> BotMessage:
    if scan.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
        return BotMessage(say("offer_continue"),
                          intent_buttons((say("offer_continue_button"), "resume_scan"),
                                         (say("scan_again_button"), "restart_scan")))
    if scan.status == scan_flow.FINISHED:
        # The two-party scan: invite the partner, or, once there is an invitation, its news.
        partner = intent_buttons((say("partner_result_button"), "partner_result")) \
            if scan.invite_code or scan.partner_scan \
            else intent_buttons((say("invite_button"), "invite_partner"))
        return BotMessage(say("offer_more"),
                          intent_buttons((say("scan_advisor_button"), "request_advisor"))
                          + partner + intent_buttons((say("scan_again_button"), "restart_scan")))
    return BotMessage(say("offer_start"),
                      intent_buttons((say("offer_start_button"), "start_scan"),
                                     (say("offer_capabilities_button"), "capabilities")))

"""The two-party scan's conversation (issue 17), pure: who may invite, what a code opens,
and what "wat vond mijn partner?" gets. The glue (actions/invite_moves.py) does the store's
part (mkbscan.leads.invites) and shows these messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mkbscan.leads.invites import WINDOW, Invite, Redeemed
from mkbscan.messages import BotMessage
from mkbscan.scan import scan_flow
from mkbscan.scan.comparison import Comparison, compare
from mkbscan.scan.partner_text import (
    comparison_messages,
    consent_question,
    consent_request,
    until,
)
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.scan_flow import ScanState
from mkbscan.wording import all_texts, say

AWAIT_CONSENT = "invite_consent"
INVITER, PARTNER = "inviter", "partner"
NO_PARTNER_YET = "geen"  # the partner question's value for "nog geen partner op het oog"


@dataclass
class InviteTurn:
    messages: list[BotMessage]
    awaiting: str | None = None


def partner_kind(scan: ScanState, content: ScanContent | None = None) -> str:
    question = (content or load_content()).context_reading("partner")
    return scan.context.get(question.id, "") if question else ""


def offer(scan: ScanState, found: tuple[str, Invite] | None, now: datetime) -> InviteTurn:
    """ "Ik wil mijn partner uitnodigen": why not (yet), the code again, or the consent.
    `found` is the conversation's invitation in the store, if any."""
    role, invite = found if found else (None, None)
    if role == PARTNER or scan.partner_scan:
        return InviteTurn([BotMessage(say("invite_as_partner"))])
    if scan.status != scan_flow.FINISHED:
        return InviteTurn([BotMessage(say("invite_after_scan"))])
    if partner_kind(scan) == NO_PARTNER_YET:
        return InviteTurn([BotMessage(say("invite_no_partner"))])
    if invite is not None and invite.used and not invite.withdrawn:
        return InviteTurn([BotMessage(say("invite_used"))])
    if invite is not None and scan.invite_code and invite.expires_at > now:
        return InviteTurn([BotMessage(say("invite_again", code=scan.invite_code,
                                          until=until(invite.expires_at)))])
    return InviteTurn(consent_request(), AWAIT_CONSENT)


def consent_refused() -> InviteTurn:
    return InviteTurn([BotMessage(say("invite_refused"))])


def consent_unclear() -> InviteTurn:
    return InviteTurn([consent_question()], AWAIT_CONSENT)


def code_outcome(outcome: Redeemed) -> list[BotMessage]:
    """What a code that opens nothing new gets (OPENED starts the partner's scan instead)."""
    if outcome is Redeemed.THROTTLED:
        return [BotMessage(say("code_throttled", minutes=int(WINDOW.total_seconds() // 60)))]
    if outcome is Redeemed.OWN:
        return [BotMessage(say("code_own"))]
    if outcome is Redeemed.AGAIN:
        return [BotMessage(say("code_again"))]
    return [BotMessage(say("code_nothing"))]


def partner_state(invite: Invite, content: ScanContent | None = None) -> ScanState:
    """The partner's scan before it starts: the kind of partnership as the inviter gave it
    (the same relationship from the other side), so that question is not asked again."""
    content = content or load_content()
    state = ScanState(partner_scan=True)
    question = content.context_reading("partner")
    if question and invite.partner_kind in question.labels:
        state.context[question.id] = invite.partner_kind
        state.context_labels[question.id] = question.labels[invite.partner_kind]
    return state


def welcome(invite: Invite) -> list[BotMessage]:
    """The partner's welcome, and what the inviter said about the partnership."""
    messages = [BotMessage(say("code_opened"))]
    key = f"code_partnership_{invite.partner_kind}"
    if key in all_texts():
        messages.append(BotMessage(say(key)))
    return messages


def comparison_of(role: str, invite: Invite) -> Comparison | None:
    """The comparison from this side, once both scans are done."""
    if invite.partner_answers is None or invite.withdrawn:
        return None
    if role == INVITER:
        return compare(invite.inviter_answers, invite.partner_answers)
    return compare(invite.partner_answers, invite.inviter_answers)


def partner_result(scan: ScanState, found: tuple[str, Invite] | None) -> list[BotMessage]:
    """ "Wat vond mijn partner?" from either side."""
    if found is None:
        key = "partner_result_gone" if scan.partner_scan else "partner_result_none"
        return [BotMessage(say(key))]
    role, invite = found
    if scan.status != scan_flow.FINISHED:
        return [BotMessage(say("partner_result_self_busy"))]
    if invite.withdrawn:
        return [BotMessage(say("partner_result_withdrawn"))]
    comparison = comparison_of(role, invite)
    if comparison is not None:
        return comparison_messages(comparison)
    if invite.used:
        return [BotMessage(say("partner_result_started"))]
    if scan.invite_code:
        return [BotMessage(say("partner_result_waiting", code=scan.invite_code,
                               until=until(invite.expires_at)))]
    return [BotMessage(say("partner_result_started"))]

"""The report's link by e-mail, asked for by the entrepreneur: its own consent, then the address.

Apart from the advisor's hand-over (lead_flow): this consent covers one mail to the
entrepreneur's own address, which is wiped once the mail is sent; nothing goes to the
advisor. A pure state machine like lead_flow; the glue queues the mail (mkbscan.leads.reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mkbscan.leads.extraction import extract_single
from mkbscan.leads.validation import validate_email
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.scan import scan_flow
from mkbscan.scan.scan_flow import ScanState
from mkbscan.wording import say

CONSENT_VERSION = "report-mail-v1"
AWAIT_CONSENT = "report_mail_consent"
AWAIT_ADDRESS = "report_mail_address"


@dataclass
class MailTurn:
    messages: list[BotMessage]
    awaiting: str | None
    email: str | None = None  # a valid address: the glue queues the mail


def has_report(scan: ScanState) -> bool:
    return scan.status == scan_flow.FINISHED and bool(scan.report_token)


def consent_question() -> BotMessage:
    return BotMessage(say("report_mail_consent"),
                      intent_buttons((say("report_mail_yes"), "affirm"),
                                     (say("report_mail_no"), "deny")))


def offer(scan: ScanState) -> MailTurn:
    if not has_report(scan):
        return MailTurn([BotMessage(say("report_mail_no_report"))], None)
    return MailTurn([consent_question()], AWAIT_CONSENT)


def consent_given(scan: ScanState, now: datetime) -> MailTurn:
    scan.report_mail_consent_at = now.isoformat()
    return MailTurn([BotMessage(say("report_mail_ask_address"))], AWAIT_ADDRESS)


def consent_refused(scan: ScanState) -> MailTurn:
    scan.report_mail_consent_at = ""
    return MailTurn([BotMessage(say("report_mail_refused"))], None)


def consent_unclear() -> MailTurn:
    return MailTurn([BotMessage(say("report_mail_unclear")), consent_question()], AWAIT_CONSENT)


def address(scan: ScanState, text: str) -> MailTurn:
    """The address typed; a valid one is handed back for queuing, else asked again."""
    if not scan.report_mail_consent_at or not has_report(scan):
        return offer(scan)
    check = validate_email(extract_single("email", text) or "")
    if not check.ok or not check.email:
        return MailTurn([BotMessage(check.error or say("check_email_invalid")),
                         BotMessage(say("report_mail_ask_again"))], AWAIT_ADDRESS)
    if check.suggestion:
        return MailTurn([BotMessage(say("report_mail_suggestion", suggestion=check.suggestion))],
                        AWAIT_ADDRESS)
    return MailTurn([], None, check.email)


def queued(scan: ScanState, email: str, sent_already: bool) -> MailTurn:
    scan.report_mail_consent_at = ""  # one consent, one mail
    key = "report_mail_queued_again" if sent_already else "report_mail_queued"
    return MailTurn([BotMessage(say(key, email=email))], None)


def store_down() -> MailTurn:
    return MailTurn([BotMessage(say("report_mail_store_down"))], AWAIT_ADDRESS)

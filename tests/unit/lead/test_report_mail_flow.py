"""The report's link by e-mail: its own consent, the address, and the router's part."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mkbscan.dialogue.router import Heard, Move, route
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import report_mail_flow as flow
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.scan import scan_flow
from mkbscan.scan.scan_flow import ScanState

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def finished() -> ScanState:
    return ScanState(status=scan_flow.FINISHED, answers={"P1": 2}, report_token="t" * 43)


def test_before_the_result_there_is_no_report_to_mail() -> None:
    turn = flow.offer(ScanState(status=scan_flow.IN_PROGRESS))
    assert turn.awaiting is None and "zodra je de scan hebt afgerond" in turn.messages[0].text


def test_the_consent_says_what_happens_to_the_address() -> None:
    turn = flow.offer(finished())
    assert turn.awaiting == flow.AWAIT_CONSENT
    question = turn.messages[0]
    assert "alleen voor die ene mail" in question.text and "wis het" in question.text
    assert [b.payload for b in question.buttons] == ["/affirm", "/deny"]


def test_consent_then_an_address_in_a_sentence_is_handed_back_once() -> None:
    scan = finished()
    turn = flow.consent_given(scan, NOW)
    assert turn.awaiting == flow.AWAIT_ADDRESS and scan.report_mail_consent_at
    turn = flow.address(scan, "stuur maar naar Anne@Zon.nl.")
    assert turn.email == "Anne@zon.nl" and turn.messages == []
    done = flow.queued(scan, "Anne@zon.nl", sent_already=False)
    assert "Anne@zon.nl" in done.messages[0].text and done.awaiting is None
    assert scan.report_mail_consent_at == ""  # a second mail needs a new consent
    assert flow.address(scan, "anne@zon.nl").awaiting == flow.AWAIT_CONSENT


@pytest.mark.parametrize("text", ["anne at zon punt nl", "anne@", "@zon.nl", ""])
def test_an_invalid_address_is_asked_again(text: str) -> None:
    scan = finished()
    flow.consent_given(scan, NOW)
    turn = flow.address(scan, text)
    assert turn.email is None and turn.awaiting == flow.AWAIT_ADDRESS
    assert scan.report_mail_consent_at  # the consent still holds


def test_a_likely_typo_is_asked_back() -> None:
    scan = finished()
    flow.consent_given(scan, NOW)
    turn = flow.address(scan, "anne@gmial.com")
    assert turn.email is None and "anne@gmail.com" in turn.messages[0].text


def test_a_refusal_keeps_nothing() -> None:
    scan = finished()
    flow.consent_given(scan, NOW)
    turn = flow.consent_refused(scan)
    assert scan.report_mail_consent_at == "" and turn.awaiting is None


def plan(awaiting: Awaiting | None, text: str, intent: str, scan: ScanState | None = None):
    return route(awaiting, Heard(text, intent, 0.99), scan or finished(), LeadDraft())


def test_the_router_asks_consent_and_needs_an_unmistakable_yes() -> None:
    assert plan(None, "mail mij het rapport", "email_report") == [Move.REPORT_MAIL_ASK]
    consent = Awaiting.REPORT_MAIL_CONSENT
    assert plan(consent, "ja", "affirm") == [Move.REPORT_MAIL_CONSENT]
    assert plan(consent, "/affirm", "affirm") == [Move.REPORT_MAIL_CONSENT]
    assert plan(consent, "nee", "deny") == [Move.REPORT_MAIL_REFUSED]
    assert plan(consent, "ik heb er bezwaar tegen", "affirm") == [Move.REPORT_MAIL_UNCLEAR]
    assert plan(consent, "ja, naar an@zon.nl", "provide_contact") == [
        Move.REPORT_MAIL_CONSENT, Move.REPORT_MAIL_ADDRESS]
    assert plan(consent, "verwijder mijn gegevens", "request_erasure") == [Move.ERASE_ASK]


def test_at_the_address_a_no_stops_and_a_side_step_is_a_side_step() -> None:
    address = Awaiting.REPORT_MAIL_ADDRESS
    assert plan(address, "an@zon.nl", "provide_contact") == [Move.REPORT_MAIL_ADDRESS]
    assert plan(address, "an@zon.nl", "deny") == [Move.REPORT_MAIL_ADDRESS]
    assert plan(address, "an at zon", "nlu_fallback") == [Move.REPORT_MAIL_ADDRESS]
    assert plan(address, "nee, laat maar", "deny") == [Move.REPORT_MAIL_REFUSED]
    assert plan(address, "verwijder mijn gegevens", "request_erasure") == [Move.ERASE_ASK]

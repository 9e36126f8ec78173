"""The two-party scan in the router and its pure flow (mkbscan/leads/invite_flow.py): a code
wins where no contact detail is asked, cue words only where the request fits, and what each
side hears in each state of the invitation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mkbscan.dialogue.router import Heard, Move, route
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import invite_flow
from mkbscan.leads.invites import Invite
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.scan.questions import load_content
from mkbscan.scan.scan_flow import FINISHED, IN_PROGRESS, ScanState
from mkbscan.wording import all_texts

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
SCORED = [q.id for q in load_content().scored]
DONE = ScanState(status=FINISHED, context={"C2": "nieuw"}, answers=dict.fromkeys(SCORED, 3))


def plan(awaiting: Awaiting | None, text: str, intent: str, scan: ScanState) -> list:
    return route(awaiting, Heard(text, intent, 0.6), scan, LeadDraft())


@pytest.mark.parametrize("awaiting", [None, Awaiting.SCAN_OFFER, Awaiting.SCAN_QUESTION,
                                      Awaiting.FOLLOWUP_OFFER, Awaiting.LEAD_CONSENT])
def test_a_code_goes_to_the_code_move(awaiting: Awaiting | None) -> None:
    assert plan(awaiting, "hier is hij: k7qd m2xr", "scan_answer", ScanState()) == \
        [Move.CODE_ENTER]


@pytest.mark.parametrize("awaiting", [Awaiting.LEAD_FIELD, Awaiting.REPORT_MAIL_ADDRESS])
def test_while_a_detail_is_asked_a_code_is_no_code(awaiting: Awaiting) -> None:
    assert Move.CODE_ENTER not in plan(awaiting, "K7QD-M2XR", "provide_contact", ScanState())


def test_cue_words_only_where_the_request_fits() -> None:
    text = "kan de drukkerij dit ook invullen?"
    assert plan(None, text, "scan_answer", DONE) == [Move.INVITE_ASK]
    assert plan(Awaiting.FOLLOWUP_OFFER, text, "scan_answer", DONE) == [Move.INVITE_ASK]
    assert Move.INVITE_ASK not in plan(None, text, "scan_answer", ScanState())  # no scan yet
    asking = ScanState(status=IN_PROGRESS, current="P2")
    assert plan(Awaiting.SCAN_QUESTION, text, "scan_answer", asking) == [Move.SCAN_ANSWER]
    got = "mijn klant stuurde me een uitnodiging voor dit"
    assert plan(Awaiting.SCAN_OFFER, got, "scan_answer", ScanState()) == [Move.CODE_ENTER]
    assert Move.CODE_ENTER not in plan(None, got, "scan_answer", DONE)
    result = "heeft de bakker het al ingevuld?"
    assert plan(None, result, "ask_progress", DONE) == [Move.PARTNER_RESULT, Move.REPROMPT]
    # a topic the NLU is sure of keeps its answer
    assert plan(None, "wat is het verschil tussen een partner en een leverancier",
                "ask_partner_vs_supplier", DONE)[0] != Move.PARTNER_RESULT


def test_the_invitation_consent_needs_a_clear_yes() -> None:
    assert plan(Awaiting.INVITE_CONSENT, "ja, akkoord", "affirm", DONE) == [Move.INVITE_CONSENT]
    assert plan(Awaiting.INVITE_CONSENT, "nee", "deny", DONE) == [Move.INVITE_REFUSED]
    assert plan(Awaiting.INVITE_CONSENT, "daar heb ik bezwaar tegen", "affirm", DONE) == \
        [Move.INVITE_UNCLEAR]


def invite(**changes: object) -> Invite:
    fields = {"public_id": "x", "expires_at": NOW + timedelta(days=30),
              "inviter_answers": dict.fromkeys(SCORED, 3), "partner_kind": "nieuw",
              "used": False, "partner_answers": None, "withdrawn": False} | changes
    return Invite(**fields)  # type: ignore[arg-type]


def key_of(text: str) -> str:
    """The content key of a text said (its words up to the first placeholder)."""
    return next(key for key, variants in all_texts().items() if text in variants
                or any(len(v.split("{")[0]) > 10 and text.startswith(v.split("{")[0])
                       for v in variants))


def keys(messages: list) -> list[str]:
    return [key_of(m.text) for m in messages]


def test_who_may_invite_and_when() -> None:
    assert keys(invite_flow.offer(ScanState(), None, NOW).messages) == ["invite_after_scan"]
    none_yet = ScanState(status=FINISHED, context={"C2": "geen"})
    assert keys(invite_flow.offer(none_yet, None, NOW).messages) == ["invite_no_partner"]
    partner = ScanState(status=FINISHED, partner_scan=True)
    assert keys(invite_flow.offer(partner, None, NOW).messages) == ["invite_as_partner"]
    turn = invite_flow.offer(DONE, None, NOW)
    assert keys(turn.messages) == ["invite_explain", "invite_consent"]
    assert turn.awaiting == "invite_consent"
    coded = ScanState(status=FINISHED, context={"C2": "nieuw"}, invite_code="K7QD-M2XR")
    again = invite_flow.offer(coded, ("inviter", invite()), NOW).messages
    assert "K7QD-M2XR" in again[0].text and "05-01-2027" in again[0].text
    assert keys(invite_flow.offer(coded, ("inviter", invite(used=True)), NOW).messages) == \
        ["invite_used"]


def test_what_wat_vond_mijn_partner_gets() -> None:
    coded = ScanState(status=FINISHED, invite_code="K7QD-M2XR")
    assert keys(invite_flow.partner_result(DONE, None)) == ["partner_result_none"]
    gone = ScanState(status=FINISHED, partner_scan=True)
    assert keys(invite_flow.partner_result(gone, None)) == ["partner_result_gone"]
    busy = ScanState(status=IN_PROGRESS)
    assert keys(invite_flow.partner_result(busy, ("inviter", invite()))) == \
        ["partner_result_self_busy"]
    assert "K7QD-M2XR" in invite_flow.partner_result(coded, ("inviter", invite()))[0].text
    assert keys(invite_flow.partner_result(coded, ("inviter", invite(used=True)))) == \
        ["partner_result_started"]
    assert keys(invite_flow.partner_result(coded, ("inviter", invite(used=True,
                                                                     withdrawn=True)))) == \
        ["partner_result_withdrawn"]
    done = invite(used=True, partner_answers=dict.fromkeys(SCORED, 1))
    inviter_side = invite_flow.partner_result(coded, ("inviter", done))
    partner_side = invite_flow.partner_result(DONE, ("partner", done))
    assert "Totaal: jij 100, je partner 33" in inviter_side[0].text
    assert "Totaal: jij 33, je partner 100" in partner_side[0].text

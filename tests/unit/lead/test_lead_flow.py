"""The hand-over conversation as a state machine, without Rasa."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mkbscan.leads import lead_flow
from mkbscan.leads.lead_flow import LeadDraft

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def texts(turn: lead_flow.LeadTurn) -> str:
    return "\n".join(m.text for m in turn.messages)


def consented() -> LeadDraft:
    return lead_flow.consent_given(LeadDraft(stage="consent"), NOW).draft


def fill(draft: LeadDraft, *replies: str, intent: str | None = "provide_contact"
         ) -> lead_flow.LeadTurn:
    turn = lead_flow.LeadTurn([], draft, None)
    for reply in replies:
        turn = lead_flow.field_input(turn.draft, reply, intent)
    return turn


def test_consent_request_says_what_to_whom_why_and_how_long() -> None:
    turn = lead_flow.consent_request(LeadDraft(), scan_finished=True)
    text = texts(turn)
    assert "marco@circularclarity.org" in text and "12 maanden" in text
    assert "naam" in text and "e-mailadres" in text and "Ga je akkoord?" in text
    assert turn.awaiting == lead_flow.AWAIT_CONSENT and turn.draft.contact == {}


def test_before_the_end_of_the_scan_the_offer_says_so() -> None:
    turn = lead_flow.consent_request(LeadDraft(), scan_finished=False)
    assert "hoeft niet af" in texts(turn)


def test_consent_is_recorded_with_version_and_time() -> None:
    draft = consented()
    assert draft.consent_version == lead_flow.CONSENT_VERSION
    assert draft.consent_given_at == NOW.isoformat() and draft.asking == "name"


def test_refusal_keeps_nothing() -> None:
    turn = lead_flow.consent_refused()
    assert turn.draft.contact == {} and turn.draft.consent_given_at is None
    assert "niets op" in texts(turn)


def test_field_by_field_with_optional_fields_skipped() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@zon.nl", "sla over",
                "maakt niet uit", "nee")
    assert turn.awaiting == lead_flow.AWAIT_CONFIRM
    assert turn.draft.contact == {"name": "Anne de Vries", "company": "Bakkerij Zon",
                                  "email": "anne@zon.nl", "phone": None, "moment": None,
                                  "question": None}
    assert "Naam: Anne de Vries" in texts(turn) and "Telefoon: –" in texts(turn)


def test_everything_in_one_sentence() -> None:
    turn = fill(consented(), "Ik ben Anne de Vries van Bakkerij Zon, anne@zon.nl")
    assert turn.draft.contact["name"] == "Anne de Vries"
    assert turn.draft.contact["company"] == "Bakkerij Zon"
    assert turn.draft.contact["email"] == "anne@zon.nl"
    assert turn.draft.asking == "phone"


@pytest.mark.parametrize("phone", ["06-12345678", "+31 6 1234 5678", "0031 6 12345678",
                                   "06 1234 5678"])
def test_dutch_phone_formats(phone: str) -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@zon.nl", phone)
    assert turn.draft.contact["phone"] and turn.draft.asking == "moment"


def test_invalid_email_is_refused_with_a_dutch_message_and_asked_again() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@@zon")
    assert turn.draft.contact.get("email") is None and turn.draft.asking == "email"
    assert "e-mail" in texts(turn).lower()


def test_header_injection_in_email_is_refused() -> None:
    turn = fill(consented(), "Anne", "Zon", "a@b.nl\r\nBcc: x@y.nl")
    assert turn.draft.contact.get("email") is None


def test_a_likely_typo_is_questioned() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@gmial.com")
    assert "Bedoel je anne@gmail.com?" in texts(turn)
    accepted = lead_flow.field_input(turn.draft, "ja", "affirm")
    assert accepted.draft.contact["email"] == "anne@gmail.com"
    kept = lead_flow.field_input(turn.draft, "nee", "deny")
    assert kept.draft.contact["email"] == "anne@gmial.com"


def test_huge_name_is_refused() -> None:
    turn = fill(consented(), "A" * 10_000)
    assert turn.draft.contact.get("name") is None and turn.draft.asking == "name"


def test_html_name_is_refused() -> None:
    turn = fill(consented(), "<script>alert(1)</script>")
    assert turn.draft.contact.get("name") is None


def test_correction_of_one_field_returns_to_the_summary() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@zon.nl", "nee", "nee", "nee")
    fix = lead_flow.field_input(turn.draft, "mijn email klopt niet", "correct_field")
    assert fix.draft.asking == "email"
    done = lead_flow.field_input(fix.draft, "anne@bakkerijzon.nl", "provide_contact")
    assert done.awaiting == lead_flow.AWAIT_CONFIRM
    assert done.draft.contact["email"] == "anne@bakkerijzon.nl"
    assert done.draft.contact["name"] == "Anne de Vries"


def test_correction_without_a_field_asks_which() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@zon.nl", "nee", "nee", "nee")
    ask = lead_flow.field_input(turn.draft, "nee", "deny")
    assert ask.draft.asking == "fix_choice" and "Wat wil je aanpassen?" in texts(ask)
    chosen = lead_flow.field_input(ask.draft, "Telefoon", "provide_contact")
    assert chosen.draft.asking == "phone"


def test_topic_question_during_a_field_is_answered_then_the_field_asked_again() -> None:
    turn = lead_flow.field_input(consented(), "wat is circulair ondernemen?", "ask_circular")
    assert turn.topic_response == "ask_circular" and turn.draft.contact.get("name") is None


def test_why_a_field_is_asked() -> None:
    turn = lead_flow.explain_field(consented())
    assert turn is not None and "naam" in texts(turn).lower()


def test_reprompt_per_stage() -> None:
    assert lead_flow.reprompt(LeadDraft()) is None
    consent = lead_flow.reprompt(LeadDraft(stage="consent"))
    assert consent is not None and consent.awaiting == lead_flow.AWAIT_CONSENT
    field = lead_flow.reprompt(consented())
    assert field is not None and texts(field) == "Wat is je naam?"


def test_submitted_lead_is_not_offered_again() -> None:
    turn = fill(consented(), "Anne de Vries", "Bakkerij Zon", "anne@zon.nl", "nee", "nee", "nee")
    done = lead_flow.submitted(turn.draft, "abc")
    assert "Anne" in texts(done) and done.awaiting is None
    again = lead_flow.consent_request(done.draft, scan_finished=True)
    assert "al naar Marco" in texts(again) and again.awaiting is None


def test_draft_round_trips_through_a_dict() -> None:
    draft = fill(consented(), "Anne de Vries").draft
    assert LeadDraft.from_dict(draft.to_dict()) == draft


@pytest.mark.parametrize("text", [
    "/affirm", "ja", "Ja, akkoord", "ja, ik ga akkoord", "prima", "oké, doe maar", "klopt",
    "ja klopt, verstuur maar",
])
def test_an_explicit_yes_counts(text: str) -> None:
    assert lead_flow.is_explicit_yes(text)


@pytest.mark.parametrize("text", [
    # what a classifier may take for agreement, but is no clear yes
    "ik heb er bezwaar tegen", "er klopt niks van", "klopt van geen kant", "dat is incorrect",
    "ja, maar liever niet", "dat lijkt me wel wat", "/deny", "/correct_field", "", "   ",
])
def test_anything_else_is_no_consent(text: str) -> None:
    assert not lead_flow.is_explicit_yes(text)


def test_unclear_consent_asks_again_and_records_nothing() -> None:
    turn = lead_flow.consent_unclear(LeadDraft(stage="consent"))
    assert turn.awaiting == lead_flow.AWAIT_CONSENT
    assert turn.draft.consent_given_at is None and turn.draft.contact == {}
    assert "zeker weten" in texts(turn)
    assert [b.payload for b in turn.messages[-1].buttons] == ["/affirm", "/deny"]


def test_unclear_sending_shows_the_summary_again() -> None:
    draft = fill(consented(), "Anne de Wit", "Bloemenhuis Zon", "anne@bloemenhuiszon.nl").draft
    turn = lead_flow.sending_unclear(draft)
    assert turn.awaiting == lead_flow.AWAIT_CONFIRM and "Klopt dit?" in texts(turn)


def test_details_held_before_consent_fill_the_fields_after_it() -> None:
    from mkbscan.leads import lead_flow
    from mkbscan.leads.lead_flow import LeadDraft

    held = lead_flow.hold_details(LeadDraft(), "Ik ben Els Jansen van Jansen Bouw, "
                                  "els@jansenbouw.nl", scan_finished=True)
    assert held.draft.stage == "consent" and held.draft.held["email"] == "els@jansenbouw.nl"
    assert held.draft.contact == {}, "nothing is a contact detail before consent"
    after = lead_flow.consent_given(held.draft)
    assert after.draft.contact["name"] == "Els Jansen"
    assert after.draft.contact["company"] == "Jansen Bouw"
    assert after.draft.asking == "phone"
    assert lead_flow.consent_refused().draft.held == {}


def test_names_that_are_no_names_are_refused() -> None:
    from mkbscan.leads.plausibility import name_problem

    for text, field in (("bedankt!", "name"), ("ja", "company"), ("nee hoor", "name"),
                        ("waarom wil je dat weten?", "name"), ("ik heb een bakkerij", "company"),
                        ("idioot", "name"), ("123", "name")):
        assert name_problem(text, field), text
    for text, field in (("Ilse van den Broek-Smit", "name"), ("Ömer Çelik", "name"),
                        ("Bakker & Zn. B.V.", "company"), ("3D Print Lab", "company")):
        assert name_problem(text, field) is None, text


def test_in_a_two_party_scan_the_consent_names_each_side_s_part() -> None:
    """What the consent says is what the store does (mkbscan/leads/pair_part.py): this side's
    part with the partner's lead, the partner's only with the partner's own yes."""
    alone = lead_flow.consent_request(LeadDraft(), scan_finished=True)
    assert "je partner" not in texts(alone)
    assert not lead_flow.shares_with_the_partner(lead_flow.consent_given(alone.draft, NOW).draft)

    turn = lead_flow.consent_request(LeadDraft(), scan_finished=True, paired=True)
    assert "als je partner een gesprek aanvraagt" in texts(turn)
    assert "alleen als je partner daar zelf ja op zegt" in texts(turn)
    assert texts(turn).endswith("Ga je akkoord?")  # the consent question still comes last
    held = lead_flow.hold_details(LeadDraft(), "anne@zon.nl", True, paired=True)
    assert held.draft.paired and held.draft.held == {"email": "anne@zon.nl"}
    again = lead_flow.reprompt(held.draft)  # after a side step: the same draft, asked again
    assert again is not None and again.draft.held == {"email": "anne@zon.nl"}
    given = lead_flow.consent_given(again.draft, NOW).draft
    assert given.consent_version == lead_flow.CONSENT_VERSION + lead_flow.PAIR_CONSENT
    assert lead_flow.shares_with_the_partner(given) and given.contact["email"] == "anne@zon.nl"

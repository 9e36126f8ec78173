"""action_dialogue through the hand-over to the advisor (actions/lead_moves.py), with the
real SQLite lead store in tmp_path: what is stored is queried from the database itself."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest
from action_kit import (
    CONTENT,
    SENDER,
    finished,
    index_of,
    is_question,
    is_text,
    mid_scan,
    payloads,
    run_action,
    scored_ids,
)
from sqlalchemy import create_engine, text

from mkbscan.leads import lead_flow
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.scan_flow import ScanState
from mkbscan.scan.scoring import compute_result
from mkbscan.scan.snapshot import ScanSnapshot

SCORED = scored_ids()
ANSWERS = {qid: (2 if i % 3 else 1) for i, qid in enumerate(SCORED)}
NAME, COMPANY, EMAIL = "Anne de Vries", "Bakkerij Zon", "anne@zon.nl"


def consent_asked(**lead: object) -> dict:
    return LeadDraft(stage="consent", **lead).to_dict()  # type: ignore[arg-type]


def count_leads(query) -> int:
    return query("SELECT COUNT(*) AS n FROM leads")[0]["n"]


def test_follow_up_accepted_asks_for_consent(tracker_for, domain, query) -> None:
    result = run_action(tracker_for("ja graag", "affirm", slots=finished(ANSWERS)), domain)
    assert is_text("lead_offer", result.texts[0])
    consent = result.messages[-1]
    assert is_text("lead_consent", consent["text"])
    assert payloads(consent) == ["/affirm", "/deny"]
    assert result.slots_set["awaiting"] == "lead_consent"
    assert result.lead().stage == "consent" and result.lead().contact == {}
    assert "scan_state" not in result.slots_set
    assert count_leads(query) == 0


def test_follow_up_declined_stores_nothing(tracker_for, domain, query) -> None:
    result = run_action(tracker_for("nee, dank je", "deny", slots=finished(ANSWERS)), domain)
    assert is_text("followup_declined", result.texts[0])
    assert result.slots_set == {"awaiting": None}
    assert count_leads(query) == 0


def test_consent_refused_stores_nothing(tracker_for, domain, query) -> None:
    slots = finished(ANSWERS, awaiting="lead_consent", lead=consent_asked())
    result = run_action(tracker_for("nee, liever niet", "deny", slots=slots), domain)
    assert is_text("lead_consent_refused", result.texts[-1])
    assert result.slots_set["awaiting"] is None
    assert result.lead() == LeadDraft()
    assert count_leads(query) == 0


def test_details_typed_before_consent_are_dropped_when_consent_is_refused(chat,
                                                                          query) -> None:
    session = chat(finished(ANSWERS))
    held = session.say(f"mail me maar op {EMAIL}", "provide_contact")
    assert is_text("lead_held", held.texts[0])
    assert held.lead().held == {"email": EMAIL}  # kept in the conversation only
    assert held.slots_set["awaiting"] == "lead_consent"
    assert count_leads(query) == 0
    refused = session.say("nee", "deny")
    assert refused.lead().held == {} and refused.lead().contact == {}
    assert EMAIL not in json.dumps(session.slots)
    assert count_leads(query) == 0


def test_an_unclear_yes_to_consent_is_asked_again(tracker_for, domain, query) -> None:
    slots = finished(ANSWERS, awaiting="lead_consent", lead=consent_asked())
    # The NLU hears agreement, but the words are no unmistakable yes.
    result = run_action(tracker_for("ik heb er wel bezwaar tegen", "affirm", slots=slots),
                        domain)
    assert is_text("lead_consent_unclear", result.texts[0])
    assert payloads(result.messages[0]) == ["/affirm", "/deny"]
    assert result.events == []  # still asking for consent, nothing changed
    assert count_leads(query) == 0


def test_consent_given_asks_the_name(tracker_for, domain) -> None:
    slots = finished(ANSWERS, awaiting="lead_consent", lead=consent_asked())
    before = datetime.now(timezone.utc)
    result = run_action(tracker_for("ja, akkoord", "affirm", slots=slots), domain)
    assert is_text("field_ask_name", result.texts[-1])
    lead = result.lead()
    assert (lead.stage, lead.asking, lead.consent_version) == (
        "field", "name", lead_flow.CONSENT_VERSION)
    assert datetime.fromisoformat(lead.consent_given_at) >= before
    assert result.slots_set["awaiting"] == "lead_field"


def test_consent_and_details_store_exactly_one_lead(chat, query, leads_url) -> None:
    session = chat(finished(ANSWERS))
    session.say("ja graag", "affirm")
    session.say("ja, akkoord", "affirm")
    session.say(NAME, "provide_contact")
    session.say(COMPANY, "provide_contact")
    asked_phone = session.say(EMAIL, "provide_contact")
    assert is_text("field_ask_phone", asked_phone.texts[-1])
    session.say("nee", "deny")  # phone, moment and question are optional
    session.say("nee", "deny")
    summary = session.say("geen vraag", "deny")
    assert is_text("lead_summary", summary.texts[-1])
    for value in (NAME, COMPANY, EMAIL):
        assert value in summary.texts[-1]
    assert payloads(summary.messages[-1]) == ["/affirm", "/correct_field"]
    assert summary.slots_set["awaiting"] == "lead_confirm"
    assert count_leads(query) == 0  # nothing stored before the user confirms

    sent = session.say("ja, versturen", "affirm")
    rows = query("SELECT * FROM leads")
    assert len(rows) == 1
    row = rows[0]
    assert (row["conversation_id"], row["name"], row["company"], row["email"]) == (
        SENDER, NAME, COMPANY, EMAIL)
    assert row["phone"] is None and row["question"] is None
    assert row["consent_version"] == lead_flow.CONSENT_VERSION
    assert len(query("SELECT * FROM outbox")) == 1  # queued for the advisor's mailbox
    lead = sent.lead()
    assert lead.stage == "submitted" and lead.lead_id == row["public_id"]
    assert sent.slots_set["awaiting"] is None
    assert is_text("lead_submitted_named", sent.texts[0], first_name=NAME.split()[0],
                   email=EMAIL)
    assert is_text("lead_erase_hint", sent.texts[1])
    # The advisor gets the scan with compute_result's scores, and the conversation.
    store = LeadStore(leads_url)
    try:
        [stored] = store.list_leads()
    finally:
        store.dispose()
    assert isinstance(stored.scan, ScanSnapshot)
    assert stored.scan.scores is not None
    assert stored.scan.scores.total == compute_result(ANSWERS, CONTENT).total
    assert COMPANY in stored.transcript and NAME in stored.transcript

    again = session.say("ja, versturen", "affirm")  # a second yes sends nothing twice
    assert count_leads(query) == 1
    assert "lead_state" not in again.slots_set


def test_a_lead_handed_over_mid_scan_offers_to_go_on_with_the_scan(chat, query) -> None:
    answered = {qid: 3 for qid in SCORED[:3]}
    session = chat(mid_scan(answered, SCORED[3]))
    offer = session.say("ik wil graag met de adviseur praten", "request_advisor")
    assert is_text("lead_before_scan_done", offer.texts[0])
    for said, intent in (("ja, akkoord", "affirm"), (NAME, "provide_contact"),
                         (COMPANY, "provide_contact"), (EMAIL, "provide_contact"),
                         ("nee", "deny"), ("nee", "deny"), ("nee", "deny")):
        session.say(said, intent)
    sent = session.say("ja, versturen", "affirm")
    assert count_leads(query) == 1
    resume = sent.messages[-1]
    assert is_text("lead_scan_continue", resume["text"])
    assert payloads(resume) == ["/resume_scan"]
    back = session.say("/resume_scan", "resume_scan")
    assert is_question(back.messages[-1], SCORED[3])
    assert "scan_state" not in back.slots_set  # the answers are as they were
    assert ScanState.from_dict(session.slots["scan_state"]).answers == answered


def test_a_store_that_is_down_keeps_the_lead_in_the_conversation(tracker_for, domain,
                                                                 tmp_path, monkeypatch,
                                                                 query) -> None:
    from mkbscan import runtime

    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is no SQLite database" * 100)
    monkeypatch.setenv("LEADS_DATABASE_URL", f"sqlite:///{broken}")
    runtime.lead_store.cache_clear()
    contact = {"name": NAME, "company": COMPANY, "email": EMAIL, "phone": None,
               "moment": None, "question": None}
    draft = LeadDraft(stage="confirm", contact=contact, asked=["phone", "moment", "question"],
                      consent_version=lead_flow.CONSENT_VERSION,
                      consent_given_at=datetime.now(timezone.utc).isoformat())
    slots = finished(ANSWERS, awaiting="lead_confirm", lead=draft.to_dict())
    result = run_action(tracker_for("ja, versturen", "affirm", slots=slots), domain)
    assert [is_text("lead_store_down", text) for text in result.texts] == [True]
    assert result.events == []  # still at the summary, the details still in the draft
    assert count_leads(query) == 0


def test_erasure_after_a_lead_removes_it_and_resets_the_slots(chat, query, tmp_path,
                                                              monkeypatch) -> None:
    from mkbscan import runtime

    tracker_db = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")  # Rasa's, in tmp_path
    with tracker_db.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, "
                                "sender_id TEXT, timestamp FLOAT)"))
        for sender in (SENDER, SENDER, "someone-else"):
            connection.execute(text("INSERT INTO events (sender_id, timestamp) "
                                    "VALUES (:s, 1.0)"), {"s": sender})
    # Purge at once (not seconds later, when this test's environment is gone).
    monkeypatch.setattr(runtime, "PURGE_DELAY_SECONDS", 0.0)

    last = SCORED[-1]
    session = chat(mid_scan({qid: ANSWERS[qid] for qid in SCORED[:-1]}, last))
    session.say(CONTENT.scale_button(ANSWERS[last]), "scan_answer")
    assert query("SELECT COUNT(*) AS n FROM scan_progress")[0]["n"] == 1
    for said, intent in (("ja graag", "affirm"), ("ja, akkoord", "affirm"),
                         (NAME, "provide_contact"), (COMPANY, "provide_contact"),
                         (EMAIL, "provide_contact"), ("nee", "deny"), ("nee", "deny"),
                         ("nee", "deny"), ("ja, versturen", "affirm")):
        session.say(said, intent)
    assert count_leads(query) == 1
    # The journey for the insights: the follow-up and the consent, the context as categories.
    journey = query("SELECT followup_at, consent_at, lead_sent_at, context FROM scan_progress")
    assert journey[0]["followup_at"] and journey[0]["consent_at"]
    assert journey[0]["lead_sent_at"] is None  # not delivered yet
    assert set(json.loads(journey[0]["context"])) <= {"sector", "partner", "size"}
    asked = session.say("verwijder mijn gegevens", "request_erasure")
    assert is_text("erase_question", asked.texts[0])
    assert payloads(asked.messages[0]) == ["/affirm", "/deny"]
    assert asked.slots_set == {"awaiting": "erase_confirm"}
    erased = session.say("ja", "affirm")
    assert is_text("erase_done", erased.texts[0])
    assert erased.events == [{"event": "reset_slots", "timestamp": None}]
    assert count_leads(query) == 0
    assert query("SELECT COUNT(*) AS n FROM scan_progress")[0]["n"] == 0
    try:
        deadline = time.monotonic() + 5
        while True:
            with tracker_db.connect() as connection:
                left = list(connection.execute(text("SELECT sender_id FROM events")).scalars())
            if SENDER not in left or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert left == ["someone-else"]
    finally:
        tracker_db.dispose()


def test_erasure_cancelled_keeps_the_lead(chat, query, leads_url) -> None:
    store = LeadStore(leads_url)
    try:
        store.submit_lead(SENDER, LeadContact(name=NAME, company=COMPANY, email=EMAIL),
                          lead_flow.CONSENT_VERSION, datetime.now(timezone.utc),
                          ScanSnapshot(), "")
    finally:
        store.dispose()
    session = chat(finished(ANSWERS, awaiting=None))
    session.say("verwijder mijn gegevens", "request_erasure")
    kept = session.say("nee", "deny")
    assert is_text("erase_cancelled", kept.texts[0])
    assert kept.slots_set == {"awaiting": None}
    assert count_leads(query) == 1


@pytest.mark.parametrize("same_message_twice", [False, True])
def test_a_correction_after_a_sent_lead_queues_one_update(tracker_for, domain, query,
                                                          leads_url,
                                                          same_message_twice) -> None:
    store = LeadStore(leads_url)
    try:
        lead = store.submit_lead(SENDER, LeadContact(name=NAME, company=COMPANY, email=EMAIL),
                                 lead_flow.CONSENT_VERSION, datetime.now(timezone.utc),
                                 ScanSnapshot(), "")
    finally:
        store.dispose()
    sent = LeadDraft(stage="submitted", lead_id=lead.public_id,
                     contact={"name": NAME, "company": COMPANY, "email": EMAIL})
    answers = dict(ANSWERS) | {SCORED[0]: 3}
    slots = finished(answers, awaiting=None, lead=sent.to_dict())
    tracker = tracker_for("bij vraag 1 bedoelde ik een beetje", "scan_answer", slots=slots)
    result = run_action(tracker, domain)
    if same_message_twice:  # Rasa may run the action again for the same message
        result = run_action(tracker, domain)
    index_of("correct_changed", result.texts, number=1)
    updates = query("SELECT change FROM lead_updates")
    assert len(updates) == 1
    change = json.loads(updates[0]["change"])
    assert (change["id"], change["number"]) == (SCORED[0], 1)
    assert (change["old"], change["new"]) == (CONTENT.scale_button(3), CONTENT.scale_button(1))
    if not same_message_twice:
        assert is_text("update_queued", result.texts[-1])

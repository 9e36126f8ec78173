"""actions/glue.py through action_dialogue: only changed slots are written, refused or
oversized input changes nothing, once-only replies are remembered, insults are dropped."""

from __future__ import annotations

from action_kit import (
    CONTENT,
    SENDER,
    finished,
    is_question,
    is_text,
    mid_scan,
    run_action,
    scan_state,
    scored_ids,
    slot_values,
    user_event,
)
from rasa_sdk.events import SlotSet

from mkbscan.leads import lead_flow
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.rasa import input_guard
from mkbscan.scan.scan_flow import ScanState
from mkbscan.settings import MAX_CHARACTERS

SCORED = scored_ids()


def test_an_answer_writes_only_the_scan_state(tracker_for, domain) -> None:
    slots = mid_scan({SCORED[0]: 3}, SCORED[1], replies_given=["other_language"])
    result = run_action(tracker_for(CONTENT.scale_button(0), "scan_answer", slots=slots),
                        domain)
    assert result.events == [SlotSet("scan_state", result.slots_set["scan_state"])]
    assert result.scan().answers == {SCORED[0]: 3, SCORED[1]: 0}


def test_the_first_turn_writes_the_empty_states_once(chat) -> None:
    session = chat()
    first = session.say("hallo", "greet")
    assert set(first.slots_set) == {"awaiting", "scan_state", "lead_state"}
    assert first.lead() == LeadDraft() and first.scan() == ScanState()
    second = session.say("wat kun je allemaal?", "capabilities")
    assert second.events == []  # nothing changed since: nothing written again


def test_a_state_stored_by_an_older_version_is_not_rewritten_for_nothing(tracker_for,
                                                                         domain) -> None:
    """Missing keys (a slot from before a field existed) compare as their defaults."""
    state = scan_state({SCORED[0]: 1}, current=SCORED[1])
    del state["told"], state["checking"], state["misses"]
    lead = LeadDraft().to_dict()
    del lead["held"], lead["lead_id"]
    slots = slot_values("scan_question", state, lead)
    result = run_action(tracker_for("hoe ver ben ik?", "ask_progress", slots=slots), domain)
    assert is_question(result.messages[-1], SCORED[1])
    assert result.events == []


def test_a_once_only_reply_is_remembered_and_not_written_again(chat) -> None:
    session = chat(mid_scan({}, SCORED[0]))
    first = session.say("how long does this take?", "other_language", confidence=0.95)
    assert is_text("other_language", first.texts[0])
    assert first.slots_set == {"replies_given": ["other_language"]}
    second = session.say("what is this about?", "other_language", confidence=0.95)
    assert is_text("default", second.texts[0])
    assert not any(is_text("other_language", text) for text in second.texts)
    assert second.events == []
    assert is_question(second.messages[-1], SCORED[0])


# --- Bad input --------------------------------------------------------------------------


def channel_refused(raw: str) -> tuple[str, dict]:
    """What our channels (mkbscan/rasa/channels.py) pass to Rasa for `raw`: the cleaned text and
    the metadata saying why it was refused. The channel itself sends the notice."""
    checked = input_guard.check_message(raw)
    assert checked.refused is not None
    return checked.text, input_guard.guard_metadata(None, checked) or {}


def test_an_empty_message_is_told_and_the_open_question_repeated(tracker_for,
                                                                 domain) -> None:
    checked = input_guard.check_message("   ")
    assert is_text("guard_empty", checked.notice or "")  # the channel's clear answer
    text, metadata = channel_refused("   ")
    slots = mid_scan({SCORED[0]: 2}, SCORED[1])
    result = run_action(tracker_for(text, "nlu_fallback", metadata=metadata, slots=slots),
                        domain)
    assert len(result.messages) == 1 and is_question(result.messages[0], SCORED[1])
    assert result.events == []  # not counted as an answer, not as a miss


def test_a_2000_character_message_from_the_channel_changes_nothing(tracker_for,
                                                                   domain) -> None:
    raw = "grotendeels " * 182  # 2002 characters, with an answer in it
    assert len(raw) >= 2000
    checked = input_guard.check_message(raw)
    assert is_text("guard_too_long", checked.notice or "", max_characters=MAX_CHARACTERS)
    text, metadata = channel_refused(raw)
    slots = mid_scan({SCORED[0]: 2}, SCORED[1])
    result = run_action(tracker_for(text, "scan_answer", metadata=metadata, slots=slots),
                        domain)
    assert len(result.messages) == 1 and is_question(result.messages[0], SCORED[1])
    assert result.events == []


def test_a_2000_character_message_past_the_channel_is_refused_by_the_action(tracker_for,
                                                                            domain) -> None:
    """A channel without our guard (the NLU's MessageGuard makes it nlu_fallback)."""
    slots = mid_scan({SCORED[0]: 2}, SCORED[1])
    result = run_action(tracker_for("grotendeels " * 182, "nlu_fallback", slots=slots),
                        domain)
    assert is_text("guard_too_long", result.texts[0], max_characters=MAX_CHARACTERS)
    assert is_question(result.messages[-1], SCORED[1])
    assert result.events == []


def test_an_empty_message_past_the_channel_repeats_the_question_and_changes_nothing(
        tracker_for, domain) -> None:
    """The Rasa shell has no channel guard: an empty answer is no miss."""
    slots = mid_scan({SCORED[0]: 2}, SCORED[1])
    result = run_action(tracker_for("   ", "nlu_fallback", slots=slots), domain)
    assert is_text("guard_empty", result.texts[0])
    assert is_question(result.messages[-1], SCORED[1])
    assert result.events == []


def test_a_2000_character_name_is_refused_and_the_name_asked_again(tracker_for,
                                                                  domain) -> None:
    draft = LeadDraft(stage="field", asking="name", consent_version=lead_flow.CONSENT_VERSION,
                      consent_given_at="2026-01-05T10:00:00+00:00")
    slots = finished({qid: 2 for qid in SCORED}, awaiting="lead_field", lead=draft.to_dict())
    result = run_action(tracker_for("Anne " * 400, "nlu_fallback", slots=slots), domain)
    assert is_text("field_too_long", result.texts[0])
    assert is_text("field_ask_name", result.texts[-1])
    assert result.events == []


def test_only_the_latest_user_message_counts_as_refused(tracker_for, domain) -> None:
    """An earlier refused message must not make the next real answer a repeat."""
    text, metadata = channel_refused("")
    earlier = [user_event(text, "nlu_fallback", metadata=metadata, message_id="m-0")]
    slots = mid_scan({}, SCORED[0])
    result = run_action(tracker_for(CONTENT.scale_button(3), "scan_answer", slots=slots,
                                    history=earlier), domain)
    assert result.scan().answers == {SCORED[0]: 3}
    assert is_question(result.messages[-1], SCORED[1])


def test_an_insult_is_answered_calmly_and_not_stored(tracker_for, domain) -> None:
    slots = mid_scan({}, SCORED[0])
    result = run_action(tracker_for("ja helemaal, stomme bot", "scan_answer", slots=slots),
                        domain)
    assert is_text("abuse_calm", result.texts[0])
    assert is_question(result.messages[-1], SCORED[0])
    assert result.events == []  # "ja helemaal" in it is not taken as the answer


def test_an_insult_is_left_out_of_the_transcript_for_the_advisor(chat, leads_url) -> None:
    from mkbscan.leads.store import LeadStore

    draft = LeadDraft(stage="field", asking="question", contact={
        "name": "Anne de Vries", "company": "Bakkerij Zon", "email": "anne@zon.nl",
        "phone": None, "moment": None}, asked=["phone", "moment"],
        consent_version=lead_flow.CONSENT_VERSION,
        consent_given_at="2026-01-05T10:00:00+00:00")
    session = chat(finished({qid: 2 for qid in SCORED}, awaiting="lead_field",
                            lead=draft.to_dict()))
    session.say("wat een waardeloze bot", "out_of_scope")
    session.say("nee", "deny")
    session.say("ja, versturen", "affirm")
    store = LeadStore(leads_url)
    try:
        [lead] = store.list_leads()
    finally:
        store.dispose()
    assert lead.conversation_id == SENDER
    assert "waardeloze" not in lead.transcript
    assert "ja, versturen" in lead.transcript  # the rest of what the user said is there

"""action_dialogue through the scan (actions/scan_moves.py): real trackers in, events and
messages out. Expected texts come from the content files, scores from mkbscan.scan.scoring."""

from __future__ import annotations

import base64
import hashlib
import json

from action_kit import (
    CONTENT,
    CONTEXT,
    finished,
    is_question,
    is_text,
    level_of,
    mid_scan,
    payloads,
    run_action,
    run_async,
    says,
    scored_ids,
    shown,
    slot_values,
)
from rasa_sdk.events import SlotSet

from actions.dialogue import ActionDialogue
from mkbscan.reading.reader import read_answer
from mkbscan.scan import scan_flow
from mkbscan.scan.result_text import score_lines
from mkbscan.scan.scan_flow import ScanState
from mkbscan.scan.scoring import compute_result

FIRST_CONTEXT = CONTENT.context[0].id
SCORED = scored_ids()
# A full set of answers with every level and "weet ik niet", for the last-answer tests.
LEVELS = [3, 2, 1, 0, None]
ALL_ANSWERS = {qid: LEVELS[i % len(LEVELS)] for i, qid in enumerate(SCORED)}


def scores_shown(answers) -> str:
    """The score message the result must show: compute_result's numbers (score_lines only
    lays them out, one line per theme and the total, then the band)."""
    return score_lines(compute_result(answers, CONTENT))


def test_greeting_on_an_empty_tracker_offers_the_scan(tracker_for, dispatcher, domain,
                                                      query) -> None:
    tracker = tracker_for("hallo", "greet")
    events = run_async(ActionDialogue().run(dispatcher, tracker, domain))
    # The first message opens the conversation's journey (for the advisor's insights).
    assert query("SELECT answers, last_question_id FROM scan_progress") == [
        {"answers": "{}", "last_question_id": None}]
    texts = [m["text"] for m in dispatcher.messages]
    assert is_text("greet", texts[0])
    assert is_text("offer_start", texts[-1])
    assert payloads(dispatcher.messages[-1]) == ["/start_scan", "/capabilities"]
    assert SlotSet("awaiting", "scan_offer") in events
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert ScanState.from_dict(slots["scan_state"]).status == scan_flow.NOT_STARTED


def test_start_scan_on_an_empty_tracker_asks_the_first_context_question(
        tracker_for, dispatcher, domain) -> None:
    tracker = tracker_for("/start_scan", "start_scan")
    events = run_async(ActionDialogue().run(dispatcher, tracker, domain))
    messages = dispatcher.messages
    assert is_text("scan_start", messages[0]["text"],
                   context_count=len(CONTENT.context), question_count=len(SCORED))
    assert is_text("scan_start_how", messages[1]["text"])
    assert is_question(messages[-1], FIRST_CONTEXT)
    assert len(messages) == 3
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["awaiting"] == "scan_question"
    state = ScanState.from_dict(slots["scan_state"])
    assert (state.status, state.current, state.answers, state.context) == (
        scan_flow.IN_PROGRESS, FIRST_CONTEXT, {}, {})


def test_yes_to_the_scan_offer_starts_the_scan(tracker_for, domain) -> None:
    result = run_action(tracker_for("ja hoor", "affirm", slots=slot_values("scan_offer")), domain)
    assert is_question(result.messages[-1], FIRST_CONTEXT)
    assert result.slots_set["awaiting"] == "scan_question"
    assert result.scan().current == FIRST_CONTEXT


def test_context_told_in_the_greeting_is_filled_in_when_the_scan_starts(chat) -> None:
    session = chat()
    greeted = session.say("Hallo, ik heb een IT-bureau met 12 mensen", "greet")
    told = greeted.scan().told
    assert set(told) == {"C1", "C3"} and greeted.scan().status == scan_flow.NOT_STARTED
    started = session.say("/start_scan", "start_scan")
    labels = [label for _, label in told.values()]
    assert any(is_text("scan_told", text) and all(label in text for label in labels)
               for text in started.texts)
    state = started.scan()
    assert state.context == {qid: value for qid, (value, _) in told.items()}
    # C1 and C3 are known: the first open question is C2, the only one asked beforehand.
    assert state.current == "C2" and is_question(started.messages[-1], "C2", number=1,
                                                 context_count=1)


def test_a_typed_answer_mid_scan_is_noted_and_the_next_question_asked(tracker_for,
                                                                      domain) -> None:
    before = {SCORED[0]: 3}
    slots = mid_scan(before, SCORED[1])
    result = run_action(tracker_for("grotendeels wel", "scan_answer", confidence=0.93,
                                    slots=slots), domain)
    level = level_of("grotendeels")
    assert is_text("noted", result.texts[0], label=CONTENT.scale_button(level).lower())
    assert is_question(result.messages[-1], SCORED[2])
    assert result.scan().answers == {**before, SCORED[1]: level}
    assert result.scan().current == SCORED[2]
    # Still waiting for a scan question: the awaiting slot is not written again.
    assert list(result.slots_set) == ["scan_state"]


def test_a_button_answer_is_stored_without_a_noted_message(tracker_for, domain) -> None:
    button = CONTENT.scale_button(1)
    slots = mid_scan({}, SCORED[0])
    result = run_action(tracker_for(button, "scan_answer", slots=slots), domain)
    assert not any(is_text("noted", text) for text in result.texts)
    assert result.scan().answers == {SCORED[0]: 1}
    assert is_question(result.messages[-1], SCORED[1])


def test_an_unclear_answer_is_asked_back_with_two_or_three_buttons(tracker_for, domain,
                                                                   query) -> None:
    before = {SCORED[0]: 2, SCORED[1]: 0}
    qid = SCORED[2]
    typed = "ja en nee eigenlijk"  # pulls two ways: always asked back
    slots = mid_scan(before, qid)
    result = run_action(tracker_for(typed, "scan_answer", confidence=0.7, slots=slots), domain)
    assert len(result.messages) == 1
    message = result.messages[0]
    assert is_text("check_back", message["text"])
    offered = read_answer(qid, typed).options
    assert 2 <= len(message["buttons"]) <= 3
    assert [b["title"] for b in message["buttons"]] == [CONTENT.scale_button(level)
                                                        for level in offered]
    assert payloads(message) == [b["title"] for b in message["buttons"]]
    state = result.scan()
    assert state.answers == before and state.current == qid  # nothing stored
    assert state.checking == list(offered)
    # The statistics in the store do not count it either.
    assert [json.loads(row["answers"]) for row in query("SELECT answers FROM scan_progress")] \
        == [before]


def test_an_unreadable_answer_is_asked_again_and_counted_as_a_miss(tracker_for,
                                                                   domain) -> None:
    qid = SCORED[4]
    slots = mid_scan({}, qid)
    result = run_action(tracker_for("wat is de hoofdstad van Frankrijk", "out_of_scope",
                                    confidence=0.6, slots=slots), domain)
    assert is_text("missed_once", result.texts[0])
    assert is_question(result.messages[-1], qid)
    state = result.scan()
    assert (state.answers, state.current, state.misses) == ({}, qid, 1)


def test_picking_one_of_the_asked_back_buttons_stores_that_level(chat) -> None:
    qid = SCORED[2]
    before = {SCORED[0]: 3, SCORED[1]: 3}
    session = chat(mid_scan(before, qid))
    asked = session.say("ja en nee eigenlijk", "scan_answer", confidence=0.7)
    second = asked.messages[0]["buttons"][1]["payload"]
    picked = session.say(second, "scan_answer")
    assert picked.scan().answers == before | {qid: level_of(second)}
    assert picked.scan().checking == []
    assert is_question(picked.messages[-1], SCORED[3])


def test_the_last_answer_gives_the_result_and_the_follow_up_offer(tracker_for, domain,
                                                                  query) -> None:
    last = SCORED[-1]
    before = {qid: level for qid, level in ALL_ANSWERS.items() if qid != last}
    slots = mid_scan(before, last)
    result = run_action(tracker_for("ja, helemaal", "affirm", slots=slots), domain)
    state = result.scan()
    assert state.status == scan_flow.FINISHED and state.current is None
    assert state.answers == {**before, last: level_of("ja, helemaal")}
    assert shown(scores_shown(state.answers), result.texts)
    assert says("result_intro", result.texts[0].split("\n")[0])  # a click is not "noted"
    # scores and phase, strengths and plan, the report's link, the offer
    assert len(result.messages) == 4
    assert len(state.report_token) >= 43  # 256 random bits
    assert f"/rapport/{state.report_token}" in result.texts[2]
    reports = query("SELECT token_hash, scan FROM reports")
    assert [r["token_hash"] for r in reports] == [
        hashlib.sha256(state.report_token.encode()).hexdigest()]
    assert json.loads(reports[0]["scan"])["answers"] == state.answers
    offer = result.messages[-1]
    assert is_text("followup_offer", offer["text"])
    assert payloads(offer) == ["/affirm", "/deny"]
    assert result.slots_set["awaiting"] == "followup_offer"
    assert "lead_state" not in result.slots_set
    rows = query("SELECT answers, finished FROM scan_progress")
    assert len(rows) == 1 and rows[0]["finished"] and json.loads(rows[0]["answers"]) == {
        qid: level for qid, level in state.answers.items()}


def test_the_result_shows_the_scores_of_the_pure_scoring(chat) -> None:
    """The same answers typed one by one: the scores shown are compute_result's."""
    typed = {3: "ja, helemaal", 2: "grotendeels", 1: "een beetje", 0: "nee, nog niet",
             None: "weet ik niet"}
    session = chat(mid_scan({}, SCORED[0]))
    for qid in SCORED:
        result = session.say(typed[ALL_ANSWERS[qid]], "scan_answer")
    assert result.scan().answers == ALL_ANSWERS
    assert shown(scores_shown(ALL_ANSWERS), result.texts)
    expected = compute_result(ALL_ANSWERS, CONTENT)
    assert f"{expected.total}/100" in scores_shown(ALL_ANSWERS)


def test_a_critical_question_at_no_caps_the_total_in_the_result(tracker_for, domain) -> None:
    critical = next(q.id for q in CONTENT.scored if q.critical)
    answers = {qid: 3 for qid in SCORED} | {critical: 0}
    expected = compute_result(answers, CONTENT)
    assert expected.capped  # else this test proves nothing
    last = SCORED[-1]
    slots = mid_scan({qid: level for qid, level in answers.items() if qid != last}, last)
    result = run_action(tracker_for(CONTENT.scale_button(answers[last]), "scan_answer",
                                    slots=slots), domain)
    assert shown(scores_shown(answers), result.texts)
    assert says("result_capped", result.texts[0], topics=CONTENT.scored_by_id(critical).topic)


def test_the_result_on_the_web_widget_is_one_card_then_the_offer(tracker_for,
                                                                  domain) -> None:
    last = SCORED[-1]
    answers = {**{qid: 2 for qid in SCORED[:-1]}, last: 1}
    slots = mid_scan({qid: 2 for qid in SCORED[:-1]}, last)
    result = run_action(tracker_for(CONTENT.scale_button(1), "scan_answer", slots=slots,
                                    channel="socketio"), domain)
    assert len(result.messages) == 2  # the card, then the follow-up offer
    data = result.messages[0]["custom"]["data"]
    card, expected = data["card"], compute_result(answers)
    assert not result.messages[0].get("text") and not result.messages[0].get("image")
    assert (card["total"], card["band"]) == (expected.total, expected.band)
    assert data["progress"]["question"] is False
    # The chart is SVG; its text alternative names every score.
    svg = base64.b64decode(card["chart"].removeprefix("data:image/svg+xml;base64,")).decode()
    assert svg.startswith("<svg") and "<title" in svg
    for _theme, score in expected.theme_scores:
        assert f" {score}" in card["chart_text"] and f">{score}</text>" in svg
    # The plan in the card is the plan the shell shows as text.
    rest = run_action(tracker_for(CONTENT.scale_button(1), "scan_answer", slots=slots,
                                  channel="rest"), domain)
    for step in card["plan"]["steps"]:
        assert step["action"] in rest.texts[1]
    assert is_text("followup_offer", result.texts[-1])


def test_the_result_elsewhere_is_text_with_bars(tracker_for, domain) -> None:
    slots = mid_scan({qid: 2 for qid in SCORED[:-1]}, SCORED[-1])
    result = run_action(tracker_for(CONTENT.scale_button(2), "scan_answer", slots=slots,
                                    channel="rest"), domain)
    assert not any(m.get("custom") or m.get("image") for m in result.messages)
    assert "█" in result.texts[0] and len(result.messages) == 4
    assert is_text("followup_offer", result.texts[-1])


def test_asking_why_mid_scan_explains_and_asks_the_same_question(tracker_for,
                                                                 domain) -> None:
    qid = SCORED[1]
    slots = mid_scan({SCORED[0]: 3}, qid)
    result = run_action(tracker_for("waarom vraag je dit?", "explain_question",
                                    slots=slots), domain)
    assert result.texts[0] == CONTENT.scored_by_id(qid).worded().explanation
    assert is_question(result.messages[-1], qid)
    assert result.events == []  # state unchanged: nothing written


def test_asking_progress_mid_scan_answers_and_goes_back_to_the_open_question(
        tracker_for, domain) -> None:
    answered = {qid: 2 for qid in SCORED[:4]}
    qid = SCORED[4]
    slots = mid_scan(answered, qid)
    result = run_action(tracker_for("hoe ver ben ik?", "ask_progress", slots=slots), domain)
    assert is_text("progress_left", result.texts[0], done=len(answered),
                   left=len(SCORED) - len(answered), question_count=len(SCORED))
    assert is_text("back_to_scan", result.texts[1])
    assert is_question(result.messages[-1], qid) and len(result.messages) == 3
    assert result.events == []


def test_pause_and_resume_keep_the_answers(chat) -> None:
    answered = {SCORED[0]: 3, SCORED[1]: 1}
    session = chat(mid_scan(answered, SCORED[2]))
    paused = session.say("ik ga even pauzeren", "pause_scan")
    assert is_text("pause_done", paused.texts[0])
    assert paused.slots_set["awaiting"] is None
    assert paused.scan().status == scan_flow.PAUSED and paused.scan().answers == answered
    resumed = session.say("/resume_scan", "resume_scan")
    assert is_text("scan_welcome_back", resumed.texts[0])
    assert is_question(resumed.messages[-1], SCORED[2])
    assert resumed.scan().answers == answered
    assert resumed.slots_set["awaiting"] == "scan_question"


def test_back_to_the_previous_question_names_the_answer_given(tracker_for, domain) -> None:
    answered = {SCORED[0]: 3, SCORED[1]: 1}
    slots = mid_scan(answered, SCORED[2])
    result = run_action(tracker_for("vorige vraag", "previous_question", slots=slots), domain)
    assert is_text("back_with_answer", result.texts[0], given=CONTENT.scale_button(1))
    assert is_question(result.messages[-1], SCORED[1])
    assert result.scan().current == SCORED[1] and result.scan().answers == answered


def test_a_correction_after_the_result_gives_the_new_result(tracker_for, domain) -> None:
    number = 3
    qid = SCORED[number - 1]
    answers = dict(ALL_ANSWERS) | {qid: 3}
    new_level = level_of("een beetje")
    slots = finished(answers)
    result = run_action(tracker_for("vraag 3 moet 'een beetje' zijn", "scan_answer",
                                    confidence=0.5, slots=slots), domain)
    question = CONTENT.scored_by_id(qid)
    assert is_text("correct_changed", result.texts[0], number=number, topic=question.topic,
                   new=CONTENT.scale_button(new_level), old=CONTENT.scale_button(3))
    assert says("correct_new_result", result.texts[1].split("\n")[0])
    state = result.scan()
    assert state.answers == answers | {qid: new_level}
    assert state.status == scan_flow.FINISHED
    assert scores_shown(state.answers) != scores_shown(answers)  # the result must change
    assert shown(scores_shown(state.answers), result.texts)
    assert not shown(scores_shown(answers), result.texts)
    assert "lead_state" not in result.slots_set


def test_a_correction_mid_scan_changes_the_answer_and_asks_the_open_question(
        tracker_for, domain) -> None:
    answers = {SCORED[0]: 0, SCORED[1]: 0}
    slots = mid_scan(answers, SCORED[2])
    result = run_action(tracker_for("bij vraag 1 bedoelde ik grotendeels", "scan_answer",
                                    slots=slots), domain)
    assert is_text("correct_changed", result.texts[0], number=1,
                   new=CONTENT.scale_button(2), old=CONTENT.scale_button(0))
    assert is_question(result.messages[-1], SCORED[2])
    assert result.scan().answers == answers | {SCORED[0]: 2}
    assert list(result.slots_set) == ["scan_state"]


def test_restart_asks_first_and_then_starts_over(chat) -> None:
    session = chat(mid_scan({SCORED[0]: 3}, SCORED[1]))
    asked = session.say("opnieuw beginnen", "restart_scan")
    assert is_text("restart_sure", asked.texts[0])
    assert payloads(asked.messages[0]) == ["/affirm", "/deny"]
    assert asked.slots_set == {"awaiting": "restart_confirm"}
    restarted = session.say("ja", "affirm")
    assert is_text("restart_done", restarted.texts[0])
    assert restarted.scan().answers == {} and restarted.scan().context == {}
    assert is_question(restarted.messages[-1], FIRST_CONTEXT)


def test_context_answers_fill_the_context(chat) -> None:
    session = chat()
    session.say("/start_scan", "start_scan")
    for qid, typed in zip(CONTEXT, ("productie", "een nieuwe partner", "25"), strict=True):
        result = session.say(typed, "scan_answer")
        assert result.scan().context[qid] == CONTEXT[qid]
    assert is_question(result.messages[-1], SCORED[0])
    theme = CONTENT.theme_of(SCORED[0])
    assert theme.intro in result.texts  # the first theme is introduced before its question
    assert any(is_text("noted", text) for text in result.texts)  # typed, not clicked


def test_the_web_widget_hears_where_the_scan_is_with_each_question(tracker_for,
                                                                   domain) -> None:
    """Socketio only: after each question a custom {"progress": …} for the widget's bar and
    its "Vorige"/"Waarom?" buttons; at the result the bar is full."""
    steps = len(CONTENT.order)
    first = SCORED[0]
    slots = mid_scan({}, first)
    widget = run_action(tracker_for(CONTENT.scale_button(2), "scan_answer", slots=slots,
                                    channel="socketio"), domain)
    progress = [m["custom"] for m in widget.messages if m.get("custom")]
    step = CONTENT.order.index(SCORED[1]) + 1
    assert progress == [{"data": {"progress": {"step": step, "total": steps,
                                                "question": True}}}]
    rest = run_action(tracker_for(CONTENT.scale_button(2), "scan_answer", slots=slots,
                                  channel="rest"), domain)
    assert not any(m.get("custom") for m in rest.messages)

    last = SCORED[-1]
    done = run_action(tracker_for(CONTENT.scale_button(2), "scan_answer",
                                  slots=mid_scan({q: 2 for q in SCORED[:-1]}, last),
                                  channel="socketio"), domain)
    assert [m["custom"]["data"]["progress"] for m in done.messages if m.get("custom")] == [
        {"step": steps, "total": steps, "question": False}]  # with the result card

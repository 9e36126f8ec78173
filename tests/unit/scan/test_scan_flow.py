"""The scan conversation as a state machine, without Rasa."""

from __future__ import annotations

from mkbscan.scan import scan_flow
from mkbscan.scan.questions import Profile, load_content
from mkbscan.scan.scan_flow import ScanState
from mkbscan.scan.snapshot import Answer, ScanSnapshot, Scores, ThemeScore

CONTENT = load_content()


def texts(turn: scan_flow.Turn) -> str:
    return "\n".join(m.text for m in turn.messages)


def started() -> ScanState:
    return scan_flow.start(ScanState()).state


def through_context(state: ScanState) -> ScanState:
    for answer in ("productie", "een nieuwe partner", "25"):
        state = scan_flow.answer(state, answer).state
    return state


def test_start_explains_and_asks_the_first_context_question() -> None:
    turn = scan_flow.start(ScanState())
    assert "3 korte vragen" in texts(turn) and "13 vragen" in texts(turn)
    assert "Persoonlijke gegevens" in texts(turn)
    assert turn.state.current == "C1" and turn.awaiting == scan_flow.AWAIT_QUESTION
    assert [b.title for b in turn.messages[-1].buttons][0] == "Productie"


def test_progress_and_theme_intro() -> None:
    state = started()
    for answer in ("productie", "een nieuwe partner"):
        state = scan_flow.answer(state, answer).state
    turn = scan_flow.answer(state, "25")
    assert turn.messages[0].text == "Genoteerd: 25 (klein (10-49))."
    assert "Partnerkeuze" in turn.messages[1].text
    assert turn.messages[-1].text.startswith("Vraag 1 van 13\n")
    assert [b.title for b in turn.messages[-1].buttons] == [
        "Ja, helemaal", "Grotendeels", "Een beetje", "Nee, nog niet", "Weet ik niet"]
    state = turn.state
    for _ in range(5):
        state = scan_flow.answer(state, "grotendeels").state
    turn = scan_flow.answer(state, "ja")
    assert turn.messages[0].text == "Genoteerd: ja, helemaal."
    assert "Gelijkwaardigheid" in turn.messages[1].text
    assert "Vraag 7 van 13" in turn.messages[-1].text


def test_a_full_scan_gives_the_result_and_the_follow_up_offer() -> None:
    state = through_context(started())
    replies = ["nee nog niet"] + ["ja helemaal"] * 12
    for reply in replies[:-1]:
        state = scan_flow.answer(state, reply).state
    turn = scan_flow.answer(state, replies[-1])
    body = texts(turn)
    assert "Partnerkeuze: 79/100\nGelijkwaardigheid: 100/100\nTotaalscore: 59/100\nVoorbereiden" \
        in body
    assert f"maximaal {CONTENT.cap}" in body and CONTENT.scored_by_id("P1").topic in body
    assert turn.awaiting == scan_flow.AWAIT_FOLLOWUP
    assert turn.state.status == scan_flow.FINISHED
    assert "Marco" in turn.messages[-1].text
    assert [b.payload for b in turn.messages[-1].buttons] == ["/affirm", "/deny"]


def test_unreadable_answer_twice_offers_an_explanation_and_a_skip() -> None:
    state = through_context(started())
    # the NLU heard no answer in it (nlu_fallback), so only cue words could make it one
    first = scan_flow.answer(state, "banaan", allow_free_text=False)
    assert "niet goed plaatsen" in texts(first) and first.state.current == "P1"
    second = scan_flow.answer(first.state, "banaan", allow_free_text=False)
    # the second time in other words
    assert CONTENT.scored_by_id("P1").worded().explanation_again in texts(second)
    assert "Weet ik niet" in texts(second)
    skipped = scan_flow.answer(second.state, "Weet ik niet")
    assert skipped.state.answers["P1"] is None and skipped.state.current == "P2"


def test_context_question_can_be_skipped_after_two_misses() -> None:
    state = started()
    state = scan_flow.answer(state, "productie").state
    state = scan_flow.answer(state, "pfff").state
    turn = scan_flow.answer(state, "pfff")
    assert "Overslaan" in [b.title for b in turn.messages[-1].buttons]
    after = scan_flow.answer(turn.state, "Overslaan")
    assert after.state.context["C2"] == "onbekend" and after.state.current == "C3"


def test_explain_repeats_the_same_question() -> None:
    state = through_context(started())
    state = scan_flow.answer(state, "ja").state
    turn = scan_flow.explain(state)
    assert turn is not None
    assert turn.messages[0].text == CONTENT.scored_by_id("P2").worded().explanation
    assert "Vraag 2 van 13" in turn.messages[-1].text and turn.state.current == "P2"


def test_explain_without_an_open_question() -> None:
    assert scan_flow.explain(ScanState()) is None


def test_back_reopens_the_previous_answer_and_continues_after_it() -> None:
    state = through_context(started())
    state = scan_flow.answer(state, "grotendeels").state
    state = scan_flow.answer(state, "een beetje").state
    turn = scan_flow.back(state)
    assert turn.state.current == "P2" and "'Een beetje'" in texts(turn)
    after = scan_flow.answer(turn.state, "ja helemaal")
    assert after.state.answers["P2"] == 3 and after.state.current == "P3"


def test_back_at_the_first_question() -> None:
    turn = scan_flow.back(started())
    assert "eerste vraag" in texts(turn) and turn.state.current == "C1"


def test_back_after_the_result_reopens_the_last_question() -> None:
    state = through_context(started())
    for _ in range(13):
        state = scan_flow.answer(state, "ja").state
    turn = scan_flow.back(state)
    assert turn.state.current == "G7" and turn.state.status == scan_flow.IN_PROGRESS
    again = scan_flow.answer(turn.state, "nee")
    assert again.result is not None and again.result.theme_score("gelijkwaardigheid") == 88


def test_pause_and_resume_at_the_first_unanswered_question() -> None:
    state = through_context(started())
    state = scan_flow.answer(state, "ja").state
    paused = scan_flow.pause(state)
    assert paused.state.status == scan_flow.PAUSED and paused.awaiting is None
    assert scan_flow.reprompt(paused.state) is None
    resumed = scan_flow.start(ScanState.from_dict(paused.state.to_dict()))
    assert "Welkom terug" in texts(resumed) and resumed.state.current == "P2"


def test_restart_needs_confirmation_and_clears_answers() -> None:
    state = through_context(started())
    ask = scan_flow.ask_restart(state)
    assert ask.awaiting == scan_flow.AWAIT_RESTART and ask.state.context
    turn = scan_flow.restart()
    assert turn.state.context == {} and turn.state.current == "C1"


def test_reprompt_repeats_the_open_question() -> None:
    state = through_context(started())
    turn = scan_flow.reprompt(state)
    assert turn is not None and "Vraag 1 van 13" in texts(turn)


def test_start_after_finishing_offers_a_restart() -> None:
    state = through_context(started())
    for _ in range(13):
        state = scan_flow.answer(state, "grotendeels").state
    turn = scan_flow.start(state)
    assert "67/100" in texts(turn) and turn.state.status == scan_flow.FINISHED


def test_state_round_trips_through_a_dict() -> None:
    state = through_context(started())
    state = scan_flow.answer(state, "weet ik niet").state
    assert ScanState.from_dict(state.to_dict()) == state


def test_snapshot_for_a_partial_scan() -> None:
    state = through_context(started())
    state = scan_flow.answer(state, "grotendeels").state
    data = scan_flow.snapshot(state)
    assert data.part_done == "deels: 3 van 3 contextvragen, 1 van 13 vragen"
    assert data.answers == (Answer("P1", CONTENT.scored_by_id("P1").text, "Grotendeels"),)
    assert data.scores is None
    assert data.context[2] == Answer("C3", CONTENT.context_by_id("C3").text,
                                     "25 (klein (10-49))")


def test_snapshot_for_a_finished_scan_holds_scores_and_advice() -> None:
    state = through_context(started())
    for reply in ["weet ik niet"] + ["ja"] * 12:
        state = scan_flow.answer(state, reply).state
    data = scan_flow.snapshot(state)
    assert data.part_done == "volledig"
    assert data.scores == Scores(themes=(ThemeScore("partnerkeuze", "Partnerkeuze", 79),
                                         ThemeScore("gelijkwaardigheid", "Gelijkwaardigheid", 100)),
                                 total=59, band="Voorbereiden", capped=True)
    assert len(data.advice) == 1 and data.unknowns == (CONTENT.scored_by_id("P1").topic,)
    assert ScanSnapshot.from_dict(data.to_dict()) == data


def test_context_told_before_the_start_is_filled_in_and_said_in_one_line() -> None:
    state = scan_flow.note_told(ScanState(), "Hallo, ik ben Sanne, ik heb een klein IT-bureau "
                                             "met 12 mensen")
    turn = scan_flow.start(state)
    assert turn.state.context == {"C1": "IT", "C3": "12"}
    assert "Wat je al vertelde, noteer ik meteen: IT en 12 (klein (10-49))" in texts(turn)
    assert turn.state.current == "C2"
    assert "Eerst één korte vraag" in texts(turn) and "3 korte vragen" not in texts(turn)
    untouched = scan_flow.note_told(ScanState(), "ik kom over 5 minuten terug")
    assert untouched.told == {}


def test_the_explanation_is_not_repeated_after_a_third_miss() -> None:
    state = through_context(started())
    for _ in range(2):
        state = scan_flow.answer(state, "banaan", allow_free_text=False).state
    third = scan_flow.answer(state, "banaan", allow_free_text=False)
    assert "Ik leg het even anders uit" not in texts(third)
    assert "nog steeds niet plaatsen" in texts(third) and third.state.current == "P1"


def test_the_questions_and_the_snapshot_use_the_track_s_wording() -> None:
    state = started()
    for answer in ("productie", "onze vaste leverancier", "25"):
        state = scan_flow.answer(state, answer).state
    turn = scan_flow.answer(state, "grotendeels")
    existing = Profile(track="existing", sector="productie")
    assert CONTENT.scored_by_id("P2").worded(existing).text in texts(turn)
    snapshot = scan_flow.snapshot(turn.state)
    assert snapshot.answers[0].question == CONTENT.scored_by_id("P1").worded(existing).text
    assert snapshot.answers[0].question != CONTENT.scored_by_id("P1").text
    assert snapshot.strengths == () and snapshot.advice == ()  # not finished yet


def test_a_partner_s_scan_counts_only_the_questions_it_asks() -> None:
    """The invitation gives the kind of partnership: two questions beforehand, not three;
    with sector and size told as well, none."""
    partner = ScanState(partner_scan=True, context={"C2": "bestaand"},
                        context_labels={"C2": "Een bestaande partner"})
    turn = scan_flow.start(partner)
    assert "Eerst 2 korte vragen" in texts(turn) and turn.state.current == "C1"
    assert "Vooraf 1 van 2" in texts(turn)
    after = scan_flow.answer(ScanState.from_dict(turn.state.to_dict()), "IT")
    assert "Vooraf 2 van 2" in texts(after) and after.state.current == "C3"
    told = scan_flow.note_told(partner, "ik heb een IT-bedrijf met 12 mensen")
    turn = scan_flow.start(told)
    assert "korte vra" not in texts(turn) and "Je krijgt 13 vragen" in texts(turn)
    assert turn.state.current == CONTENT.scored[0].id

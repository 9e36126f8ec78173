"""The router alone: for each open state and message, the plan it returns."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkbscan.dialogue import rules
from mkbscan.dialogue.reprompt import ask_again, reprompt
from mkbscan.dialogue.router import (
    CONFIRMATIONS,
    ROUTED_INTENTS,
    Heard,
    Move,
    Reply,
    route,
)
from mkbscan.dialogue.states import YES_NO, Awaiting
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.scan import scan_flow
from mkbscan.scan.scan_flow import ScanState

IDLE = ScanState()


def in_scan(at: str = "P2") -> ScanState:
    state = scan_flow.start(ScanState()).state
    state.current = at
    return state


def plan(awaiting: Awaiting | None, text: str, intent: str | None, confidence: float = 0.99,
         scan: ScanState = IDLE, lead: LeadDraft | None = None, refused: bool = False):
    return route(awaiting, Heard(text, intent, confidence, refused), scan, lead or LeadDraft())


def test_every_domain_intent_is_routed_and_the_rules_file_is_generated() -> None:
    domain = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) | {"nlu_fallback"} == set(ROUTED_INTENTS)
    assert rules.RULES_FILE.read_text(encoding="utf-8") == rules.rules_yaml(), \
        "data/rules/dialogue.yml is stale: run python -m mkbscan.dialogue.rules"
    assert domain["actions"] == [rules.ACTION]


def test_every_yes_no_state_has_both_branches() -> None:
    assert set(CONFIRMATIONS) == YES_NO


@pytest.mark.parametrize("intent", ["scan_answer", "affirm", "deny", "nlu_fallback",
                                    "out_of_scope", "provide_contact"])
def test_an_open_scan_question_takes_anything_that_can_carry_an_answer(intent: str) -> None:
    assert plan(Awaiting.SCAN_QUESTION, "grotendeels", intent, scan=in_scan()) == \
        [Move.SCAN_ANSWER]


def test_an_unsure_side_step_loses_to_text_that_reads_as_an_answer() -> None:
    scan = in_scan("C3")
    assert plan(Awaiting.SCAN_QUESTION, "10 tot 49", "goodbye", 0.5, scan) == [Move.SCAN_ANSWER]
    assert plan(Awaiting.SCAN_QUESTION, "10 tot 49", "goodbye", 0.95, scan) == \
        [Reply("goodbye")]
    assert plan(Awaiting.SCAN_QUESTION, "tot ziens", "goodbye", 0.5, scan) == [Reply("goodbye")]


def test_navigation_is_never_taken_for_an_answer() -> None:
    scan = in_scan()
    assert plan(Awaiting.SCAN_QUESTION, "terug", "previous_question", 0.3, scan) == \
        [Move.SCAN_BACK]
    assert plan(Awaiting.SCAN_QUESTION, "waarom?", "explain_question", 0.3, scan) == \
        [Move.SCAN_EXPLAIN]


def test_a_no_to_the_scan_offer_is_the_same_whether_the_nlu_heard_deny_or_nothing() -> None:
    # Before the router, `deny` said "geen probleem" and `nlu_fallback` repeated the offer.
    as_deny = plan(Awaiting.SCAN_OFFER, "nee hoor", "deny")
    as_fallback = plan(Awaiting.SCAN_OFFER, "nee hoor", "nlu_fallback", 0.2)
    assert as_deny == as_fallback == [Reply("no_problem")]


@pytest.mark.parametrize("awaiting", sorted(YES_NO, key=lambda a: a.value))
def test_yes_no_questions_read_unclear_words(awaiting: Awaiting) -> None:
    yes, no = CONFIRMATIONS[awaiting]
    assert plan(awaiting, "ja hoor, doe maar", "nlu_fallback", 0.3) == yes
    assert plan(awaiting, "nee, liever niet", "nlu_fallback", 0.3) == no
    unclear = plan(awaiting, "hmm tja", "nlu_fallback", 0.3)
    assert unclear[-1] == Move.ASK_AGAIN and isinstance(unclear[0], Reply)


def test_consent_and_sending_need_an_unmistakable_yes() -> None:
    assert plan(Awaiting.LEAD_CONSENT, "ik heb er bezwaar tegen", "affirm") == \
        [Move.CONSENT_UNCLEAR]
    assert plan(Awaiting.LEAD_CONSENT, "/affirm", "affirm") == [Move.CONSENT_GIVEN]
    assert plan(Awaiting.LEAD_CONFIRM, "prima zo", "affirm") == [Move.LEAD_SUBMIT]
    assert plan(Awaiting.LEAD_CONFIRM, "weet niet", "affirm") == [Move.SENDING_UNCLEAR]


def test_a_contact_detail_goes_to_the_hand_over_even_when_it_looks_like_small_talk() -> None:
    for intent in ("greet", "thank", "deny", "provide_contact", "ask_about_marco"):
        assert plan(Awaiting.LEAD_FIELD, "Hallo Kuijpers", intent) == [Move.LEAD_INPUT]
    assert plan(Awaiting.LEAD_FIELD, "stop maar, wis alles", "request_erasure") == \
        [Move.ERASE_ASK]


def test_side_steps_answer_then_ask_again_what_is_open() -> None:
    assert plan(Awaiting.SCAN_QUESTION, "wie is Marco?", "ask_about_marco", scan=in_scan()) == \
        [Reply("topic_about_marco"), Reply("topic_about_marco_more"), Move.REPROMPT]
    assert plan(None, "hoi", "greet") == [Reply("greet"), Move.REPROMPT]


def test_a_refused_message_only_repeats_what_is_open() -> None:
    assert plan(Awaiting.LEAD_CONSENT, "", "nlu_fallback", refused=True) == [Move.REPEAT]


def test_why_depends_on_what_is_open() -> None:
    lead = LeadDraft(stage="field", asking="email")
    assert plan(Awaiting.LEAD_FIELD, "waarom?", "explain_question", lead=lead) == \
        [Move.LEAD_EXPLAIN]
    assert plan(Awaiting.SCAN_QUESTION, "waarom?", "explain_question", scan=in_scan()) == \
        [Move.SCAN_EXPLAIN]
    assert plan(None, "waarom?", "explain_question") == [Reply("capabilities"), Move.REPROMPT]


def test_every_move_has_a_handler() -> None:
    from actions.dialogue import HANDLERS

    assert set(HANDLERS) == set(Move)


def test_questions_about_the_scan_answer_then_go_back_to_what_was_open() -> None:
    scan = in_scan()
    for intent, move in (("ask_progress", Move.PROGRESS), ("show_result", Move.SHOW_RESULT),
                         ("what_now", Move.WHAT_NOW)):
        assert plan(Awaiting.SCAN_QUESTION, "hoe ver ben ik?", intent, 0.5, scan) == \
            [move, Move.REPROMPT]


def test_working_on_it_alone_declines_the_follow_up_kindly() -> None:
    assert plan(Awaiting.FOLLOWUP_OFFER, "nee, eerst zelf aan de slag", "decline_self") == \
        [Move.SELF_WORK, Move.LEAD_DECLINE]


def test_a_plain_no_after_the_result_does_not_offer_the_scan_again() -> None:
    finished = ScanState(status=scan_flow.FINISHED)
    assert plan(None, "nee dank je", "deny", scan=finished) == [Reply("followup_declined")]
    assert plan(None, "nee dank je", "deny", scan=in_scan()) == [Reply("no_problem_scan")]


def test_the_dutch_only_note_comes_once_and_english_answers_are_read() -> None:
    first = plan(None, "do you speak english?", "other_language")
    assert first == [Reply("other_language", once=True), Move.REPROMPT]
    again = route(None, Heard("hello??", "other_language", 0.9,
                              given=frozenset({"other_language"})), IDLE, LeadDraft())
    assert again == [Reply("default"), Move.REPROMPT]
    assert plan(Awaiting.SCAN_QUESTION, "mostly, yes", "other_language", 0.9, in_scan()) == \
        [Move.SCAN_ANSWER]


def test_an_insult_is_answered_calmly_wherever_it_comes() -> None:
    for awaiting in (Awaiting.SCAN_QUESTION, Awaiting.LEAD_FIELD, None):
        assert plan(awaiting, "je bent een waardeloze bot, idioot", "scan_answer",
                    scan=in_scan()) == [Reply("abuse_calm"), Move.REPROMPT]


def test_details_before_consent_are_held_not_stored() -> None:
    text = "Ik ben Els Jansen, els@jansenbouw.nl"
    assert plan(Awaiting.FOLLOWUP_OFFER, text, "provide_contact") == [Move.HOLD_DETAILS]
    assert plan(Awaiting.LEAD_FIELD, text, "provide_contact") == [Move.LEAD_INPUT]
    submitted = LeadDraft(stage="submitted")
    assert plan(None, text, "provide_contact", lead=submitted) != [Move.HOLD_DETAILS]


def test_a_yes_with_details_at_the_consent_question_gives_consent_and_keeps_them() -> None:
    assert plan(Awaiting.LEAD_CONSENT, "ja hoor, mail maar naar an@zon.nl", "affirm") == \
        [Move.HOLD_QUIETLY, Move.CONSENT_GIVEN]
    assert plan(Awaiting.LEAD_CONSENT, "an@zon.nl", "provide_contact") == [Move.HOLD_DETAILS]


def test_asking_for_erasure_again_at_its_confirmation_is_a_yes() -> None:
    assert plan(Awaiting.ERASE_CONFIRM, "ja, wis alles", "request_erasure") == [Move.ERASE]
    assert plan(Awaiting.ERASE_CONFIRM, "verwijder alles maar", "request_erasure") == \
        [Move.ERASE]
    assert plan(Awaiting.ERASE_CONFIRM, "nee, toch niet wissen", "request_erasure") == \
        list(CONFIRMATIONS[Awaiting.ERASE_CONFIRM][1])


@pytest.mark.parametrize("awaiting", sorted(YES_NO, key=lambda a: a.value))
def test_a_question_in_passing_is_asked_back_not_taken_for_a_no(awaiting: Awaiting) -> None:
    """ "ik hoor niks" in a question about the partner is no "no" to the open question."""
    text = "Ik heb vorige week de loonwerker uitgenodigd, maar ik hoor niks. Is hij al bezig?"
    steps = plan(awaiting, text, "nlu_fallback", 0.4)
    assert steps in ([Reply("unclear_yes_no"), Move.ASK_AGAIN],
                     [Reply("unclear_consent"), Move.ASK_AGAIN]), steps


@pytest.mark.parametrize("text", ["geen vraag", "Nee, geen vraag", "sla over"])
def test_a_skip_at_an_optional_field_is_its_answer_whatever_the_nlu_heard(text: str) -> None:
    asking = LeadDraft(stage="field", asking="question")
    assert plan(Awaiting.LEAD_FIELD, text, "explain_question", lead=asking) == [Move.LEAD_INPUT]
    asking_name = LeadDraft(stage="field", asking="name")  # not skippable: a side step
    assert plan(Awaiting.LEAD_FIELD, "sla over", "explain_question", lead=asking_name) == \
        [Move.LEAD_EXPLAIN]


@pytest.mark.parametrize(("awaiting", "text", "intent", "expected"), [
    (Awaiting.INVITE_CONSENT, "ja, maak maar een code", "have_code", [Move.INVITE_CONSENT]),
    (Awaiting.INVITE_CONSENT, "nee, toch geen code", "invite_partner", [Move.INVITE_REFUSED]),
    (Awaiting.INVITE_CONSENT, "maak een code", "have_code", [Move.INVITE_UNCLEAR]),
    (Awaiting.SCAN_OFFER, "nee, toch geen scan nu", "start_scan", [Reply("no_problem")]),
    (Awaiting.LEAD_CONSENT, "ja, stuur het maar naar Marco", "request_advisor",
     [Move.CONSENT_GIVEN]),
    (Awaiting.ERASE_CONFIRM, "ja, wis alles", "request_erasure", [Move.ERASE]),
    (Awaiting.ERASE_CONFIRM, "nee, wis niks", "request_erasure", [Move.ERASE_CANCEL]),
])
def test_a_request_for_what_is_asked_is_the_answer(awaiting: Awaiting, text: str, intent: str,
                                                   expected: list) -> None:
    assert plan(awaiting, text, intent) == expected


@pytest.mark.parametrize(("text", "intent"), [
    ("kost dat gesprek niks?", "deny"),
    ("Waarom zou ik niet gewoon zelf verder gaan?", "deny"),
    ("Is dat goed voor een klein bedrijf als het mijne?", "affirm"),
    ("graag zelfs", "deny"),  # the words say yes: not a silent no
])
def test_a_question_the_nlu_took_for_yes_or_no_is_asked_back(text: str, intent: str) -> None:
    assert plan(Awaiting.FOLLOWUP_OFFER, text, intent) == [Reply("unclear_yes_no"),
                                                          Move.ASK_AGAIN]


def test_after_an_unclear_answer_the_follow_up_offer_is_asked_again() -> None:
    """Not the menu a side step gets: "Kies je ja of nee?" needs the question with it."""
    finished = ScanState(status=scan_flow.FINISHED)
    again = ask_again(Awaiting.FOLLOWUP_OFFER, finished, LeadDraft())
    assert again.awaiting is Awaiting.FOLLOWUP_OFFER
    assert [m.text for m in again.messages] == [scan_flow.followup_offer().text]
    side_step = reprompt(Awaiting.FOLLOWUP_OFFER, finished, LeadDraft())
    assert side_step.awaiting is None and side_step.messages[0].text != again.messages[0].text

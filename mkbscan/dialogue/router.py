"""Decide what happens next, for the open state and what the user said.

`route` is the only place where the conversation branches. It returns a plan: replies to
show and moves for the glue to carry out (the moves call the pure flows in
mkbscan.scan.scan_flow and mkbscan.leads.lead_flow and, for a lead or an erasure, the store).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from mkbscan.dialogue.states import YES_NO, Awaiting
from mkbscan.leads import lead_flow
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.reading.abuse import is_abusive
from mkbscan.reading.corrections import find_correction
from mkbscan.reading.partner_cues import (
    HAVE_CODE,
    INVITE_PARTNER,
    PARTNER_RESULT,
    partner_request,
)
from mkbscan.scan import scan_flow
from mkbscan.scan.answers import context_in_passing, parse_yes_no
from mkbscan.scan.invite_code import find_code
from mkbscan.scan.questions import load_content
from mkbscan.scan.scan_flow import ScanState


class Move(str, Enum):
    REPROMPT = "reprompt"  # ask again what is open, or offer a way forward
    REPEAT = "repeat"  # the open question once more (the channel refused the message)
    ASK_AGAIN = "ask_again"  # a yes/no question once more, after an unclear answer
    SCAN_START = "scan_start"  # start, or resume where the user was
    SCAN_ANSWER = "scan_answer"
    SCAN_EXPLAIN = "scan_explain"
    SCAN_PAUSE = "scan_pause"
    SCAN_BACK = "scan_back"
    SCAN_ASK_RESTART = "scan_ask_restart"
    SCAN_RESTART = "scan_restart"
    LEAD_START = "lead_start"
    LEAD_DECLINE = "lead_decline"
    CONSENT_GIVEN = "consent_given"
    CONSENT_REFUSED = "consent_refused"
    CONSENT_UNCLEAR = "consent_unclear"
    LEAD_INPUT = "lead_input"
    LEAD_EXPLAIN = "lead_explain"
    LEAD_SUBMIT = "lead_submit"
    SENDING_UNCLEAR = "sending_unclear"
    ERASE_ASK = "erase_ask"
    ERASE = "erase"
    ERASE_CANCEL = "erase_cancel"
    PROGRESS = "progress"  # how far am I, how many are left
    SHOW_RESULT = "show_result"
    WHAT_NOW = "what_now"
    SELF_WORK = "self_work"  # "ik ga eerst zelf aan de slag"
    SCAN_CORRECT = "scan_correct"  # "bij vraag 5 bedoelde ik grotendeels"
    HOLD_DETAILS = "hold_details"  # contact details typed before consent: held, consent asked
    HOLD_QUIETLY = "hold_quietly"  # held, without asking (the same message gave consent)
    NOTE_TOLD = "note_told"  # context told before the scan starts, kept for when it does
    REPORT_MAIL_ASK = "report_mail_ask"  # "mail me het rapport": its own consent first
    REPORT_MAIL_CONSENT = "report_mail_consent"
    REPORT_MAIL_REFUSED = "report_mail_refused"
    REPORT_MAIL_UNCLEAR = "report_mail_unclear"
    REPORT_MAIL_ADDRESS = "report_mail_address"
    INVITE_ASK = "invite_ask"  # "ik wil mijn partner uitnodigen": what it means, consent
    INVITE_CONSENT = "invite_consent"
    INVITE_REFUSED = "invite_refused"
    INVITE_UNCLEAR = "invite_unclear"
    CODE_ENTER = "code_enter"  # the partner's code, or "ik heb een code"
    PARTNER_RESULT = "partner_result"  # "wat vond mijn partner?"


@dataclass(frozen=True)
class Reply:
    key: str  # a key of content/replies.yml
    once: bool = False  # at most once per conversation (Heard.given lists those shown)


Step = Move | Reply


@dataclass(frozen=True)
class Heard:
    """What reached the dialogue: the text, the NLU's intent, and the channel's verdict."""

    text: str
    intent: str | None
    confidence: float = 1.0
    refused: bool = False  # the channel refused the message and told the user why
    given: frozenset[str] = frozenset()  # once-only replies this conversation already had


TOPICS = {
    "ask_core_noncore": "topic_core_noncore",
    "ask_partner_vs_supplier": "topic_partner_vs_supplier",
    "ask_equality_size": "topic_equality_size",
    "ask_joint_sessions": "topic_joint_sessions",
    "ask_circular": "topic_circular",
    "ask_about_marco": "topic_about_marco",
    "ask_privacy": "topic_privacy",
    "ask_scoring": "topic_scoring",
}
SMALL_TALK = {
    "greet": ("greet",),
    "thank": ("thank",),
    "bot_challenge": ("bot_challenge",),
    "capabilities": ("capabilities", "capabilities_more"),
    "out_of_scope": ("out_of_scope",),
    "nlu_fallback": ("default",),
    "provide_contact": ("default",),
}
NAVIGATION = {
    "start_scan": Move.SCAN_START,
    "resume_scan": Move.SCAN_START,
    "pause_scan": Move.SCAN_PAUSE,
    "previous_question": Move.SCAN_BACK,
    "restart_scan": Move.SCAN_ASK_RESTART,
    "request_advisor": Move.LEAD_START,
    "request_erasure": Move.ERASE_ASK,
    "correct_field": Move.LEAD_INPUT,
    "email_report": Move.REPORT_MAIL_ASK,
    "invite_partner": Move.INVITE_ASK,
    "have_code": Move.CODE_ENTER,
}
# Questions about the scan itself: answered, then back to where the user was.
ABOUT_THE_SCAN = {
    "ask_progress": Move.PROGRESS,
    "show_result": Move.SHOW_RESULT,
    "what_now": Move.WHAT_NOW,
    "partner_result": Move.PARTNER_RESULT,
}
# Intents that can carry an answer to an open scan question: the answer reader decides.
ANSWER_INTENTS = frozenset({"scan_answer", "affirm", "deny", "nlu_fallback", "out_of_scope",
                            "provide_contact", "correct_field"})
# Side steps a user asks for on purpose: never taken for an answer, however unsure the NLU.
NAVIGATION_INTENTS = frozenset({"pause_scan", "resume_scan", "restart_scan",
                                "previous_question", "explain_question", "request_erasure",
                                "request_advisor", "ask_progress", "show_result",
                                "email_report", "invite_partner", "have_code",
                                "partner_result"})
# Below this confidence a side-step intent loses to text that reads as an answer ("10 tot
# 49" looks like goodbye to the NLU: "tot ziens").
SIDE_STEP_CONFIDENCE = 0.8
# While a contact detail is asked, these go to the hand-over (a name can look like a
# greeting, "nee" skips an optional field, a topic question is answered in between).
FIELD_INTENTS = frozenset({"provide_contact", "scan_answer", "affirm", "deny", "nlu_fallback",
                           "out_of_scope", "other_language", "greet", "thank", "capabilities",
                           "bot_challenge"} | (set(TOPICS) - {"ask_privacy"}))
# Intents a yes/no question reads as (or tries to read as) its answer; others are side steps.
CONFIRMING_INTENTS = frozenset({"affirm", "deny", "nlu_fallback", "scan_answer",
                                "provide_contact"})
# yes, no for each yes/no question.
CONFIRMATIONS: dict[Awaiting, tuple[list[Step], list[Step]]] = {
    Awaiting.SCAN_OFFER: ([Move.SCAN_START], [Reply("no_problem")]),
    Awaiting.RESTART_CONFIRM: ([Move.SCAN_RESTART], [Move.REPROMPT]),
    Awaiting.FOLLOWUP_OFFER: ([Move.LEAD_START], [Reply("followup_declined"), Move.LEAD_DECLINE]),
    Awaiting.LEAD_CONSENT: ([Move.CONSENT_GIVEN], [Move.CONSENT_REFUSED]),
    Awaiting.LEAD_CONFIRM: ([Move.LEAD_SUBMIT], [Move.LEAD_INPUT]),
    Awaiting.ERASE_CONFIRM: ([Move.ERASE], [Move.ERASE_CANCEL]),
    Awaiting.REPORT_MAIL_CONSENT: ([Move.REPORT_MAIL_CONSENT], [Move.REPORT_MAIL_REFUSED]),
    Awaiting.INVITE_CONSENT: ([Move.INVITE_CONSENT], [Move.INVITE_REFUSED]),
}
# At these questions, a request for the very thing asked about is the answer to it: "ja,
# maak maar een code" sounds like have_code, "nee, toch geen scan" like start_scan.
SAME_REQUEST: dict[Awaiting, frozenset[str]] = {
    Awaiting.SCAN_OFFER: frozenset({"start_scan"}),
    Awaiting.RESTART_CONFIRM: frozenset({"restart_scan"}),
    Awaiting.LEAD_CONSENT: frozenset({"request_advisor"}),
    Awaiting.ERASE_CONFIRM: frozenset({"request_erasure"}),
    Awaiting.REPORT_MAIL_CONSENT: frozenset({"email_report"}),
    Awaiting.INVITE_CONSENT: frozenset({"invite_partner", "have_code"}),
}
# Consents that need an unmistakable yes, and what an unclear one gets.
EXPLICIT_YES = {Awaiting.LEAD_CONSENT: Move.CONSENT_UNCLEAR,
                Awaiting.LEAD_CONFIRM: Move.SENDING_UNCLEAR,
                Awaiting.REPORT_MAIL_CONSENT: Move.REPORT_MAIL_UNCLEAR,
                Awaiting.INVITE_CONSENT: Move.INVITE_UNCLEAR}
# While these are open, "bij vraag 5 bedoelde ik grotendeels" changes an earlier answer
# (not during the hand-over, where a correction is about a contact detail).
CORRECTABLE = frozenset({None, Awaiting.SCAN_QUESTION, Awaiting.SCAN_OFFER,
                         Awaiting.RESTART_CONFIRM, Awaiting.FOLLOWUP_OFFER})
# Contact details typed while these are open are held until consent (an e-mail address or
# phone number counts even when the NLU heard something else).
BEFORE_CONSENT = frozenset({None, Awaiting.SCAN_OFFER, Awaiting.FOLLOWUP_OFFER,
                            Awaiting.LEAD_CONSENT})
# Where a two-party request may be read from its words, and the intents it may replace: the
# ones that give no better reading of such a message (partner_cue).
CUE_STATES = frozenset({None, Awaiting.SCAN_OFFER, Awaiting.FOLLOWUP_OFFER})
CUE_INTENTS = frozenset({"scan_answer", "nlu_fallback", "out_of_scope", "provide_contact",
                         "invite_partner", "have_code", "partner_result"})
# While these are open, what is typed is a contact detail, never a partner's code.
TYPING_DETAILS = frozenset({Awaiting.LEAD_FIELD, Awaiting.REPORT_MAIL_ADDRESS})
CONTACT_DATA = re.compile(r"\S+@\S+\.\w+|(?<![\w+])(\+|0)\d[\d \-]{7,14}\d")
# Every intent the NLU can give; Rasa runs action_dialogue after each (mkbscan.dialogue.rules).
ROUTED_INTENTS = tuple(sorted(
    set(TOPICS) | set(SMALL_TALK) | set(NAVIGATION) | set(ABOUT_THE_SCAN) | ANSWER_INTENTS
    | FIELD_INTENTS | {"goodbye", "affirm", "deny", "explain_question", "decline_self"}
))


def route(awaiting: Awaiting | None, heard: Heard, scan: ScanState,
          lead: LeadDraft) -> list[Step]:
    """The plan for one user message."""
    if heard.refused:
        return [Move.REPEAT]
    plan = _route(awaiting, heard, scan, lead)
    if scan.status == scan_flow.NOT_STARTED and awaiting is not Awaiting.LEAD_FIELD \
            and plan != [Move.HOLD_DETAILS] and context_in_passing(heard.text):
        return [Move.NOTE_TOLD, *plan]  # "Hallo, ik heb een IT-bureau met 12 mensen"
    return plan


def _route(awaiting: Awaiting | None, heard: Heard, scan: ScanState,
           lead: LeadDraft) -> list[Step]:
    intent = heard.intent or "nlu_fallback"
    if is_abusive(heard.text):
        return [Reply("abuse_calm"), Move.REPROMPT]  # never stored, never sent on
    if awaiting not in TYPING_DETAILS and find_code(heard.text) is not None:
        return [Move.CODE_ENTER]  # "ik heb een code: K7QD-M2XR", or the code alone
    intent = partner_cue(awaiting, heard, intent, scan) or intent
    if awaiting in BEFORE_CONSENT and lead.stage != "submitted" and (
            intent == "provide_contact" or CONTACT_DATA.search(heard.text)):
        if awaiting is Awaiting.LEAD_CONSENT and lead_flow.is_explicit_yes(heard.text):
            return [Move.HOLD_QUIETLY, Move.CONSENT_GIVEN]  # "ja hoor, mail naar an@zon.nl"
        return [Move.HOLD_DETAILS]
    if awaiting in CORRECTABLE and scan.answers and \
            find_correction(heard.text, load_content()) is not None:
        return [Move.SCAN_CORRECT]
    if awaiting is Awaiting.SCAN_QUESTION and _is_answer(heard, intent, scan):
        return [Move.SCAN_ANSWER]
    if awaiting is Awaiting.LEAD_FIELD and (intent in FIELD_INTENTS
                                            or lead_flow.skips_the_field(lead, heard.text)):
        return [Move.LEAD_INPUT]
    if awaiting is Awaiting.REPORT_MAIL_ADDRESS:
        if CONTACT_DATA.search(heard.text) or intent in FIELD_INTENTS - {"deny"}:
            return [Move.REPORT_MAIL_ADDRESS]
        if intent == "deny":
            return [Move.REPORT_MAIL_REFUSED]
    if awaiting is Awaiting.REPORT_MAIL_CONSENT and CONTACT_DATA.search(heard.text) and \
            lead_flow.is_explicit_yes(heard.text):
        return [Move.REPORT_MAIL_CONSENT, Move.REPORT_MAIL_ADDRESS]  # "ja, naar an@zon.nl"
    if awaiting is Awaiting.FOLLOWUP_OFFER and intent == "decline_self":
        return [Move.SELF_WORK, Move.LEAD_DECLINE]
    if intent in SAME_REQUEST.get(awaiting, ()):
        # Asked "shall I erase everything?", "ja, wis alles" asks for it again: a yes,
        # unless the words say no ("nee, geen code" asked for the invitation's consent).
        intent = "deny" if parse_yes_no(heard.text) is False else "affirm"
    if awaiting in YES_NO and intent in CONFIRMING_INTENTS:
        return _confirmation(awaiting, heard, intent)
    return _anywhere(intent, scan, lead, heard)


def partner_cue(awaiting: Awaiting | None, heard: Heard, intent: str,
                scan: ScanState) -> str | None:
    """A two-party request the words make where the NLU saw none (mkbscan.reading.
    partner_cues): being invited before a scan has started, inviting or asking how the
    partner did once it is finished; never while a question waits for its answer."""
    if awaiting not in CUE_STATES:
        return None
    cue = partner_request(heard.text)
    if cue == HAVE_CODE and scan.status == scan_flow.NOT_STARTED \
            and intent in CUE_INTENTS | {"start_scan", "capabilities", "explain_question"}:
        # "met de code van mijn klant starten", "hij zegt dat ik hier iets moet invullen?"
        return cue
    if scan.status != scan_flow.FINISHED:
        return None
    if cue == PARTNER_RESULT and intent in CUE_INTENTS | {"show_result", "ask_progress"}:
        return cue  # "zijn uitslag", "is hij al klaar"
    if cue == INVITE_PARTNER and intent in CUE_INTENTS | {"start_scan"}:
        return cue  # "kan hij de scan ook doen": the own scan is done already
    return None


def _is_answer(heard: Heard, intent: str, scan: ScanState) -> bool:
    if intent in ANSWER_INTENTS:
        return True
    if intent == "other_language":  # "mostly", "not at all": read, and answered in Dutch
        return scan_flow.reads_as_answer(scan, heard.text)
    if intent in NAVIGATION_INTENTS or heard.confidence >= SIDE_STEP_CONFIDENCE:
        return False
    return scan_flow.reads_as_answer(scan, heard.text)


def _confirmation(awaiting: Awaiting, heard: Heard, intent: str) -> list[Step]:
    """A yes/no question: affirm/deny, or a yes or no in the words."""
    yes, no = CONFIRMATIONS[awaiting]
    in_words = parse_yes_no(heard.text)
    if intent in ("affirm", "deny") and (in_words == (intent == "deny") or (
            in_words is None and "?" in heard.text)):
        # The NLU's yes or no against the words, or a question without one ("kost dat
        # gesprek niks?"): asked back, never taken silently.
        if awaiting in EXPLICIT_YES:
            return [EXPLICIT_YES[awaiting]]
        intent, in_words = "nlu_fallback", None
    if intent == "affirm":
        answer: bool | None = True
    elif intent == "deny":
        answer = False
    elif awaiting is Awaiting.LEAD_CONFIRM and intent == "provide_contact":
        return [Move.LEAD_INPUT]  # a corrected detail at the summary
    else:
        answer = in_words
        if answer is None:
            key = "unclear_consent" if awaiting in (Awaiting.LEAD_CONSENT,
                                                    Awaiting.REPORT_MAIL_CONSENT,
                                                    Awaiting.INVITE_CONSENT) \
                else "unclear_yes_no"
            return [Reply(key), Move.ASK_AGAIN]
    # Consent and sending need an unmistakable yes: the NLU alone can take "ik heb er
    # bezwaar tegen" for agreement.
    if answer and awaiting in EXPLICIT_YES and not lead_flow.is_explicit_yes(heard.text):
        return [EXPLICIT_YES[awaiting]]
    return list(yes if answer else no)


def _anywhere(intent: str, scan: ScanState, lead: LeadDraft, heard: Heard) -> list[Step]:
    """What an intent does whatever is open (after a side step, the open thing is asked again)."""
    if intent in NAVIGATION:
        return [NAVIGATION[intent]]
    if intent in ABOUT_THE_SCAN:
        return [ABOUT_THE_SCAN[intent], Move.REPROMPT]
    if intent == "decline_self":
        return [Move.SELF_WORK]
    if intent == "other_language":
        # "Ik spreek alleen Nederlands" once; after that, plain "not understood".
        note = Reply("default") if "other_language" in heard.given else \
            Reply("other_language", once=True)
        return [note, Move.REPROMPT]
    if intent in TOPICS:
        key = TOPICS[intent]
        return [Reply(key), Reply(f"{key}_more"), Move.REPROMPT]
    if intent in SMALL_TALK:
        return [*(Reply(key) for key in SMALL_TALK[intent]), Move.REPROMPT]
    if intent == "explain_question":
        if lead_flow.explain_field(lead) is not None:
            return [Move.LEAD_EXPLAIN]
        if scan.status == scan_flow.IN_PROGRESS and scan.current is not None:
            return [Move.SCAN_EXPLAIN]
        return [Reply("capabilities"), Move.REPROMPT]
    if intent == "goodbye":
        return [Reply("goodbye")]
    if intent == "deny":
        if scan.status == scan_flow.FINISHED:
            return [Reply("followup_declined")]
        if scan.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
            return [Reply("no_problem_scan")]
        return [Reply("no_problem")]
    return [Move.REPROMPT]  # affirm, scan_answer and anything new: carry on

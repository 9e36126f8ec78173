"""The hand-over to the advisor as a pure state machine: consent, details, confirmation.

Nothing personal is kept before consent. Validation and extraction come from
mkbscan.leads; the Rasa actions store the lead when this module says "submit".
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mkbscan.leads.extraction import extract_contact, extract_single
from mkbscan.leads.plausibility import name_problem
from mkbscan.leads.validation import (
    MAX_FIELD_LENGTH,
    MAX_TEXT_LENGTH,
    clean_text,
    normalize_phone,
    validate_company,
    validate_email,
    validate_name,
)
from mkbscan.messages import BotMessage, intent_buttons, text_buttons
from mkbscan.scan.answers import normalize, parse_yes_no
from mkbscan.wording import say

# The consent text names the configured advisor address and retention period (v2;
# mkbscan/content/lead.yml, filled from mkbscan.settings) and everything that is sent: the
# conversation too, and the optional moment and question (v3). It says what the system does.
CONSENT_VERSION = "toestemming-v3-2026-12"
# Added to the version when the consent also said what the partner of a two-party scan
# shares (content/lead.yml's lead_consent_pair): the advisor may show this side's part with
# the partner's lead (mkbscan/leads/pair_part.py).
PAIR_CONSENT = "+partner-v1"
FIELDS = ("name", "company", "email", "phone", "moment", "question")
REQUIRED = ("name", "company", "email")
SKIPPABLE = ("phone", "moment", "question")  # offered with a button to skip


def label(name: str) -> str:
    return say(f"field_label_{name}")


def prompt(name: str) -> BotMessage:
    skip = text_buttons(say(f"field_skip_{name}")) if name in SKIPPABLE else []
    return BotMessage(say(f"field_ask_{name}"), skip)


SKIP = re.compile(r"^(nee|neen|nope|geen|geen vraag|nee geen vraag|sla over|overslaan|skip"
                  r"|liever niet|niet nodig|maakt niet uit|maakt me niet uit|n ?v ?t|-+|x"
                  r"|nee dank je|nee bedankt|nvt|geen voorkeur|nee hoor|laat maar|hoeft niet)$")
FIELD_WORDS = (
    ("email", r"e-?mail|mail|adres"),
    ("phone", r"telefoon|nummer|tel|mobiel|gsm|06"),
    ("company", r"bedrijf|firma|zaak|organisatie|onderneming|bedrijfsnaam"),
    ("name", r"naam|heet|achternaam|voornaam"),
    ("moment", r"moment|tijd|dag|wanneer|afspraak"),
    ("question", r"vraag"),
)
TOPIC_INTENTS = {
    "ask_core_noncore", "ask_partner_vs_supplier", "ask_equality_size", "ask_joint_sessions",
    "ask_circular", "ask_about_marco", "ask_scoring",
}
AWAIT_CONSENT, AWAIT_FIELD, AWAIT_CONFIRM = "lead_consent", "lead_field", "lead_confirm"


@dataclass
class LeadDraft:
    stage: str = "idle"  # idle | consent | field | confirm | submitted
    asking: str | None = None
    contact: dict[str, str | None] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    consent_version: str | None = None
    consent_given_at: str | None = None
    email_suggestion: str | None = None
    correcting: bool = False
    lead_id: str | None = None
    paired: bool = False  # a two-party scan: the consent names the partner's part too
    # Details typed before consent: kept in this conversation only, used after consent,
    # dropped when consent is refused.
    held: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> LeadDraft:
        draft = cls()
        for key, value in (raw or {}).items():
            if hasattr(draft, key):
                setattr(draft, key, value)
        return draft


@dataclass
class LeadTurn:
    messages: list[BotMessage]
    draft: LeadDraft
    awaiting: str | None
    topic_response: str | None = None  # a domain response to show first (a side question)


def consent_buttons() -> list:
    return intent_buttons((say("lead_consent_yes"), "affirm"), (say("lead_consent_no"), "deny"))


def consent_request(draft: LeadDraft, scan_finished: bool, paired: bool = False) -> LeadTurn:
    """The offer and the consent; in a two-party scan (an invitation made or used) also what
    it means for each side's part."""
    if draft.stage == "submitted":
        return LeadTurn([BotMessage(say("lead_already_sent"))], draft, None)
    lead_in = [] if scan_finished else [BotMessage(say("lead_before_scan_done"))]
    pair = [BotMessage(say("lead_consent_pair"))] if paired else []
    draft = LeadDraft(stage="consent", paired=paired)
    return LeadTurn(lead_in + [BotMessage(say("lead_offer")), *pair,
                               BotMessage(say("lead_consent"), consent_buttons())],
                    draft, AWAIT_CONSENT)


def is_explicit_yes(text: str) -> bool:
    """Consent and sending need an unmistakable yes: the Ja button, or a yes in the words with
    no no beside it. The NLU alone can take "ik heb er bezwaar tegen" for agreement."""
    stripped = text.strip()
    return stripped == "/affirm" or parse_yes_no(stripped) is True


def consent_unclear(draft: LeadDraft) -> LeadTurn:
    return LeadTurn([BotMessage(say("lead_consent_unclear"), consent_buttons())], draft,
                    AWAIT_CONSENT)


def sending_unclear(draft: LeadDraft) -> LeadTurn:
    return LeadTurn([BotMessage(say("lead_confirm_first")),
                     summary(draft)], draft, AWAIT_CONFIRM)


def consent_given(draft: LeadDraft, now: datetime | None = None) -> LeadTurn:
    now = now or datetime.now(timezone.utc)
    held = dict(draft.held)
    draft = LeadDraft(stage="field", paired=draft.paired,
                      consent_version=CONSENT_VERSION + (PAIR_CONSENT if draft.paired else ""),
                      consent_given_at=now.isoformat())
    for name in ("name", "company", "email", "phone"):
        if held.get(name):
            value, error, suggestion = _validate(name, held[name])
            if value and not error and not suggestion:
                draft.contact[name] = value
                if name not in REQUIRED:
                    draft.asked.append(name)
    if draft.contact:
        noted = ", ".join(f"{label(n).lower()} {draft.contact[n]}" for n in FIELDS
                          if draft.contact.get(n))
        return _advance(draft, [BotMessage(say("lead_noted_given", noted=noted))])
    draft.asking = "name"
    return LeadTurn([BotMessage(say("lead_one_sentence")), prompt("name")], draft, AWAIT_FIELD)


def details_in(text: str) -> dict[str, str]:
    """Plausible contact details in a message (nothing is validated or kept here)."""
    found = extract_contact(text) if len(text) <= 1000 else None
    return {name: value for name in ("name", "company", "email", "phone")
            if found is not None and (value := getattr(found, name, None))
            and not (name in ("name", "company") and name_problem(value, name))}


def hold_details(draft: LeadDraft, text: str, scan_finished: bool,
                 paired: bool = False) -> LeadTurn:
    """Details typed before consent: keep them in the conversation and ask for consent."""
    if draft.stage == "submitted":
        return consent_request(draft, scan_finished)
    held = details_in(text)
    turn = consent_request(draft, scan_finished, paired)
    turn.draft.held = held
    if held:
        turn.messages.insert(0, BotMessage(say("lead_held")))
    return turn


def consent_refused() -> LeadTurn:
    return LeadTurn([BotMessage(say("lead_consent_refused"))], LeadDraft(), None)


def _next_field(draft: LeadDraft) -> str | None:
    if draft.correcting:
        return None
    for name in FIELDS:
        if name in REQUIRED and not draft.contact.get(name):
            return name
        if name not in REQUIRED and name not in draft.asked:
            return name
    return None


def _advance(draft: LeadDraft, lead_in: list[BotMessage]) -> LeadTurn:
    draft.asking = _next_field(draft)
    draft.email_suggestion = None
    if draft.asking is None:
        draft.stage = "confirm"
        draft.correcting = False
        return LeadTurn(lead_in + [summary(draft)], draft, AWAIT_CONFIRM)
    draft.stage = "field"
    return LeadTurn(lead_in + [prompt(draft.asking)], draft, AWAIT_FIELD)


def summary(draft: LeadDraft) -> BotMessage:
    lines = "\n".join(f"{label(name)}: {draft.contact.get(name) or '–'}" for name in FIELDS)
    return BotMessage(say("lead_summary", lines=lines),
                      intent_buttons((say("lead_send"), "affirm"),
                                     (say("lead_change"), "correct_field")))


def _validate(name: str, text: str) -> tuple[str | None, str | None, str | None]:
    """(value, error, email suggestion) for one field."""
    if name == "email":
        # Pick the address out of a sentence, but never out of text with line breaks or
        # control characters (header injection): that text is validated whole and refused.
        candidates = re.findall(r"\S+@\S+", text)
        clean = not re.search(r"[\x00-\x1f\x7f]", text.strip())
        single = candidates[0].strip(".,;:!?()") if clean and len(candidates) == 1 else text
        check = validate_email(single)
        if not check.ok:
            return None, check.error, None
        return check.email, None, check.suggestion
    if name == "phone":
        phone = normalize_phone(text)
        return (phone.display, None, None) if phone.ok else (None, phone.error, None)
    if name in ("name", "company"):
        if len(text.strip()) > MAX_FIELD_LENGTH:
            return None, say("field_too_long", limit=MAX_FIELD_LENGTH), None
        value = extract_single(name, text) or text
        check = validate_name(value) if name == "name" else validate_company(value)
        if not check.ok:
            return None, check.error, None
        problem = name_problem(check.value or "", name)
        if problem == "abuse":
            return None, say("field_friendly"), None
        return (None, problem, None) if problem else (check.value, None, None)
    value = clean_text(text, MAX_TEXT_LENGTH)
    if len(text.strip()) > MAX_TEXT_LENGTH:
        return None, say("field_rather_long", limit=MAX_TEXT_LENGTH), None
    if "<" in value or ">" in value:
        return None, say("field_no_brackets"), None
    return (value or None), (None if value else say("field_empty")), None


def _fill_extra(draft: LeadDraft, text: str) -> None:
    """Take other fields given in the same sentence ("Ik ben Anne van Zon, anne@zon.nl")."""
    if len(text) > 1000:
        return
    found = extract_contact(text)
    for name in ("name", "company", "email", "phone"):
        value = getattr(found, name, None)
        if value and not draft.contact.get(name) and name != draft.asking \
                and not (name in ("name", "company") and name_problem(value, name)):
            checked, error, suggestion = _validate(name, value)
            if checked and not error and not suggestion:
                draft.contact[name] = checked
                if name not in REQUIRED:
                    draft.asked.append(name)


def field_input(draft: LeadDraft, text: str, intent: str | None) -> LeadTurn:
    """What the user typed while a contact field is asked (or at the summary)."""
    draft = LeadDraft.from_dict(copy.deepcopy(draft.to_dict()))
    name = draft.asking
    if draft.stage == "confirm" or name == "fix_choice":
        return _choose_fix(draft, text)
    if name is None or draft.stage != "field":
        return LeadTurn([], draft, None)
    if name == "email_suggestion":
        return _email_suggestion_answer(draft, intent)
    if intent in TOPIC_INTENTS and name != "question":
        return LeadTurn([prompt(name)], draft, AWAIT_FIELD, topic_response=intent)
    if name not in REQUIRED and (intent == "deny" or SKIP.match(normalize(text))):
        draft.contact[name] = None
        draft.asked.append(name)
        return _advance(draft, [])
    value, error, suggestion = _validate(name, text)
    if error:
        return LeadTurn([BotMessage(error), prompt(name)], draft, AWAIT_FIELD)
    draft.contact[name] = value
    if name not in REQUIRED:
        draft.asked.append(name)
    if name in ("name", "company", "email"):
        _fill_extra(draft, text)
    if suggestion:
        draft.email_suggestion = suggestion
        draft.asking = "email_suggestion"
        return LeadTurn([BotMessage(
            say("lead_email_suggestion", suggestion=suggestion),
            intent_buttons((say("lead_email_suggestion_yes", suggestion=suggestion), "affirm"),
                           (say("lead_email_suggestion_no"), "deny")),
        )], draft, AWAIT_FIELD)
    return _advance(draft, [])


def _email_suggestion_answer(draft: LeadDraft, intent: str | None) -> LeadTurn:
    if intent == "affirm":
        draft.contact["email"] = draft.email_suggestion
    elif intent != "deny":
        draft.contact["email"] = None
        draft.asking = "email"
        return LeadTurn([prompt("email")], draft, AWAIT_FIELD)
    return _advance(draft, [BotMessage(say("lead_email_noted", email=draft.contact["email"]))])


def _field_named_in(text: str) -> str | None:
    norm = normalize(text)
    for name, pattern in FIELD_WORDS:
        if re.search(rf"(?<![a-z]){pattern}", norm):
            return name
    return None


def _choose_fix(draft: LeadDraft, text: str) -> LeadTurn:
    name = _field_named_in(text)
    if name is None:
        draft.stage = "field"
        draft.asking = "fix_choice"
        return LeadTurn([BotMessage(say("lead_fix_which"),
                                    text_buttons(*(label(n) for n in FIELDS)))],
                        draft, AWAIT_FIELD)
    draft.stage = "field"
    draft.asking = name
    draft.correcting = True
    if name not in REQUIRED and name in draft.asked:
        draft.asked.remove(name)
    return LeadTurn([BotMessage(say("lead_fix_again", prompt=prompt(name).text))], draft,
                    AWAIT_FIELD)


def explain_field(draft: LeadDraft) -> LeadTurn | None:
    if draft.stage != "field" or draft.asking not in FIELDS:
        return None
    return LeadTurn([BotMessage(say(f"field_why_{draft.asking}")), prompt(draft.asking)], draft,
                    AWAIT_FIELD)


def reprompt(draft: LeadDraft) -> LeadTurn | None:
    """Ask again what the hand-over is waiting for, after a side step."""
    if draft.stage == "consent":
        turn = consent_request(draft, scan_finished=True, paired=draft.paired)
        return LeadTurn(turn.messages[-1:], draft, AWAIT_CONSENT)
    if draft.stage == "field" and draft.asking in FIELDS:
        return LeadTurn([prompt(draft.asking)], draft, AWAIT_FIELD)
    if draft.stage == "field" and draft.asking == "fix_choice":
        return _choose_fix(draft, "")
    if draft.stage == "confirm":
        return LeadTurn([summary(draft)], draft, AWAIT_CONFIRM)
    return None


def erase_question() -> BotMessage:
    return BotMessage(say("erase_question"),
                      intent_buttons((say("erase_yes"), "affirm"), (say("erase_no"), "deny")))


def submitted(draft: LeadDraft, lead_id: str) -> LeadTurn:
    draft.stage = "submitted"
    draft.lead_id = lead_id
    first_name = (draft.contact.get("name") or "").split(" ")[0]
    thanks = say("lead_submitted_named", first_name=first_name,
                 email=draft.contact.get("email")) if first_name else \
        say("lead_submitted", email=draft.contact.get("email"))
    return LeadTurn([BotMessage(thanks), BotMessage(say("lead_erase_hint"))], draft, None)


def shares_with_the_partner(draft: LeadDraft) -> bool:
    """The consent given covers this side's part beside the partner's lead."""
    return bool(draft.consent_version and draft.consent_version.endswith(PAIR_CONSENT))


def skips_the_field(draft: LeadDraft, text: str) -> bool:
    """ "geen vraag", "sla over" at an optional field: its answer, whatever the NLU thought
    (it can take "geen vraag" for a question about the question)."""
    return draft.asking in SKIPPABLE and SKIP.match(normalize(text)) is not None

"""Rasa actions for the hand-over to the advisor; decisions live in mkbscan.lead_flow."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import latest_intent, latest_text, refused_input, scan_state, show
from mkbscan import lead_flow, scan_flow
from mkbscan.lead_flow import LeadDraft, LeadTurn
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import StoreUnavailable
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.runtime import lead_store, purge_conversation_later, wake_delivery

logger = logging.getLogger(__name__)
STORE_DOWN = BotMessage(
    "Het opslaan lukt op dit moment niet. Er gaat niets verloren: je gegevens staan nog "
    "klaar. Probeer het over een minuutje opnieuw met 'ja'."
)


def draft_of(tracker: Tracker) -> LeadDraft:
    return LeadDraft.from_dict(tracker.get_slot("lead_state"))


def apply_lead_turn(dispatcher: CollectingDispatcher, turn: LeadTurn) -> list[dict[str, Any]]:
    if turn.topic_response:
        dispatcher.utter_message(response=f"utter_topic_{turn.topic_response.removeprefix('ask_')}")
    show(dispatcher, turn.messages)
    return [SlotSet("lead_state", turn.draft.to_dict()), SlotSet("awaiting", turn.awaiting)]


def lead_reprompt(tracker: Tracker) -> tuple[list[BotMessage], list[dict[str, Any]]] | None:
    if tracker.get_slot("awaiting") == "erase_confirm":
        return [erase_question()], [SlotSet("awaiting", "erase_confirm")]
    turn = lead_flow.reprompt(draft_of(tracker))
    if turn is None:
        return None
    return turn.messages, [SlotSet("lead_state", turn.draft.to_dict()),
                           SlotSet("awaiting", turn.awaiting)]


class ActionLeadStart(Action):
    def name(self) -> str:
        return "action_lead_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        finished = scan_state(tracker).status == scan_flow.FINISHED
        return apply_lead_turn(dispatcher, lead_flow.consent_request(draft_of(tracker), finished))


class ActionLeadDecline(Action):
    def name(self) -> str:
        return "action_lead_decline"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return [SlotSet("awaiting", None)]


class ActionLeadConsentGiven(Action):
    def name(self) -> str:
        return "action_lead_consent_given"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        if not lead_flow.is_explicit_yes(latest_text(tracker)):
            return apply_lead_turn(dispatcher, lead_flow.consent_unclear(draft_of(tracker)))
        return apply_lead_turn(dispatcher, lead_flow.consent_given(draft_of(tracker)))


class ActionLeadConsentRefused(Action):
    def name(self) -> str:
        return "action_lead_consent_refused"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_lead_turn(dispatcher, lead_flow.consent_refused())


class ActionLeadInput(Action):
    def name(self) -> str:
        return "action_lead_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        if refused_input(tracker):  # the channel told the user why; ask the same again
            again = lead_flow.reprompt(draft_of(tracker))
            if again is not None:
                return apply_lead_turn(dispatcher, again)
        turn = lead_flow.field_input(draft_of(tracker), latest_text(tracker),
                                     latest_intent(tracker))
        return apply_lead_turn(dispatcher, turn)


class ActionLeadExplain(Action):
    """"Waarom wil je dat weten?" during the hand-over; else the scan's explanation."""

    def name(self) -> str:
        return "action_lead_explain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        turn = lead_flow.explain_field(draft_of(tracker))
        if turn is None:
            from actions.scan_actions import ActionScanExplain

            return await ActionScanExplain().run(dispatcher, tracker, domain)
        return apply_lead_turn(dispatcher, turn)


def transcript_of(tracker: Tracker) -> str:
    lines = []
    for event in tracker.events:
        if event.get("event") == "user":
            lines.append(f"Ondernemer: {event.get('text') or ''}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Bot: {event['text']}")
    return "\n".join(lines)


class ActionLeadSubmit(Action):
    def name(self) -> str:
        return "action_lead_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        draft = draft_of(tracker)
        if draft.stage != "confirm" or not draft.consent_given_at:
            turn = lead_flow.reprompt(draft)
            return apply_lead_turn(dispatcher, turn) if turn else [SlotSet("awaiting", None)]
        if not lead_flow.is_explicit_yes(latest_text(tracker)):
            return apply_lead_turn(dispatcher, lead_flow.sending_unclear(draft))
        contact = LeadContact(
            name=draft.contact.get("name"), company=draft.contact.get("company"),
            email=draft.contact.get("email"), phone=draft.contact.get("phone"),
            preferred_moment=draft.contact.get("moment"), question=draft.contact.get("question"),
        )
        try:
            lead = lead_store().submit_lead(
                tracker.sender_id, contact, draft.consent_version or lead_flow.CONSENT_VERSION,
                datetime.fromisoformat(draft.consent_given_at),
                scan_flow.snapshot(scan_state(tracker)), transcript_of(tracker),
                idempotency_key=f"{tracker.sender_id}:{draft.consent_given_at}",
            )
        except StoreUnavailable:
            logger.warning("lead store unavailable; lead kept in the conversation")
            show(dispatcher, [STORE_DOWN])
            return [SlotSet("awaiting", "lead_confirm")]
        wake_delivery()
        logger.info("lead %s stored", lead.public_id)
        events = apply_lead_turn(dispatcher, lead_flow.submitted(draft, lead.public_id))
        state = scan_state(tracker)
        if state.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
            show(dispatcher, [BotMessage("Wil je intussen verder met de scan?",
                                         intent_buttons(("Verder met de scan", "resume_scan")))])
        return events


def erase_question() -> BotMessage:
    return BotMessage(
        "Wil je dat ik je gegevens en dit gesprek helemaal wis? Dat kan niet ongedaan "
        "worden gemaakt.",
        intent_buttons(("Ja, wis alles", "affirm"), ("Nee, niet wissen", "deny")),
    )


class ActionEraseAsk(Action):
    def name(self) -> str:
        return "action_erase_ask"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        show(dispatcher, [erase_question()])
        return [SlotSet("awaiting", "erase_confirm")]


class ActionErase(Action):
    def name(self) -> str:
        return "action_erase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            lead_store().erase_by_conversation(tracker.sender_id)
        except StoreUnavailable:
            show(dispatcher, [BotMessage(
                "Het wissen lukt nu even niet. Probeer het over een minuut opnieuw, of mail "
                "marco@circularclarity.org met je verzoek.")])
            return [SlotSet("awaiting", None)]
        purge_conversation_later(tracker.sender_id)
        logger.info("conversation erased on request")
        show(dispatcher, [BotMessage("Klaar: je gegevens en dit gesprek zijn gewist. "
                                     "Je kunt altijd opnieuw beginnen.")])
        return [AllSlotsReset()]


class ActionEraseCancel(Action):
    def name(self) -> str:
        return "action_erase_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        show(dispatcher, [BotMessage("Oké, ik wis niets.")])
        return [SlotSet("awaiting", None)]

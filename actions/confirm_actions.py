"""A yes/no question that the NLU could not classify: read it as yes or no, else ask again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import latest_text, refused_input
from actions.lead_actions import (
    ActionErase,
    ActionEraseCancel,
    ActionLeadConsentGiven,
    ActionLeadConsentRefused,
    ActionLeadDecline,
    ActionLeadInput,
    ActionLeadStart,
    ActionLeadSubmit,
)
from actions.scan_actions import ActionReprompt, ActionScanRestart, ActionScanStart
from mkbscan.answers import parse_yes_no

# awaiting -> (action on yes, action on no); the same actions the affirm/deny rules run.
CONFIRMATIONS: dict[str, tuple[type[Action], type[Action]]] = {
    "scan_offer": (ActionScanStart, ActionReprompt),
    "restart_confirm": (ActionScanRestart, ActionReprompt),
    "followup_offer": (ActionLeadStart, ActionLeadDecline),
    "lead_consent": (ActionLeadConsentGiven, ActionLeadConsentRefused),
    "lead_confirm": (ActionLeadSubmit, ActionLeadInput),
    "erase_confirm": (ActionErase, ActionEraseCancel),
}


UNCLEAR = {
    "lead_consent": "Voordat ik iets van je noteer, heb ik eerst je toestemming nodig.",
    None: "Sorry, dat begreep ik niet helemaal. Kies je ja of nee?",
}


class ActionUnclearConfirmation(Action):
    def name(self) -> str:
        return "action_unclear_confirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        pair = CONFIRMATIONS.get(tracker.get_slot("awaiting") or "")
        if refused_input(tracker):  # the channel told the user why; ask the same again
            return await ActionReprompt().run(dispatcher, tracker, domain)
        answer = parse_yes_no(latest_text(tracker))
        if pair is None or answer is None:
            awaiting = tracker.get_slot("awaiting")
            dispatcher.utter_message(text=UNCLEAR.get(awaiting, UNCLEAR[None]))
            return await ActionReprompt().run(dispatcher, tracker, domain)
        if pair[1] is ActionLeadDecline and not answer:
            dispatcher.utter_message(response="utter_followup_declined")
        action = pair[0] if answer else pair[1]
        return await action().run(dispatcher, tracker, domain)

"""Rasa actions for the scan; all decisions live in mkbscan.scan_flow."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.glue import (
    TOO_LONG,
    apply_turn,
    latest_intent,
    latest_text,
    refused_input,
    scan_state,
    show,
    too_long,
)
from mkbscan import scan_flow
from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.runtime import lead_store

logger = logging.getLogger(__name__)
# Intents after which free text for "iets anders" (C1) is not taken as an answer.
NOT_AN_ANSWER_INTENTS = {"out_of_scope", "nlu_fallback", "other_language"}


class ActionScanStart(Action):
    def name(self) -> str:
        return "action_scan_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_turn(dispatcher, scan_flow.start(scan_state(tracker)))


class ActionScanAnswer(Action):
    def name(self) -> str:
        return "action_scan_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if refused_input(tracker):  # the channel told the user why; ask the same again
            turn = scan_flow.repeat_question(scan_state(tracker))
            return apply_turn(dispatcher, turn) if turn else []
        if too_long(text):
            turn = scan_flow.reprompt(scan_state(tracker))
            show(dispatcher, [TOO_LONG])
            return apply_turn(dispatcher, turn) if turn else []
        allow_free_text = latest_intent(tracker) not in NOT_AN_ANSWER_INTENTS
        turn = scan_flow.answer(scan_state(tracker), text, allow_free_text=allow_free_text)
        if turn.result is not None and tracker.get_latest_input_channel() == "socketio":
            from mkbscan.charts import chart_data_uri  # matplotlib only when a chart is drawn

            turn.messages.insert(3, BotMessage("Je uitslag in beeld:", image=chart_data_uri(
                turn.result.partnerkeuze, turn.result.gelijkwaardigheid, turn.result.total)))
        # A blocking database write: off the event loop, so other conversations go on.
        await asyncio.to_thread(_record_progress, tracker.sender_id, turn.state)
        return apply_turn(dispatcher, turn)


def _record_progress(conversation_id: str, state: scan_flow.ScanState) -> None:
    """Anonymous statistics for the advisor; never blocks the conversation."""
    try:
        lead_store().record_scan_progress(
            conversation_id,
            dict(state.answers),
            state.current, state.status == scan_flow.FINISHED,
        )
    except Exception as exc:  # statistics must not break a scan
        logger.warning("scan statistics not recorded (%s)", type(exc).__name__)


class ActionScanExplain(Action):
    def name(self) -> str:
        return "action_scan_explain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        turn = scan_flow.explain(scan_state(tracker))
        if turn is None:
            dispatcher.utter_message(response="utter_capabilities")
            return await ActionReprompt().run(dispatcher, tracker, domain)
        return apply_turn(dispatcher, turn)


class ActionScanPause(Action):
    def name(self) -> str:
        return "action_scan_pause"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_turn(dispatcher, scan_flow.pause(scan_state(tracker)))


class ActionScanBack(Action):
    def name(self) -> str:
        return "action_scan_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_turn(dispatcher, scan_flow.back(scan_state(tracker)))


class ActionScanAskRestart(Action):
    def name(self) -> str:
        return "action_scan_ask_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_turn(dispatcher, scan_flow.ask_restart(scan_state(tracker)))


class ActionScanRestart(Action):
    def name(self) -> str:
        return "action_scan_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return apply_turn(dispatcher, scan_flow.restart())


class ActionReprompt(Action):
    """After a side step: ask again what is open, or offer a way forward."""

    def name(self) -> str:
        return "action_reprompt"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        awaiting = tracker.get_slot("awaiting")
        state = scan_state(tracker)
        if awaiting in (None, "scan_question", "scan_offer", "restart_confirm"):
            turn = scan_flow.reprompt(state)
            if turn is not None:
                return apply_turn(dispatcher, turn)
        reprompts = _lead_reprompt(tracker)
        if reprompts is not None:
            show(dispatcher, reprompts[0])
            return reprompts[1]
        return _offer(dispatcher, state)


def _lead_reprompt(tracker: Tracker) -> tuple[list[BotMessage], list[dict[str, Any]]] | None:
    from actions.lead_actions import lead_reprompt

    return lead_reprompt(tracker)


def _offer(dispatcher: CollectingDispatcher, state: scan_flow.ScanState) -> list[dict[str, Any]]:
    if state.status in (scan_flow.IN_PROGRESS, scan_flow.PAUSED):
        show(dispatcher, [BotMessage("Wil je verder met de scan?",
                                     intent_buttons(("Verder met de scan", "resume_scan"),
                                                    ("Opnieuw beginnen", "restart_scan")))])
    elif state.status == scan_flow.FINISHED:
        show(dispatcher, [BotMessage("Kan ik nog iets voor je doen?",
                                     intent_buttons(("Ik wil met Marco praten", "request_advisor"),
                                                    ("Opnieuw beginnen", "restart_scan")))])
        return [SlotSet("awaiting", None)]
    else:
        show(dispatcher, [BotMessage("Zullen we de samenwerkingsscan starten?",
                                     intent_buttons(("Start de scan", "start_scan"),
                                                    ("Wat kun je?", "capabilities")))])
    return [SlotSet("awaiting", "scan_offer")]

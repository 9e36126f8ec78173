"""Shared glue: read state from slots, show BotMessages, write state back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from mkbscan.messages import BotMessage
from mkbscan.scan_flow import ScanState, Turn

MAX_TEXT_LENGTH = 1000  # the same limit as the NLU MessageGuard in config.yml
TOO_LONG = BotMessage(
    f"Dat bericht is te lang voor mij: ik lees maximaal {MAX_TEXT_LENGTH} tekens. "
    "Kun je het korter zeggen?"
)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def too_long(text: str) -> bool:
    return len(text) > MAX_TEXT_LENGTH


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def scan_state(tracker: Tracker) -> ScanState:
    return ScanState.from_dict(tracker.get_slot("scan_state"))


def show(dispatcher: CollectingDispatcher, messages: list[BotMessage]) -> None:
    for message in messages:
        kwargs: dict[str, Any] = {"text": message.text}
        if message.buttons:
            kwargs["buttons"] = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        if message.image:
            kwargs["image"] = message.image
        dispatcher.utter_message(**kwargs)


def apply_turn(dispatcher: CollectingDispatcher, turn: Turn) -> list[dict[str, Any]]:
    show(dispatcher, turn.messages)
    return [SlotSet("scan_state", turn.state.to_dict()), SlotSet("awaiting", turn.awaiting)]

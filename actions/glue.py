"""Shared glue: read state from slots, show BotMessages, write state back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from mkbscan import input_guard
from mkbscan.messages import BotMessage
from mkbscan.scan_flow import ScanState, Turn

MAX_TEXT_LENGTH = input_guard.MAX_CHARACTERS  # the NLU MessageGuard's limit in config.yml
TOO_LONG = BotMessage(input_guard.NOTICES[input_guard.TOO_LONG])


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def refused_input(tracker: Tracker) -> str | None:
    """Why our channel refused the latest user message (it told the user already), or None.

    Such a message is no answer: the actions ask the open question again and change nothing.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            reason = metadata.get(input_guard.METADATA_KEY) if isinstance(metadata, dict) else None
            return reason if isinstance(reason, str) else None
    return None


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

"""Shared glue: read the conversation from the tracker, show BotMessages, write slots back."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from mkbscan.dialogue.router import Heard
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads.lead_flow import LeadDraft, LeadTurn
from mkbscan.messages import BotMessage
from mkbscan.rasa import input_guard
from mkbscan.scan.scan_flow import ScanState, Turn

WIDGET_CHANNEL = "socketio"  # the website widget: it shows progress and the result card
MAX_TEXT_LENGTH = input_guard.MAX_CHARACTERS  # the NLU MessageGuard's limit in config.yml


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def refused_input(tracker: Tracker) -> str | None:
    """Why our channel refused the latest user message (it told the user already), or None.

    Such a message is no answer: the dialogue asks the open question again and changes nothing.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            reason = metadata.get(input_guard.METADATA_KEY) if isinstance(metadata, dict) else None
            return reason if isinstance(reason, str) else None
    return None


def unreadable(text: str) -> BotMessage | None:
    """The notice for text no answer can be read from (empty or over the limit), else None.

    Our channels refuse such text before Rasa sees it; this is for the channels they do not
    guard (the Rasa shell, REST without the guard)."""
    if not text.strip():
        return BotMessage(input_guard.NOTICES[input_guard.EMPTY])
    if len(text) > MAX_TEXT_LENGTH:
        return BotMessage(input_guard.NOTICES[input_guard.TOO_LONG])
    return None


def heard(tracker: Tracker) -> Heard:
    intent = tracker.latest_message.get("intent") or {}
    return Heard(text=latest_text(tracker), intent=intent.get("name"),
                 confidence=float(intent.get("confidence") or 0.0),
                 refused=refused_input(tracker) is not None,
                 given=frozenset(tracker.get_slot("replies_given") or ()))


def show(dispatcher: CollectingDispatcher, messages: list[BotMessage],
         channel: str | None = None) -> None:
    widget = channel == WIDGET_CHANNEL
    for message in messages:
        if widget and message.in_card:
            continue
        if widget and message.card:
            # Rasa's socketio output emits custom JSON as `emit(event, **json_message)`: the
            # widget receives what is under "data".
            data: dict[str, Any] = {"card": asdict(message.card)}
            if message.progress:
                data["progress"] = asdict(message.progress)
            dispatcher.utter_message(json_message={"data": data})
            continue
        kwargs: dict[str, Any] = {"text": message.text}
        if message.buttons:
            kwargs["buttons"] = [{"title": b.title, "payload": b.payload} for b in message.buttons]
        if message.progress and widget:
            # After the message's text, as custom JSON (see above).
            kwargs["json_message"] = {"data": {"progress": asdict(message.progress)}}
        dispatcher.utter_message(**kwargs)


@dataclass
class Conversation:
    """One turn's view of the conversation: the moves read and change it, then it is saved."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    scan: ScanState
    lead: LeadDraft
    awaiting: Awaiting | None
    given: list[str]
    heard: Heard  # what the user said this turn, as the router saw it
    erased: bool = False

    @classmethod
    def of(cls, dispatcher: CollectingDispatcher, tracker: Tracker) -> Conversation:
        return cls(dispatcher, tracker, ScanState.from_dict(tracker.get_slot("scan_state")),
                   LeadDraft.from_dict(tracker.get_slot("lead_state")),
                   Awaiting.of(tracker.get_slot("awaiting")),
                   list(tracker.get_slot("replies_given") or []), heard(tracker))

    @property
    def sender(self) -> str:
        return self.tracker.sender_id

    def show(self, messages: list[BotMessage]) -> None:
        show(self.dispatcher, messages, self.tracker.get_latest_input_channel())

    def take(self, turn: Turn) -> None:
        self.show(turn.messages)
        self.scan = turn.state
        self.awaiting = Awaiting.of(turn.awaiting)

    def take_lead(self, turn: LeadTurn) -> None:
        self.show(turn.messages)
        self.lead = turn.draft
        self.awaiting = Awaiting.of(turn.awaiting)

    def events(self) -> list[dict[str, Any]]:
        if self.erased:
            return [AllSlotsReset()]
        # Only slots that changed: every event is stored and sent with each later turn.
        slots = {"awaiting": self.awaiting.value if self.awaiting else None,
                 "scan_state": self.scan.to_dict(), "lead_state": self.lead.to_dict(),
                 "replies_given": sorted(set(self.given))}
        return [SlotSet(name, value) for name, value in slots.items()
                if value != self._as_stored(name)]

    def _as_stored(self, name: str) -> Any:
        stored = self.tracker.get_slot(name)
        if name == "scan_state":
            return ScanState.from_dict(stored).to_dict() if stored else None
        if name == "lead_state":
            return LeadDraft.from_dict(stored).to_dict() if stored else None
        if name == "replies_given":
            return sorted(set(stored or []))
        return stored

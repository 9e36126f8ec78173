"""Helpers for the action tests: a real rasa_sdk Tracker built in Python, a conversation
that carries the returned slots into the next turn, and checks of bot text against the
content files (never against copied sentences).

Like RasaHQ/financial-demo's tests (a `Tracker` from a tracker state, a
`CollectingDispatcher`, `await action.run(dispatcher, tracker, domain)`), but each test
states the slots it needs instead of loading a JSON dump.
"""

from __future__ import annotations

import asyncio
import re
import string
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import ActionDialogue
from mkbscan.leads.lead_flow import LeadDraft
from mkbscan.scan import scan_flow
from mkbscan.scan.questions import load_content
from mkbscan.scan.scan_flow import ScanState
from mkbscan.wording import all_texts

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[3]
DOMAIN_FILE = ROOT / "domain.yml"
CONTENT = load_content()
SENDER = "action-test-user"
# Valid answers to the context questions, as mkbscan.scan.answers.parse_context stores them.
CONTEXT = {"C1": "productie", "C2": "nieuw", "C3": "25"}
LISTEN = {"event": "action", "name": "action_listen", "policy": None, "confidence": None,
          "timestamp": 0.0}


# --- Trackers ----------------------------------------------------------------------------

def user_event(text: str, intent: str | None, *, confidence: float = 1.0,
               entities: Sequence[Mapping[str, Any]] = (), metadata: Mapping | None = None,
               channel: str = "rest", message_id: str = "m-1", timestamp: float = 1.0,
               ) -> dict[str, Any]:
    """A `user` event as Rasa's tracker store sends it to the action server."""
    parse_data = {"text": text, "intent": {"name": intent, "confidence": confidence},
                  "entities": [dict(e) for e in entities],
                  "intent_ranking": [{"name": intent, "confidence": confidence}]}
    return {"event": "user", "timestamp": timestamp, "text": text, "parse_data": parse_data,
            "input_channel": channel, "message_id": message_id,
            "metadata": dict(metadata or {})}


def bot_event(text: str, timestamp: float = 1.0) -> dict[str, Any]:
    return {"event": "bot", "timestamp": timestamp, "text": text, "data": {}, "metadata": {}}


def slot_names(domain: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(domain["slots"])


def build_tracker(domain: Mapping[str, Any], text: str = "", intent: str | None = None, *,
                  slots: Mapping[str, Any] | None = None, confidence: float = 1.0,
                  entities: Sequence[Mapping[str, Any]] = (), metadata: Mapping | None = None,
                  channel: str = "rest", sender_id: str = SENDER,
                  history: Iterable[Mapping[str, Any]] = (), message_id: str = "m-1",
                  active_loop: Mapping[str, Any] | None = None,
                  latest_action_name: str = "action_listen") -> Tracker:
    """The tracker the action server gets right after the user said `text`.

    Every slot of domain.yml is present (None unless given); a slot name that is not in
    domain.yml is a mistake in the test and raises.
    """
    known = slot_names(domain)
    unknown = set(slots or {}) - set(known)
    if unknown:
        raise KeyError(f"not a slot in domain.yml: {sorted(unknown)}")
    all_slots = {name: None for name in known} | dict(slots or {})
    said = user_event(text, intent, confidence=confidence, entities=entities,
                      metadata=metadata, channel=channel, message_id=message_id)
    events = [*(dict(e) for e in history), dict(LISTEN), said]
    latest_message = {"text": text, "intent": said["parse_data"]["intent"],
                      "entities": said["parse_data"]["entities"],
                      "intent_ranking": said["parse_data"]["intent_ranking"],
                      "message_id": message_id, "metadata": dict(metadata or {})}
    return Tracker(sender_id, all_slots, latest_message, events, False, None,
                   dict(active_loop or {}), latest_action_name)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: a session fixture (Playwright's sync API in the
    browser tests) may keep an event loop running in this thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_action(tracker: Tracker, domain: Mapping[str, Any],
               dispatcher: CollectingDispatcher | None = None) -> ActionResult:
    """`await ActionDialogue().run(dispatcher, tracker, domain)`, as the action server does."""
    dispatcher = dispatcher or CollectingDispatcher()
    events = run_async(ActionDialogue().run(dispatcher, tracker, dict(domain)))
    return ActionResult(events=list(events), messages=list(dispatcher.messages),
                        tracker=tracker)


@dataclass
class ActionResult:
    events: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    tracker: Tracker

    @property
    def slots_set(self) -> dict[str, Any]:
        """SlotSet events by slot name (a slot set twice would be a bug: it raises)."""
        found: dict[str, Any] = {}
        for event in self.events:
            if event.get("event") == "slot":
                assert event["name"] not in found, f"slot {event['name']} set twice"
                found[event["name"]] = event["value"]
        return found

    @property
    def texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.messages]

    def scan(self) -> ScanState:
        """The scan state written by this turn (the slot must have been set)."""
        return ScanState.from_dict(self.slots_set["scan_state"])

    def lead(self) -> LeadDraft:
        return LeadDraft.from_dict(self.slots_set["lead_state"])


@dataclass
class ChatSession:
    """Several turns of one conversation: each turn's slot events go into the next tracker,
    and what was said is kept in the events (the transcript of a lead comes from them)."""

    domain: Mapping[str, Any]
    slots: dict[str, Any] = field(default_factory=dict)
    sender_id: str = SENDER
    channel: str = "rest"
    history: list[dict[str, Any]] = field(default_factory=list)
    turns: int = 0

    def say(self, text: str, intent: str | None, *, confidence: float = 1.0,
            metadata: Mapping | None = None) -> ActionResult:
        self.turns += 1
        tracker = build_tracker(self.domain, text, intent, slots=self.slots,
                                confidence=confidence, metadata=metadata,
                                channel=self.channel, sender_id=self.sender_id,
                                history=self.history, message_id=f"m-{self.turns}")
        result = run_action(tracker, self.domain)
        self.history = [*tracker.events,
                        {"event": "action", "name": "action_dialogue", "timestamp": 1.0},
                        *(bot_event(text) for text in result.texts)]
        for event in result.events:
            if event.get("event") == "reset_slots":
                self.slots = {}
            elif event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            self.history.append(dict(event))
        return result


# --- Scan states ---------------------------------------------------------------------------

def scored_ids() -> list[str]:
    return [q.id for q in CONTENT.scored]


def scan_state(answers: Mapping[str, int | None] | None = None, *, current: str | None = None,
               status: str = scan_flow.IN_PROGRESS, context: Mapping[str, str] = CONTEXT,
               ) -> dict[str, Any]:
    """A scan_state slot value: context answered, `answers` given, `current` open."""
    state = ScanState(status=status, context=dict(context), context_labels=dict(context),
                      answers=dict(answers or {}), current=current)
    return state.to_dict()


def slot_values(awaiting: str | None = None, scan: Mapping[str, Any] | None = None,
          lead: Mapping[str, Any] | None = None, **others: Any) -> dict[str, Any]:
    """The slots of a conversation past its first turn (which writes the scan and lead
    state, also when they are still empty): `lead` defaults to an idle hand-over."""
    return {"awaiting": awaiting, "scan_state": dict(scan or ScanState().to_dict()),
            "lead_state": dict(lead or LeadDraft().to_dict()), **others}


def mid_scan(answers: Mapping[str, int | None] | None = None, current: str | None = None,
             **kwargs: Any) -> dict[str, Any]:
    """Slots while scan question `current` is open."""
    return slot_values("scan_question", scan_state(answers, current=current), **kwargs)


def finished(answers: Mapping[str, int | None], awaiting: str | None = "followup_offer",
             **kwargs: Any) -> dict[str, Any]:
    """Slots after the result (by default the follow-up offer is open)."""
    return slot_values(awaiting, scan_state(answers, status=scan_flow.FINISHED), **kwargs)


def level_of(typed: str) -> int | None:
    """The scale level whose button reads `typed` (case and spacing ignored)."""
    wanted = " ".join(typed.lower().split())
    matches = [o.level for o in CONTENT.scale if " ".join(o.button.lower().split()) == wanted]
    assert len(matches) == 1, f"no scale button reads {typed!r}"
    return matches[0]


# --- Bot text, checked against the content --------------------------------------------------

def text_pattern(key: str, **values: object) -> re.Pattern[str]:
    """Every variant of content text `key`; given placeholders must match exactly, the
    others (facts such as the advisor's name) match any text."""
    alternatives = []
    for variant in all_texts()[key]:
        parts = []
        for literal, name, _, _ in string.Formatter().parse(variant):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(re.escape(str(values[name])) if name in values else ".+?")
        alternatives.append("".join(parts))
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.DOTALL)


def is_text(key: str, text: str, **values: object) -> bool:
    return text_pattern(key, **values).fullmatch(text) is not None


def says(key: str, text: str, **values: object) -> bool:
    """Whether content text `key` is part of `text` (a message of several lines)."""
    return text_pattern(key, **values).search(text) is not None


def shown(part: str, texts: Sequence[str]) -> bool:
    return any(part in text for text in texts)


def index_of(key: str, texts: Sequence[str], **values: object) -> int:
    """Where content text `key` was said; fails the test if it was not."""
    for i, text in enumerate(texts):
        if is_text(key, text, **values):
            return i
    raise AssertionError(f"no message reads as {key!r} {values or ''} in {list(texts)!r}")


def question_heading(question_id: str) -> tuple[str, int]:
    """(content key, number) of the heading above question `question_id`."""
    if CONTENT.is_context(question_id):
        return "context_heading", [c.id for c in CONTENT.context].index(question_id) + 1
    return "question_heading", scored_ids().index(question_id) + 1


def is_question(message: Mapping[str, Any], question_id: str,
                extra_buttons: Sequence[str] = (), **heading_values: Any) -> bool:
    """The message asks `question_id`: its heading (with its number, or `heading_values`
    such as number=1, context_count=1 when questions beforehand were skipped), its text, its
    buttons (each one's payload its own title, so a click reads like typing it)."""
    key, number = question_heading(question_id)
    heading_values = {"number": number, **heading_values}
    heading, _, body = (message.get("text") or "").partition("\n")
    if CONTENT.is_context(question_id):
        question = CONTENT.context_by_id(question_id)
        text, titles = question.text, list(question.buttons)
    else:
        text, titles = CONTENT.scored_by_id(question_id).text, [o.button for o in CONTENT.scale]
    buttons = message.get("buttons") or []
    return (is_text(key, heading, **heading_values) and body == text
            and [b["title"] for b in buttons] == [*titles, *extra_buttons]
            and all(b["payload"] == b["title"] for b in buttons))


def payloads(message: Mapping[str, Any]) -> list[str]:
    return [b["payload"] for b in message.get("buttons") or []]

"""While a scan question is open, a clear answer beats an unsure side step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from mkbscan import scan_flow
from mkbscan.open_question_policy import ANSWER_ACTION, OpenQuestionPolicy, should_answer
from mkbscan.scan_flow import IN_PROGRESS, ScanState

ROOT = Path(__file__).resolve().parents[3]
AT_P1 = ScanState(status=IN_PROGRESS, context={"C1": "productie", "C2": "nieuw", "C3": "10-49"},
                  current="P1").to_dict()
AT_C3 = ScanState(status=IN_PROGRESS, context={"C1": "productie", "C2": "nieuw"},
                  current="C3").to_dict()


def test_reads_as_answer() -> None:
    p1, c3 = ScanState.from_dict(AT_P1), ScanState.from_dict(AT_C3)
    assert scan_flow.reads_as_answer(p1, "af en toe")
    assert scan_flow.reads_as_answer(p1, "grotendeels wel")
    assert not scan_flow.reads_as_answer(p1, "tot ziens")
    assert scan_flow.reads_as_answer(c3, "10 tot 49")
    assert not scan_flow.reads_as_answer(c3, "fijne dag nog")
    assert not scan_flow.reads_as_answer(ScanState(), "grotendeels")  # no scan going on


@pytest.mark.parametrize(("awaiting", "text", "intent", "confidence", "expected"), [
    ("scan_question", "af en toe", "goodbye", 0.54, True),
    ("scan_question", "af en toe", "goodbye", 0.95, False),      # the NLU is sure
    ("scan_question", "tot ziens", "goodbye", 0.54, False),      # not an answer
    ("scan_question", "ik stop even, later verder", "pause_scan", 0.5, False),  # navigation
    ("scan_question", "terug, dat was niet goed", "previous_question", 0.4, False),
    ("lead_field", "af en toe", "goodbye", 0.54, False),         # no scan question open
])
def test_should_answer(awaiting: str, text: str, intent: str, confidence: float,
                       expected: bool) -> None:
    assert should_answer(awaiting, AT_P1, text, intent, confidence, 0.8) is expected


def test_should_answer_a_context_question() -> None:
    assert should_answer("scan_question", AT_C3, "10 tot 49", "goodbye", 0.53, 0.8)


@pytest.fixture()
def policy(tmp_path: Path) -> OpenQuestionPolicy:
    context = ExecutionContext(GraphSchema({}), "test")
    return OpenQuestionPolicy.create({}, LocalModelStorage(tmp_path), Resource("p"), context)


def tracker(awaiting: str, state: dict[str, Any], text: str, intent: str,
            confidence: float) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", [
        ActionExecuted("action_listen"),
        SlotSet("awaiting", awaiting), SlotSet("scan_state", state),
        ActionExecuted("action_listen"),
        UserUttered(text, intent={"name": intent, "confidence": confidence}),
    ])


def test_policy_predicts_the_answer_action_above_the_rules(policy: OpenQuestionPolicy) -> None:
    domain = Domain.load(ROOT / "domain.yml")
    prediction = policy.predict_action_probabilities(
        tracker("scan_question", AT_P1, "af en toe", "goodbye", 0.54), domain)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    assert domain.action_names_or_texts[best] == ANSWER_ACTION
    assert prediction.max_confidence == 1.0
    assert prediction.policy_priority > 6  # RulePolicy's priority


def test_policy_abstains_otherwise(policy: OpenQuestionPolicy) -> None:
    domain = Domain.load(ROOT / "domain.yml")
    for args in [("scan_question", AT_P1, "tot ziens", "goodbye", 0.6),
                 ("scan_question", AT_P1, "af en toe", "goodbye", 0.9)]:
        prediction = policy.predict_action_probabilities(tracker(*args), domain)
        assert prediction.max_confidence == 0.0

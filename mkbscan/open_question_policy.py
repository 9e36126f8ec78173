"""Dialogue policy: while a scan question is open, a clear answer beats an unsure side step.

Buttons send their title as text and people answer in their own words, so the NLU sees
"10 tot 49" or "af en toe" and may lean to `goodbye` ("tot ziens"). The rules would then
say goodbye in the middle of the scan. This policy predicts `action_scan_answer` instead
when the answer parser reads the message as an answer to the open question and the NLU
was not confident about its side step. Navigation (pause, back, restart, explain, erase,
advisor) always keeps its own handling. Abstains otherwise; RulePolicy decides.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from mkbscan import scan_flow

ANSWER_ACTION = "action_scan_answer"
# Side steps a user asks for on purpose: never taken for an answer, however unsure the NLU.
NAVIGATION_INTENTS = frozenset({
    "pause_scan", "resume_scan", "restart_scan", "previous_question", "explain_question",
    "request_erasure", "request_advisor",
})


def should_answer(awaiting: str | None, scan_state: dict[str, Any] | None, text: str,
                  intent: str, confidence: float, max_confidence: float) -> bool:
    if awaiting != "scan_question" or intent in NAVIGATION_INTENTS:
        return False
    if confidence >= max_confidence:
        return False
    return scan_flow.reads_as_answer(scan_flow.ScanState.from_dict(scan_state), text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
                          is_trainable=True)
class OpenQuestionPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6): at equal confidence the higher priority wins.
        return {"priority": 7, "max_side_step_confidence": 0.8}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource, execution_context: ExecutionContext,
                 featurizer: Any = None) -> None:
        super().__init__({**self.get_default_config(), **config}, model_storage, resource,
                         execution_context, featurizer)

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        message = tracker.latest_message
        if tracker.latest_action_name == ACTION_LISTEN_NAME and message is not None and (
                should_answer(tracker.get_slot("awaiting"), tracker.get_slot("scan_state"),
                              message.text or "", message.intent.get("name") or "",
                              float(message.intent.get("confidence") or 0.0),
                              self.config["max_side_step_confidence"])):
            return self._prediction(confidence_scores_for(ANSWER_ACTION, 1.0, domain))
        return self._prediction(self._default_predictions(domain))

"""NLU component: empty or oversized messages are never guessed at.

Placed last in the pipeline, it turns the intent of a message that is empty, whitespace
only, or longer than `max_characters` into `nlu_fallback`, so the dialogue answers with a
clear message instead of acting on a guess (a 10,000-character paste once came out as
"goodbye"). The same for a message our channels refused (`metadata["input_guard"]`, see
mkbscan.rasa.input_guard), e.g. a hand-typed `/lead_submit` without its slash.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from mkbscan.rasa.input_guard import METADATA_KEY as GUARD_KEY
from mkbscan.settings import MAX_CHARACTERS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGuard(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_characters": MAX_CHARACTERS}

    def __init__(self, config: dict[str, Any]) -> None:
        self.max_characters = int(config.get("max_characters", MAX_CHARACTERS))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MessageGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            metadata = message.get("metadata")
            refused = isinstance(metadata, dict) and metadata.get(GUARD_KEY)
            if text.strip() and len(text) <= self.max_characters and not refused:
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                        PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            message.data[INTENT_RANKING_KEY] = [fallback]
        return messages

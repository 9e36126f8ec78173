"""Rasa glue for mkbscan.rasa.intent_model: trains, saves, loads and applies it in the pipeline.

In config.yml as `mkbscan.rasa.intent_classifier.LinearIntentClassifier`; it reads the message
text itself, so it needs no featurizers before it (only a tokenizer, which Rasa requires).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from mkbscan.rasa import intent_model
from mkbscan.rasa.intent_model import IntentModel, with_reader_answers
from mkbscan.reading.saved import training_files

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_model.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # typed_answers: the intent under which the answer reader's training answers are
        # added (mkbscan/reading/training); None adds none.
        return {"C": 1.0, "ranking_length": 10, "typed_answers": None}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource, model: IntentModel | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's training cache keys on class name and config only: without this, a change
        # to the model code would reuse a classifier trained by the old code.
        sources = [Path(intent_model.__file__), Path(__file__)]
        if config.get("typed_answers"):
            sources += training_files()
        return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        # A model that cannot be read must stop the server, not run without intents.
        with model_storage.read_from(resource) as directory:
            model = IntentModel.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        texts, intents = [e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples]
        if self._config["typed_answers"]:
            texts, intents = with_reader_answers(texts, intents, self._config["typed_answers"])
        self._model = IntentModel.fit(texts, intents, c=self._config["C"])
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
        logger.debug("Trained on %d examples, %d intents.", len(texts),
                     len(self._model.intents))
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        rankings = self._model.rank([m.get(TEXT) or "" for m in messages])
        for message, ranking in zip(messages, rankings, strict=True):
            ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked[: self._config["ranking_length"]],
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

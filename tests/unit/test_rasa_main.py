"""The cached action-response validator accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from mkbscan import rasa_main

GOOD = {"events": [{"event": "slot", "name": "awaiting", "value": "scan_question"}],
        "responses": [{"text": "Vraag 1 van 13", "buttons": [{"title": "Ja", "payload": "ja"}]}]}
BAD = [{"events": "not a list"}, {"events": [{"no": "event"}]}, {"events": [{"event": 5}]},
       {"responses": "x"}]


def test_same_verdict_as_rasa() -> None:
    schema = RemoteAction.action_response_format_spec()
    validate(GOOD, schema)
    assert rasa_main._validate_action_result(None, GOOD) is True
    for bad in BAD:
        with pytest.raises(ValidationError):
            validate(bad, schema)
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            rasa_main._validate_action_result(None, bad)


def test_apply_patches_remote_action() -> None:
    original = RemoteAction._validate_action_result
    try:
        rasa_main.apply()
        assert RemoteAction._validate_action_result is rasa_main._validate_action_result
    finally:
        RemoteAction._validate_action_result = original


LOG_LEVEL_AFTER_SKLEARN_LOAD = """
import logging, sys
from mkbscan import rasa_main
if sys.argv[1] == "fixed":
    rasa_main.keep_log_level()
logging.basicConfig(level=logging.INFO)  # what Rasa's own set-up does, after our import
import skops.io  # loading a scikit-learn model (LogisticRegressionClassifier) imports it
print(logging.getLogger("rasa.core.run").getEffectiveLevel())
"""


@pytest.mark.parametrize(("mode", "level"), [("fixed", 20), ("unfixed", 30)])
def test_loading_a_sklearn_model_keeps_info_logging(mode: str, level: int) -> None:
    """Without the early import, INFO logs (incl. "Rasa server is up and running") vanish."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", LOG_LEVEL_AFTER_SKLEARN_LOAD, mode],
                         capture_output=True, text=True, check=True).stdout
    assert int(out.strip().splitlines()[-1]) == level

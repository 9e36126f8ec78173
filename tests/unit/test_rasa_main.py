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

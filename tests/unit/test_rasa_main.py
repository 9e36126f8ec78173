"""mkbscan/rasa/main.py: the cached action-response validator accepts and rejects exactly
what Rasa's does; the log level survives model loading; shell and run start quiet."""

from __future__ import annotations

import os
import warnings

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from mkbscan.rasa import main as rasa_main

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
from mkbscan.rasa import main as rasa_main
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


@pytest.mark.parametrize(("argv", "quiet"), [
    (["rasa_main.py", "shell", "--model", "m.tar.gz"], True),
    (["rasa_main.py", "run", "--port", "5005"], True),
    (["rasa_main.py", "shell", "--debug"], False),
    (["rasa_main.py", "run", "-vv"], False),
    (["rasa_main.py", "train"], False),
    (["rasa_main.py", "--version"], False),
    (["rasa_main.py"], False),
])
def test_quiet_only_for_shell_and_run(argv: list[str], quiet: bool,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    assert rasa_main.wants_quiet(argv) is quiet


def test_debug_log_level_is_not_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    assert not rasa_main.wants_quiet(["rasa_main.py", "shell"])


def test_make_shell_goes_through_the_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    from devtools import stack

    calls: list[list[str]] = []
    monkeypatch.setattr(stack.signal, "signal", lambda *_args: None)
    monkeypatch.setattr(stack, "ensure_model", lambda: stack.ROOT / "models" / "m.tar.gz")
    monkeypatch.setattr(stack, "wait_http", lambda *_args: None)  # action server "running"
    monkeypatch.setattr(stack.subprocess, "call", lambda args, **_kw: calls.append(args) or 0)
    assert stack.shell() == 0
    assert calls[0][:len(stack.RASA) + 1] == [*stack.RASA, "shell"]


def test_importing_changes_no_filter() -> None:
    """pytest imports this module: its filters (and every warning in tests) stay as they are."""
    import rasa.utils.common

    assert rasa.utils.common._filter_warnings.__name__ == "_filter_warnings"
    assert rasa_main.NOT_OUR_CODE not in [getattr(f[3], "pattern", f[3]) for f in warnings.filters]


WARNINGS_IN_THE_SHELL = """
import logging, sys, warnings
from mkbscan.rasa import main as rasa_main
if sys.argv[1] == "quiet":
    rasa_main.quiet_library_warnings()
import sanic  # adds `once` for DeprecationWarning when imported
from rasa.utils.common import configure_logging_and_warnings
configure_logging_and_warnings(logging.INFO)  # what `rasa shell` does; adds `once` for UserWarning

class PyparsingDeprecationWarning(UserWarning, DeprecationWarning):  # as in pyparsing
    pass

for category, module in [(DeprecationWarning, "typer"),
                         (PyparsingDeprecationWarning, "matplotlib.fontconfig_pattern"),
                         (PendingDeprecationWarning, "spacy.cli"),
                         (FutureWarning, "sklearn.base"),
                         (DeprecationWarning, "mkbscan.scan.scoring"),
                         (FutureWarning, "actions.dialogue"),
                         (UserWarning, "spacy.util")]:
    warnings.warn_explicit(f"{category.__name__} in {module}", category, module, 1, module=module)
"""
LIBRARY_NOISE = ["DeprecationWarning in typer",
                 "PyparsingDeprecationWarning in matplotlib.fontconfig_pattern",
                 "FutureWarning in sklearn.base"]
ALWAYS_SHOWN = ["DeprecationWarning in mkbscan.scan.scoring", "FutureWarning in actions.dialogue",
                "UserWarning in spacy.util"]


@pytest.mark.parametrize("mode", ["quiet", "plain"])
def test_shell_hides_library_deprecations_only(mode: str) -> None:
    """Library notices go, ours and other warnings stay; without the filters sanic's and
    Rasa's `once` filters let the library notices through (what the shell showed)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    stderr = subprocess.run([sys.executable, "-c", WARNINGS_IN_THE_SHELL, mode], env=env,
                            capture_output=True, text=True, check=True).stderr
    for line in ALWAYS_SHOWN:
        assert line in stderr
    for line in LIBRARY_NOISE:
        assert (line in stderr) is (mode == "plain"), line

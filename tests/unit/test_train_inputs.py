"""A change to our own NLU component code leads to a new model, not a stale cached one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools import train
from mkbscan.rasa import intent_classifier


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in train.INPUTS:
        source = train.ROOT / name
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    monkeypatch.setattr(train, "ROOT", tmp_path)
    monkeypatch.setenv("SPACY_MODEL", "nl_test")
    return tmp_path


@pytest.mark.parametrize("changed", ["mkbscan/rasa/intent_model.py", "config.yml",
                                     "data/nlu/basics.yml"])
def test_model_name_follows_inputs(tree: Path, changed: str) -> None:
    before = train.inputs_hash()
    assert train.inputs_hash() == before
    with (tree / changed).open("a") as f:
        f.write("\n# changed\n")
    assert train.inputs_hash() != before


def test_rasa_cache_key_covers_the_classifier_code(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    before = intent_classifier.LinearIntentClassifier.fingerprint_addon({})
    copy = tmp_path / "intent_model.py"
    copy.write_text(Path(intent_classifier.intent_model.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(intent_classifier.intent_model, "__file__", str(copy))
    assert intent_classifier.LinearIntentClassifier.fingerprint_addon({}) != before

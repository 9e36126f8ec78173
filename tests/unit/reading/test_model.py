"""The saved answer reader: it loads without training again, and only with known types."""

from __future__ import annotations

from pathlib import Path

import skops.io as sio

from mkbscan.reading.model import TRUSTED_TYPES, AnswerReader, Example, load_examples


def test_a_saved_reader_loads_with_exactly_the_trusted_types(tmp_path: Path) -> None:
    examples = [e for i, e in enumerate(load_examples()) if i % 4 == 0]
    path = tmp_path / "reader.skops"
    AnswerReader.fit(examples, folds=2).save(path)
    assert set(sio.get_untrusted_types(file=path)) == TRUSTED_TYPES
    loaded = AnswerReader.load(path)
    probabilities = loaded.probabilities("P1", "grotendeels wel", None)
    assert abs(probabilities.sum() - 1.0) < 1e-6


def test_a_tampered_reader_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reader.skops"
    sio.dump({"ordinal": {"words": Path("/etc/passwd")}, "meta": None}, path)
    try:
        AnswerReader.load(path)
    except ValueError as error:
        assert "unexpected types" in str(error)
    else:
        raise AssertionError("a reader with unexpected types was loaded")


def test_the_training_data_has_every_level_for_every_question() -> None:
    examples: list[Example] = load_examples()
    for question in {e.question for e in examples}:
        assert {e.level for e in examples if e.question == question} == {0, 1, 2, 3, None}

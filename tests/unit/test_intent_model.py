"""The intent model learns, ranks, survives a save/load round trip and refuses foreign files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import skops.io as sio

from mkbscan.rasa.intent_model import TRUSTED_TYPES, IntentModel, normalise, word_shapes

TRAIN = {
    "greet": ["hallo", "hoi", "goedemorgen", "hey daar", "dag allemaal", "hallo daar",
              "goeiemiddag", "hoi hoi"],
    "goodbye": ["doei", "tot ziens", "ik ga ervandoor", "fijne dag nog", "tot later",
                "de groeten", "ik sluit af", "doeg"],
    "request_advisor": ["ik wil marco spreken", "bel me maar", "kan ik een afspraak maken",
                        "ik wil een adviseur", "graag een gesprek met iemand",
                        "mag marco mij bellen", "ik wil met een mens praten",
                        "plan een afspraak in"],
}


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts = [t for examples in TRAIN.values() for t in examples]
    intents = [i for i, examples in TRAIN.items() for _ in examples]
    return IntentModel.fit(texts, intents)


def test_normalise() -> None:
    assert normalise("  Hallo\tDaar\n ") == "hallo daar"
    assert normalise("ＨＡＬＬＯ") == "hallo"  # full-width letters


def test_ranks_every_intent_best_first(model: IntentModel) -> None:
    (ranking,) = model.rank(["Hallo!"])
    assert [name for name, _ in ranking][0] == "greet"
    assert sorted(name for name, _ in ranking) == sorted(TRAIN)
    confidences = [c for _, c in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_generalises_to_unseen_phrasings(model: IntentModel) -> None:
    unseen = {"hallootjes": "greet", "doeidoei": "goodbye",
              "kan marco me bellen": "request_advisor"}
    predicted = [ranking[0][0] for ranking in model.rank(list(unseen))]
    assert predicted == list(unseen.values())


def test_empty_input(model: IntentModel) -> None:
    assert model.rank([]) == []
    assert len(model.rank([""])[0]) == len(TRAIN)


def test_save_load_gives_the_same_rankings(model: IntentModel, tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    model.save(path)
    loaded = IntentModel.load(path)
    texts = ["hoi", "tot ziens", "bel me", "iets heel anders"]
    for a, b in zip(model.rank(texts), loaded.rank(texts), strict=True):
        assert [n for n, _ in a] == [n for n, _ in b]
        assert [c for _, c in a] == pytest.approx([c for _, c in b])


def test_trusted_types_are_exactly_what_the_model_holds(model: IntentModel,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    model.save(path)
    assert set(sio.get_untrusted_types(file=path)) == TRUSTED_TYPES


def test_refuses_a_file_with_foreign_types(tmp_path: Path) -> None:
    path = tmp_path / "evil.skops"
    sio.dump({"payload": zipfile.ZipFile}, path)  # any type outside our pipeline
    with pytest.raises(ValueError, match="unexpected types"):
        IntentModel.load(path)


def test_refuses_a_file_without_a_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "dict.skops"
    sio.dump({"a": 1}, path)
    with pytest.raises(ValueError, match="does not hold an intent model"):
        IntentModel.load(path)


def test_needs_enough_examples() -> None:
    with pytest.raises(ValueError, match="too few"):
        IntentModel.fit(["hallo", "hoi", "doei"], ["greet", "greet", "goodbye"])
    with pytest.raises(ValueError, match="differ in length"):
        IntentModel.fit(["hallo"], ["greet", "goodbye"])


def test_word_shapes_mark_names_emails_and_phone_numbers() -> None:
    assert word_shapes("Thijs van Rijswijk") == "BOS Cap w Cap EOS LEN3"
    assert word_shapes("anne@zon.nl") == "BOS EMAIL EOS LEN1"
    assert word_shapes("bel 06-12345678") == "BOS w PHONE EOS LEN2"
    assert word_shapes("+32 475 12 34 56") == "BOS PHONE EOS LEN1"
    assert word_shapes("zo'n 25 man") == "BOS w P w NUM w EOS LEN5"
    assert word_shapes("KVK nummer") == "BOS CAPS w EOS LEN2"
    assert word_shapes("") == "BOS  EOS LEN0"


def test_typed_answers_join_as_the_answer_intent_only_when_long_and_new() -> None:
    from mkbscan.rasa.intent_model import TYPED_ANSWER_MIN_WORDS, with_typed_answers

    short, known = "nee hoor", "Ik begrijp de vraag niet goed hoor"
    long_answer = "de kern is duidelijk, alleen over de IT twijfelen we nog"
    texts, intents = with_typed_answers(
        [known.lower(), "hallo"], ["explain_question", "greet"],
        [short, known, long_answer, long_answer.upper()], "scan_answer")
    assert len(short.split()) < TYPED_ANSWER_MIN_WORDS <= len(known.split())
    assert texts == [known.lower(), "hallo", long_answer]  # once, and not the known one
    assert intents == ["explain_question", "greet", "scan_answer"]

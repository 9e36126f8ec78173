"""The intent model, trained on data/nlu, on phrasings it has never seen (tests/nlu_unseen.yml).

Not a replacement for the cross-validation in `make bench`; a floor that a data or model
change must not break: at least 90% right overall and no intent missed entirely.
"""

from __future__ import annotations

import pytest

from devtools.load import C1_PHRASINGS, C2_PHRASINGS, C3_PHRASINGS, SCALE_PHRASINGS
from mkbscan.rasa.intent_model import IntentModel
from tests.unit.test_nlu_data import button_titles, examples, unseen_set

MIN_ACCURACY = 0.90


@pytest.fixture(scope="module")
def model() -> IntentModel:
    data = examples()
    return IntentModel.fit([t for texts in data.values() for t in texts],
                           [i for i, texts in data.items() for _ in texts])


def test_unseen_phrasings(model: IntentModel) -> None:
    unseen = unseen_set()
    cases = [(text, intent) for intent, texts in unseen.items() for text in texts]
    predicted = [ranking[0][0] for ranking in model.rank([t for t, _ in cases])]
    wrong = [(t, i, p) for (t, i), p in zip(cases, predicted, strict=True) if p != i]
    accuracy = 1 - len(wrong) / len(cases)
    missed = set(unseen) - {i for (_, i), p in zip(cases, predicted, strict=True) if p == i}
    assert accuracy >= MIN_ACCURACY, (accuracy, wrong)
    assert missed == set(), wrong


def intents_answering_an_open_question() -> set[str]:
    """Intents that the dialogue router sends to the answer reader while a question is open."""
    from mkbscan.dialogue.router import ANSWER_INTENTS

    return set(ANSWER_INTENTS)


def test_button_titles_and_typed_answers_reach_the_answer_parser(model: IntentModel) -> None:
    """Scan buttons send their title as text, so the NLU must never take one for a side step
    (a "2 tot 9" read as goodbye ended the scan); nor the free-text answers the load
    driver types."""
    texts = button_titles()
    texts += [p for phrasings in SCALE_PHRASINGS.values() for p in phrasings]
    texts += [*C1_PHRASINGS, *C2_PHRASINGS, *C3_PHRASINGS]
    allowed = intents_answering_an_open_question()
    assert "scan_answer" in allowed
    wrong = [(t, r[0]) for t, r in zip(texts, model.rank(texts), strict=True)
             if r[0][0] not in allowed]
    assert wrong == []

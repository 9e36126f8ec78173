"""Both Dutch spaCy paths load through Rasa's SpacyNLP and give tokens and lemmas.

The official nl_core_news_sm cannot be downloaded here, so its path is exercised with a
small pipeline of the same kinds of components (tok2vec, tagger, lemmatizer, ner) that this
test trains and saves, loaded by path exactly as config.yml's `model: ${SPACY_MODEL}` does.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.training import Example

from mkbscan.rasa.spacy_offline import OFFLINE_NAME, build

TRAIN = [
    ("Anne werkt bij Bakkerij Zon in Utrecht .",
     ["PROPN", "VERB", "ADP", "PROPN", "PROPN", "ADP", "PROPN", "PUNCT"],
     [(0, 4, "PER"), (15, 27, "ORG"), (31, 38, "LOC")]),
    ("Wij zoeken een nieuwe leverancier .",
     ["PRON", "VERB", "DET", "ADJ", "NOUN", "PUNCT"], []),
    ("Piet belt Jansen Metaal morgen .",
     ["PROPN", "VERB", "PROPN", "PROPN", "ADV", "PUNCT"], [(0, 4, "PER"), (10, 23, "ORG")]),
]


def tokens_of(model: SpacyModel, text: str) -> list:
    nlp = SpacyNLP(model, {**SpacyNLP.get_default_config(), "model": model.model_name})
    message = Message({TEXT: text})
    nlp.process([message], model)
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process([message])
    return message.get(TOKENS_NAMES[TEXT])


def test_offline_pipeline_gives_dutch_lemmas(tmp_path: Path) -> None:
    target = build(tmp_path / "nl_offline")
    model = SpacyNLP.load_model(str(target))
    assert model.model.meta["name"] == OFFLINE_NAME
    lemmas = {t.text: t.lemma for t in tokens_of(model, "Wij werkten samen met leveranciers")}
    assert lemmas["werkten"] == "werken" and lemmas["leveranciers"] == "leverancier"


@pytest.fixture(scope="module")
def small_trained_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    random.seed(0)
    nlp = spacy.blank("nl")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("ner")
    examples = []
    for text, tags, entities in TRAIN:
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {"tags": tags, "entities": entities}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer)
    nlp.meta["name"] = "core_news_sm_test"
    target = tmp_path_factory.mktemp("spacy") / "nl_small"
    nlp.to_disk(target)
    return target


def test_trained_pipeline_like_nl_core_news_sm_loads_through_rasa(small_trained_pipeline) -> None:
    model = SpacyNLP.load_model(str(small_trained_pipeline))
    assert set(model.model.pipe_names) == {"tok2vec", "tagger", "lemmatizer", "ner"}
    tokens = tokens_of(model, "Anne werkt bij Bakkerij Zon in Utrecht .")
    # SpacyNLP lowercases by default (case_sensitive: false)
    assert [t.text for t in tokens][:3] == ["anne", "werkt", "bij"]
    lemmas = {t.text: t.lemma for t in tokens_of(model, "Wij zoeken nieuwe leveranciers .")}
    assert lemmas["leveranciers"] == "leverancier"
    assert all(t.get("pos") for t in tokens), "the tagger's part of speech reaches Rasa"
    doc = model.model("Anne werkt bij Bakkerij Zon in Utrecht .")
    assert ("Anne", "PER") in {(e.text, e.label_) for e in doc.ents}

"""Intent classification as plain scikit-learn: TF-IDF n-grams and a calibrated linear SVM.

Why not Rasa's DIET: on our data (short Dutch chat messages, 28 intents) a linear model
on word and character n-grams plus word shapes generalises better in cross-validation,
trains in seconds instead of minutes and needs no TensorFlow at prediction time
(docs/nlu.md has the figures). Character n-grams carry typos and Flemish spellings
("nie", "da's"); word bigrams carry short phrases ("nog niet", "klopt niet").

The SVM is wrapped in a sigmoid calibration so that the confidences mean something:
Rasa's FallbackClassifier compares them with its threshold.

The model is saved with skops, not pickle, and loaded only if the file holds nothing but
the types this module builds (a tampered model file is refused, not executed).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

Ranking = list[tuple[str, float]]

# Fewer examples than this per intent and the calibration's inner folds cannot stratify.
MIN_EXAMPLES_PER_INTENT = 3

_WHITESPACE = re.compile(r"\s+")
# Short answers ("nee hoor", "ja, altijd") are in data/nlu already, as scan_answer, affirm or
# deny; the reader's own short forms tipped affirm and deny towards scan_answer (3-fold
# cross-validation, docs/nlu.md), and the long ones carry what the NLU lacked.
TYPED_ANSWER_MIN_WORDS = 4


def normalise(text: str) -> str:
    """Lower case, Unicode NFKC (full-width letters, ligatures), single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


_TOKEN = re.compile(r"\S+@\S+|\+?\d[\d\s\-/.]{5,}\d|\w+|[^\w\s]")
_EMAIL = re.compile(r"^\S+@\S+\.\w+$")


def _token_shape(token: str) -> str:
    digits = sum(c.isdigit() for c in token)
    if _EMAIL.match(token):
        return "EMAIL"
    if digits >= 6:
        return "PHONE"
    if digits:
        return "NUM"
    if not any(c.isalpha() for c in token):
        return "P"
    if token.isupper() and len(token) > 1:
        return "CAPS"
    return "Cap" if token[0].isupper() else "w"


def word_shapes(text: str) -> str:
    """The message as token shapes: "Thijs van Rijswijk" -> "BOS Cap w Cap EOS LEN3".

    Names, e-mail addresses and phone numbers are open classes no list of examples covers;
    their shape (capitals, @, long digit runs) and the message length generalise.
    """
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text))
    shapes = " ".join(_token_shape(t) for t in tokens)
    return f"BOS {shapes} EOS LEN{min(len(tokens), 8)}"


def _inputs(texts: Sequence[str]) -> np.ndarray:
    return np.array([[normalise(t), word_shapes(t)] for t in texts], dtype=object).reshape(-1, 2)


def build_pipeline(c: float = 1.0, calibration_folds: int = 3) -> Pipeline:
    features = ColumnTransformer([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=False,
                                  token_pattern=r"(?u)\b\w+\b", min_df=2), 0),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                                  lowercase=False, min_df=2), 0),
        ("shapes", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, lowercase=False,
                                   token_pattern=r"\S+"), 1),
    ], transformer_weights={"shapes": 0.5})
    svm = LinearSVC(C=c, class_weight="balanced", random_state=0)
    return Pipeline([
        ("features", features),
        ("classifier", CalibratedClassifierCV(svm, cv=calibration_folds, method="sigmoid",
                                              ensemble=False)),
    ])


def with_typed_answers(texts: Sequence[str], intents: Sequence[str], answers: Sequence[str],
                       intent: str) -> tuple[list[str], list[str]]:
    """The NLU examples plus typed answers to the scan's questions as `intent`.

    The NLU data holds short answers; the answer reader's training data holds thousands of
    answers as entrepreneurs type them ("de kern is duidelijk, alleen over de IT twijfelen
    we nog"). Without them, one typed answer in ten was taken for a side step (an
    explanation, a topic) and lost. Only answers of TYPED_ANSWER_MIN_WORDS words or more
    are added, and none the NLU data already has under any intent.
    """
    known = {normalise(text) for text in texts}
    added: dict[str, str] = {}
    for answer in answers:
        key = normalise(answer)
        if len(key.split()) >= TYPED_ANSWER_MIN_WORDS and key not in known:
            added.setdefault(key, answer)
    extra = sorted(added.values())
    return [*texts, *extra], [*intents, *([intent] * len(extra))]


def with_reader_answers(texts: Sequence[str], intents: Sequence[str],
                        intent: str) -> tuple[list[str], list[str]]:
    """with_typed_answers with the answer reader's training answers (mkbscan/reading)."""
    from mkbscan.reading.model import load_examples

    return with_typed_answers(texts, intents, [a.text for a in load_examples()], intent)


class IntentModel:
    """Fit on (text, intent) pairs; rank the intents of new texts by confidence."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    @classmethod
    def fit(cls, texts: Sequence[str], intents: Sequence[str], c: float = 1.0) -> IntentModel:
        if len(texts) != len(intents):
            raise ValueError("texts and intents differ in length")
        counts = Counter(intents)
        too_few = sorted(i for i, n in counts.items() if n < MIN_EXAMPLES_PER_INTENT)
        if len(counts) < 2 or too_few:
            raise ValueError(f"need 2+ intents with {MIN_EXAMPLES_PER_INTENT}+ examples each; "
                             f"too few: {too_few or list(counts)}")
        pipeline = build_pipeline(c)
        pipeline.fit(_inputs(texts), np.asarray(intents))
        for _, vectorizer, _ in pipeline.named_steps["features"].transformers_:
            vectorizer.stop_words_ = None  # only the n-grams min_df dropped: MBs, never used
        return cls(pipeline)

    @property
    def intents(self) -> list[str]:
        return [str(i) for i in self._pipeline.classes_]

    def rank(self, texts: Sequence[str]) -> list[Ranking]:
        """Per text: every intent with its confidence, best first (confidences sum to 1)."""
        if not texts:
            return []
        probabilities = self._pipeline.predict_proba(_inputs(texts))
        intents = self.intents
        rankings = []
        for row in probabilities:
            order = np.argsort(-row, kind="stable")
            rankings.append([(intents[i], float(row[i])) for i in order])
        return rankings

    def save(self, path: Path) -> None:
        import skops.io as sio

        sio.dump(self._pipeline, path)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        import skops.io as sio

        unexpected = set(sio.get_untrusted_types(file=path)) - TRUSTED_TYPES
        if unexpected:
            raise ValueError(f"refusing to load {path.name}: unexpected types {sorted(unexpected)}")
        pipeline = sio.load(path, trusted=sorted(TRUSTED_TYPES))
        if not isinstance(pipeline, Pipeline):
            raise ValueError(f"{path.name} does not hold an intent model")
        return cls(pipeline)


# The types in our pipeline that skops does not trust by default (a unit test compares
# this with a freshly saved model, so a scikit-learn upgrade cannot drift silently).
TRUSTED_TYPES = frozenset({
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
})

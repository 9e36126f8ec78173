"""An ordinal model of the answer level: how far a sentence says "yes" to the question.

Frank & Hall's ordinal classification: three binary logistic regressions estimate
P(level > 0), P(level > 1) and P(level > 2), so a reading two levels off costs more than
one level off, and a fourth one estimates P(unknown). Features: word 1-2-grams with
negation scope marked ("ze tonen geen neg_interesse"), character 2-5-grams (typos,
Flemish), and words tied to the question ("P1:jaren"), so that an answer by content
without yes or no ("we kennen ze al jaren" to the question on criteria) can be learned.

On top sits a stacked combination (`AnswerReader`): a small multinomial logistic
regression that weighs the ordinal model's probabilities against the cue reading of
mkbscan.reading.rules (its level, strength, conflict, the answer's length). It is trained on
out-of-fold probabilities, so it learns how far to trust each side on text the ordinal model
has not seen.

Trained on mkbscan/reading/training/*.yml (labelled answers, generic, per question and per
wording of a question) in about ten seconds with scikit-learn; saved as plain numbers in
models/answer-reader-<hash>.json.gz (mkbscan.reading.saved; the hash covers the training
files and this package's code) and read from there without NumPy (mkbscan.reading.weights).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from mkbscan.reading.features import LEVELS, prepared, rule_features, tied_text
from mkbscan.reading.rules import RuleReading, read_rules
from mkbscan.reading.saved import training_files
from mkbscan.reading.weights import ReaderWeights, Vocabulary

FOLDS = 5
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Example:
    question: str | None  # what was asked ("P4", or "P4/none" for a variant); None: any
    text: str
    level: int | None


def load_examples(paths: list[Path] | None = None) -> list[Example]:
    examples = []
    for path in paths if paths is not None else training_files():
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples += [Example(None, str(item["text"]), _level(item["level"]))
                     for item in raw.get("generic") or []]
        for section in (key for key in raw if key.startswith("per_question")):  # by round
            for asked, items in (raw.get(section) or {}).items():
                examples += [Example(asked, str(item["text"]), _level(item["level"]))
                             for item in items]
    return examples


def _level(raw: object) -> int | None:
    return None if raw in (UNKNOWN, None, "None") else int(raw)  # type: ignore[arg-type]


class OrdinalAnswerModel:
    def __init__(self, c: float = 4.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"[^ ,]+",
                                     sublinear_tf=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=2)
        self.tied = TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True)
        self.c = c
        self.above: list = []  # LogisticRegression, P(level > k) for k = 0, 1, 2
        self.unknown = None  # LogisticRegression, P(unknown)

    def _features(self, questions: list[str | None], texts: list[str], fit: bool = False):
        from scipy.sparse import hstack

        ready = [prepared(text) for text in texts]
        tied = [tied_text(q, p) or "_none_" for q, p in zip(questions, ready, strict=True)]
        parts = (self.words, ready), (self.chars, ready), (self.tied, tied)
        if fit:
            return hstack([vec.fit_transform(data) for vec, data in parts]).tocsr()
        return hstack([vec.transform(data) for vec, data in parts]).tocsr()

    def fit(self, examples: list[Example]) -> OrdinalAnswerModel:
        from sklearn.linear_model import LogisticRegression

        features = self._features([e.question for e in examples], [e.text for e in examples],
                                  fit=True)
        unknown = np.array([e.level is None for e in examples])
        self.unknown = LogisticRegression(C=self.c, max_iter=2000,
                                          class_weight="balanced").fit(features, unknown)
        known = features[~unknown]
        levels = np.array([e.level for e in examples if e.level is not None])
        self.above = [LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
                      .fit(known, levels > k) for k in range(3)]
        return self

    def probabilities(self, question: str | None, texts: list[str]) -> np.ndarray:
        """Rows of P(0), P(1), P(2), P(3), P(unknown)."""
        assert self.unknown is not None, "fit first"
        features = self._features([question] * len(texts), texts)
        p_unknown = self.unknown.predict_proba(features)[:, 1]
        above = np.column_stack([m.predict_proba(features)[:, 1] for m in self.above])
        above = np.minimum.accumulate(above, axis=1)  # P(>0) >= P(>1) >= P(>2)
        ordinal = np.column_stack([1 - above[:, 0], above[:, 0] - above[:, 1],
                                   above[:, 1] - above[:, 2], above[:, 2]])
        return np.column_stack([ordinal * (1 - p_unknown)[:, None], p_unknown])

    def weights_parts(self) -> dict:
        def vocabulary(vectorizer) -> Vocabulary:
            return Vocabulary({str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                              array("d", vectorizer.idf_))

        return {"words": vocabulary(self.words), "chars": vocabulary(self.chars),
                "tied": vocabulary(self.tied),
                "unknown": (array("d", self.unknown.coef_[0]), float(self.unknown.intercept_[0])),
                "above": ([array("d", m.coef_[0]) for m in self.above],
                          [float(m.intercept_[0]) for m in self.above])}


class AnswerReader:
    """The ordinal model and the meta model that combines it with the cue reading."""

    def __init__(self, ordinal: OrdinalAnswerModel, meta) -> None:
        self.ordinal, self.meta = ordinal, meta

    @classmethod
    def fit(cls, examples: list[Example], folds: int = FOLDS) -> AnswerReader:
        out_of_fold = np.zeros((len(examples), len(LEVELS)))
        for fold in range(folds):
            train = [e for i, e in enumerate(examples) if i % folds != fold]
            model = OrdinalAnswerModel().fit(train)
            held = [i for i in range(fold, len(examples), folds)]
            for i in held:
                out_of_fold[i] = model.probabilities(examples[i].question,
                                                     [examples[i].text])[0]
        rows = np.hstack([out_of_fold, np.array([rule_features(read_rules(e.text), e.text)
                                                 for e in examples])])
        labels = np.array([LEVELS.index(e.level) for e in examples])
        from sklearn.linear_model import LogisticRegression

        meta = LogisticRegression(C=1.0, max_iter=3000).fit(rows, labels)
        return cls(OrdinalAnswerModel().fit(examples), meta)

    def probabilities(self, question: str | None, text: str,
                      rules: RuleReading | None) -> np.ndarray:
        """P(0), P(1), P(2), P(3), P(unknown) for one answer."""
        ordinal = self.ordinal.probabilities(question, [text])[0]
        row = np.hstack([ordinal, rule_features(rules, text)])[None]
        combined = np.zeros(len(LEVELS))
        combined[self.meta.classes_] = self.meta.predict_proba(row)[0]
        return combined

    def weights(self) -> ReaderWeights:
        """The same reader as plain numbers, for reading answers without scikit-learn."""
        parts = self.ordinal.weights_parts()
        return ReaderWeights(parts["words"], parts["chars"], parts["tied"], parts["unknown"],
                             parts["above"], (self.meta.coef_.tolist(),
                                              self.meta.intercept_.tolist(),
                                              [int(c) for c in self.meta.classes_]))

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

Trained on mkbscan/reading/training/answer_levels.yml (labelled answers, generic and per
question) in about ten seconds; saved as models/answer-reader-<hash>.skops (the hash
covers the training file and this package's code) and loaded from there afterwards.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from mkbscan.reading.rules import RuleReading, read_rules
from mkbscan.reading.text import correct_typos, mark_negation, normalize

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent
TRAINING_FILE = PACKAGE / "training" / "answer_levels.yml"
MODELS = PACKAGE.parent.parent / "models"
FOLDS = 5
UNKNOWN = "unknown"
LEVELS: tuple[int | None, ...] = (0, 1, 2, 3, None)


@dataclass(frozen=True)
class Example:
    question: str | None  # None: fits any question
    text: str
    level: int | None


def load_examples(path: Path = TRAINING_FILE) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = [Example(None, str(item["text"]), _level(item["level"]))
                for item in raw.get("generic") or []]
    for section in ("per_question", "per_question_round2"):
        for question, items in (raw.get(section) or {}).items():
            examples += [Example(question, str(item["text"]), _level(item["level"]))
                         for item in items]
    return examples


def _level(raw: object) -> int | None:
    return None if raw in (UNKNOWN, None, "None") else int(raw)  # type: ignore[arg-type]


LEADING_YES_NO = re.compile(r"^(ja|jawel|jazeker|yes|nee|neen|nope|no)(?![a-z])")


def _prepared(text: str) -> str:
    return mark_negation(correct_typos(normalize(text)))


def _tied(question: str | None, prepared: str) -> str:
    if question is None:
        return ""
    return " ".join(f"{question}_{word}" for word in prepared.split() if word != ",")


class OrdinalAnswerModel:
    def __init__(self, c: float = 4.0) -> None:
        self.words = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"[^ ,]+",
                                     sublinear_tf=True, min_df=1)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                     min_df=2)
        self.tied = TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True)
        self.c = c
        self.above: list[LogisticRegression] = []
        self.unknown: LogisticRegression | None = None

    def _features(self, questions: list[str | None], texts: list[str], fit: bool = False):
        prepared = [_prepared(text) for text in texts]
        tied = [_tied(q, p) or "_none_" for q, p in zip(questions, prepared, strict=True)]
        parts = (self.words, prepared), (self.chars, prepared), (self.tied, tied)
        if fit:
            return hstack([vec.fit_transform(data) for vec, data in parts]).tocsr()
        return hstack([vec.transform(data) for vec, data in parts]).tocsr()

    def fit(self, examples: list[Example]) -> OrdinalAnswerModel:
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


    def parts(self) -> dict[str, object]:
        return {"words": self.words, "chars": self.chars, "tied": self.tied,
                "unknown": self.unknown, "above": list(self.above)}

    @classmethod
    def from_parts(cls, parts: dict) -> OrdinalAnswerModel:
        model = cls()
        model.words, model.chars, model.tied = parts["words"], parts["chars"], parts["tied"]
        model.unknown, model.above = parts["unknown"], list(parts["above"])
        return model


def rule_features(rules: RuleReading | None, text: str) -> np.ndarray:
    """What the meta model knows of the cue reading (and how long the answer is)."""
    row = np.zeros(16)
    if rules is None:
        row[0] = 1.0
    else:
        index = 5 if rules.level is None else 1 + rules.level
        row[index] = 1.0
        row[6] = rules.strength / 6
        row[7] = float(rules.conflict)
        if rules.strength >= 3:
            row[8 + index - 1] = 1.0
    row[13] = min(len(text.split()), 30) / 30
    row[14] = float(len(text.split()) <= 3)
    row[15] = float(bool(LEADING_YES_NO.match(normalize(text))))
    return row


class AnswerReader:
    """The ordinal model and the meta model that combines it with the cue reading."""

    def __init__(self, ordinal: OrdinalAnswerModel, meta: LogisticRegression) -> None:
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

    def save(self, path: Path) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({"ordinal": self.ordinal.parts(), "meta": self.meta}, path)

    @classmethod
    def load(cls, path: Path) -> AnswerReader:
        import skops.io as sio

        unexpected = set(sio.get_untrusted_types(file=path)) - TRUSTED_TYPES
        if unexpected:
            raise ValueError(f"refusing to load {path.name}: unexpected types {sorted(unexpected)}")
        parts = sio.load(path, trusted=sorted(TRUSTED_TYPES))
        return cls(OrdinalAnswerModel.from_parts(parts["ordinal"]), parts["meta"])


# Types skops does not trust by default that our saved reader holds (checked by a test).
TRUSTED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})


def inputs_hash() -> str:
    digest = hashlib.sha256(TRAINING_FILE.read_bytes())
    for code in sorted(PACKAGE.glob("*.py")):
        digest.update(code.name.encode())
        digest.update(code.read_bytes())
    return digest.hexdigest()[:12]


def reader_path() -> Path:
    return MODELS / f"answer-reader-{inputs_hash()}.skops"


@lru_cache(maxsize=1)
def trained_reader() -> AnswerReader:
    """The saved reader for the current training data and code, trained and saved if new."""
    path = reader_path()
    if path.exists():
        try:
            return AnswerReader.load(path)
        except (ValueError, OSError, KeyError) as exc:
            logger.warning("answer reader %s not loaded (%s); training again", path.name, exc)
    reader = AnswerReader.fit(load_examples())
    try:
        reader.save(path)
    except OSError as exc:  # a read-only install still reads answers, it trains each start
        logger.warning("answer reader not saved (%s)", type(exc).__name__)
    return reader

"""The trained answer reader as plain arrays, read with NumPy alone.

Training needs scikit-learn; reading an answer does not. Importing scikit-learn, SciPy's
sparse module and skops cost the action server about 90 MB, more than the whole action server
used before, so the trained reader is exported to an .npz file (no pickle: strings and numbers
only) and applied here: the same TF-IDF features (word 1-2-grams, character 2-5-grams within
word boundaries, question-tied words; sublinear tf, smooth idf, l2 norm) and the same logistic
regressions. tests/unit/reading/test_weights.py checks that both give the same probabilities.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mkbscan.reading.rules import RuleReading

_WORD = re.compile(r"[^ ,]+")
_TIED = re.compile(r"[^ ]+")
_SPACES = re.compile(r"\s\s+")


def word_grams(text: str) -> list[str]:
    tokens = _WORD.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def tied_grams(text: str) -> list[str]:
    return _TIED.findall(text.lower())


def char_wb_grams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """scikit-learn's 'char_wb' analyzer: n-grams inside each space-padded word."""
    grams = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset:offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


@dataclass
class Vocabulary:
    index: dict[str, int]
    idf: np.ndarray

    def vector(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, l2-normalised sublinear tf-idf values)."""
        counts = Counter(g for g in grams if g in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = np.array([self.index[g] for g in counts], dtype=np.int64)
        values = np.array([1.0 + math.log(c) for c in counts.values()]) * self.idf[columns]
        return columns, values / np.linalg.norm(values)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class ReaderWeights:
    words: Vocabulary
    chars: Vocabulary
    tied: Vocabulary
    unknown: tuple[np.ndarray, float]  # coefficients, intercept
    above: tuple[np.ndarray, np.ndarray]  # 3 x features, 3
    meta: tuple[np.ndarray, np.ndarray, np.ndarray]  # coefficients, intercepts, classes

    def _features(self, question: str | None, text: str) -> tuple[np.ndarray, np.ndarray]:
        from mkbscan.reading.model import prepared, tied_text

        ready = prepared(text)
        parts = ((self.words, word_grams(ready)), (self.chars, char_wb_grams(ready)),
                 (self.tied, tied_grams(tied_text(question, ready) or "_none_")))
        columns, values, offset = [], [], 0
        for vocabulary, grams in parts:
            c, v = vocabulary.vector(grams)
            columns.append(c + offset)
            values.append(v)
            offset += len(vocabulary.idf)
        return np.concatenate(columns), np.concatenate(values)

    def ordinal(self, question: str | None, text: str) -> np.ndarray:
        columns, values = self._features(question, text)
        coef, intercept = self.unknown
        p_unknown = float(_sigmoid(coef[columns] @ values + intercept))
        above = _sigmoid(self.above[0][:, columns] @ values + self.above[1])
        above = np.minimum.accumulate(above)  # P(>0) >= P(>1) >= P(>2)
        ordinal = np.array([1 - above[0], above[0] - above[1], above[1] - above[2], above[2]])
        return np.append(ordinal * (1 - p_unknown), p_unknown)

    def probabilities(self, question: str | None, text: str,
                      rules: RuleReading | None) -> np.ndarray:
        """P(0), P(1), P(2), P(3), P(unknown) for one answer."""
        from mkbscan.reading.model import rule_features

        row = np.hstack([self.ordinal(question, text), rule_features(rules, text)])
        coef, intercept, classes = self.meta
        scores = coef @ row + intercept
        scores = np.exp(scores - scores.max())
        combined = np.zeros(5)
        combined[classes] = scores / scores.sum()
        return combined

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for name in ("words", "chars", "tied"):
            vocabulary: Vocabulary = getattr(self, name)
            terms = sorted(vocabulary.index, key=vocabulary.index.__getitem__)
            arrays[f"{name}_terms"] = np.array(terms, dtype=str)
            arrays[f"{name}_idf"] = vocabulary.idf
        arrays["unknown_coef"], arrays["unknown_intercept"] = self.unknown[0], \
            np.array([self.unknown[1]])
        arrays["above_coef"], arrays["above_intercept"] = self.above
        arrays["meta_coef"], arrays["meta_intercept"], arrays["meta_classes"] = self.meta
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)

    @classmethod
    def load(cls, path: Path) -> ReaderWeights:
        with np.load(path, allow_pickle=False) as data:
            vocabularies = {
                name: Vocabulary({str(t): i for i, t in enumerate(data[f"{name}_terms"])},
                                 np.array(data[f"{name}_idf"], dtype=float))
                for name in ("words", "chars", "tied")}
            return cls(vocabularies["words"], vocabularies["chars"], vocabularies["tied"],
                       (np.array(data["unknown_coef"]), float(data["unknown_intercept"][0])),
                       (np.array(data["above_coef"]), np.array(data["above_intercept"])),
                       (np.array(data["meta_coef"]), np.array(data["meta_intercept"]),
                        np.array(data["meta_classes"], dtype=np.int64)))

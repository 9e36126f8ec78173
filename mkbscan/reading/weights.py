"""The trained answer reader as plain numbers, read with the standard library alone.

Training needs scikit-learn; reading an answer does not. Importing scikit-learn and SciPy
cost the action server about 90 MB, NumPy alone about 15 MB, for a few hundred
multiplications per answer. So the trained reader is exported to a gzipped JSON file (no
pickle: strings and numbers only) and applied here with `array` and plain loops: the same
TF-IDF features (word 1-2-grams, character 2-5-grams within word boundaries, question-tied
words; sublinear tf, smooth idf, l2 norm) and the same logistic regressions.
tests/unit/reading/test_model.py checks that both give the same probabilities.
"""

from __future__ import annotations

import gzip
import json
import math
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mkbscan.reading.features import (
    char_wb_grams,
    prepared,
    rule_features,
    tied_grams,
    tied_text,
    word_grams,
)
from mkbscan.reading.rules import RuleReading

Sparse = list[tuple[int, float]]  # (column, value)


@dataclass
class Vocabulary:
    index: dict[str, int]
    idf: array  # of float

    def vector(self, grams: list[str], offset: int) -> Sparse:
        """l2-normalised sublinear tf-idf values of the known grams, columns shifted by offset."""
        counts = Counter(self.index[g] for g in grams if g in self.index)
        values = [(column, (1.0 + math.log(c)) * self.idf[column])
                  for column, c in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in values))
        return [(offset + column, v / norm) for column, v in values]

    def to_json(self) -> dict:
        return {"terms": sorted(self.index, key=self.index.__getitem__), "idf": list(self.idf)}

    @classmethod
    def from_json(cls, raw: dict) -> Vocabulary:
        return cls({str(t): i for i, t in enumerate(raw["terms"])}, array("d", raw["idf"]))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _dot(coefficients: array, features: Sparse) -> float:
    return math.fsum(coefficients[column] * value for column, value in features)


@dataclass
class ReaderWeights:
    words: Vocabulary
    chars: Vocabulary
    tied: Vocabulary
    unknown: tuple[array, float]  # coefficients, intercept
    above: tuple[list[array], list[float]]  # P(level > k), k = 0, 1, 2
    meta: tuple[list[list[float]], list[float], list[int]]  # coefficients, intercepts, classes

    def _features(self, question: str | None, text: str) -> Sparse:
        ready = prepared(text)
        parts = ((self.words, word_grams(ready)), (self.chars, char_wb_grams(ready)),
                 (self.tied, tied_grams(tied_text(question, ready) or "_none_")))
        features: Sparse = []
        offset = 0
        for vocabulary, grams in parts:
            features += vocabulary.vector(grams, offset)
            offset += len(vocabulary.idf)
        return features

    def ordinal(self, question: str | None, text: str) -> list[float]:
        features = self._features(question, text)
        coefficients, intercept = self.unknown
        p_unknown = _sigmoid(_dot(coefficients, features) + intercept)
        above: list[float] = []
        for k_coefficients, k_intercept in zip(*self.above, strict=True):
            p = _sigmoid(_dot(k_coefficients, features) + k_intercept)
            above.append(min(p, above[-1]) if above else p)  # P(>0) >= P(>1) >= P(>2)
        ordinal = [1 - above[0], above[0] - above[1], above[1] - above[2], above[2]]
        return [p * (1 - p_unknown) for p in ordinal] + [p_unknown]

    def probabilities(self, question: str | None, text: str,
                      rules: RuleReading | None) -> list[float]:
        """P(0), P(1), P(2), P(3), P(unknown) for one answer."""
        row = self.ordinal(question, text) + rule_features(rules, text)
        coefficients, intercepts, classes = self.meta
        scores = [math.fsum(c * x for c, x in zip(k, row, strict=True)) + b
                  for k, b in zip(coefficients, intercepts, strict=True)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        combined = [0.0] * 5
        for level_index, e in zip(classes, exps, strict=True):
            combined[level_index] = e / total
        return combined

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = {name: getattr(self, name).to_json() for name in ("words", "chars", "tied")}
        raw["unknown"] = {"coef": list(self.unknown[0]), "intercept": self.unknown[1]}
        raw["above"] = {"coef": [list(c) for c in self.above[0]], "intercept": self.above[1]}
        raw["meta"] = {"coef": self.meta[0], "intercept": self.meta[1], "classes": self.meta[2]}
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            json.dump(raw, handle, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path) -> ReaderWeights:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            raw = json.load(handle)
        return cls(Vocabulary.from_json(raw["words"]), Vocabulary.from_json(raw["chars"]),
                   Vocabulary.from_json(raw["tied"]),
                   (array("d", raw["unknown"]["coef"]), float(raw["unknown"]["intercept"])),
                   ([array("d", c) for c in raw["above"]["coef"]],
                    [float(b) for b in raw["above"]["intercept"]]),
                   ([[float(x) for x in k] for k in raw["meta"]["coef"]],
                    [float(b) for b in raw["meta"]["intercept"]],
                    [int(c) for c in raw["meta"]["classes"]]))

"""What the answer reader sees of a sentence: shared by training and by reading answers.

No NumPy here: the action server reads answers with plain Python.
"""

from __future__ import annotations

import re

from mkbscan.reading.rules import RuleReading
from mkbscan.reading.text import correct_typos, drop_hypothetical, mark_negation, normalize

LEVELS: tuple[int | None, ...] = (0, 1, 2, 3, None)
RULE_FEATURES = 16
LEADING_YES_NO = re.compile(r"^(ja|jawel|jazeker|yes|nee|neen|nope|no)(?![a-z])")

_WORD = re.compile(r"[^ ,]+")
_TIED = re.compile(r"[^ ]+")
_SPACES = re.compile(r"\s\s+")


def prepared(text: str) -> str:
    return mark_negation(drop_hypothetical(correct_typos(normalize(text))))


def asked_key(question: str, variant: str = "") -> str:
    """What the reader is told was asked: the question and which wording of it ("P4/none")."""
    return f"{question}/{variant}" if variant else question


def tied_text(asked: str | None, ready: str) -> str:
    """Words tied to the question ("P4_toetsen"), and for a variant wording also to that
    wording ("P4/none_toetsen") and to all questions in that wording ("/none_toetsen")."""
    if asked is None:
        return ""
    question, _, variant = asked.partition("/")
    prefixes = (question, asked, f"/{variant}") if variant else (question,)
    return " ".join(f"{prefix}_{word}" for word in ready.split() if word != ","
                    for prefix in prefixes)


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


def rule_features(rules: RuleReading | None, text: str) -> list[float]:
    """What the meta model knows of the cue reading (and how long the answer is)."""
    row = [0.0] * RULE_FEATURES
    if rules is None:
        row[0] = 1.0
    else:
        index = 5 if rules.level is None else 1 + rules.level
        row[index] = 1.0
        row[6] = rules.strength / 6
        row[7] = float(rules.conflict)
        if rules.strength >= 3:
            row[8 + index - 1] = 1.0
    words = len(text.split())
    row[13] = min(words, 30) / 30
    row[14] = float(words <= 3)
    row[15] = float(bool(LEADING_YES_NO.match(normalize(text))))
    return row

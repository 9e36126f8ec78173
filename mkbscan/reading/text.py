"""Normalising and splitting a typed answer: clauses, their connectives, negation scope."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import get_close_matches


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation (commas kept as clause marks), one space."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("`", "'")
    text = re.sub(r"[;:.!?\n]+", " , ", text)
    text = re.sub(r"[^a-z0-9%'/+\-, ]+", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)
    text = re.sub(r"\s*,[\s,]*", " , ", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


# Words the fuzzy matcher may correct typos towards (only words of five letters or more).
VOCABULARY = (
    "helemaal", "volledig", "grotendeels", "beetje", "gedeeltelijk", "nauwelijks", "absoluut",
    "natuurlijk", "merendeels", "overwegend", "redelijk", "meestal", "vastgelegd", "enigszins",
    "informeel", "onbekend", "navragen", "weinig", "allemaal", "inderdaad", "uiteraard",
    "tuurlijk", "geregeld", "behoorlijk", "compleet", "nergens", "regelmatig", "zeker",
    "beoordelen", "misschien", "ongeveer", "eigenlijk",
)


def correct_typos(text: str) -> str:
    words = []
    for word in text.split(" "):
        if len(word) >= 5 and word not in VOCABULARY and word.isalpha():
            match = [m for m in get_close_matches(word, VOCABULARY, n=3, cutoff=0.8)
                     if m[0] == word[0] and abs(len(m) - len(word)) <= 2]
            words.append(match[0] if match else word)
        else:
            words.append(word)
    return " ".join(words)


# A clause opens with one of these; the kind says how it bears on the answer.
CONTRAST = "contrast"  # "maar", "al", "alleen", "behalve": limits or turns the answer
REASON = "reason"  # "want", "omdat": explains the answer, does not change it
_CONNECTIVES = (
    (CONTRAST, r"maar|alleen|behalve|hoewel|alhoewel|al|wel|though|but|except|although"
               r"|echter|toch|uitgezonderd|mits|tenzij|enkel"),
    (REASON, r"want|omdat|doordat|aangezien|because|since|zodat|waardoor"),
)


@dataclass(frozen=True)
class Clause:
    kind: str | None  # None for the head clause and plain continuations ("en", a comma)
    text: str


def clauses(norm: str) -> list[Clause]:
    """Split at commas and at connectives ("ja maar nog niet op papier")."""
    parts: list[Clause] = []
    for chunk in (c.strip() for c in norm.split(",")):
        if not chunk:
            continue
        kind = None
        for name, pattern in _CONNECTIVES:
            if re.match(rf"(?:{pattern})(?![a-z0-9])", chunk):
                kind = name
                break
        pieces = re.split(r"\s+(?=(?:maar|alleen|behalve|hoewel|want|omdat|doordat|but|because"
                          r"|though|although|except)(?![a-z0-9]))", chunk)
        for index, piece in enumerate(pieces):
            if index == 0:
                parts.append(Clause(kind, piece))
            else:
                word = piece.split(" ", 1)[0]
                parts.append(Clause(REASON if re.fullmatch(_CONNECTIVES[1][1], word)
                                    else CONTRAST, piece))
    return parts


NEGATORS = re.compile(r"(?<![a-z])(niet|geen|nooit|nergens|nee|not|no|never|nie|noch)(?![a-z])")


def mark_negation(norm: str) -> str:
    """Prefix the words after a negator, up to the end of its clause, with 'neg_'.

    A classic feature for sentiment-like readings: "ze tonen geen interesse" keeps
    'interesse' apart from the 'interesse' of "ze tonen veel interesse".
    """
    out = []
    for clause in norm.split(","):
        negated = False
        for word in clause.split():
            out.append(f"neg_{word}" if negated and not NEGATORS.fullmatch(word) else word)
            if NEGATORS.fullmatch(word):
                negated = True
        out.append(",")
    return " ".join(out[:-1])

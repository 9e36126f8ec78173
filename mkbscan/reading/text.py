"""Normalising and splitting a typed answer: clauses, their connectives, negation scope."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


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


# Real words one or two letters away from a cue word: never "corrected".
REAL_WORDS = frozenset(("informeren", "informeert", "informeerde", "beoordeeld", "zekere"))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters counts once), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def _allowed_edits(word: str) -> int:
    # One slip of the finger; two in a long word. More would turn real words into cue words
    # ("gedeeld" into "geregeld", "overleggen" into "overwegend").
    return 2 if len(word) >= 10 else 1


def correct_typos(text: str) -> str:
    words = []
    for word in text.split(" "):
        if len(word) >= 5 and word not in VOCABULARY and word not in REAL_WORDS \
                and word.isalpha():
            limit = _allowed_edits(word)
            distance, closest = min(((edit_distance(word, m, limit), m) for m in VOCABULARY
                                     if m[0] == word[0]), default=(limit + 1, word))
            words.append(closest if distance <= limit else word)
        else:
            words.append(word)
    return " ".join(words)


# A clause opens with one of these; the kind says how it bears on the answer.
CONTRAST = "contrast"  # "maar", "al", "alleen", "behalve": limits or turns the answer
REASON = "reason"  # "want", "omdat": explains the answer, does not change it
# "als we opnieuw zouden beginnen, zou ik het zeker doen": what would be, not what is.
_HYPOTHETICAL = re.compile(r"^(als|indien|mocht|stel)(?![a-z0-9])|(?<![a-z])(zou|zouden)"
                           r"(?! (ik |we |je )?(zeggen|denken|stellen|schatten))(?![a-z])"
                           r"(?!.*(?<![a-z])(weten|vertellen|zeggen)(?![a-z]))")
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
            if parts and _HYPOTHETICAL.search(piece):  # after the answer, not as the answer
                parts.append(Clause(REASON, piece))
            elif index == 0:
                parts.append(Clause(kind, piece))
            else:
                word = piece.split(" ", 1)[0]
                parts.append(Clause(REASON if re.fullmatch(_CONNECTIVES[1][1], word)
                                    else CONTRAST, piece))
    return parts


NEGATORS = re.compile(r"(?<![a-z])(niet|geen|nooit|nergens|nee|not|no|never|nie|noch|zonder"
                      r"|evenmin)(?![a-z])")


def drop_hypothetical(norm: str) -> str:
    """Leave out what would be after the answer ("…, als we opnieuw begonnen zou ik het zeker
    doen"): the model's side of what clauses() marks as no part of the answer (here per comma
    chunk, there also after "maar" or "want")."""
    chunks = norm.split(" , ")
    kept = chunks[:1] + [c for c in chunks[1:] if not _HYPOTHETICAL.search(c)]
    return " , ".join(kept)


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

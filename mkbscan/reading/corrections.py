"""Recognising a change to an earlier answer: which question, and (if said) the new level.

"wacht, bij de vorige vraag bedoelde ik eigenlijk ja", "bij vraag 5 bedoelde ik
grotendeels", "de vraag over startsessies moet ja zijn", "nee, ik bedoelde een beetje".
A correction needs a word that changes something (bedoelde, aanpassen, moet … zijn, klopt
niet, …); the question is named by number, by topic (the `keywords` in questions.yml), or
is the previous one. Without a level the question is asked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkbscan.reading.rules import Level, read_rules
from mkbscan.reading.text import normalize
from mkbscan.scan.questions import ScanContent

PREVIOUS = "previous"
_NUMBER_WORDS = {
    "een": 1, "eerste": 1, "twee": 2, "tweede": 2, "drie": 3, "derde": 3, "vier": 4,
    "vierde": 4, "vijf": 5, "vijfde": 5, "zes": 6, "zesde": 6, "zeven": 7, "zevende": 7,
    "acht": 8, "achtste": 8, "negen": 9, "negende": 9, "tien": 10, "tiende": 10, "elf": 11,
    "elfde": 11, "twaalf": 12, "twaalfde": 12, "dertien": 13, "dertiende": 13,
}
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_BY_NUMBER = re.compile(rf"(?<![a-z])(?:vraag|question|nummer|nr) ?{_NUMBER}(?![a-z0-9])"
                        rf"|(?<![a-z]){_NUMBER}(?:e|de|ste)? vraag(?![a-z])")
_PREVIOUS = re.compile(r"(?<![a-z])(vorige|voorgaande|laatste|vorig|previous|last|net|zonet"
                       r"|daarnet|daarstraks|eerdere)(?![a-z])")
# Words that change an answer. "ik bedoelde" alone refers to the previous answer.
_MEANT = re.compile(r"(?<![a-z])(ik bedoel(de|d)?|bedoelde ik|bedoel ik|i meant|meant|ik heb"
                    r" (me )?vergist|vergist|verkeerde knop|verkeerd geklikt|verklikt"
                    r"|mis ?geklikt|oeps|foutje)(?![a-z])")
_CHANGE = re.compile(r"(?<![a-z])(aanpassen|wijzigen|veranderen|corrigeren|verbeteren|aangepast"
                     r"|change|correct|fix|moet(en)? .{0,40}(zijn|worden)"
                     r"|moest .{0,40}(zijn|worden)|had .{0,40}moeten (zijn|worden)|klopt niet"
                     r"|klopte niet|is fout|was fout|verkeerd|niet goed|ipv|in plaats van"
                     r"|maak (er )?.{0,30}van|zet .{0,40}op)(?![a-z])")
# Phrases to leave out before reading the new level ("klopt niet" is no answer "nee").
_NOISE = re.compile(r"(?<![a-z])(klopt niet|klopte niet|is fout|was fout|verkeerd\w*|niet goed"
                    r"|nee wacht|wacht|oeps|foutje|sorry|ik heb (me )?vergist|vergist|mis ?geklikt"
                    r"|kan ik|kun je|mag ik|nog|eigenlijk|toch)(?![a-z])")


@dataclass(frozen=True)
class Correction:
    question: str  # a scored question id, or PREVIOUS
    level: Level | None
    has_level: bool  # False: only the question is named; ask it again


def _number(token: str) -> int | None:
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token)


def _target(norm: str, content: ScanContent) -> str | None:
    scored = [q.id for q in content.scored]
    match = _BY_NUMBER.search(norm)
    if match:
        number = _number(next(g for g in match.groups() if g))
        if number is not None and 1 <= number <= len(scored):
            return scored[number - 1]
    best: tuple[int, str] | None = None
    for question in content.scored:
        for keyword in question.keywords:
            named = re.search(rf"(?<![a-z]){re.escape(normalize(keyword))}", norm)
            if named and (best is None or len(keyword) > best[0]):
                best = (len(keyword), question.id)
    if best:
        return best[1]
    if _PREVIOUS.search(norm):
        return PREVIOUS
    return None


def find_correction(text: str, content: ScanContent) -> Correction | None:
    norm = normalize(text)
    meant, change = _MEANT.search(norm), _CHANGE.search(norm)
    if not (meant or change):
        return None
    target = _target(norm, content)
    if target is None:
        if not meant:
            return None  # "dat klopt niet helemaal" is an answer, not a correction
        target = PREVIOUS
    rest = _BY_NUMBER.sub(" ", norm)
    rest = _NOISE.sub(" ", rest)
    for question in content.scored:
        for keyword in question.keywords:
            rest = re.sub(rf"(?<![a-z]){re.escape(normalize(keyword))}\w*", " ", rest)
    rest = re.sub(r"(?<![a-z])(ik bedoel(de|d)?|bedoelde ik|bedoel ik|de vraag over|vraag"
                  r"|antwoord|bij|over|moet(en)?|moest|zijn|worden|had|moeten|aanpassen|wijzigen"
                  r"|veranderen|de|het|mijn|dat|die|dit|er|van|op|in plaats|ipv)(?![a-z])",
                  " ", rest)
    reading = read_rules(rest)
    if reading is None:
        return Correction(target, None, has_level=False)
    return Correction(target, reading.level, has_level=True)

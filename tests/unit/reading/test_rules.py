"""Cue words in their clause: negation scope, contrasts, reasons, quantities, unknowns."""

from __future__ import annotations

import pytest

from mkbscan.reading.rules import read_rules
from mkbscan.reading.text import clauses, mark_negation, normalize


@pytest.mark.parametrize(("text", "level"), [
    # the misreadings reported in issue 12
    ("ik weet het niet", None),
    ("kan ik niet beoordelen", None),
    ("ja, op een paar punten na", 2),
    ("ja, op wat details na", 2),
    ("we zijn ermee begonnen", 1),
    ("een klein deel", 1),
    ("nee, zij bepalen eigenlijk alles", 0),
    ("grotendeels wel, al weet ik niet precies wat hun marge is", 2),
    ("ja, ze komen regelmatig met verbetervoorstellen", 2),
    # contrasts and reasons
    ("ja, maar nog niet op papier", 2),
    ("nee, maar wel informeel", 1),
    ("nee, maar wel grotendeels", 2),
    ("ja hoor, want dat hebben we vorig jaar vastgelegd", 3),
    ("geen idee, maar ik denk grotendeels", 2),
    # quantities and frequency
    ("7 op de 10", 2), ("zo'n 80 procent", 2), ("de helft", 1), ("meer dan de helft", 2),
    ("af en toe", 1), ("zelden", 1), ("altijd", 3),
    # English
    ("mostly yes", 2), ("not at all", 0), ("no idea", None), ("sort of", 1),
])
def test_levels(text: str, level: int | None) -> None:
    reading = read_rules(text)
    assert reading is not None, text
    assert reading.level == level, (text, reading)


def test_a_yes_inside_a_word_is_no_yes() -> None:
    # "jaren" once read as "ja": "we kozen ze omdat we ze al jaren kennen" became "Ja, helemaal"
    assert read_rules("we kozen ze omdat we ze al jaren kennen") is None


def test_clauses_and_negation_scope() -> None:
    norm = normalize("Ja, maar nog niet op papier; want geen tijd")
    assert [c.kind for c in clauses(norm)] == [None, "contrast", "reason"]
    assert mark_negation("ze tonen geen interesse , wel in prijs") == \
        "ze tonen geen neg_interesse , wel in prijs"


def test_a_contradiction_is_flagged() -> None:
    reading = read_rules("ja helemaal niet")
    assert reading is not None and reading.level == 0


@pytest.mark.parametrize(("text", "level"), [
    # two negatives make a yes
    ("er wordt bij ons niets verzwegen", 3),
    ("van een overname is nooit sprake geweest", 3),
    # what would be, after the answer, is no part of it
    ("dat hebben we niet gedaan, als het opnieuw moest zou ik het zeker doen", 0),
    # not everyone, not perfect: partly there
    ("de leiding wel, nog niet alle monteurs", 2),
    ("niet perfect", 2),
    # someone else knows, too early, never told: "weet ik niet"
    ("dat weet onze inkoper veel beter", None),
    ("nog te vroeg om dat te zeggen", None),
    ("nooit bij stilgestaan, dus ik zou het niet weten", None),
    ("ik ben er niet zeker van", None),
    # but not knowing something else leaves the answer
    ("nee, en ik weet ook niet of ze dat zouden willen", 0),
])
def test_readings_added_in_session_6(text: str, level: int | None) -> None:
    reading = read_rules(text)
    assert reading is not None and reading.level == level, (text, reading)


def test_typos_are_corrected_but_real_words_are_left_alone() -> None:
    from mkbscan.reading.text import correct_typos

    assert correct_typos("grotendels gedeeld overleggen informeren") == \
        "grotendeels gedeeld overleggen informeren"
    assert correct_typos("helemaaal beetej") == "helemaal beetje"

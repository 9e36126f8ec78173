"""The lead's scan snapshot: typed, versioned, and old (version 1) rows still read."""

from __future__ import annotations

from conftest import SAMPLE_SCAN

from mkbscan.scan.snapshot import VERSION, Answer, ScanSnapshot, Scores, ThemeScore

VERSION_1_ROW = {
    "part_done": "volledig",
    "context": {"C1": "productie", "C3": "25 (klein (10-49))"},
    "answers": [{"id": "P1", "question": "Heb je je partner bewust gekozen?",
                 "answer": "Grotendeels"}],
    "scores": {"partnerkeuze": 79, "gelijkwaardigheid": 100, "totaal": 59,
               "band": "Voorbereiden", "capped": True},
    "advice": ["Schrijf je criteria op."],
    "unknowns": [],
}


def test_a_snapshot_round_trips_through_json_data() -> None:
    data = SAMPLE_SCAN.to_dict()
    assert data["version"] == VERSION
    assert ScanSnapshot.from_dict(data) == SAMPLE_SCAN


def test_a_version_1_row_reads_as_the_same_scan() -> None:
    scan = ScanSnapshot.from_dict(VERSION_1_ROW)
    assert scan.scores == Scores(themes=(ThemeScore("partnerkeuze", "Partnerkeuze", 79),
                                         ThemeScore("gelijkwaardigheid", "Gelijkwaardigheid", 100)),
                                 total=59, band="Voorbereiden", capped=True)
    assert scan.context == (Answer("C1", "", "productie"), Answer("C3", "", "25 (klein (10-49))"))
    assert scan.answers == (Answer("P1", "Heb je je partner bewust gekozen?", "Grotendeels"),)
    assert scan.advice == ("Schrijf je criteria op.",) and scan.part_done == "volledig"


def test_an_unfinished_or_empty_row() -> None:
    assert ScanSnapshot.from_dict({"part_done": "nog niet begonnen", "scores": None}).scores is None
    assert ScanSnapshot.from_dict({}) == ScanSnapshot()
    assert ScanSnapshot.from_dict(None) == ScanSnapshot()

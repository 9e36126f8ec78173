"""Two partners' answers compared (mkbscan/scan/comparison.py): the buckets, the agenda's
order with ties, "weet ik niet", and the scores, worked out by hand from questions.yml
(P1..P6 weigh 3,2,2,2,3,2; G1..G7 weigh 3,3,2,2,3,2,2)."""

from __future__ import annotations

import pytest

from mkbscan.scan.comparison import AGREE, DIFFER, DISCUSS, UNKNOWN, bucket_of, compare
from mkbscan.scan.questions import load_content

SCORED = [q.id for q in load_content().scored]


@pytest.mark.parametrize(("own", "other", "bucket", "gap"), [
    (3, 3, AGREE, 0), (0, 0, AGREE, 0), (2, 3, DISCUSS, 1), (1, 0, DISCUSS, 1),
    (3, 1, DIFFER, 2), (0, 3, DIFFER, 3), (None, 2, UNKNOWN, None), (2, None, UNKNOWN, None),
    (None, None, UNKNOWN, None)])
def test_buckets(own, other, bucket, gap) -> None:
    assert bucket_of(own, other) == (bucket, gap)


def test_the_agenda_takes_the_largest_gaps_then_the_heavier_then_the_first() -> None:
    own = dict.fromkeys(SCORED, 3)
    # gaps: P2 3 (weight 2), G1 2 (weight 3), P3 2 (weight 2), G4 2 (weight 2), P1 1
    other = own | {"P2": 0, "G1": 1, "P3": 1, "G4": 1, "P1": 2, "G7": None}
    found = compare(own, other)
    assert found.agenda == ("P2", "G1", "P3")  # G4 ties with P3 on gap and weight: later
    assert found.in_bucket(DIFFER) == ("P2", "P3", "G1", "G4")
    assert found.in_bucket(DISCUSS) == ("P1",)
    assert found.in_bucket(UNKNOWN) == ("G7",)
    assert len(found.in_bucket(AGREE)) == 13 - 6


def test_unknown_answers_never_enter_the_agenda_and_fewer_gaps_give_a_shorter_one() -> None:
    own = dict.fromkeys(SCORED, 2)
    other = own | {"P4": 3, "G2": None, "G3": None}
    found = compare(own, other)
    assert found.agenda == ("P4",)
    assert compare(own, own).agenda == ()


def test_the_scores_side_by_side_and_from_the_other_side() -> None:
    own = dict.fromkeys(SCORED, 3)  # 100 / 100 / 100
    other = dict.fromkeys(SCORED, 1)  # 14/42 = 33, 17/51 = 33, 31/93 = 33
    found = compare(own, other)
    assert found.themes == (("partnerkeuze", 100, 33), ("gelijkwaardigheid", 100, 33))
    assert found.totals == (100, 33)
    mirrored = found.seen_from_the_other_side()
    assert mirrored.themes == (("partnerkeuze", 33, 100), ("gelijkwaardigheid", 33, 100))
    assert mirrored.totals == (33, 100)
    assert mirrored.items == found.items and mirrored.agenda == found.agenda
    # the comparison is symmetric: the other side computes the same buckets
    assert compare(other, own).items == found.items

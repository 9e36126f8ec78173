"""Two partners' answers side by side (issue 17): per item agreement, a point to discuss or
a key difference, the largest differences as the agenda of a joint start session, and both
theme scores. Pure: no store, no wording.

The comparison is what both partners see. It never carries the other's answer itself; each
side sees its own answer with the item's bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.scoring import Level, compute_result

AGREE, DISCUSS, DIFFER, UNKNOWN = "agree", "discuss", "differ", "unknown"
BUCKETS = (DIFFER, DISCUSS, UNKNOWN, AGREE)  # the order a comparison is read in
AGENDA_SIZE = 3


@dataclass(frozen=True)
class Item:
    question_id: str
    bucket: str
    gap: int | None  # levels apart; None when either answered "weet ik niet"


@dataclass(frozen=True)
class Comparison:
    items: tuple[Item, ...]  # in the scan's order
    agenda: tuple[str, ...]  # question ids: the largest differences first
    themes: tuple[tuple[str, int, int], ...]  # theme id, this side's score, the other's
    totals: tuple[int, int]  # this side's total, the other's

    def in_bucket(self, bucket: str) -> tuple[str, ...]:
        return tuple(item.question_id for item in self.items if item.bucket == bucket)

    def seen_from_the_other_side(self) -> Comparison:
        return Comparison(self.items, self.agenda,
                          tuple((theme, other, own) for theme, own, other in self.themes),
                          (self.totals[1], self.totals[0]))


def bucket_of(own: Level, other: Level) -> tuple[str, int | None]:
    """Same level: agreement; one apart: a point to discuss; two or more: a key difference.
    "Weet ik niet" on either side cannot be compared: to find out together."""
    if own is None or other is None:
        return UNKNOWN, None
    gap = abs(own - other)
    return (AGREE if gap == 0 else DISCUSS if gap == 1 else DIFFER), gap


def compare(own: Mapping[str, Level], other: Mapping[str, Level],
            content: ScanContent | None = None) -> Comparison:
    """Both complete scans (every scored question answered), from `own`'s side."""
    content = content or load_content()
    items = tuple(Item(q.id, *bucket_of(own[q.id], other[q.id])) for q in content.scored)
    weight = {q.id: q.weight for q in content.scored}
    order = {q.id: index for index, q in enumerate(content.scored)}
    # Ties: the heavier item first (it weighs more in both scores), then the scan's order.
    apart = sorted((item for item in items if item.gap), key=lambda item: (
        -(item.gap or 0), -weight[item.question_id], order[item.question_id]))
    mine, theirs = compute_result(own, content), compute_result(other, content)
    return Comparison(
        items=items,
        agenda=tuple(item.question_id for item in apart[:AGENDA_SIZE]),
        themes=tuple((theme.id, mine.theme_score(theme.id), theirs.theme_score(theme.id))
                     for theme in content.themes),
        totals=(mine.total, theirs.total))

"""Exact scoring of the samenwerkingsscan, as fixed in the scan model.

Weights, critical questions, themes, the cap and the bands come from questions.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mkbscan.scan.questions import ScanContent, load_content

Level = int | None  # 0..3, None = "Weet ik niet"


@dataclass(frozen=True)
class ScanResult:
    theme_scores: tuple[tuple[str, int], ...]  # (theme id, score) in the scan's order
    total: int
    uncapped_total: int
    capped_by: tuple[str, ...]
    band: str
    advice_ids: tuple[str, ...]
    unknown_ids: tuple[str, ...]

    @property
    def capped(self) -> bool:
        return self.total < self.uncapped_total

    def theme_score(self, theme_id: str) -> int:
        return dict(self.theme_scores)[theme_id]


def round_half_up_ratio(numerator: int, denominator: int) -> int:
    """round_half_up(100 * numerator / denominator), in exact integer arithmetic."""
    return (200 * numerator + denominator) // (2 * denominator)


def _points(level: Level) -> int:
    if level is None:
        return 0
    if level not in (0, 1, 2, 3):
        raise ValueError(f"invalid level {level!r}")
    return level


def compute_result(answers: Mapping[str, Level], content: ScanContent | None = None) -> ScanResult:
    """Score a complete scan. `answers` maps every scored question id to its level."""
    content = content or load_content()
    missing = [q.id for q in content.scored if q.id not in answers]
    if missing:
        raise ValueError(f"unanswered questions: {', '.join(missing)}")

    def theme_score(theme_id: str) -> int:
        questions = [q for q in content.scored if q.theme == theme_id]
        achieved = sum(q.weight * _points(answers[q.id]) for q in questions)
        return round_half_up_ratio(achieved, 3 * sum(q.weight for q in questions))

    achieved = sum(q.weight * _points(answers[q.id]) for q in content.scored)
    maximum = 3 * sum(q.weight for q in content.scored)
    uncapped = round_half_up_ratio(achieved, maximum)
    capped_by = tuple(q.id for q in content.scored if q.critical and _points(answers[q.id]) == 0)
    total = min(uncapped, content.cap) if capped_by else uncapped

    shortfalls = [
        (q.weight * (3 - _points(answers[q.id])), index, q.id)
        for index, q in enumerate(content.scored)
    ]
    ranked = sorted((s for s in shortfalls if s[0] > 0), key=lambda s: (-s[0], s[1]))
    return ScanResult(
        theme_scores=tuple((theme.id, theme_score(theme.id)) for theme in content.themes),
        total=total,
        uncapped_total=uncapped,
        capped_by=capped_by,
        band=content.band_for(total).name,
        advice_ids=tuple(s[2] for s in ranked[:3]),
        unknown_ids=tuple(q.id for q in content.scored if answers[q.id] is None),
    )

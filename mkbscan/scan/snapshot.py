"""What a lead holds of the scan: the typed snapshot the advisor's email and the CLI read.

Stored as JSON with the lead (and with each update). Version 1 rows, written before the
snapshot was typed, had Dutch keys and one field per theme; `from_dict` reads both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

VERSION = 2


@dataclass(frozen=True)
class ThemeScore:
    id: str
    name: str
    score: int


@dataclass(frozen=True)
class Scores:
    themes: tuple[ThemeScore, ...]
    total: int
    band: str
    capped: bool


@dataclass(frozen=True)
class Answer:
    """One question as the user answered it: the label the bot noted (a button text)."""

    id: str
    question: str
    answer: str


@dataclass(frozen=True)
class ScanSnapshot:
    part_done: str = ""  # how much of the scan was done, in words
    context: tuple[Answer, ...] = ()
    answers: tuple[Answer, ...] = ()
    scores: Scores | None = None  # None until the scan is finished
    advice: tuple[str, ...] = ()  # the plan's steps, in order
    strengths: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()  # topics answered with "weet ik niet"
    version: int = VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> ScanSnapshot:
        raw = raw or {}
        if int(raw.get("version") or 1) == 1:
            return _from_version_1(raw)
        scores = raw.get("scores")
        return cls(
            part_done=str(raw.get("part_done") or ""),
            context=tuple(Answer(**item) for item in raw.get("context") or ()),
            answers=tuple(Answer(**item) for item in raw.get("answers") or ()),
            scores=Scores(themes=tuple(ThemeScore(**t) for t in scores["themes"]),
                          total=int(scores["total"]), band=str(scores["band"]),
                          capped=bool(scores["capped"])) if scores else None,
            advice=tuple(str(a) for a in raw.get("advice") or ()),
            strengths=tuple(str(s) for s in raw.get("strengths") or ()),
            unknowns=tuple(str(u) for u in raw.get("unknowns") or ()),
        )


def _from_version_1(raw: dict[str, Any]) -> ScanSnapshot:
    """{"part_done", "context": {id: label}, "answers": [{id, question, answer}],
    "scores": {"partnerkeuze", "gelijkwaardigheid", "totaal", "band", "capped"}, ...}"""
    old = raw.get("scores") or None
    scores = None
    if old:
        themes = tuple(ThemeScore(id=key, name=key.capitalize(), score=int(value))
                       for key, value in old.items()
                       if key not in {"totaal", "band", "capped"} and value is not None)
        scores = Scores(themes=themes, total=int(old.get("totaal") or 0),
                        band=str(old.get("band") or ""), capped=bool(old.get("capped")))
    return ScanSnapshot(
        part_done=str(raw.get("part_done") or ""),
        context=tuple(Answer(id=str(k), question="", answer=str(v))
                      for k, v in (raw.get("context") or {}).items()),
        answers=tuple(Answer(id=str(item.get("id")), question=str(item.get("question") or ""),
                             answer=str(item.get("answer") or ""))
                      for item in raw.get("answers") or () if isinstance(item, dict)),
        scores=scores,
        advice=tuple(str(a) for a in raw.get("advice") or ()),
        unknowns=tuple(str(u) for u in raw.get("unknowns") or ()),
    )

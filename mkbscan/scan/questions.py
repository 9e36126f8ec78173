"""The scan's questions, loaded once from content/questions.yml (the single source of truth).

Nothing else names a question id, a theme or a band: code asks ScanContent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_FILE = Path(__file__).resolve().parents[1] / "content" / "questions.yml"
UNKNOWN = "unknown"
FREE_TEXT = "free_text"


@dataclass(frozen=True)
class ScaleOption:
    level: int | None  # None means "Weet ik niet"
    button: str


@dataclass(frozen=True)
class SizeClass:
    up_to: int | None  # the largest number of people in the class; None: no limit
    label: str


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    reads: str  # which reader in mkbscan.scan.answers reads the answer
    text: str
    buttons: tuple[str, ...]
    explanation: str
    labels: Mapping[str, str] = field(default_factory=dict)  # value (or format) -> label
    advice_variant: Mapping[str, str] = field(default_factory=dict)  # value -> variant
    sizes: tuple[SizeClass, ...] = ()

    def size_label(self, people: int) -> str:
        return next(s.label for s in self.sizes if s.up_to is None or people <= s.up_to)


@dataclass(frozen=True)
class Band:
    lowest: int
    name: str
    colour: str  # in the result chart
    summary: str  # one line under the scores


@dataclass(frozen=True)
class ScoredQuestion:
    id: str
    theme: str
    weight: int
    topic: str
    text: str
    explanation: str
    advice: str
    advice_variants: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()  # how a user names the question ("de startsessies")
    critical: bool = False  # at level 0 or unknown it caps the total


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    intro: str
    questions: tuple[ScoredQuestion, ...]
    summary: str = ""  # one line on the website


@dataclass(frozen=True)
class ScanContent:
    scale: tuple[ScaleOption, ...]
    context: tuple[ContextQuestion, ...]
    themes: tuple[Theme, ...]
    cap: int
    bands: tuple[Band, ...]  # from the highest

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if total >= band.lowest:
                return band
        raise ValueError(total)

    def is_context(self, question_id: str) -> bool:
        return any(c.id == question_id for c in self.context)

    def context_reading(self, reads: str) -> ContextQuestion | None:
        """The context question read by the given reader ("size"), if the scan has one."""
        return next((c for c in self.context if c.reads == reads), None)

    @property
    def scored(self) -> tuple[ScoredQuestion, ...]:
        return tuple(q for theme in self.themes for q in theme.questions)

    @property
    def order(self) -> tuple[str, ...]:
        """All question ids in the order they are asked."""
        return tuple(c.id for c in self.context) + tuple(q.id for q in self.scored)

    def scored_by_id(self, question_id: str) -> ScoredQuestion:
        for question in self.scored:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def context_by_id(self, question_id: str) -> ContextQuestion:
        for question in self.context:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def theme_of(self, question_id: str) -> Theme:
        for theme in self.themes:
            if any(q.id == question_id for q in theme.questions):
                return theme
        raise KeyError(question_id)

    def scale_button(self, level: int | None) -> str:
        for option in self.scale:
            if option.level == level:
                return option.button
        raise KeyError(level)


def _scale(raw: list[dict[str, Any]]) -> tuple[ScaleOption, ...]:
    return tuple(
        ScaleOption(level=None if item["level"] == UNKNOWN else int(item["level"]),
                    button=item["button"])
        for item in raw
    )


def load_content(path: Path | None = None) -> ScanContent:
    """The scan from questions.yml (or another file of the same form, for tests)."""
    return _load(path or CONTENT_FILE)


@lru_cache(maxsize=4)
def _load(path: Path) -> ScanContent:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    context = tuple(
        ContextQuestion(
            id=item["id"],
            reads=item["reads"],
            text=item["text"].strip(),
            buttons=tuple(item["buttons"]),
            explanation=item["explanation"].strip(),
            labels={str(k): str(v) for k, v in (item.get("labels") or {}).items()},
            advice_variant={str(k): str(v)
                            for k, v in (item.get("advice_variant") or {}).items()},
            sizes=tuple(SizeClass(up_to=size.get("up_to"), label=size["label"])
                        for size in item.get("sizes") or ()),
        )
        for item in raw["context"]
    )
    themes = tuple(
        Theme(
            id=theme["id"],
            name=theme["name"],
            intro=theme["intro"].strip(),
            summary=str(theme.get("summary") or "").strip(),
            questions=tuple(
                ScoredQuestion(
                    id=q["id"],
                    theme=theme["id"],
                    weight=int(q["weight"]),
                    topic=q["topic"],
                    text=q["text"].strip(),
                    explanation=q["explanation"].strip(),
                    advice=q["advice"].strip(),
                    advice_variants={k: v.strip() for k, v in q.get("advice_variants", {}).items()},
                    keywords=tuple(q.get("keywords") or ()),
                    critical=bool(q.get("critical", False)),
                )
                for q in theme["questions"]
            ),
        )
        for theme in raw["themes"]
    )
    bands = tuple(Band(lowest=int(b["from"]), name=b["name"], colour=b["colour"],
                       summary=b["summary"].strip())
                  for b in sorted(raw["bands"], key=lambda b: -int(b["from"])))
    return ScanContent(scale=_scale(raw["scale"]), context=context, themes=themes,
                       cap=int(raw["cap"]), bands=bands)

"""The scan's questions, loaded once from content/questions.yml (the single source of truth)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_FILE = Path(__file__).parent / "content" / "questions.yml"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScaleOption:
    level: int | None  # None means "Weet ik niet"
    button: str


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    text: str
    buttons: tuple[str, ...]
    explanation: str


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

    @property
    def critical(self) -> bool:
        return self.weight == 3


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    intro: str
    questions: tuple[ScoredQuestion, ...]


@dataclass(frozen=True)
class ScanContent:
    scale: tuple[ScaleOption, ...]
    context: tuple[ContextQuestion, ...]
    themes: tuple[Theme, ...]

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


@lru_cache(maxsize=1)
def load_content(path: Path = CONTENT_FILE) -> ScanContent:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    context = tuple(
        ContextQuestion(
            id=item["id"],
            text=item["text"].strip(),
            buttons=tuple(item["buttons"]),
            explanation=item["explanation"].strip(),
        )
        for item in raw["context"]
    )
    themes = tuple(
        Theme(
            id=theme["id"],
            name=theme["name"],
            intro=theme["intro"].strip(),
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
                )
                for q in theme["questions"]
            ),
        )
        for theme in raw["themes"]
    )
    return ScanContent(scale=_scale(raw["scale"]), context=context, themes=themes)

"""The scan's questions, loaded once from content/questions.yml (the single source of truth).

Nothing else names a question id, a theme or a band: code asks ScanContent. A question's
wording (text, explanations, strength, plan step) depends on who answers it: the track (which
partner), the sector and whether it is a one-person business, together a Profile taken from
the context answers. Ids, weights and scoring never depend on it.
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
OTHER = "anders"  # the category of an answer outside the list
DEFAULT_TRACK = "new"
STAGES = ("own", "partner", "together")  # the order of a plan (ISO 44001)
WORDING = ("text", "topic", "explanation", "explanation_again", "strength")
STEP = ("action", "produces", "example", "find_out")


@dataclass(frozen=True)
class ScaleOption:
    level: int | None  # None means "Weet ik niet"
    button: str


@dataclass(frozen=True)
class SizeClass:
    up_to: int | None  # the largest number of people in the class; None: no limit
    label: str
    solo: bool = False  # a one-person business


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    reads: str  # which reader in mkbscan.scan.answers reads the answer
    text: str
    buttons: tuple[str, ...]
    explanation: str
    labels: Mapping[str, str] = field(default_factory=dict)  # value (or format) -> label
    tracks: Mapping[str, str] = field(default_factory=dict)  # value -> track (reads: partner)
    sizes: tuple[SizeClass, ...] = ()

    def size_class(self, people: int) -> SizeClass:
        return next(s for s in self.sizes if s.up_to is None or people <= s.up_to)

    def size_label(self, people: int) -> str:
        return self.size_class(people).label

    def category(self, value: str) -> str | None:
        """The answer as a category for anonymous counts: a size class, or a listed value (an
        answer outside the list counts as "anders"); never typed text or an exact number."""
        if self.sizes:
            return self.size_label(int(value)) if value.isdigit() else None
        if value in self.labels and value != FREE_TEXT:
            return value
        return OTHER if OTHER in self.labels else None

    def category_label(self, category: str) -> str:
        return self.labels.get(category, category)


@dataclass(frozen=True)
class Profile:
    """Who answers: which wording their questions and plan get."""

    track: str = DEFAULT_TRACK  # existing, new or none (questions.yml: C2's tracks)
    sector: str | None = None  # a value of the sector reader, e.g. "circulaire keten"
    solo: bool = False  # a one-person business


@dataclass(frozen=True)
class Step:
    """A plan step: an action for this week, what it produces, an example or template; and the
    step instead when the answer was "weet ik niet"."""

    action: str
    produces: str
    example: str
    find_out: str


@dataclass(frozen=True)
class Wording:
    text: str
    topic: str
    explanation: str
    explanation_again: str  # a second, simpler explanation with an example
    strength: str
    step: Step
    # Which layer gave the question's text: "" (the default), a track ("none") or "solo". The
    # answer reader reads "nog niet uitgezocht" differently after "Weet je hoe je …?".
    variant: str = ""


@dataclass(frozen=True)
class Band:
    lowest: int
    name: str
    colour: str  # in the result chart
    meaning: str  # one line under the scores: what the phase means
    route: str  # where to start, then what: the line above the plan's steps


@dataclass(frozen=True)
class ScoredQuestion:
    id: str
    theme: str
    weight: int
    stage: str  # one of STAGES
    wording: Mapping[str, Any]  # the default wording: WORDING fields and "step"
    tracks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sectors: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # step fields
    solo: Mapping[str, Any] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()  # how a user names the question ("de startsessies")
    critical: bool = False  # at level 0 or unknown it caps the total

    def worded(self, profile: Profile | None = None) -> Wording:
        """The wording for this profile: default < track < sector (step) < solo, per field."""
        profile = profile or Profile()
        fields = {name: self.wording[name] for name in WORDING}
        step = dict(self.wording["step"])
        variant = ""
        layers = [(profile.track, self.tracks.get(profile.track, {})),
                  ("", {"step": self.sectors.get(profile.sector or "", {})}),
                  ("solo", self.solo if profile.solo else {})]
        for name, layer in layers:
            fields.update({key: layer[key] for key in WORDING if key in layer})
            step.update(layer.get("step") or {})
            if "text" in layer:
                variant = name
        return Wording(**fields, step=Step(**{name: step[name] for name in STEP}),
                       variant=variant)

    @property
    def text(self) -> str:
        """The default wording (a new partner in view)."""
        return str(self.wording["text"])

    @property
    def topic(self) -> str:
        return str(self.wording["topic"])


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

    def categories(self, context: Mapping[str, str]) -> dict[str, str]:
        """The context answers (question id -> value) as categories, by what each reads."""
        found = {c.reads: c.category(context[c.id]) for c in self.context if c.id in context}
        return {reads: category for reads, category in found.items() if category is not None}

    def profile(self, context: Mapping[str, str]) -> Profile:
        """The profile the context answers (question id -> value) give."""
        partner, sector, size = (self.context_reading(r) for r in ("partner", "sector", "size"))
        track = partner.tracks.get(context.get(partner.id, ""), DEFAULT_TRACK) if partner \
            else DEFAULT_TRACK
        sector_value = context.get(sector.id) if sector else None
        people = context.get(size.id, "") if size else ""
        return Profile(track=track,
                       sector=sector_value if sector and sector_value in sector.labels else None,
                       solo=bool(size and people.isdigit() and size.size_class(int(people)).solo))

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


def _stripped(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _stripped(v) if isinstance(v, Mapping) else str(v).strip() for k, v in raw.items()}


def _stage(raw: Mapping[str, Any]) -> str:
    stage = str(raw.get("stage") or "")
    if stage not in STAGES:
        raise ValueError(f"question {raw['id']}: stage {stage!r} is not one of {STAGES}")
    return stage


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
            tracks={str(k): str(v) for k, v in (item.get("tracks") or {}).items()},
            sizes=tuple(SizeClass(up_to=size.get("up_to"), label=size["label"],
                                  solo=bool(size.get("solo", False)))
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
                    stage=_stage(q),
                    wording=_stripped({name: q[name] for name in (*WORDING, "step")}),
                    tracks={k: _stripped(v) for k, v in (q.get("tracks") or {}).items()},
                    sectors={k: _stripped(v) for k, v in (q.get("sectors") or {}).items()},
                    solo=_stripped(q.get("solo") or {}),
                    keywords=tuple(q.get("keywords") or ()),
                    critical=bool(q.get("critical", False)),
                )
                for q in theme["questions"]
            ),
        )
        for theme in raw["themes"]
    )
    bands = tuple(Band(lowest=int(b["from"]), name=b["name"], colour=b["colour"],
                       meaning=b["meaning"].strip(), route=b["route"].strip())
                  for b in sorted(raw["bands"], key=lambda b: -int(b["from"])))
    return ScanContent(scale=_scale(raw["scale"]), context=context, themes=themes,
                       cap=int(raw["cap"]), bands=bands)

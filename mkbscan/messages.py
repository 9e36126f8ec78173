"""What the dialogue logic hands to the glue: messages with optional buttons, where the scan
is, and the result card."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Progress:
    """Where the scan is: step `step` of `total`; `question`: the message asks that step."""

    step: int
    total: int
    question: bool = True


@dataclass(frozen=True)
class CardStep:
    action: str
    produces: str  # "Dit levert je op: ...", or ""
    example: str


@dataclass(frozen=True)
class PlanPieces:
    """The plan's sentences, for the text message and the widget's result card alike."""

    strengths: str  # "Dit gaat al goed: ...", or ""
    perfect: str  # when there is nothing to improve, else ""
    route: str
    steps: tuple[CardStep, ...]
    unknowns: str  # other "weet ik niet" topics to find out, or ""


@dataclass(frozen=True)
class ResultCard:
    """The result as the web widget shows it: one card instead of the text messages."""

    intro: str
    total: int
    band: str
    phase: str  # "Fase 2 van 4"
    phases: tuple[str, ...]  # lowest first
    current: int  # the band's place in `phases`
    meaning: str
    capped: str  # why the total is capped, or ""
    chart: str  # the SVG chart as an image address
    chart_text: str  # the chart in words: its text alternative
    plan: PlanPieces
    report_url: str = ""  # the personal report's private link, once there is one


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    progress: Progress | None = None  # shown by the web widget (a progress bar), not as text
    card: ResultCard | None = None  # the web widget shows this card instead of the text
    in_card: bool = False  # the card before it already holds this text (the widget skips it)


def text_buttons(*titles: str) -> tuple[Button, ...]:
    """Buttons whose payload is their own text, so a click reads exactly like typing it."""
    return tuple(Button(title=title, payload=title) for title in titles)


def intent_buttons(*pairs: tuple[str, str]) -> tuple[Button, ...]:
    """Buttons for control choices: the payload names the intent, so no NLU guess is needed."""
    return tuple(Button(title=title, payload=f"/{intent}") for title, intent in pairs)

"""What the dialogue logic hands to the glue: messages with optional buttons, an image, and
where the scan is."""

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
class BotMessage:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    image: str | None = None
    progress: Progress | None = None  # shown by the web widget (a progress bar), not as text


def text_buttons(*titles: str) -> tuple[Button, ...]:
    """Buttons whose payload is their own text, so a click reads exactly like typing it."""
    return tuple(Button(title=title, payload=title) for title in titles)


def intent_buttons(*pairs: tuple[str, str]) -> tuple[Button, ...]:
    """Buttons for control choices: the payload names the intent, so no NLU guess is needed."""
    return tuple(Button(title=title, payload=f"/{intent}") for title, intent in pairs)

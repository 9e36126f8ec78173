"""What the dialogue logic hands to the glue: messages with optional buttons or an image."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    image: str | None = None


def text_buttons(*titles: str) -> tuple[Button, ...]:
    """Buttons whose payload is their own text, so a click reads exactly like typing it."""
    return tuple(Button(title=title, payload=title) for title in titles)


def intent_buttons(*pairs: tuple[str, str]) -> tuple[Button, ...]:
    """Buttons for control choices: the payload names the intent, so no NLU guess is needed."""
    return tuple(Button(title=title, payload=f"/{intent}") for title, intent in pairs)

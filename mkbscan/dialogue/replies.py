"""The dialogue's own replies (greeting, small talk, topic answers), from content/replies.yml."""

from __future__ import annotations

import random

from mkbscan.messages import BotMessage
from mkbscan.wording import say


def reply(key: str, rng: random.Random | None = None) -> BotMessage:
    return BotMessage(say(key, rng))

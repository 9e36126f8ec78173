"""The dialogue's own replies (greeting, small talk, topic answers), from content/replies.yml."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import yaml

from mkbscan.messages import BotMessage

REPLIES_FILE = Path(__file__).resolve().parent.parent / "content" / "replies.yml"


@lru_cache(maxsize=1)
def all_replies() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))
    return {key: tuple(str(text).strip() for text in variants) for key, variants in raw.items()}


def reply(key: str, rng: random.Random | None = None) -> BotMessage:
    variants = all_replies()[key]
    return BotMessage((rng or random).choice(variants))

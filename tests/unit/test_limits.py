"""Limits in one place: the longest message is set in mkbscan/settings.py only (issue 13)."""

from __future__ import annotations

from pathlib import Path

import yaml

from mkbscan import settings
from mkbscan.rasa import input_guard, nlu_guard

ROOT = Path(__file__).resolve().parents[2]


def test_the_message_limit_is_one_number() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    guards = [c for c in config["pipeline"] if c["name"].endswith("MessageGuard")]
    assert [g.get("max_characters") for g in guards] == [settings.MAX_CHARACTERS]
    assert input_guard.MAX_CHARACTERS == nlu_guard.MAX_CHARACTERS == settings.MAX_CHARACTERS
    assert f"maximaal {settings.MAX_CHARACTERS} tekens" in input_guard.NOTICES["too_long"]

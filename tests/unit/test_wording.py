"""Every sentence from the content files; every fact in them from configuration (issue 13)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from mkbscan import wording
from mkbscan.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# Values a caller passes with the text (a name, a list of fields), not facts of the system.
PER_CALL = {"noted", "lines", "suggestion", "email", "prompt", "limit", "first_name",
            "months", "days", "number", "duration", "labels", "total", "band", "given",
            "context_done", "scored_done", "minutes", "done", "left", "advice", "topic", "new",
            "old", "topics", "explanation", "label", "example", "count",
            "ref", "path", "events", "sent", "failed", "version", "given_at", "url",
            "company", "tail", "scores", "name", "question", "phases", "strengths",
            "produces", "step", "score", "length", "weeks", "first", "last", "week", "monday",
            "code", "until", "own", "other", "theme", "items", "numbers", "bucket"}


def test_every_placeholder_is_a_fact_or_a_value_its_caller_gives() -> None:
    known = set(wording.facts()) | PER_CALL
    unknown = {(key, name) for key, variants in wording.all_texts().items()
               for text in variants for name in wording.placeholders(text) - known}
    assert unknown == set()


def test_no_text_or_runtime_code_repeats_a_configured_fact() -> None:
    default = Settings()
    facts = (default.advisor_email, "12 maanden", "twee werkdagen", "binnen 2 werkdagen")
    files = [*ROOT.glob("mkbscan/content/*.yml"), *ROOT.glob("actions/*.py"),
             *(p for p in ROOT.glob("mkbscan/**/*.py")
               if "devtools" not in p.parts and p.name != "settings.py"), ROOT / "domain.yml"]
    found = [(p.name, fact) for p in files for fact in facts if fact in p.read_text()]
    assert found == []


def test_facts_follow_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_EMAIL", "adviseur@example.org")
    monkeypatch.setenv("ADVISOR_NAME", "Eva Jansen")
    monkeypatch.setenv("RETENTION_DAYS", "90")
    wording.settings.cache_clear()
    try:
        consent = wording.say("lead_consent")
        assert "adviseur@example.org" in consent and "maximaal 90 dagen" in consent
        assert wording.say("field_label_question") == "Vraag voor Eva"
    finally:
        wording.settings.cache_clear()


def test_the_defaults_are_one_machine_s() -> None:
    assert "maximaal 12 maanden" in wording.say("lead_consent")
    assert "marco@circularclarity.org" in wording.say("lead_consent")


@pytest.mark.parametrize(("days", "words"), [(365, "12 maanden"), (730, "24 maanden"),
                                             (90, "90 dagen"), (1, "1 dag")])
def test_the_retention_period_in_words(days: int, words: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", str(days))
    wording.settings.cache_clear()
    try:
        assert wording.facts()["retention"] == words
    finally:
        wording.settings.cache_clear()


def test_a_period_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        Settings.from_env({"RETENTION_DAYS": "0"})


def test_a_variant_is_picked_and_filled() -> None:
    greetings = {wording.say("greet", random.Random(seed)) for seed in range(20)}
    assert len(greetings) >= 2
    assert all("{" not in g and "Circular Clarity" in g for g in greetings)
    assert re.search(r"\b3 korte vragen\b.*\b13 vragen\b", wording.say("capabilities"))

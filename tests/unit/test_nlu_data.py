"""NLU data hygiene: split by topic, enough variety, and the tests do not reuse it."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORE_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "start_scan", "scan_answer", "explain_question",
    "pause_scan", "resume_scan", "previous_question", "restart_scan", "request_advisor",
    "provide_contact", "out_of_scope", "request_erasure",
}


def examples() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            lines = [line[2:].strip() for line in block["examples"].splitlines()
                     if line.startswith("- ")]
            found.setdefault(block["intent"], []).extend(lines)
    return found


def test_nlu_is_split_by_topic() -> None:
    names = {p.name for p in (ROOT / "data" / "nlu").glob("*.yml")}
    assert {"basics.yml", "scan.yml", "lead.yml", "topics.yml"} <= names


def test_every_domain_intent_has_varied_examples() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    data = examples()
    for intent in domain["intents"]:
        minimum = 25 if intent in CORE_INTENTS else 15
        assert len(set(data.get(intent, []))) >= minimum, intent
        first_words = Counter(e.lower().split()[0] for e in data[intent] if e.split())
        # Not one pattern repeated: no opening word starts more than half of the examples.
        assert first_words.most_common(1)[0][1] <= 0.5 * len(data[intent]), intent


def test_no_example_is_used_for_two_intents() -> None:
    seen: dict[str, str] = {}
    for intent, lines in examples().items():
        for line in lines:
            key = line.lower()
            assert seen.setdefault(key, intent) == intent, (line, seen[key], intent)


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def near_copies_in_training(texts: list[str], min_words: int) -> list[tuple[str, str]]:
    """(text, training line's words) for training lines sharing 80% of their words with a text."""
    training = {_words(line) for lines in examples().values() for line in lines}
    near = []
    for text in texts:
        words = _words(text)
        if len(words) < min_words:
            continue
        for other in training:
            if not 0.8 * len(words) <= len(other) <= len(words) / 0.8:
                continue  # sizes this far apart cannot overlap 80%
            if len(words & other) / len(words | other) >= 0.8:
                near.append((text, " ".join(sorted(other))))
    return near


STACK_TEST_DIRS = ("conversation", "faults", "integration", "scale", "browser", "bench")


def button_titles() -> list[str]:
    """The scan's buttons, which send their title as text."""
    content = yaml.safe_load((ROOT / "mkbscan" / "content" / "questions.yml").read_text())
    titles = [s["button"] for s in content["scale"]]
    return titles + [b for question in content["context"] for b in question["buttons"]]


def typed_in_stack_tests() -> set[str]:
    """String literals of four words or more in the tests that talk to a running stack."""
    typed = set()
    for folder in STACK_TEST_DIRS:
        for path in (ROOT / "tests" / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and 4 <= len(node.value.split()) <= 30):
                    typed.add(node.value)
    return typed


def test_stack_tests_do_not_reuse_training_phrases() -> None:
    """What the conversation, fault and browser tests type must be new to the model, up to
    punctuation, emoji and one word in five; otherwise they test memory, not understanding.
    The bot's own button titles are exempt: training on them is right."""
    buttons = {_words(title) for title in button_titles()}
    typed = [text for text in typed_in_stack_tests() if _words(text) not in buttons]
    assert near_copies_in_training(typed, min_words=4) == []


def unseen_set() -> dict[str, list[str]]:
    return yaml.safe_load((ROOT / "tests" / "nlu_unseen.yml").read_text())


def test_unseen_set_is_unseen_and_covers_every_intent() -> None:
    training = {" ".join(line.lower().split()) for lines in examples().values()
                for line in lines}
    unseen = unseen_set()
    assert set(unseen) == set(examples())
    reused = [t for texts in unseen.values() for t in texts
              if " ".join(t.lower().split()) in training]
    assert reused == []


def test_no_training_example_nearly_copies_an_unseen_phrase() -> None:
    """A greeting or one word added to an unseen phrase would make the unseen set a memory test."""
    unseen = [text for texts in unseen_set().values() for text in texts]
    assert near_copies_in_training(unseen, min_words=3) == []


def test_no_training_example_nearly_copies_a_followup_reply() -> None:
    """The replies to the follow-up offer written apart (tests/eval/followup_replies.yml)."""
    replies = yaml.safe_load((ROOT / "tests" / "eval" / "followup_replies.yml").read_text())
    texts = [text for kind in replies.values() for text in kind]
    assert near_copies_in_training(texts, min_words=3) == []

"""The evaluation set written apart (tests/eval) stays apart: never trained on, not even
nearly, and big enough to mean something."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from devtools.answer_eval import EVAL_DIR, answer_items
from mkbscan.reading.model import load_examples
from mkbscan.scan.questions import load_content

ROOT = Path(__file__).resolve().parents[3]


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def near(a: frozenset[str], b: frozenset[str]) -> bool:
    return 0.8 * len(a) <= len(b) <= len(a) / 0.8 and len(a & b) / len(a | b) >= 0.8


def nlu_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            lines += [line[2:].strip() for line in block["examples"].splitlines()
                      if line.startswith("- ")]
    return lines


def test_the_set_covers_every_question_with_every_kind() -> None:
    items = answer_items()
    assert len(items) >= 400
    assert {i.question for i in items} == {q.id for q in load_content().scored}
    assert {i.kind for i in items} >= {"sentence", "short", "unknown", "flemish", "typo",
                                       "english"}
    assert {i.level for i in items} == {0, 1, 2, 3, None}
    context = yaml.safe_load((EVAL_DIR / "context.yml").read_text(encoding="utf-8"))
    assert {c["q"] for c in context} == {c.id for c in load_content().context}


def test_no_answer_of_the_set_is_in_the_training_data_not_even_nearly() -> None:
    training = [words(e.text) for e in load_examples()]
    exact = set(training)
    copied = [i.text for i in answer_items() if words(i.text) in exact]
    assert copied == []
    nearly = [(i.text, " ".join(sorted(t))) for i in answer_items() if len(words(i.text)) >= 3
              for t in training if near(words(i.text), t)]
    assert nearly == []


def test_no_side_step_or_contact_line_of_the_set_is_in_the_nlu_data() -> None:
    training = [words(line) for line in nlu_lines()]
    exact = set(training)
    buttons = {words(option.button) for option in load_content().scale}
    typed = [str(item["text"]) for name in ("side_steps.yml", "lead.yml")
             for item in yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))
             if words(str(item["text"])) not in buttons]  # training on the buttons is right
    assert [t for t in typed if len(words(t)) >= 2 and words(t) in exact] == []
    assert [t for t in typed if len(words(t)) >= 4
            and any(near(words(t), other) for other in training)] == []

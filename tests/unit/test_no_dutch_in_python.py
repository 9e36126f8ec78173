"""Python holds no Dutch sentence a user reads: the bot's text lives in mkbscan/content/
(issue 13). A string literal with three or more words, two of them common Dutch words, is
taken for a sentence; patterns that read what users type (regular expressions) are no text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DUTCH = re.compile(r"\b(je|jij|jouw|de|het|een|en|is|niet|wat|wil|kun|kan|ik|we|naar|voor|met"
                   r"|van|dat|dit|op|maar|nog|ook|geen|zijn|heb|hebt|bent|vraag|antwoord)\b",
                   re.IGNORECASE)
PATTERN = re.compile(r"\||\(\?|\\[wdbs]")
NOT_YET: set[str] = set()


def sentences(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                       ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
        else:
            continue
        if PATTERN.search(text):
            continue
        if len(re.findall(r"[^\W\d_]+", text)) >= 3 and len(DUTCH.findall(text)) >= 2:
            found.append((node.lineno, text))
    return found


def runtime_code() -> list[Path]:
    return [p for p in (*ROOT.glob("mkbscan/**/*.py"), *ROOT.glob("actions/*.py"))
            if "devtools" not in p.parts]


def test_no_dutch_sentence_in_the_runtime_code() -> None:
    found = {str(p.relative_to(ROOT)): sentences(p) for p in runtime_code()}
    assert {name: lines for name, lines in found.items()
            if lines and name not in NOT_YET} == {}


def test_the_detector_finds_a_sentence_and_skips_a_pattern(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('ASK = "Wil je verder met de scan?"\nCUE = r"nog niet|geen van de twee"\n',
                     encoding="utf-8")
    assert sentences(probe) == [(1, "Wil je verder met de scan?")]

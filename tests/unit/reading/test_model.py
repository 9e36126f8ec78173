"""The answer reader: plain Python reads answers exactly as the scikit-learn models it came from."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mkbscan.reading.features import asked_key, char_wb_grams, tied_text
from mkbscan.reading.model import AnswerReader, Example, load_examples
from mkbscan.reading.rules import read_rules
from mkbscan.reading.weights import ReaderWeights

TEXTS = ["grotendeels wel, al weet ik niet precies wat hun marge is", "Nee", "ja hoor!!",
         "we kozen ze omdat we ze al jaren kennen", "7 op de 10", "zij bepalen alles",
         "mwah", "", "ÉÉN keer per jaar,  misschien", "geen flauw idee eerlijk gezegd"]


def test_the_exported_weights_give_the_same_probabilities(tmp_path: Path) -> None:
    examples = [e for i, e in enumerate(load_examples()) if i % 3 == 0]
    reader = AnswerReader.fit(examples, folds=2)
    path = tmp_path / "reader.json.gz"
    reader.weights().save(path)
    weights = ReaderWeights.load(path)
    for question in ("P1", "G3", "P4/none", "G7/solo", None):
        for text in TEXTS:
            rules = read_rules(text)
            expected = reader.probabilities(question, text, rules)
            assert np.allclose(weights.probabilities(question, text, rules), expected,
                               atol=1e-9), (question, text)


def test_a_variant_wording_ties_words_to_the_question_the_wording_and_all_its_questions() -> None:
    assert asked_key("P4") == "P4" and asked_key("P4", "none") == "P4/none"
    assert tied_text("P4", "nog niet") == "P4_nog P4_niet"
    assert set(tied_text("P4/none", "nog").split()) == {"P4_nog", "P4/none_nog", "/none_nog"}
    assert tied_text(None, "nog") == ""


def test_character_grams_match_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in ("ja  hoor", "a", "grotendeels wel , echt", ""):
        assert char_wb_grams(text) == analyzer(text), text


def test_the_training_data_has_every_level_for_every_question() -> None:
    examples: list[Example] = load_examples()
    for question in {e.question for e in examples}:
        assert {e.level for e in examples if e.question == question} == {0, 1, 2, 3, None}


def test_the_action_server_reads_answers_without_numpy() -> None:
    """NumPy costs the action server about 15 MB for a few hundred multiplications per answer."""
    import subprocess
    import sys

    from mkbscan.reading.saved import trained_reader

    trained_reader()  # trained and saved here if new: training does import scikit-learn
    code = ("import sys, actions.dialogue\n"
            "from mkbscan.reading.reader import read_answer\n"
            "read_answer('P1', 'grotendeels wel, al weet ik niet alles')\n"
            "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parents[3])
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr

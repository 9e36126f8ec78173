"""The verdict on one answer: note it, ask back with the likely levels, or not read it."""

from __future__ import annotations

import numpy as np

from mkbscan.reading.reader import Reading, decide, read_answer
from mkbscan.reading.rules import RuleReading


def probs(**levels: float) -> np.ndarray:
    """P(0), P(1), P(2), P(3), P(unknown) from keyword arguments l0..l3, u."""
    row = np.array([levels.get("l0", 0.0), levels.get("l1", 0.0), levels.get("l2", 0.0),
                    levels.get("l3", 0.0), levels.get("u", 0.0)])
    return row / row.sum()


def test_a_likely_level_is_noted() -> None:
    reading = decide(RuleReading(2, 3), probs(l2=0.7, l1=0.3))
    assert reading is not None and reading.sure and reading.level == 2


def test_every_unknown_form_is_unknown_whatever_the_model_says() -> None:
    reading = decide(RuleReading(None, 5), probs(l3=0.9, u=0.1))
    assert reading is not None and reading.sure and reading.level is None


def test_an_unsure_reading_offers_the_two_likeliest_levels() -> None:
    reading = decide(RuleReading(3, 1), probs(l3=0.45, l2=0.4, l1=0.15))
    assert reading is not None and not reading.sure and reading.options == (3, 2)


def test_a_spread_reading_offers_three() -> None:
    reading = decide(None, probs(l0=0.42, l1=0.2, l2=0.2, l3=0.18))
    assert reading is not None and not reading.sure and reading.options == (0, 1, 2)


def test_text_without_cues_and_no_likely_level_is_not_read() -> None:
    assert decide(None, probs(l0=0.3, l1=0.25, l2=0.25, l3=0.2)) is None


def test_the_trained_reader_on_answers_from_issue_12() -> None:
    """Sentences the issue reported as misread; none of them is in the training data."""
    for question, text, level in (
            ("G3", "nee, zij bepalen eigenlijk alles", 0),
            ("P6", "grotendeels wel, al weet ik niet precies wat hun marge is", 2),
            ("P1", "ik weet het niet", None),
            ("P1", "kan ik niet beoordelen", None)):
        reading = read_answer(question, text)
        assert reading is not None, text
        assert (reading.sure and reading.level == level) or \
            (not reading.sure and level in reading.options), (text, reading)


def test_text_the_nlu_calls_no_answer_is_only_read_by_its_cue_words() -> None:
    assert read_answer("P1", "wat is de hoofdstad van Frankrijk", allow_model_only=False) is None


def test_the_wording_asked_changes_how_an_answer_reads() -> None:
    """After "Weet je hoe je gaat toetsen …?" (no partner yet) "nooit bij stilgestaan" is
    "nee, nog niet"; after the wording that presumes a partner it may be "weet ik niet"."""
    text = "Ik heb er nog geen moment bij stilgestaan hoe ik dat zou controleren."
    on_own_preparation = read_answer("P4", text, variant="none")
    assert on_own_preparation == Reading(0, True)
    presuming_a_partner = read_answer("P4", text)
    assert presuming_a_partner is not None and not presuming_a_partner.sure
    assert set(presuming_a_partner.options) == {0, None}

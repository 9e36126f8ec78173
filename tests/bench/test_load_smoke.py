"""Smoke test of the benchmark's load driver: 2 concurrent users, one complete scan each.

The benchmark itself (`make bench`) is not part of `make test`; this only checks that the
driver talks to the real stack and checks scores the way the benchmark relies on.
"""

from __future__ import annotations

import random

import pytest

from devtools.load import (
    MOODBOT_TURNS,
    SCALE_PHRASINGS,
    drive,
    moodbot_plan,
    percentile,
    scan_plan,
    scan_plans,
)
from mkbscan.scan.answers import parse_scale
from mkbscan.scan.questions import load_content
from mkbscan.scan.scoring import compute_result


@pytest.mark.parametrize(("level", "text"),
                         [(level, text) for level, texts in SCALE_PHRASINGS.items()
                          for text in texts])
def test_every_phrasing_reads_as_its_level(level: int | None, text: str) -> None:
    answer = parse_scale(text)
    assert answer is not None and answer.level == level


def test_a_scan_plan_carries_the_score_of_its_levels() -> None:
    plan = scan_plan(random.Random(7))
    content = load_content()
    assert plan.messages == 5 + len(content.scored)
    answers = {q.id: parse_scale(step.text).level  # type: ignore[union-attr]
               for q, step in zip(content.scored, plan.steps[5:], strict=True)}
    assert plan.expected_total == compute_result(answers, content).total
    assert plan.steps[-1].expect and "Totaalscore" in plan.steps[-1].expect


def test_moodbot_plan_repeats_the_conversation() -> None:
    plan = moodbot_plan(18)
    assert plan.messages == 18
    assert [s.text for s in plan.steps[:4]] == [t for t, _ in MOODBOT_TURNS]
    assert plan.steps[4].text == MOODBOT_TURNS[0][0]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) \
        == (50.0, 95.0, 99.0)
    assert percentile([], 95) == 0.0


@pytest.mark.stack
def test_two_users_complete_a_scan_each(stack) -> None:
    result = drive(stack.rest_url, users=2, conversations_per_user=1,
                   plan_for=scan_plans(seed=11), sender_prefix="smoke", deadline_s=300)
    assert result.problems == []
    assert (result.conversations, result.messages) == (2, 2 * 18)
    assert (result.errors, result.off_script, result.wrong_scores) == (0, 0, 0)
    assert not result.truncated and len(result.latencies_s) == 36
    assert result.throughput > 0

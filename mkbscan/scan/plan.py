"""The advice as a plan: one or two strengths first, then at most three steps in order.

The steps are the items with the largest weighted shortfall (scoring.advice_ids: the scan
model's rule, ties by question order), shown in the order of the work (questions.yml
`stage`: your own business, then choosing a partner, then working together), each in the
wording of the user's profile. An item answered "weet ik niet" becomes a "zoek uit" step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mkbscan.scan.questions import STAGES, Profile, ScanContent
from mkbscan.scan.scoring import Level, ScanResult

MAX_STRENGTHS = 2


@dataclass(frozen=True)
class PlanStep:
    question_id: str
    find_out: bool  # the answer was "weet ik niet": find it out first
    action: str
    produces: str = ""
    example: str = ""


@dataclass(frozen=True)
class Plan:
    strengths: tuple[str, ...]
    route: str
    steps: tuple[PlanStep, ...]


def strengths(answers: Mapping[str, Level], profile: Profile,
              content: ScanContent) -> tuple[str, ...]:
    """Up to two items answered best (level 3, else 2), the heaviest first."""
    for level in (3, 2):
        best = sorted((q for q in content.scored if answers.get(q.id) == level),
                      key=lambda q: -q.weight)  # stable: question order within a weight
        if best:
            return tuple(q.worded(profile).strength for q in best[:MAX_STRENGTHS])
    return ()


def build_plan(result: ScanResult, answers: Mapping[str, Level], profile: Profile,
               content: ScanContent) -> Plan:
    rank = {qid: position for position, qid in enumerate(result.advice_ids)}
    chosen = sorted((content.scored_by_id(qid) for qid in result.advice_ids),
                    key=lambda q: (STAGES.index(q.stage), rank[q.id]))
    steps = []
    for question in chosen:
        step = question.worded(profile).step
        if answers.get(question.id) is None:
            steps.append(PlanStep(question.id, True, step.find_out))
        else:
            steps.append(PlanStep(question.id, False, step.action, step.produces, step.example))
    return Plan(strengths=strengths(answers, profile, content),
                route=content.band_for(result.total).route, steps=tuple(steps))

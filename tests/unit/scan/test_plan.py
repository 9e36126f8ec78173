"""The plan builder: strengths, at most three steps in the order of the work, find-out steps,
the wording of each profile."""

from __future__ import annotations

import re

import pytest

from mkbscan.scan.plan import build_plan, strengths
from mkbscan.scan.questions import STAGES, Profile, load_content
from mkbscan.scan.scoring import compute_result

CONTENT = load_content()
IDS = [q.id for q in CONTENT.scored]
PROFILES = [Profile(track=t, sector=s, solo=solo) for t in ("existing", "new", "none")
            for s in (None, "productie", "IT", "HR", "logistiek/inkoop",
                      "innovatie/productontwikkeling", "circulaire keten")
            for solo in (False, True)]


def levels(default: int | None, **overrides: int | None) -> dict[str, int | None]:
    return {**{qid: default for qid in IDS}, **overrides}


def plan_for(answers: dict[str, int | None], profile: Profile | None = None):
    return build_plan(compute_result(answers, CONTENT), answers, profile or Profile(), CONTENT)


def test_the_steps_are_the_weakest_items_in_stage_order() -> None:
    answers = levels(3, G5=0, P1=1, P2=1)  # shortfalls G5 9, P1 6, P2 4
    plan = plan_for(answers)
    assert [s.question_id for s in plan.steps] == ["P2", "P1", "G5"]  # own, partner, together
    stages = [STAGES.index(CONTENT.scored_by_id(s.question_id).stage) for s in plan.steps]
    assert stages == sorted(stages)


def test_ties_are_broken_by_question_order_within_a_stage() -> None:
    # G2, G5, G6, G7 all "together"; G2 and G5 weight 3 at 1 (shortfall 6), G6, G7 weight 2 at 0
    # (shortfall 6): the scan model's tie rule keeps G2, G5, G6 in question order.
    plan = plan_for(levels(3, G2=1, G5=1, G6=0, G7=0))
    assert [s.question_id for s in plan.steps] == ["G2", "G5", "G6"]


def test_all_three_gives_no_steps_and_two_strengths() -> None:
    plan = plan_for(levels(3))
    assert plan.steps == () and len(plan.strengths) == 2
    assert plan.route == CONTENT.band_for(100).route


def test_all_zero_gives_three_steps_and_no_strengths() -> None:
    plan = plan_for(levels(0))
    assert len(plan.steps) == 3 and plan.strengths == ()
    assert all(not s.find_out and s.produces and s.example for s in plan.steps)


def test_all_unknown_gives_three_find_out_steps() -> None:
    plan = plan_for(levels(None))
    assert len(plan.steps) == 3 and all(s.find_out for s in plan.steps)
    assert all(s.action == CONTENT.scored_by_id(s.question_id).worded().step.find_out
               for s in plan.steps)
    assert all(not s.produces and not s.example for s in plan.steps)


def test_strengths_are_the_heaviest_best_answers() -> None:
    answers = levels(1, P3=3, G2=3, P6=3)
    expected = [CONTENT.scored_by_id(q).worded().strength for q in ("G2", "P3")]
    assert strengths(answers, Profile(), CONTENT) == tuple(expected)
    fallback = levels(1, P4=2)
    only = CONTENT.scored_by_id("P4").worded().strength
    assert strengths(fallback, Profile(), CONTENT) == (only,)


def test_a_one_person_business_gets_its_own_step() -> None:
    answers = levels(3, G7=0)
    default, solo = plan_for(answers), plan_for(answers, Profile(solo=True))
    assert default.steps[0].action != solo.steps[0].action
    assert solo.steps[0].action == CONTENT.scored_by_id("G7").worded(Profile(solo=True)).step.action


@pytest.mark.parametrize("track", ["existing", "new", "none"])
def test_each_track_has_its_wording(track: str) -> None:
    answers = levels(3, P1=0, P4=1)
    plan = plan_for(answers, Profile(track=track))
    worded = [CONTENT.scored_by_id(s.question_id).worded(Profile(track=track)).step.action
              for s in plan.steps]
    assert [s.action for s in plan.steps] == worded


def test_every_profile_gives_every_field_for_every_question() -> None:
    for profile in PROFILES:
        for question in CONTENT.scored:
            wording = question.worded(profile)
            assert all([wording.text, wording.topic, wording.explanation,
                        wording.explanation_again, wording.strength, wording.step.action,
                        wording.step.produces, wording.step.example, wording.step.find_out])


def test_no_partner_never_asks_about_a_partner_s_behaviour() -> None:
    presumes = ("je partner ", "jullie ", "de partner ")
    for question in CONTENT.scored:
        text = question.worded(Profile(track="none")).text.lower()
        assert not any(p in text for p in presumes), (question.id, text)


def test_the_theme_intros_presume_no_partner() -> None:
    """They are shown on every track, "nog geen partner" too."""
    for theme in CONTENT.themes:
        assert not re.search(r"\b(je partner|jullie|de partner)\b", theme.intro, re.I), theme.intro


def test_a_wording_names_the_layer_its_text_comes_from() -> None:
    """The answer reader is told which wording was asked (Wording.variant)."""
    def variant(question: str, profile: Profile) -> str:
        return CONTENT.scored_by_id(question).worded(profile).variant

    assert variant("P4", Profile()) == ""
    assert variant("P4", Profile(track="none")) == "none"
    assert variant("P1", Profile(track="existing")) == "existing"
    assert variant("P2", Profile(track="none")) == ""  # one text for every track
    assert variant("G7", Profile(track="none", solo=True)) == "solo"
    assert variant("G7", Profile(track="none", sector="IT")) == "none"  # sectors change steps

"""The result in the chat, compact: one message with the scores and the phase, one with the
strengths and the plan (the follow-up offer comes after them).

The score lines keep the scan model's exact labels (advisors and tools read them). Where no
picture can be shown (the shell, REST) each line carries a text bar; the web widget shows
the chart instead (`score_message(..., bars_too=False)` and the picture).
"""

from __future__ import annotations

from collections.abc import Mapping

from mkbscan.messages import BotMessage
from mkbscan.scan.plan import Plan, build_plan
from mkbscan.scan.questions import Profile, ScanContent, load_content
from mkbscan.scan.scoring import Level, ScanResult
from mkbscan.wording import join_words, say

BAR_WIDTH = 10
# Rasa's output channels cut a text at every blank line into separate messages: the blocks
# of one message are separated by a single line break.
BLOCKS = "\n"


def labelled_scores(result: ScanResult, content: ScanContent) -> list[tuple[str, int]]:
    """(label, score) per theme, then the total."""
    names = {theme.id: theme.name for theme in content.themes}
    return [(names[theme_id], score) for theme_id, score in result.theme_scores] + \
        [(say("total_label"), result.total)]


def score_lines(result: ScanResult, content: ScanContent | None = None) -> str:
    rows = labelled_scores(result, content or load_content())
    return "\n".join(f"{label}: {score}/100" for label, score in rows) + f"\n{result.band}"


def bar(score: int) -> str:
    filled = (score * BAR_WIDTH + 50) // 100
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def phase_line(result: ScanResult, content: ScanContent) -> str:
    """Where the band sits among the phases, lowest first: ○ Verkennen ● Voorbereiden ..."""
    phases = list(reversed(content.bands))
    current = content.band_for(result.total)
    # A no-break space keeps each mark with its phase when a narrow widget wraps the line.
    marks = "  ".join(f"{'●' if band == current else '○'}\u00a0{band.name}" for band in phases)
    return say("result_phase", number=phases.index(current) + 1, count=len(phases),
               phases=marks)


def bars(result: ScanResult, content: ScanContent) -> str:
    return "\n".join(f"{bar(score)} {score:>3}  {label}"
                     for label, score in labelled_scores(result, content))


def score_message(result: ScanResult, content: ScanContent, *, intro: str,
                  bars_too: bool) -> str:
    """The intro, the exact score lines and the band, [text bars,] the phase and its meaning
    [, why the total is capped]."""
    blocks = [f"{intro}\n{score_lines(result, content)}"]
    if bars_too:
        blocks.append(bars(result, content))
    phase = [phase_line(result, content), content.band_for(result.total).meaning]
    if result.capped:
        topics = [content.scored_by_id(qid).topic for qid in result.capped_by]
        phase.append(say("result_capped", topics=join_words(topics)))
    return BLOCKS.join([*blocks, "\n".join(phase)])


def plan_of(result: ScanResult, answers: Mapping[str, Level], context: Mapping[str, str],
            content: ScanContent) -> Plan:
    return build_plan(result, answers, content.profile(context), content)


def plan_message(plan: Plan, result: ScanResult, profile: Profile,
                 content: ScanContent) -> str:
    parts = []
    if plan.strengths:
        parts.append(say("result_strengths", strengths=" ".join(plan.strengths)))
    if not plan.steps:
        parts.append(say("result_perfect"))
        return BLOCKS.join(parts)
    parts.append(plan.route)
    for number, step in enumerate(plan.steps, start=1):
        lines = [f"{number}. {step.action}"]
        if step.produces:
            lines.append(say("result_step_produces", produces=step.produces))
        if step.example:
            lines.append(say("result_step_example", example=step.example))
        parts.append("\n".join(lines))
    planned = {step.question_id for step in plan.steps}
    other_unknowns = [content.scored_by_id(q).worded(profile).topic for q in result.unknown_ids
                      if q not in planned]
    if other_unknowns:
        parts.append(say("result_unknowns", topics=join_words(other_unknowns)))
    return BLOCKS.join(parts)


def result_messages(result: ScanResult, answers: Mapping[str, Level],
                    context: Mapping[str, str], content: ScanContent | None = None, *,
                    intro_key: str = "result_intro", intro: str | None = None
                    ) -> list[BotMessage]:
    """The scores with the phase (text bars, for channels without pictures) and the plan;
    `intro` (one line) instead of the text of `intro_key`."""
    content = content or load_content()
    profile = content.profile(context)
    plan = build_plan(result, answers, profile, content)
    intro = say(intro_key) if intro is None else intro
    return [BotMessage(score_message(result, content, intro=intro, bars_too=True)),
            BotMessage(plan_message(plan, result, profile, content))]


def first_step(result: ScanResult, answers: Mapping[str, Level], context: Mapping[str, str],
               content: ScanContent | None = None) -> str | None:
    """The plan's first step, for "wat nu?" after the result."""
    content = content or load_content()
    steps = plan_of(result, answers, context, content).steps
    return steps[0].action if steps else None


def unknown_topics(result: ScanResult, context: Mapping[str, str],
                   content: ScanContent | None = None) -> list[str]:
    content = content or load_content()
    profile = content.profile(context)
    return [content.scored_by_id(qid).worded(profile).topic for qid in result.unknown_ids]

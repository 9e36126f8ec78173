"""The result in the chat, compact: one message with the scores and the phase, one with the
strengths and the plan (the follow-up offer comes after them).

The score lines keep the scan model's exact labels (advisors and tools read them), each with
a text bar: the shell and REST show text. The web widget shows one result card instead of
both messages (`ResultCard`: the same sentences, the phases and the SVG chart).
"""

from __future__ import annotations

from collections.abc import Mapping

from mkbscan.messages import BotMessage, CardStep, PlanPieces, ResultCard
from mkbscan.scan.chart_svg import chart_data_uri, chart_text
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


def capped_line(result: ScanResult, content: ScanContent) -> str:
    """Why the total is capped (a critical question is weak or unknown), or ""."""
    if not result.capped:
        return ""
    topics = [content.scored_by_id(qid).topic for qid in result.capped_by]
    return say("result_capped", topics=join_words(topics))


def score_message(result: ScanResult, content: ScanContent, *, intro: str) -> str:
    """The intro, the exact score lines and the band, text bars, the phase and its meaning
    [, why the total is capped]."""
    phase = [phase_line(result, content), content.band_for(result.total).meaning,
             capped_line(result, content)]
    return BLOCKS.join([f"{intro}\n{score_lines(result, content)}", bars(result, content),
                        "\n".join(line for line in phase if line)])


def plan_of(result: ScanResult, answers: Mapping[str, Level], context: Mapping[str, str],
            content: ScanContent) -> Plan:
    return build_plan(result, answers, content.profile(context), content)


def plan_pieces(plan: Plan, result: ScanResult, profile: Profile,
                content: ScanContent) -> PlanPieces:
    strengths = say("result_strengths", strengths=" ".join(plan.strengths)) \
        if plan.strengths else ""
    if not plan.steps:
        return PlanPieces(strengths, say("result_perfect"), "", (), "")
    steps = tuple(CardStep(step.action, say("result_step_produces", produces=step.produces)
                           if step.produces else "", step.example) for step in plan.steps)
    planned = {step.question_id for step in plan.steps}
    other_unknowns = [content.scored_by_id(q).worded(profile).topic for q in result.unknown_ids
                      if q not in planned]
    unknowns = say("result_unknowns", topics=join_words(other_unknowns)) \
        if other_unknowns else ""
    return PlanPieces(strengths, "", plan.route, steps, unknowns)


def plan_message(pieces: PlanPieces) -> str:
    parts = [pieces.strengths] if pieces.strengths else []
    if pieces.perfect:
        return BLOCKS.join([*parts, pieces.perfect])
    parts.append(pieces.route)
    for number, step in enumerate(pieces.steps, start=1):
        lines = [f"{number}. {step.action}"]
        if step.produces:
            lines.append(step.produces)
        if step.example:
            lines.append(say("result_step_example", example=step.example))
        parts.append("\n".join(lines))
    if pieces.unknowns:
        parts.append(pieces.unknowns)
    return BLOCKS.join(parts)


def result_card(result: ScanResult, pieces: PlanPieces, content: ScanContent, *,
                intro: str, report_url: str = "") -> ResultCard:
    rows = labelled_scores(result, content)
    phases = list(reversed(content.bands))
    current = content.band_for(result.total)
    return ResultCard(
        intro=intro, total=result.total, band=result.band,
        phase=say("card_phase", number=phases.index(current) + 1, count=len(phases)),
        phases=tuple(band.name for band in phases), current=phases.index(current),
        meaning=current.meaning, capped=capped_line(result, content),
        chart=chart_data_uri(rows, content), chart_text=chart_text(rows), plan=pieces,
        report_url=report_url)


def result_messages(result: ScanResult, answers: Mapping[str, Level],
                    context: Mapping[str, str], content: ScanContent | None = None, *,
                    intro_key: str = "result_intro", intro: str | None = None,
                    report_url: str = "") -> list[BotMessage]:
    """The scores with the phase (text bars), the plan and the report's link; `intro` (one
    line) instead of the text of `intro_key`. The first carries the result card the web
    widget shows instead of them all."""
    content = content or load_content()
    profile = content.profile(context)
    pieces = plan_pieces(build_plan(result, answers, profile, content), result, profile,
                         content)
    intro = say(intro_key) if intro is None else intro
    card = result_card(result, pieces, content, intro=intro, report_url=report_url)
    messages = [BotMessage(score_message(result, content, intro=intro), card=card),
                BotMessage(plan_message(pieces), in_card=True)]
    if report_url:
        messages.append(BotMessage(say("result_report_link", url=report_url), in_card=True))
    return messages


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

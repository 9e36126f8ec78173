"""Turning a ScanResult into chat messages: score lines, bars, advice, unknowns, cap."""

from __future__ import annotations

from collections.abc import Mapping

from mkbscan.messages import BotMessage
from mkbscan.scan.questions import ScanContent, ScoredQuestion, load_content
from mkbscan.scan.scoring import ScanResult
from mkbscan.wording import join_words, say

BAR_WIDTH = 10


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


def bars(result: ScanResult, content: ScanContent | None = None) -> str:
    rows = labelled_scores(result, content or load_content())
    rows[-1] = (say("total_bar_label"), result.total)
    return "\n".join(f"{bar(score)} {score:>3}  {label}" for label, score in rows)


def context_tags(context: Mapping[str, str], content: ScanContent) -> tuple[str, ...]:
    """The advice variants the context answers select (questions.yml: advice_variant)."""
    return tuple(question.advice_variant[context[question.id]] for question in content.context
                 if context.get(question.id) in question.advice_variant)


def advice_for(question: ScoredQuestion, tags: tuple[str, ...]) -> str:
    for tag in tags:
        if tag in question.advice_variants:
            return question.advice_variants[tag]
    return question.advice


def advice_texts(result: ScanResult, context: Mapping[str, str],
                 content: ScanContent | None = None) -> list[str]:
    content = content or load_content()
    tags = context_tags(context, content)
    return [advice_for(content.scored_by_id(qid), tags) for qid in result.advice_ids]


def unknown_topics(result: ScanResult, content: ScanContent | None = None) -> list[str]:
    content = content or load_content()
    return [content.scored_by_id(qid).topic for qid in result.unknown_ids]


def result_messages(result: ScanResult, context: Mapping[str, str],
                    content: ScanContent | None = None) -> list[BotMessage]:
    content = content or load_content()
    messages = [
        BotMessage(say("result_intro")),
        BotMessage(score_lines(result, content)),
        BotMessage(bars(result, content)),
        BotMessage(content.band_for(result.total).summary),
    ]
    if result.capped:
        topics = [content.scored_by_id(qid).topic for qid in result.capped_by]
        messages.append(BotMessage(say("result_capped", uncapped=result.uncapped_total,
                                       topics=join_words(topics))))
    advice = advice_texts(result, context, content)
    if advice:
        numbered = "\n".join(f"{i}. {text}" for i, text in enumerate(advice, start=1))
        messages.append(BotMessage(say("result_advice", numbered=numbered)))
    else:
        messages.append(BotMessage(say("result_perfect")))
    unknowns = unknown_topics(result, content)
    if unknowns:
        messages.append(BotMessage(say("result_unknowns", topics=join_words(unknowns))))
    return messages

"""Turning a ScanResult into chat messages: score lines, bars, advice, unknowns, cap."""

from __future__ import annotations

from collections.abc import Mapping

from mkbscan.messages import BotMessage
from mkbscan.questions import ScanContent, ScoredQuestion, load_content
from mkbscan.scoring import ScanResult
from mkbscan.wording import say


def band_summary(band: str) -> str:
    return say("band_summary_" + band.lower().replace(" ", "_"))
BAR_WIDTH = 10


def score_lines(result: ScanResult) -> str:
    return (
        f"Partnerkeuze: {result.partnerkeuze}/100\n"
        f"Gelijkwaardigheid: {result.gelijkwaardigheid}/100\n"
        f"{say('total_label')}: {result.total}/100\n"
        f"{result.band}"
    )


def bar(score: int) -> str:
    filled = (score * BAR_WIDTH + 50) // 100
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def bars(result: ScanResult) -> str:
    rows = (("Partnerkeuze", result.partnerkeuze), ("Gelijkwaardigheid", result.gelijkwaardigheid),
            (say("total_bar_label"), result.total))
    return "\n".join(f"{bar(score)} {score:>3}  {label}" for label, score in rows)


def context_tags(context: Mapping[str, str]) -> tuple[str, ...]:
    tags = []
    if context.get("C2") == "bestaand":
        tags.append("existing_partner")
    if context.get("C3") == "1":
        tags.append("solo")
    if context.get("C1") == "circulaire keten":
        tags.append("circular")
    return tuple(tags)


def advice_for(question: ScoredQuestion, context: Mapping[str, str]) -> str:
    for tag in context_tags(context):
        if tag in question.advice_variants:
            return question.advice_variants[tag]
    return question.advice


def advice_texts(result: ScanResult, context: Mapping[str, str],
                 content: ScanContent | None = None) -> list[str]:
    content = content or load_content()
    return [advice_for(content.scored_by_id(qid), context) for qid in result.advice_ids]


def unknown_topics(result: ScanResult, content: ScanContent | None = None) -> list[str]:
    content = content or load_content()
    return [content.scored_by_id(qid).topic for qid in result.unknown_ids]


def _join(items: list[str]) -> str:
    last = f" {say('list_last_and')} "
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


def result_messages(result: ScanResult, context: Mapping[str, str],
                    content: ScanContent | None = None) -> list[BotMessage]:
    content = content or load_content()
    messages = [
        BotMessage(say("result_intro")),
        BotMessage(score_lines(result)),
        BotMessage(bars(result)),
        BotMessage(band_summary(result.band)),
    ]
    if result.capped:
        topics = [content.scored_by_id(qid).topic for qid in result.capped_by]
        messages.append(BotMessage(say("result_capped", uncapped=result.uncapped_total,
                                       topics=_join(topics))))
    advice = advice_texts(result, context, content)
    if advice:
        numbered = "\n".join(f"{i}. {text}" for i, text in enumerate(advice, start=1))
        messages.append(BotMessage(say("result_advice", numbered=numbered)))
    else:
        messages.append(BotMessage(say("result_perfect")))
    unknowns = unknown_topics(result, content)
    if unknowns:
        messages.append(BotMessage(say("result_unknowns", topics=_join(unknowns))))
    return messages

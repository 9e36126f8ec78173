"""Turning a ScanResult into chat messages: score lines, bars, advice, unknowns, cap."""

from __future__ import annotations

from collections.abc import Mapping

from mkbscan.messages import BotMessage
from mkbscan.questions import ScanContent, ScoredQuestion, load_content
from mkbscan.scoring import CAP, ScanResult

BAND_MEANING = {
    "Verkennen": "Je staat nog aan het begin. Verken eerst wat je van een partner verwacht.",
    "Voorbereiden": "De basis is er deels. Met wat voorbereiding kun je goed van start.",
    "Versterken": "Je bent op de goede weg. Versterk nu de punten die achterblijven.",
    "Klaar om samen te werken": "Je bent er klaar voor. Mooi werk!",
}
BAR_WIDTH = 10


def score_lines(result: ScanResult) -> str:
    return (
        f"Partnerkeuze: {result.partnerkeuze}/100\n"
        f"Gelijkwaardigheid: {result.gelijkwaardigheid}/100\n"
        f"Totaalscore: {result.total}/100\n"
        f"{result.band}"
    )


def bar(score: int) -> str:
    filled = (score * BAR_WIDTH + 50) // 100
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def bars(result: ScanResult) -> str:
    rows = (("Partnerkeuze", result.partnerkeuze), ("Gelijkwaardigheid", result.gelijkwaardigheid),
            ("Totaal", result.total))
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
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def result_messages(result: ScanResult, context: Mapping[str, str],
                    content: ScanContent | None = None) -> list[BotMessage]:
    content = content or load_content()
    messages = [
        BotMessage("Klaar! Dit is je uitslag:"),
        BotMessage(score_lines(result)),
        BotMessage(bars(result)),
        BotMessage(BAND_MEANING[result.band]),
    ]
    if result.capped:
        topics = [content.scored_by_id(qid).topic for qid in result.capped_by]
        messages.append(BotMessage(
            f"Let op: je totaal is begrensd op {CAP} (zonder die grens was het "
            f"{result.uncapped_total}). Er ontbreekt nog een fundament: {_join(topics)}. "
            "Dat maak je niet goed met hoge scores op andere vragen."
        ))
    advice = advice_texts(result, context, content)
    if advice:
        numbered = "\n".join(f"{i}. {text}" for i, text in enumerate(advice, start=1))
        messages.append(BotMessage(f"Hier kun je het meest winnen:\n{numbered}"))
    else:
        messages.append(BotMessage(
            "Je scoort overal het maximum, advies is niet nodig. Tip: doe de scan eens samen "
            "met je partner en vergelijk jullie antwoorden."
        ))
    unknowns = unknown_topics(result, content)
    if unknowns:
        messages.append(BotMessage(f"Nog uit te zoeken: {_join(unknowns)}."))
    return messages

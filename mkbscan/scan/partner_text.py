"""What the bot says in the two-party scan (issue 17): the comparison of both sides' answers
and the invitation's messages. Pure: the words come from content/partner.yml, the figures
from mkbscan.scan.comparison."""

from __future__ import annotations

from datetime import datetime

from mkbscan.messages import BotMessage, intent_buttons
from mkbscan.scan.comparison import AGREE, DIFFER, DISCUSS, UNKNOWN, Comparison
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.settings import TIME_ZONE, settings
from mkbscan.wording import join_words, say

BUCKET_TEXT = {DIFFER: "comparison_differ", DISCUSS: "comparison_discuss",
               UNKNOWN: "comparison_unknown", AGREE: "comparison_agree"}
TIME_FORMAT = "%d-%m-%Y"


def until(moment: datetime) -> str:
    """The day a code stops working, on the visitors' calendar (dd-mm-jjjj)."""
    return moment.astimezone(TIME_ZONE).strftime(TIME_FORMAT)


def _numbers(question_ids: tuple[str, ...], content: ScanContent) -> str:
    order = [q.id for q in content.scored]
    return say("comparison_questions",
               numbers=join_words([str(order.index(qid) + 1) for qid in question_ids]))


def bucket_name(bucket: str) -> str:
    """ "eens", "gesprekspunt", "groot verschil", "samen uitzoeken"."""
    return say(f"bucket_{bucket}")


def score_lines(comparison: Comparison, content: ScanContent) -> list[str]:
    names = {theme.id: theme.name for theme in content.themes}
    lines = [say("comparison_score", theme=names[theme], own=own, other=other)
             for theme, own, other in comparison.themes]
    lines.append(say("comparison_total", own=comparison.totals[0], other=comparison.totals[1]))
    return lines


def bucket_lines(comparison: Comparison, content: ScanContent) -> list[str]:
    """ "Groot verschil: vraag 3, 4 en 12" per bucket that has items (numbers only: never
    the other's answer)."""
    return [say(BUCKET_TEXT[bucket], items=_numbers(found, content))
            for bucket in BUCKET_TEXT if (found := comparison.in_bucket(bucket))]


def agenda_topics(comparison: Comparison, content: ScanContent) -> list[str]:
    """The agenda's topics, the largest difference first."""
    return [_capital(content.scored_by_id(qid).topic) for qid in comparison.agenda]


def comparison_messages(comparison: Comparison,
                        content: ScanContent | None = None) -> list[BotMessage]:
    """The scores side by side, the items by bucket, and the agenda: the largest
    differences first."""
    content = content or load_content()
    messages = [BotMessage("\n".join([say("comparison_intro"),
                                      *score_lines(comparison, content)])),
                BotMessage("\n".join(bucket_lines(comparison, content)))]
    if comparison.agenda:
        lines = [say("comparison_agenda_line", number=n, topic=topic)
                 for n, topic in enumerate(agenda_topics(comparison, content), start=1)]
        messages.append(BotMessage(say("comparison_agenda", lines="\n".join(lines))))
    else:
        messages.append(BotMessage(say("comparison_no_agenda")))
    return messages


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def consent_question() -> BotMessage:
    return BotMessage(say("invite_consent"), intent_buttons((say("invite_yes"), "affirm"),
                                                            (say("invite_no"), "deny")))


def consent_request() -> list[BotMessage]:
    """What the partner will see, then the consent."""
    return [BotMessage(say("invite_explain")), consent_question()]


def invite_made(code: str, expires_at: datetime) -> list[BotMessage]:
    return [BotMessage(say("invite_made", code=code, until=until(expires_at))),
            BotMessage(say("invite_how", url=settings().invite_url(code)))]

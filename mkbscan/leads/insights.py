"""What the scan teaches the advisor, computed from the conversations' journeys (pure).

All figures are counts of conversations begun in the period (by the day of their first
message, in the advisor's time zone), so a week's row follows the people who began that
week, however long they took:

- the funnel: begun, scan started, context done, each question answered, result, follow-up
  accepted, consent given, lead sent;
- drop-off: scans not finished and quiet for IDLE, by the question left open;
- the spread of the answers per question;
- the average theme scores and total per sector, size and kind of partner (results only);
- how often each item is among the plan's steps;
- the same per week.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mkbscan.leads.journeys import Journey
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.scoring import ScanResult, compute_result
from mkbscan.settings import TIME_ZONE
from mkbscan.wording import say

IDLE_MINUTES = 60  # a scan quiet this long counts as left, not as still going
IDLE = timedelta(minutes=IDLE_MINUTES)
NO_CATEGORY = ""  # a result without this context answer
GROUPINGS = ("sector", "size", "partner")  # context the scores are grouped by

OPENED, STARTED, CONTEXT_DONE, ANSWERED = "opened", "started", "context_done", "answered"
RESULT, FOLLOWUP, CONSENT, LEAD_SENT = "result", "followup", "consent", "lead_sent"


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC-aware datetimes: the advisor's midnights."""
        start = datetime.combine(self.first, time(), TIME_ZONE)
        return start, datetime.combine(self.last + timedelta(days=1), time(), TIME_ZONE)

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        monday = self.first - timedelta(days=self.first.weekday())
        return [monday + timedelta(weeks=n)
                for n in range((self.last - monday).days // 7 + 1)]


@dataclass(frozen=True)
class Step:
    key: str
    count: int
    question_id: str = ""  # for ANSWERED


@dataclass(frozen=True)
class Spread:
    question_id: str
    counts: tuple[int, ...]  # per option of the scale, in its order ("weet ik niet" too)


@dataclass(frozen=True)
class GroupScore:
    category: str  # NO_CATEGORY when not answered
    count: int
    themes: tuple[tuple[str, int], ...]  # theme id -> average score
    total: int


@dataclass(frozen=True)
class Week:
    monday: date
    opened: int
    started: int
    results: int
    leads_sent: int
    average_total: int | None


@dataclass(frozen=True)
class Insights:
    period: Period
    funnel: tuple[Step, ...]
    drop_off: tuple[tuple[str, int], ...]  # question id -> scans left there, in scan order
    still_going: int
    spreads: tuple[Spread, ...]
    scores_by: dict[str, tuple[GroupScore, ...]]  # grouping -> groups
    advice: tuple[tuple[str, int], ...]  # question id -> times a plan step, most first
    weeks: tuple[Week, ...]


def average(values: Sequence[int]) -> int:
    """The mean, rounded half up (as the scores themselves are)."""
    return (2 * sum(values) + len(values)) // (2 * len(values))


def started(journey: Journey) -> bool:
    return bool(journey.last_question_id or journey.answers or journey.context
                or journey.finished)


def context_done(journey: Journey, content: ScanContent) -> bool:
    scored = {q.id for q in content.scored}
    return journey.finished or bool(scored & set(journey.answers)) \
        or journey.last_question_id in scored


def result_of(journey: Journey, content: ScanContent) -> ScanResult | None:
    if not journey.finished:
        return None
    try:
        return compute_result(journey.answers, content)
    except ValueError:  # an incomplete or invalid row: no result to count
        return None


def funnel(journeys: Sequence[Journey], content: ScanContent) -> tuple[Step, ...]:
    def count(test: Callable[[Journey], bool]) -> int:
        return sum(1 for journey in journeys if test(journey))

    return (
        Step(OPENED, len(journeys)),
        Step(STARTED, count(started)),
        Step(CONTEXT_DONE, count(lambda j: context_done(j, content))),
        *(Step(ANSWERED, count(lambda j, qid=q.id: qid in j.answers), q.id)
          for q in content.scored),
        Step(RESULT, count(lambda j: result_of(j, content) is not None)),
        Step(FOLLOWUP, count(lambda j: j.followup_at is not None)),
        Step(CONSENT, count(lambda j: j.consent_at is not None)),
        Step(LEAD_SENT, count(lambda j: j.lead_sent_at is not None)),
    )


def drop_off(journeys: Iterable[Journey], content: ScanContent,
             now: datetime) -> tuple[tuple[tuple[str, int], ...], int]:
    """(question id -> scans left there, in scan order; scans still going)."""
    left: Counter[str] = Counter()
    going = 0
    for journey in journeys:
        if journey.finished or not started(journey):
            continue
        if now - journey.updated_at < IDLE:
            going += 1
        elif journey.last_question_id:
            left[journey.last_question_id] += 1
    return tuple((qid, left[qid]) for qid in content.order if left[qid]), going


def spreads(journeys: Sequence[Journey], content: ScanContent) -> tuple[Spread, ...]:
    return tuple(
        Spread(q.id, tuple(sum(1 for j in journeys if q.id in j.answers
                               and j.answers[q.id] == option.level)
                           for option in content.scale))
        for q in content.scored)


def scores_by(results: Sequence[tuple[Journey, ScanResult]], grouping: str,
              content: ScanContent) -> tuple[GroupScore, ...]:
    groups: dict[str, list[ScanResult]] = defaultdict(list)
    for journey, result in results:
        groups[journey.context.get(grouping, NO_CATEGORY)].append(result)
    question = content.context_reading(grouping)
    known = [s.label for s in question.sizes] if question and question.sizes \
        else list(question.labels) if question else []
    order = {category: index for index, category in enumerate(known)}
    return tuple(
        GroupScore(category, len(found),
                   tuple((theme.id, average([r.theme_score(theme.id) for r in found]))
                         for theme in content.themes),
                   average([r.total for r in found]))
        for category, found in sorted(groups.items(),
                                      key=lambda g: (order.get(g[0], len(order)), g[0])))


def advice(results: Sequence[ScanResult], content: ScanContent) -> tuple[tuple[str, int], ...]:
    counts = Counter(qid for result in results for qid in result.advice_ids)
    position = {q.id: index for index, q in enumerate(content.scored)}
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], position[item[0]])))


def weeks(journeys: Sequence[Journey], period: Period, content: ScanContent) -> tuple[Week, ...]:
    by_week: dict[date, list[Journey]] = defaultdict(list)
    for journey in journeys:
        day = journey.started_at.astimezone(TIME_ZONE).date()
        by_week[day - timedelta(days=day.weekday())].append(journey)
    rows = []
    for monday in period.weeks():
        found = by_week.get(monday, [])
        totals = [r.total for r in (result_of(j, content) for j in found) if r is not None]
        rows.append(Week(monday, len(found), sum(1 for j in found if started(j)), len(totals),
                         sum(1 for j in found if j.lead_sent_at is not None),
                         average(totals) if totals else None))
    return tuple(rows)


def insights(journeys: Sequence[Journey], period: Period, now: datetime,
             content: ScanContent | None = None) -> Insights:
    """The insights of the journeys begun in the period (the caller selects them)."""
    content = content or load_content()
    results = [(j, r) for j, r in ((j, result_of(j, content)) for j in journeys)
               if r is not None]
    left, going = drop_off(journeys, content, now)
    return Insights(
        period=period, funnel=funnel(journeys, content), drop_off=left, still_going=going,
        spreads=spreads(journeys, content),
        scores_by={grouping: scores_by(results, grouping, content) for grouping in GROUPINGS},
        advice=advice([r for _, r in results], content),
        weeks=weeks(journeys, period, content))


def question_label(question_id: str, content: ScanContent) -> str:
    """"Vraag 4" for a scored question (its number in the scan), the question's id else."""
    scored = [q.id for q in content.scored]
    if question_id in scored:
        return say("insights_question", number=scored.index(question_id) + 1)
    return question_id


def step_label(step: Step, content: ScanContent) -> str:
    if step.key == ANSWERED:
        return say("insights_step_answered",
                   number=[q.id for q in content.scored].index(step.question_id) + 1)
    return say(f"insights_step_{step.key}")


def share(count: int, of: int) -> int:
    """count as a whole percentage of `of` (0 when there is nothing to compare with)."""
    return (200 * count + of) // (2 * of) if of else 0

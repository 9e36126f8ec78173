"""The insights page's figures: each a heading, a chart and the same figures as a table,
built from mkbscan.leads.insights with the names from questions.yml and advisor.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from mkbscan.advisor.insight_charts import Bar, Series, bars, layered_columns, stacked
from mkbscan.leads import insights as figures
from mkbscan.leads.insights import Insights, Period
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.wording import say

LONGEST_PERIOD = timedelta(days=366)  # the week chart stays readable
DEFAULT_WEEKS = 12
# The scale's options, from "ja, helemaal" to "weet ik niet"
LEVEL_COLOURS = ("#1f6f5c", "#7fb8a4", "#f0b429", "#c0392b", "#9aa5a1")
WEEK_COLOURS = ("#9aa5a1", "#7fb8a4", "#1f6f5c", "#f0b429")


@dataclass(frozen=True)
class Table:
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    key: str
    heading: str
    intro: str
    chart: str  # inline SVG, "" when there is nothing to draw
    table: Table


def default_period(today: date) -> Period:
    """The last DEFAULT_WEEKS weeks: from the Monday that many weeks back up to today."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=DEFAULT_WEEKS - 1), today)


def period_from(query: Mapping[str, str], today: date) -> tuple[Period, str]:
    """The period the form asks for, or the default with the reason it was not taken."""
    first, last = query.get("van", "").strip(), query.get("tot", "").strip()
    if not first and not last:
        return default_period(today), ""
    try:
        period = Period(date.fromisoformat(first), date.fromisoformat(last))
    except ValueError:
        return default_period(today), say("desk_insights_bad_period")
    if period.first > period.last:
        return default_period(today), say("desk_insights_bad_period")
    if period.last - period.first >= LONGEST_PERIOD:
        return default_period(today), say("desk_insights_long_period",
                                          days=LONGEST_PERIOD.days)
    return period, ""


def _question(question_id: str, content: ScanContent) -> str:
    if content.is_context(question_id):
        number = [c.id for c in content.context].index(question_id) + 1
        return say("desk_insights_context_question", number=number)
    return say("desk_insights_question_topic",
               question=figures.question_label(question_id, content),
               topic=content.scored_by_id(question_id).topic)


def funnel(found: Insights, content: ScanContent) -> Figure:
    opened = found.funnel[0].count
    rows = [(figures.step_label(step, content), step.count,
             figures.share(step.count, opened)) for step in found.funnel]
    heading = say("desk_insights_funnel")
    return Figure("funnel", heading, say("desk_insights_funnel_intro"),
                  bars([Bar(label, count, f"{count} · {percent}%")
                        for label, count, percent in rows],
                       _summary(heading, [(label, f"{count} ({percent}%)")
                                          for label, count, percent in rows]),
                       "chart-funnel", largest=opened),
                  Table((say("desk_insights_step"), say("desk_insights_count"),
                         say("desk_insights_share")),
                        tuple((label, str(count), f"{percent}%")
                              for label, count, percent in rows)))


def drop_off(found: Insights, content: ScanContent) -> Figure:
    rows = [(_question(qid, content), count) for qid, count in found.drop_off]
    heading = say("desk_insights_drop_off")
    intro = say("desk_insights_drop_off_intro", minutes=figures.IDLE_MINUTES,
                count=found.still_going)
    chart = bars([Bar(label, count, str(count)) for label, count in rows],
                 _summary(heading, [(label, str(count)) for label, count in rows]),
                 "chart-drop-off") if rows else ""
    return Figure("drop_off", heading, intro, chart,
                  Table((say("desk_insights_question"), say("desk_insights_count")),
                        tuple((label, str(count)) for label, count in rows)))


def answers(found: Insights, content: ScanContent) -> Figure:
    series = [Series(option.button, colour)
              for option, colour in zip(content.scale, LEVEL_COLOURS, strict=True)]
    rows = [(_question(spread.question_id, content), spread.counts) for spread in found.spreads]
    heading = say("desk_insights_answers")
    summary = _summary(heading, [
        (label, ", ".join(f"{item.name} {count}" for item, count in zip(series, counts,
                                                                           strict=True)))
        for label, counts in rows])
    return Figure("answers", heading, say("desk_insights_answers_intro"),
                  stacked(rows, series, summary, "chart-answers"),
                  Table((say("desk_insights_question"), *(item.name for item in series)),
                        tuple((label, *map(str, counts)) for label, counts in rows)))


def scores(found: Insights, grouping: str, content: ScanContent) -> Figure:
    question = content.context_reading(grouping)
    groups = found.scores_by[grouping]

    def name(category: str) -> str:
        if not category:
            return say("insights_no_category")
        return question.category_label(category) if question else category

    heading = say(f"desk_insights_scores_{grouping}")
    bars_ = [Bar(name(g.category), g.total,
                 say("desk_insights_score_shown", total=g.total, count=g.count),
                 content.band_for(g.total).colour) for g in groups]
    themes = [theme.name for theme in content.themes]
    chart = bars(bars_, _summary(heading, [(bar.label, bar.shown) for bar in bars_]),
                 f"chart-scores-{grouping}", largest=100) if groups else ""
    return Figure(f"scores_{grouping}", heading, say("desk_insights_scores_intro"), chart,
                  Table((say(f"desk_insights_group_{grouping}"), say("desk_insights_results"),
                         *themes, say("desk_total")),
                        tuple((name(g.category), str(g.count),
                               *(str(score) for _, score in g.themes), str(g.total))
                              for g in groups)))


def advice(found: Insights, content: ScanContent) -> Figure:
    rows = [(_question(qid, content), count) for qid, count in found.advice]
    results = next(step.count for step in found.funnel if step.key == figures.RESULT)
    heading = say("desk_insights_advice")
    chart = bars([Bar(label, count, f"{count} · {figures.share(count, results)}%")
                  for label, count in rows],
                 _summary(heading, [(label, str(count)) for label, count in rows]),
                 "chart-advice", largest=results) if rows else ""
    return Figure("advice", heading, say("desk_insights_advice_intro"), chart,
                  Table((say("desk_insights_question"), say("desk_insights_count"),
                         say("desk_insights_of_results")),
                        tuple((label, str(count), f"{figures.share(count, results)}%")
                              for label, count in rows)))


def weeks(found: Insights) -> Figure:
    names = [say(f"desk_insights_week_{key}")
             for key in ("opened", "started", "results", "leads_sent")]
    labels = [say("desk_insights_week_label", week=week.monday.isocalendar()[1])
              for week in found.weeks]
    values = [[w.opened for w in found.weeks], [w.started for w in found.weeks],
              [w.results for w in found.weeks], [w.leads_sent for w in found.weeks]]
    series = [(Series(name, colour), column)
              for name, colour, column in zip(names, WEEK_COLOURS, values, strict=True)]
    heading = say("desk_insights_weeks")
    summary = _summary(heading, [
        (label, ", ".join(f"{name} {column[index]}" for name, column in zip(names, values,
                                                                             strict=True)))
        for index, label in enumerate(labels)])
    return Figure("weeks", heading, say("desk_insights_weeks_intro"),
                  layered_columns(labels, series, summary, "chart-weeks"),
                  Table((say("desk_insights_week"), *names, say("desk_insights_average")),
                        tuple((say("desk_insights_week_from", week=label,
                                   monday=w.monday.strftime("%d-%m-%Y")),
                               str(w.opened), str(w.started), str(w.results), str(w.leads_sent),
                               "-" if w.average_total is None else str(w.average_total))
                              for label, w in zip(labels, found.weeks, strict=True))))


def _summary(heading: str, rows: list[tuple[str, str]]) -> str:
    """The chart in words, for its <title>."""
    if not rows:
        return heading
    return f"{heading}: " + "; ".join(f"{label} {value}" for label, value in rows) + "."


def insights_view(found: Insights, content: ScanContent | None = None) -> list[Figure]:
    content = content or load_content()
    return [funnel(found, content), drop_off(found, content), answers(found, content),
            *(scores(found, grouping, content) for grouping in figures.GROUPINGS),
            advice(found, content), weeks(found)]

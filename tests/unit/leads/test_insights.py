"""The insights of a seeded set of conversations, against figures counted by hand.

Ten conversations go through the real store (SQLite and PostgreSQL); eight began in the
period, two fall just outside it by the advisor's clock (Europe/Amsterdam, UTC+1 in
November). The scores were worked out by hand from the weights in questions.yml:
partnerkeuze P1..P6 weigh 3,2,2,2,3,2 (42 points at most), gelijkwaardigheid G1..G7 weigh
3,3,2,2,3,2,2 (51 points); the total is out of 93, capped at 59 when a critical item is "nee".

  A all "ja, helemaal"                 100 / 100 / 100, no steps
  B all "een beetje"                   14/42=33, 17/51=33, 31/93=33; steps P1, P5, G1
  C all "grotendeels", G2 "nee"        28/42=67, 28/51=55, 56/93=60 capped to 59;
                                       steps G2 (9 points short), P1, P5 (3 each)
  D all "ja", P3 "weet ik niet", G7 "een beetje"
                                       36/42=86, 47/51=92, 83/93=89; steps P3, G7
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from conftest import CONSENT_AT, SAMPLE_SCAN

from mkbscan.leads import journeys
from mkbscan.leads.insights import GroupScore, Period, Step, Week, insights
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content

SCORED = [q.id for q in load_content().scored]
A = dict.fromkeys(SCORED, 3)
B = dict.fromkeys(SCORED, 1)
C = dict.fromkeys(SCORED, 2) | {"G2": 0}
D = dict.fromkeys(SCORED, 3) | {"P3": None, "G7": 1}
FULL = {"sector": "productie", "partner": "bestaand", "size": "klein (10-49)"}
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 15))
NOW = datetime(2026, 11, 16, 0, 0, tzinfo=timezone.utc)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


def finished(store: LeadStore, name: str, answers: dict, context: dict, when: datetime) -> None:
    journeys.record_opened(store, name, now=when)
    journeys.record_scan(store, name, answers, None, True, context,
                         now=when + timedelta(minutes=6))


def seed(store: LeadStore) -> None:
    journeys.record_opened(store, "j1", now=at(2, 10))  # only looked
    journeys.record_scan(store, "j2", {}, "C2", False, {"sector": "IT"}, now=at(3, 9))
    finished(store, "j3", A, FULL, at(3, 14))
    journeys.record_milestone(store, "j3", journeys.FOLLOWUP, now=at(3, 14, 8))
    journeys.record_milestone(store, "j3", journeys.CONSENT, now=at(3, 14, 9))
    lead = store.submit_lead("j3", LeadContact(name="Anne", email="anne@zon.nl"), "v1",
                             CONSENT_AT, SAMPLE_SCAN, "", now=at(3, 14, 12))
    store.claim_due(at(3, 14, 12), 60)
    store.mark_sent(lead.id, at(3, 14, 13))
    finished(store, "j4", B, {"sector": "IT", "partner": "nieuw", "size": "micro (2-9)"},
             at(6, 20))
    journeys.record_milestone(store, "j4", journeys.FOLLOWUP, now=at(6, 20, 7))
    finished(store, "j5", C, FULL | {"partner": "nieuw"}, at(9, 8))
    journeys.record_milestone(store, "j5", journeys.FOLLOWUP, now=at(9, 8, 7))
    journeys.record_milestone(store, "j5", journeys.CONSENT, now=at(9, 8, 8))
    finished(store, "j6", D, {"sector": "productie", "size": "eenmanszaak"}, at(12, 11))
    journeys.record_scan(store, "j7", {"P1": 2, "P2": None}, "P3", False,
                         {"sector": "anders", "partner": "geen", "size": "micro (2-9)"},
                         now=at(13, 15))
    journeys.record_opened(store, "j8", now=at(15, 22, 30))  # 23:30 in Amsterdam: the 15th
    journeys.record_scan(store, "j8", dict.fromkeys(SCORED[:4], 1), "P5", False, FULL,
                         now=at(15, 23, 55))  # five minutes ago: still going
    finished(store, "j9", A, FULL, at(1, 22, 30))  # 23:30 on 1 November in Amsterdam
    journeys.record_opened(store, "j10", now=at(15, 23, 30))  # 0:30 on the 16th in Amsterdam


def test_insights_of_a_seeded_set_match_the_hand_count(store: LeadStore) -> None:
    seed(store)
    found = insights(journeys.journeys(store, *PERIOD.bounds()), PERIOD, NOW)
    answered = {"P1": 6, "P2": 6, "P3": 5, "P4": 5} | dict.fromkeys(SCORED[4:], 4)
    assert found.funnel == (
        Step("opened", 8), Step("started", 7), Step("context_done", 6),
        *(Step("answered", answered[qid], qid) for qid in SCORED),
        Step("result", 4), Step("followup", 3), Step("consent", 2), Step("lead_sent", 1))
    assert found.drop_off == (("C2", 1), ("P3", 1))
    assert found.still_going == 1
    spreads = {spread.question_id: spread.counts for spread in found.spreads}
    # per option: ja helemaal, grotendeels, een beetje, nee nog niet, weet ik niet
    assert spreads["P1"] == (2, 2, 2, 0, 0)
    assert spreads["P2"] == (2, 1, 2, 0, 1)
    assert spreads["P3"] == (1, 1, 2, 0, 1)
    assert spreads["G2"] == (2, 0, 1, 1, 0)
    assert spreads["G7"] == (1, 1, 2, 0, 0)
    themes = ("partnerkeuze", "gelijkwaardigheid")

    def group(category: str, count: int, partner: int, equality: int, total: int) -> GroupScore:
        return GroupScore(category, count, tuple(zip(themes, (partner, equality), strict=True)),
                          total)

    # productie: (100+67+86)/3=84.3, (100+55+92)/3=82.3, (100+59+89)/3=82.7
    assert found.scores_by["sector"] == (group("productie", 3, 84, 82, 83),
                                         group("IT", 1, 33, 33, 33))
    # klein: (100+67)/2=83.5, (100+55)/2=77.5, (100+59)/2=79.5, each rounded half up
    assert found.scores_by["size"] == (group("eenmanszaak", 1, 86, 92, 89),
                                       group("micro (2-9)", 1, 33, 33, 33),
                                       group("klein (10-49)", 2, 84, 78, 80))
    assert found.scores_by["partner"] == (group("bestaand", 1, 100, 100, 100),
                                          group("nieuw", 2, 50, 44, 46),
                                          group("", 1, 86, 92, 89))
    assert found.advice == (("P1", 2), ("P5", 2), ("P3", 1), ("G1", 1), ("G2", 1), ("G7", 1))
    assert found.weeks == (Week(date(2026, 11, 2), 4, 3, 2, 1, 67),   # (100+33)/2=66.5
                           Week(date(2026, 11, 9), 4, 4, 2, 0, 74))   # (59+89)/2


def test_a_scan_quiet_for_less_than_an_hour_is_still_going(store: LeadStore) -> None:
    journeys.record_scan(store, "quiet", {"P1": 1}, "P2", False, now=NOW - timedelta(minutes=59))
    journeys.record_scan(store, "left", {"P1": 1}, "P2", False, now=NOW - timedelta(minutes=61))
    found = insights(journeys.journeys(store), PERIOD, NOW)
    assert (found.drop_off, found.still_going) == ((("P2", 1),), 1)


def test_an_empty_period_has_zero_counts_and_empty_weeks(store: LeadStore) -> None:
    found = insights([], Period(date(2026, 11, 4), date(2026, 11, 10)), NOW)
    assert [step.count for step in found.funnel] == [0] * len(found.funnel)
    assert found.drop_off == () and found.advice == ()
    assert found.scores_by == {"sector": (), "size": (), "partner": ()}
    # Wednesday to Tuesday touches two weeks
    assert found.weeks == (Week(date(2026, 11, 2), 0, 0, 0, 0, None),
                           Week(date(2026, 11, 9), 0, 0, 0, 0, None))

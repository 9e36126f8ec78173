"""Each conversation's way through the scan, for the advisor's insights (anonymous).

One row per conversation in `scan_progress`: when it began (its first message), the answer
levels, the open question, whether the result was reached, the context as categories (never
typed text) and when the entrepreneur accepted a follow-up, gave consent and had the lead
sent. The key is the conversation's hash: the conversation's erasure removes the row, and
after the retention period the key is replaced by a random one (LeadStore.erase_older_than),
so what stays can no longer be tied to anyone. The insights are computed from these rows by
mkbscan.leads.insights.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mkbscan.leads.schema import scan_progress
from mkbscan.leads.store import LeadStore, _guarded, conversation_key, utcnow

FOLLOWUP, CONSENT = "followup", "consent"
MILESTONE_COLUMNS = {FOLLOWUP: "followup_at", CONSENT: "consent_at"}


@dataclass(frozen=True)
class Journey:
    started_at: datetime
    updated_at: datetime
    answers: Mapping[str, int | None] = field(default_factory=dict)
    last_question_id: str | None = None
    finished: bool = False
    context: Mapping[str, str] = field(default_factory=dict)  # reads -> category
    followup_at: datetime | None = None
    consent_at: datetime | None = None
    lead_sent_at: datetime | None = None


def _level(value: Any) -> int | None:
    """A stored answer as a level; None is "weet ik niet" (older rows may hold a word)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _upsert(store: LeadStore, conversation_id: str, values: Mapping[str, Any],
            now: datetime, *, only_if_null: str | None = None) -> None:
    """Change the conversation's row, or make it (begun now) when there is none yet.

    With `only_if_null`, an existing row is changed only while that column is empty, so a
    moment is kept as the first time it happened. The change comes first: on every answer
    of a scan the row exists, and one statement does it."""
    key = conversation_key(conversation_id)
    condition = scan_progress.c.conversation_key == key
    fresh = {"conversation_key": key, "started_at": now, "updated_at": now, "answers": "{}",
             "finished": False, **values}
    for _ in range(2):
        try:
            with store.engine.begin() as conn:
                if values:
                    change = update(scan_progress).where(condition)
                    if only_if_null is not None:
                        change = change.where(scan_progress.c[only_if_null].is_(None))
                    if conn.execute(change.values(**values)).rowcount:
                        return
                if conn.execute(select(scan_progress.c.conversation_key)
                                .where(condition)).first() is None:
                    conn.execute(insert(scan_progress).values(**fresh))
            return
        except IntegrityError:
            continue  # made concurrently: the retry changes it


@_guarded
def record_opened(store: LeadStore, conversation_id: str, now: datetime | None = None) -> None:
    """The conversation's first message: its row, if it has none yet."""
    _upsert(store, conversation_id, {}, now or utcnow())


@_guarded
def record_scan(store: LeadStore, conversation_id: str, answers: Mapping[str, int | None],
                last_question_id: str | None, finished: bool,
                context: Mapping[str, str] | None = None, now: datetime | None = None) -> None:
    """The scan's state after a turn (replaces the previous one). `answers` maps question id
    to a level, None for "weet ik niet"; `context` holds categories, not typed text."""
    now = now or utcnow()
    values = {
        "updated_at": now,
        "answers": json.dumps({qid: _level(level) for qid, level in answers.items()}),
        "last_question_id": last_question_id[:64] if last_question_id else None,
        "finished": bool(finished),
        "context": json.dumps(dict(context or {}), sort_keys=True),
    }
    _upsert(store, conversation_id, values, now)


@_guarded
def record_milestone(store: LeadStore, conversation_id: str, milestone: str,
                     now: datetime | None = None) -> None:
    """A follow-up accepted or consent given: the first time counts."""
    now = now or utcnow()
    column = MILESTONE_COLUMNS[milestone]
    _upsert(store, conversation_id, {column: now}, now, only_if_null=column)


def _journey(row: Any) -> Journey:
    def loaded(raw: str | None) -> dict[str, Any]:
        try:
            value = json.loads(raw or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    return Journey(
        started_at=row.started_at, updated_at=row.updated_at,
        answers={qid: _level(level) for qid, level in loaded(row.answers).items()},
        last_question_id=row.last_question_id, finished=bool(row.finished),
        context={k: str(v) for k, v in loaded(row.context).items()},
        followup_at=row.followup_at, consent_at=row.consent_at, lead_sent_at=row.lead_sent_at)


@_guarded
def journeys(store: LeadStore, start: datetime | None = None,
             end: datetime | None = None) -> list[Journey]:
    """The conversations begun in [start, end), oldest first."""
    query = select(scan_progress).order_by(scan_progress.c.started_at)
    if start is not None:
        query = query.where(scan_progress.c.started_at >= start)
    if end is not None:
        query = query.where(scan_progress.c.started_at < end)
    with store.engine.connect() as conn:
        return [_journey(row) for row in conn.execute(query)]

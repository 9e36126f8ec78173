"""The delivery state that the three mail queues share (the lead outbox, the updates after a
lead, the report links): which rows are due, claiming them so that of two workers only one
sends, and recording the outcome. Each table has `id`, `status` (pending, sending, sent,
failed), `attempts`, `next_attempt_at`, `last_error`, `sent_at` and `claimed_until`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Integer, String, Table, and_, or_, select, update
from sqlalchemy.engine import Engine, Row


def delivery_columns(datetime_type: Any) -> list[Column]:
    """Fresh columns of the delivery state, for a queue's table definition."""
    return [
        Column("status", String(16), nullable=False, default="pending", index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", datetime_type),
        Column("last_error", String(200)),
        Column("sent_at", datetime_type),
        Column("claimed_until", datetime_type),
    ]


def due(table: Table, now: datetime) -> Any:
    waiting = and_(table.c.status.in_(("pending", "failed")),
                   or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now))
    # A worker that died mid-send leaves the row in "sending" until its lease expires.
    abandoned = and_(table.c.status == "sending", table.c.claimed_until <= now)
    return or_(waiting, abandoned)


def claim(engine: Engine, table: Table, now: datetime, lease_seconds: int,
          limit: int) -> Sequence[Row]:
    """Atomically claim due rows (status "sending" until now + lease); the claimed rows."""
    until = now + timedelta(seconds=lease_seconds)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            ids = conn.execute(select(table.c.id).where(due(table, now)).order_by(table.c.id)
                               .limit(limit).with_for_update(skip_locked=True)).scalars().all()
            if not ids:
                return []
            conn.execute(update(table).where(table.c.id.in_(ids))
                         .values(status="sending", claimed_until=until))
            return conn.execute(select(table).where(table.c.id.in_(ids))
                                .order_by(table.c.id)).all()
    # SQLite has no row locks: re-check the due condition in the UPDATE itself, so of two
    # workers that saw the same row only one gets rowcount 1.
    with engine.connect() as conn:
        candidates = conn.execute(select(table.c.id).where(due(table, now))
                                  .order_by(table.c.id).limit(limit)).scalars().all()
    claimed = []
    for row_id in candidates:
        with engine.begin() as conn:
            result = conn.execute(update(table).where(and_(table.c.id == row_id, due(table, now)))
                                  .values(status="sending", claimed_until=until))
            if result.rowcount == 1:
                claimed.append(conn.execute(select(table).where(table.c.id == row_id)).one())
    return claimed


def mark_sent(engine: Engine, table: Table, key: Any, now: datetime, **wipe: Any) -> bool:
    """`key`: a condition on the claimed row; `wipe`: columns to clear once it is sent."""
    with engine.begin() as conn:
        result = conn.execute(update(table).where(and_(key, table.c.status == "sending"))
                              .values(status="sent", sent_at=now, claimed_until=None,
                                      last_error=None, **wipe))
    return result.rowcount > 0


def mark_failed(engine: Engine, table: Table, key: Any, error_class: str, now: datetime,
                next_attempt_at: datetime) -> bool:
    """A failed attempt; `error_class` must not contain personal data."""
    with engine.begin() as conn:
        result = conn.execute(update(table).where(and_(key, table.c.status == "sending"))
                              .values(status="failed", attempts=table.c.attempts + 1,
                                      last_error=error_class[:200],
                                      next_attempt_at=max(next_attempt_at, now),
                                      claimed_until=None))
    return result.rowcount > 0

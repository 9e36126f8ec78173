"""The two-party scan's rows in the conversations' erasure and in retention (used by
LeadStore, which mkbscan.leads.invites builds on)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, update

from mkbscan.leads.schema import invite_attempts, partner_invites


def erase_parts(conn: Any, keys: list[str]) -> None:
    """The conversations' erasure (LeadStore._erase_progress): an inviter's invitation goes
    whole; a partner's answers go and the invitation says it was withdrawn."""
    conn.execute(delete(partner_invites).where(partner_invites.c.inviter_key.in_(keys)))
    conn.execute(update(partner_invites).where(partner_invites.c.partner_key.in_(keys)).values(
        partner_key=None, partner_scan=None, done_at=None, partner_shared_at=None,
        withdrawn_at=datetime.now(timezone.utc)))
    conn.execute(delete(invite_attempts).where(invite_attempts.c.conversation_key.in_(keys)))


def erase_older_than(conn: Any, cutoff: datetime) -> None:
    """Retention: invitations made before the cutoff (their codes expired long before),
    and counted attempts."""
    conn.execute(delete(partner_invites).where(partner_invites.c.created_at < cutoff))
    conn.execute(delete(invite_attempts).where(invite_attempts.c.at < cutoff))

"""The two-party scan's store (issue 17): the invitation, the code that opens it for the
partner, and both sides' answers for the comparison.

Only the code's SHA-256 is kept, and looking a code up is one read by that hash, whatever
the outcome, so a wrong, an expired and a used code cannot be told apart. Wrong codes are
counted per conversation and in all: past either limit within WINDOW, no code is looked up.
The inviter's erasure removes the invitation with both answer sets; the partner's erasure
removes the partner's part (the inviter then hears it was withdrawn).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from mkbscan.leads.schema import invite_attempts, partner_invites
from mkbscan.leads.store import LeadStore, _guarded, conversation_key, utcnow
from mkbscan.settings import settings

CONSENT_VERSION = "uitnodiging-v1"
WINDOW = timedelta(minutes=15)
WRONG_PER_CONVERSATION = 5
WRONG_IN_ALL = 100


class Redeemed(str, Enum):
    OPENED = "opened"  # the code is valid: this conversation is now the partner
    AGAIN = "again"  # this conversation used the code before
    OWN = "own"  # the inviter typed their own code
    NOTHING = "nothing"  # wrong, expired or used by someone else: one answer for all
    THROTTLED = "throttled"  # too many wrong codes: none looked up for now


@dataclass(frozen=True)
class Invite:
    public_id: str
    expires_at: datetime
    inviter_answers: Mapping[str, int | None]
    partner_kind: str  # the inviter's answer to "met wie wil je samenwerken?" (C2's value)
    used: bool
    partner_answers: Mapping[str, int | None] | None  # None until the partner finished
    withdrawn: bool
    inviter_shared: bool = False  # each side's consent to show its part to the advisor
    partner_shared: bool = False

    @property
    def done(self) -> bool:
        return self.partner_answers is not None


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8", "replace")).hexdigest()


def _invite(row: Any) -> Invite:
    inviter = json.loads(row.inviter_scan)
    partner = json.loads(row.partner_scan) if row.partner_scan is not None else None
    return Invite(public_id=row.public_id, expires_at=row.expires_at,
                  inviter_answers=dict(inviter.get("answers") or {}),
                  partner_kind=str(inviter.get("partner") or ""),
                  used=row.partner_key is not None or row.withdrawn_at is not None,
                  partner_answers=dict(partner.get("answers") or {}) if partner else None,
                  withdrawn=row.withdrawn_at is not None,
                  inviter_shared=row.inviter_shared_at is not None,
                  partner_shared=row.partner_shared_at is not None)


@_guarded
def create_invite(store: LeadStore, conversation_id: str, code: str,
                  answers: Mapping[str, int | None], partner_kind: str,
                  now: datetime | None = None) -> Invite:
    """A new invitation for the inviter's finished scan, valid for INVITE_DAYS. An earlier,
    unused one of the same conversation is replaced (its code stops working)."""
    now = now or utcnow()
    key = conversation_key(conversation_id)
    values = {"public_id": str(uuid.uuid4()), "code_hash": code_hash(code), "inviter_key": key,
              "created_at": now, "expires_at": now + timedelta(days=settings().invite_days),
              "consent_version": CONSENT_VERSION,
              "inviter_scan": json.dumps({"answers": dict(answers), "partner": partner_kind})}
    unused = (partner_invites.c.inviter_key == key, partner_invites.c.partner_key.is_(None),
              partner_invites.c.withdrawn_at.is_(None))
    with store.engine.begin() as conn:
        # The inviter's consent to share with the advisor stays with the new code.
        values["inviter_shared_at"] = conn.execute(select(
            func.max(partner_invites.c.inviter_shared_at)).where(*unused)).scalar_one()
        conn.execute(delete(partner_invites).where(*unused))
        conn.execute(insert(partner_invites).values(**values))
        row = conn.execute(select(partner_invites).where(
            partner_invites.c.public_id == values["public_id"])).one()
    return _invite(row)


def _throttled(conn: Any, key: str, now: datetime) -> bool:
    since = invite_attempts.c.at > now - WINDOW
    mine = conn.execute(select(func.count()).select_from(invite_attempts).where(
        since, invite_attempts.c.conversation_key == key)).scalar_one()
    everyone = conn.execute(select(func.count()).select_from(invite_attempts).where(
        since)).scalar_one()
    return mine >= WRONG_PER_CONVERSATION or everyone >= WRONG_IN_ALL


@_guarded
def redeem(store: LeadStore, conversation_id: str, code: str,
           now: datetime | None = None) -> tuple[Redeemed, Invite | None]:
    """Open the invitation behind `code` for this conversation, the partner's."""
    now = now or utcnow()
    key = conversation_key(conversation_id)
    with store.engine.begin() as conn:
        if _throttled(conn, key, now):
            return Redeemed.THROTTLED, None
        row = conn.execute(select(partner_invites).where(
            partner_invites.c.code_hash == code_hash(code))).first()
        if row is not None and row.inviter_key == key:
            return Redeemed.OWN, _invite(row)
        if row is not None and row.partner_key == key:
            return Redeemed.AGAIN, _invite(row)
        if row is None or row.expires_at <= now or row.partner_key is not None \
                or row.withdrawn_at is not None:
            conn.execute(insert(invite_attempts).values(conversation_key=key, at=now))
            return Redeemed.NOTHING, None
        taken = conn.execute(update(partner_invites).where(
            partner_invites.c.id == row.id, partner_invites.c.partner_key.is_(None)).values(
            partner_key=key, used_at=now)).rowcount
        if not taken:  # used a moment ago by someone else
            return Redeemed.NOTHING, None
        row = conn.execute(select(partner_invites).where(partner_invites.c.id == row.id)).one()
    return Redeemed.OPENED, _invite(row)


def invite_of(store: LeadStore, conversation_id: str) -> tuple[str, Invite] | None:
    """("inviter" or "partner", the invitation) of this conversation, the newest; or None."""
    return invite_by_key(store, conversation_key(conversation_id))


@_guarded
def invite_by_key(store: LeadStore, key: str) -> tuple[str, Invite] | None:
    """invite_of for a conversation known by its hash (a report knows no more)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(partner_invites).where(
            (partner_invites.c.inviter_key == key) | (partner_invites.c.partner_key == key))
            .order_by(partner_invites.c.created_at.desc())).first()
    if row is None:
        return None
    return ("inviter" if row.inviter_key == key else "partner"), _invite(row)


@_guarded
def save_answers(store: LeadStore, conversation_id: str, answers: Mapping[str, int | None],
                 now: datetime | None = None) -> None:
    """A finished (or corrected) scan's answers on whichever side this conversation is."""
    now = now or utcnow()
    key = conversation_key(conversation_id)
    with store.engine.begin() as conn:
        for row in conn.execute(select(partner_invites).where(
                partner_invites.c.inviter_key == key)).all():
            scan = json.loads(row.inviter_scan) | {"answers": dict(answers)}
            conn.execute(update(partner_invites).where(partner_invites.c.id == row.id)
                         .values(inviter_scan=json.dumps(scan)))
        conn.execute(update(partner_invites).where(partner_invites.c.partner_key == key).values(
            partner_scan=json.dumps({"answers": dict(answers)}), done_at=now))


@_guarded
def share_with_advisor(store: LeadStore, conversation_id: str,
                       now: datetime | None = None) -> None:
    """This side's consent, given with its lead, that the advisor sees its part with the
    other side's lead too: on every invitation this conversation made or used."""
    now = now or utcnow()
    key = conversation_key(conversation_id)
    with store.engine.begin() as conn:
        conn.execute(update(partner_invites).where(
            partner_invites.c.inviter_key == key).values(inviter_shared_at=now))
        conn.execute(update(partner_invites).where(
            partner_invites.c.partner_key == key).values(partner_shared_at=now))

"""The two-party scan's store (mkbscan/leads/invites.py) on SQLite and PostgreSQL: codes kept
as hashes, one answer for wrong, expired and used codes, guessing slowed down, answers of both
sides, erasure by either side and retention."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from mkbscan.leads import invites
from mkbscan.leads.invites import WRONG_PER_CONVERSATION, Redeemed, code_hash
from mkbscan.leads.schema import invite_attempts, partner_invites
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content
from mkbscan.settings import settings

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
SCORED = [q.id for q in load_content().scored]
ALL_THREE = dict.fromkeys(SCORED, 3)


def _rows(store: LeadStore) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(partner_invites)).all()


def test_the_code_is_kept_as_its_hash_and_opens_the_invitation_once(store: LeadStore) -> None:
    made = invites.create_invite(store, "inviter", "K7QD-M2XR", ALL_THREE, "nieuw", now=T0)
    assert made.expires_at == T0 + timedelta(days=settings().invite_days)
    [row] = _rows(store)
    assert row.code_hash == code_hash("K7QD-M2XR") and "K7QD" not in str(tuple(row))
    outcome, invite = invites.redeem(store, "partner", "k7qd-m2xr", now=T0)
    assert outcome is Redeemed.OPENED and invite is not None
    assert (invite.partner_kind, invite.inviter_answers, invite.used) == ("nieuw", ALL_THREE, True)
    assert invites.redeem(store, "partner", "K7QD-M2XR", now=T0)[0] is Redeemed.AGAIN
    assert invites.redeem(store, "inviter", "K7QD-M2XR", now=T0)[0] is Redeemed.OWN
    assert invites.redeem(store, "someone", "K7QD-M2XR", now=T0) == (Redeemed.NOTHING, None)


def test_wrong_expired_and_used_codes_get_the_same_answer(store: LeadStore) -> None:
    invites.create_invite(store, "a", "AAA2-BBB3", ALL_THREE, "nieuw", now=T0)
    invites.create_invite(store, "b", "CCC4-DDD5", ALL_THREE, "nieuw", now=T0)
    invites.redeem(store, "b-partner", "CCC4-DDD5", now=T0)
    late = T0 + timedelta(days=settings().invite_days, seconds=1)
    answers = [invites.redeem(store, "x", "EEE6-FFF7", now=T0),  # wrong
               invites.redeem(store, "y", "AAA2-BBB3", now=late),  # expired
               invites.redeem(store, "z", "CCC4-DDD5", now=T0)]  # used
    assert answers == [(Redeemed.NOTHING, None)] * 3


def test_guessing_is_slowed_per_conversation_for_a_quarter_of_an_hour(store: LeadStore) -> None:
    invites.create_invite(store, "a", "AAA2-BBB3", ALL_THREE, "nieuw", now=T0)
    for n in range(WRONG_PER_CONVERSATION):
        assert invites.redeem(store, "guesser", f"ZZZ{n + 2}-YYY2", now=T0)[0] \
            is Redeemed.NOTHING
    assert invites.redeem(store, "guesser", "AAA2-BBB3", now=T0) == (Redeemed.THROTTLED, None)
    assert invites.redeem(store, "guesser", "AAA2-BBB3", now=T0 + invites.WINDOW)[0] \
        is Redeemed.OPENED  # the window passed
    assert invites.redeem(store, "other", "ZZZ9-YYY9", now=T0)[0] is Redeemed.NOTHING


def test_both_sides_answers_and_a_new_invitation_replaces_an_unused_one(
        store: LeadStore) -> None:
    invites.create_invite(store, "inviter", "AAA2-BBB3", ALL_THREE, "bestaand", now=T0)
    invites.create_invite(store, "inviter", "CCC4-DDD5", ALL_THREE, "bestaand", now=T0)
    assert len(_rows(store)) == 1  # the first code no longer works
    assert invites.redeem(store, "p", "AAA2-BBB3", now=T0)[0] is Redeemed.NOTHING
    assert invites.redeem(store, "partner", "CCC4-DDD5", now=T0)[0] is Redeemed.OPENED
    partner_answers = dict.fromkeys(SCORED, 1) | {"P5": None}
    invites.save_answers(store, "partner", partner_answers, now=T0)
    invites.save_answers(store, "inviter", dict.fromkeys(SCORED, 2), now=T0)  # a correction
    role, invite = invites.invite_of(store, "inviter") or ("", None)
    assert role == "inviter" and invite is not None and invite.done
    assert invite.partner_answers == partner_answers
    assert invite.inviter_answers == dict.fromkeys(SCORED, 2)
    assert (invites.invite_of(store, "partner") or ("",))[0] == "partner"
    assert invites.invite_of(store, "nobody") is None


def test_erasure_by_either_side_and_retention(store: LeadStore) -> None:
    invites.create_invite(store, "inviter", "AAA2-BBB3", ALL_THREE, "nieuw", now=T0)
    invites.redeem(store, "partner", "AAA2-BBB3", now=T0)
    invites.save_answers(store, "partner", ALL_THREE, now=T0)
    invites.redeem(store, "partner", "WRNG-2222", now=T0)  # a wrong code, counted
    store.erase_by_conversation("partner")
    _, invite = invites.invite_of(store, "inviter") or ("", None)
    assert invite is not None and invite.withdrawn and invite.partner_answers is None
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(invite_attempts)).scalar() == 0
    assert invites.redeem(store, "someone", "AAA2-BBB3", now=T0)[0] is Redeemed.NOTHING
    store.erase_by_conversation("inviter")
    assert _rows(store) == []
    invites.create_invite(store, "old", "CCC4-DDD5", ALL_THREE, "nieuw", now=T0)
    invites.create_invite(store, "new", "EEE6-FFF7", ALL_THREE, "nieuw",
                          now=T0 + timedelta(days=10))
    store.erase_older_than(T0 + timedelta(days=5))
    assert [row.inviter_key for row in _rows(store)] == [
        invites.conversation_key("new")]

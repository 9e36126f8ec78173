"""The two-party scan's moves: call mkbscan.leads.invite_flow, and the store's invitations
(mkbscan.leads.invites) off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from actions import statistics
from actions.glue import Conversation
from mkbscan.dialogue.states import Awaiting
from mkbscan.leads import invite_flow, invites
from mkbscan.leads.invite_flow import InviteTurn
from mkbscan.leads.invites import Invite, Redeemed
from mkbscan.leads.store import StoreUnavailable, utcnow
from mkbscan.messages import BotMessage
from mkbscan.runtime import lead_store
from mkbscan.scan import scan_flow
from mkbscan.scan.invite_code import find_code, new_code
from mkbscan.scan.partner_text import invite_made
from mkbscan.wording import say


def _take(chat: Conversation, turn: InviteTurn) -> None:
    chat.show(turn.messages)
    chat.awaiting = Awaiting.of(turn.awaiting)


async def _with_invitation(chat: Conversation, store_down: str,
                           then: Callable[[tuple[str, Invite] | None], None]) -> None:
    """The conversation's invitation (or None) to `then`; the store down: say so."""
    try:
        found = await asyncio.to_thread(invites.invite_of, lead_store(), chat.sender)
    except StoreUnavailable:
        chat.show([BotMessage(say(store_down))])
        return
    then(found)


async def ask(chat: Conversation) -> None:
    await _with_invitation(chat, "invite_store_down", lambda found: _take(
        chat, invite_flow.offer(chat.scan, found, utcnow())))


async def consent_given(chat: Conversation) -> None:
    scan = chat.scan
    if scan.status != scan_flow.FINISHED:  # the scan was restarted in between
        _take(chat, invite_flow.offer(scan, None, utcnow()))
        return
    code = new_code()
    try:
        invite = await asyncio.to_thread(invites.create_invite, lead_store(), chat.sender, code,
                                         dict(scan.answers), invite_flow.partner_kind(scan))
    except StoreUnavailable:
        _take(chat, InviteTurn([BotMessage(say("invite_store_down"))]))
        return
    scan.invite_code = code
    _take(chat, InviteTurn(invite_made(code, invite.expires_at)))


async def refused(chat: Conversation) -> None:
    _take(chat, invite_flow.consent_refused())


async def unclear(chat: Conversation) -> None:
    _take(chat, invite_flow.consent_unclear())


async def code(chat: Conversation) -> None:
    """A partner's code typed (or "ik heb een code"): open their scan, or say why not. Only
    the questions beforehand answered (say the code came after "hallo, start maar"), the
    code's scan takes their place."""
    typed = find_code(chat.heard.text)
    if typed is None:
        _take(chat, InviteTurn([BotMessage(say("code_ask"))]))
        return
    if typed == chat.scan.invite_code:
        _take(chat, InviteTurn(invite_flow.code_outcome(Redeemed.OWN)))
        return
    if chat.scan.partner_scan:
        chat.show(invite_flow.code_outcome(Redeemed.AGAIN))
        chat.take(scan_flow.start(chat.scan))
        return
    if chat.scan.answers or chat.scan.status == scan_flow.FINISHED:
        # A scan of its own is under way here: a code would replace it. Nothing looked up.
        _take(chat, InviteTurn([BotMessage(say("code_busy"))]))
        return
    try:
        outcome, invite = await asyncio.to_thread(invites.redeem, lead_store(), chat.sender,
                                                  typed)
    except StoreUnavailable:
        _take(chat, InviteTurn([BotMessage(say("code_store_down"))]))
        return
    if outcome is not Redeemed.OPENED or invite is None:
        _take(chat, InviteTurn(invite_flow.code_outcome(outcome)))
        return
    turn = scan_flow.start(invite_flow.partner_state(invite))
    await statistics.scan(chat.sender, turn.state)
    chat.show(invite_flow.welcome(invite))
    chat.take(turn)


async def partner_result(chat: Conversation) -> None:
    await _with_invitation(chat, "partner_result_store_down", lambda found: chat.show(
        invite_flow.partner_result(chat.scan, found)))

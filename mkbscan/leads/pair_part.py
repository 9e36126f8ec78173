"""The two-party scan beside a lead (issue 17): the other side's answers and the comparison,
for the advisor's e-mail and the desk.

Read from the invitation when the lead is mailed or shown, never copied into the lead: the
other side's part is there only while that side's consent stands (given with its own lead)
and its answers are not erased.
"""

from __future__ import annotations

from dataclasses import replace

from mkbscan.leads.invite_flow import INVITER, comparison_of
from mkbscan.leads.invites import Invite, invite_of
from mkbscan.leads.models import LeadRecord, PairPart
from mkbscan.leads.store import LeadStore


def pair_part(found: tuple[str, Invite] | None) -> PairPart | None:
    """The lead's side of the invitation, with the other side's part when it was shared."""
    if found is None:
        return None
    role, invite = found
    inviter = role == INVITER
    shared = invite.partner_shared if inviter else invite.inviter_shared
    comparison = comparison_of(role, invite) if shared else None
    if comparison is None:
        return PairPart(role)
    own, other = (invite.inviter_answers, invite.partner_answers) if inviter else \
        (invite.partner_answers, invite.inviter_answers)
    return PairPart(role, own, other, comparison)


def with_pair(store: LeadStore, lead: LeadRecord) -> LeadRecord:
    return replace(lead, pair=pair_part(invite_of(store, lead.conversation_id)))

"""The two-party scan beside a lead and a report (issue 17): for the advisor's e-mail and
the desk, the other side's answers and the comparison; for the personal report, the
comparison both partners see.

Read from the invitation when the lead is mailed or a page is shown, never copied: the
other side's part is there only while that side's consent stands (given with its own lead)
and its answers are not erased.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mkbscan.leads.invite_flow import INVITER, comparison_of
from mkbscan.leads.invites import Invite, invite_by_key, invite_of
from mkbscan.leads.models import LeadRecord, PairPart
from mkbscan.leads.reports import find_report_row
from mkbscan.leads.store import LeadStore
from mkbscan.scan.comparison import Comparison


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


def report_with_comparison(store: LeadStore, token: str
                           ) -> tuple[dict[str, Any], Comparison | None] | None:
    """A report's scan data and, once both scans are done, the comparison from its owner's
    side (what both partners see in the chat); None for an unknown or expired token."""
    found = find_report_row(store, token)
    if found is None:
        return None
    invitation = invite_by_key(store, found.conversation_key)
    return found.scan, comparison_of(*invitation) if invitation else None

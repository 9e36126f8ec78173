"""A lead on the desk over HTTP, in a two-party scan: the partner's part and the comparison
beside the lead only with the partner's consent, and gone again after the partner's erasure
(read live from the invitation, never copied into the lead)."""

from __future__ import annotations

import html
from datetime import datetime, timezone

from mkbscan.leads import invites
from mkbscan.leads.models import LeadContact
from mkbscan.scan.questions import load_content
from mkbscan.scan.snapshot import ScanSnapshot
from tests.unit.advisor.desk_client import Desk

CONTENT = load_content()
SCORED = [q.id for q in CONTENT.scored]
NOW = datetime.now(timezone.utc)


def test_the_partner_s_part_shows_only_while_the_partner_s_consent_stands(
        logged_in_desk: Desk) -> None:
    store = logged_in_desk.store
    invites.create_invite(store, "inviter", "K7QD-M2XR", dict.fromkeys(SCORED, 3), "nieuw")
    invites.redeem(store, "partner", "K7QD-M2XR")
    invites.save_answers(store, "partner", dict.fromkeys(SCORED, 3) | {"P4": 0})
    lead = store.submit_lead("inviter", LeadContact(name="Anne de Vries", email="anne@zon.nl"),
                             "v3", NOW, ScanSnapshot(), "Jij: hallo")
    path = f"advisor/leads/{lead.public_id}"

    body = html.unescape(logged_in_desk.page(path))
    assert "Samen met de partner" in body and "gaf geen toestemming" in body
    assert "groot verschil" not in body

    invites.share_with_advisor(store, "partner")
    body = html.unescape(logged_in_desk.page(path))
    topic = CONTENT.scored_by_id("P4").topic
    assert f"4. {topic}" in body
    assert "groot verschil (ondernemer: Ja, helemaal; partner: Nee, nog niet)" in body
    assert "ondernemer 100, partner" in body

    store.erase_by_conversation("partner")
    body = html.unescape(logged_in_desk.page(path))
    assert "groot verschil" not in body and "gaf geen toestemming" in body

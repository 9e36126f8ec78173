"""The two-party scan beside a lead (mkbscan/leads/pair_part.py), on SQLite and PostgreSQL:
each side's part reaches the advisor only with that side's own consent, and an erasure takes
it out again; the e-mail over a real SMTP server.

Hand count (the same pair as tests/conversation/test_partner_scan.py):
  inviter: all 13 at level 3                       -> 100 / 100 / 100
  partner: 3,2,1,0,?,3 | 3,3,2,3,3,1,3             -> 50 / 88 / 59 (capped: P5 unknown)
  buckets: groot verschil P3, P4, G6; gesprekspunt P2, G3; samen uitzoeken P5; the rest eens
  agenda:  P4, P3, G6
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

from conftest import SmtpServer, SubmitLead
from sqlalchemy import create_engine, select, text

from mkbscan.leads import invites
from mkbscan.leads.delivery import DEFAULT_FROM, MailConfig, SmtpSender, deliver_due
from mkbscan.leads.pair_part import pair_part, with_pair
from mkbscan.leads.schema import partner_invites
from mkbscan.leads.store import LeadStore, conversation_key
from mkbscan.scan.comparison import AGREE, DIFFER, DISCUSS, UNKNOWN
from mkbscan.scan.questions import load_content

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
CONTENT = load_content()
SCORED = [q.id for q in CONTENT.scored]
INVITER = dict.fromkeys(SCORED, 3)
PARTNER = dict(zip(SCORED, [3, 2, 1, 0, None, 3, 3, 3, 2, 3, 3, 1, 3], strict=True))


def paired(store: LeadStore) -> None:
    invites.create_invite(store, "inviter", "K7QD-M2XR", INVITER, "nieuw", now=T0)
    invites.redeem(store, "partner", "K7QD-M2XR", now=T0)
    invites.save_answers(store, "partner", PARTNER, now=T0)


def part_of(store: LeadStore, conversation_id: str):
    return pair_part(invites.invite_of(store, conversation_id))


def test_each_side_s_part_is_shared_only_with_its_own_consent(store: LeadStore) -> None:
    assert part_of(store, "someone") is None  # no invitation: no section at all
    paired(store)
    for side in ("inviter", "partner"):
        part = part_of(store, side)
        assert part is not None and part.role == side and not part.shared
        assert part.other_answers is None and part.own_answers is None

    invites.share_with_advisor(store, "partner", T0)  # the partner's lead, with consent
    inviter_side = part_of(store, "inviter")
    assert inviter_side is not None and inviter_side.shared
    assert inviter_side.other_answers == PARTNER and inviter_side.own_answers == INVITER
    comparison = inviter_side.comparison
    assert comparison is not None
    buckets = {bucket: comparison.in_bucket(bucket) for bucket in (DIFFER, DISCUSS, UNKNOWN)}
    assert buckets == {DIFFER: ("P3", "P4", "G6"), DISCUSS: ("P2", "G3"), UNKNOWN: ("P5",)}
    assert len(comparison.in_bucket(AGREE)) == 7
    assert comparison.agenda == ("P4", "P3", "G6")
    assert comparison.totals == (100, 59)
    # The partner's own lead does not get the inviter's part: the inviter did not consent.
    assert not part_of(store, "partner").shared

    invites.share_with_advisor(store, "inviter", T0)
    partner_side = part_of(store, "partner")
    assert partner_side.shared and partner_side.other_answers == INVITER
    assert partner_side.comparison.totals == (59, 100)

    store.erase_by_conversation("partner")  # the partner's erasure takes its part back out
    assert not part_of(store, "inviter").shared


def test_the_inviter_s_consent_stays_with_a_new_code(store: LeadStore) -> None:
    invites.create_invite(store, "inviter", "AAA2-BBB3", INVITER, "nieuw", now=T0)
    invites.share_with_advisor(store, "inviter", T0)
    invites.create_invite(store, "inviter", "CCC4-DDD5", INVITER, "nieuw", now=T0)
    with store.engine.connect() as conn:
        [shared_at] = conn.execute(select(partner_invites.c.inviter_shared_at)).scalars().all()
    assert shared_at == T0


def _mailed(store: LeadStore, smtp_server: SmtpServer, tmp_path: Path) -> str:
    config = MailConfig(smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                        mail_from=DEFAULT_FROM, advisor_email="marco@circularclarity.org",
                        outbox_dir=tmp_path / "outbox")
    sent_before = len(smtp_server.messages)
    assert deliver_due(store, SmtpSender(config), now=T0, config=config).sent == 1
    envelope = smtp_server.messages[sent_before]
    message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_lead_email_holds_both_parts_only_when_both_consented(
        store: LeadStore, submit: SubmitLead, smtp_server: SmtpServer, tmp_path: Path) -> None:
    paired(store)
    submit("partner", now=T0)  # the partner asks first: the inviter has not consented
    plain = _mailed(store, smtp_server, tmp_path)
    assert "Samen met de partner" in plain and "daar is geen toestemming voor" in plain
    assert "groot verschil" not in plain and "ondernemer 59" not in plain
    invites.share_with_advisor(store, "partner", T0)

    submit("inviter", now=T0)
    invites.share_with_advisor(store, "inviter", T0)
    plain = _mailed(store, smtp_server, tmp_path)
    topic = {qid: CONTENT.scored_by_id(qid).topic for qid in SCORED}
    assert "Partnerkeuze: ondernemer 100, partner 50" in plain
    assert "Gelijkwaardigheid: ondernemer 100, partner 88" in plain
    assert "Totaalscore: ondernemer 100, partner 59" in plain
    assert f"4. {topic['P4']}: groot verschil (ondernemer: Ja, helemaal; " \
           "partner: Nee, nog niet)" in plain
    assert f"2. {topic['P2']}: gesprekspunt (ondernemer: Ja, helemaal; partner: Grotendeels)" \
        in plain
    assert f"5. {topic['P5']}: samen uitzoeken (ondernemer: Ja, helemaal; " \
           "partner: Weet ik niet)" in plain
    assert f"1. {topic['P1']}: eens (ondernemer: Ja, helemaal; partner: Ja, helemaal)" in plain
    assert f"Voorgestelde agenda: 1. {topic['P4']}; 2. {topic['P3']}; 3. {topic['G6']}" \
        in plain

    # The desk reads the same part live: after the partner's erasure it is gone there too.
    lead = next(lead for lead in store.list_leads() if lead.conversation_id == "inviter")
    assert with_pair(store, lead).pair.shared
    store.erase_by_conversation("partner")
    assert not with_pair(store, lead).pair.shared


def test_an_invitation_from_before_the_consent_columns_is_upgraded_in_place(
        store_url: str) -> None:
    if store_url.startswith("sqlite:///"):
        Path(store_url.removeprefix("sqlite:///")).parent.mkdir(parents=True)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # partner_invites as session 10 made it
        conn.execute(text(
            "CREATE TABLE partner_invites (id INTEGER PRIMARY KEY, public_id VARCHAR(36) NOT NULL,"
            " code_hash VARCHAR(64) NOT NULL, inviter_key VARCHAR(64) NOT NULL,"
            " created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL,"
            " consent_version VARCHAR(50) NOT NULL, inviter_scan TEXT NOT NULL,"
            " partner_key VARCHAR(64), used_at TIMESTAMP, partner_scan TEXT,"
            " done_at TIMESTAMP, withdrawn_at TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO partner_invites VALUES (1, 'p1', :code, :inviter, '2026-11-02 09:00:00',"
            " '2026-12-02 09:00:00', 'uitnodiging-v1', :scan, :partner, '2026-11-02 09:00:00',"
            " :partner_scan, '2026-11-02 09:00:00', NULL)"),
            {"code": invites.code_hash("K7QD-M2XR"), "inviter": conversation_key("inviter"),
             "partner": conversation_key("partner"),
             "scan": json.dumps({"answers": INVITER, "partner": "nieuw"}),
             "partner_scan": json.dumps({"answers": PARTNER})})
    engine.dispose()
    store = LeadStore(store_url)
    try:
        assert not part_of(store, "inviter").shared  # nobody consented yet
        invites.share_with_advisor(store, "partner", T0)
        assert part_of(store, "inviter").comparison.agenda == ("P4", "P3", "G6")
    finally:
        store.dispose()

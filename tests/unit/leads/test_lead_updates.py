"""An answer changed after the lead was sent: one update e-mail, exactly once, erasable."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from conftest import SAMPLE_SCAN, SmtpServer, SubmitLead
from test_leads_delivery import ADVISOR, T0

from mkbscan.leads.delivery import MailConfig, SmtpSender, deliver_due
from mkbscan.leads.store import LeadStore

CHANGE = {"id": "P2", "number": 2, "question": "Weet je wat core is?", "old": "Grotendeels",
          "new": "Een beetje"}


def test_an_update_is_queued_once_per_key(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    first = store.submit_update(lead.public_id, CHANGE, SAMPLE_SCAN, "k-1", now=T0)
    again = store.submit_update(lead.public_id, CHANGE, SAMPLE_SCAN, "k-1", now=T0)
    assert first is not None and first == again
    assert store.submit_update("no-such-lead", CHANGE, SAMPLE_SCAN, "k-2") is None
    claimed = store.claim_due_updates(T0)
    assert [u.change["new"] for u in claimed] == ["Een beetje"]
    assert store.claim_due_updates(T0) == [], "a claimed update is not claimed twice"


def test_the_update_reaches_the_advisor_in_the_lead_thread_exactly_once(
        store: LeadStore, submit: SubmitLead, smtp_server: SmtpServer, tmp_path: Path) -> None:
    lead = submit("conv-1", now=T0)
    config = MailConfig(smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                        mail_from="Scan <scan@circularclarity.org>", advisor_email=ADVISOR,
                        outbox_dir=tmp_path / "outbox")
    deliver_due(store, SmtpSender(config), now=T0, config=config)
    store.submit_update(lead.public_id, CHANGE, SAMPLE_SCAN, "k-1", now=T0)
    report = deliver_due(store, SmtpSender(config), now=T0, config=config)
    assert report.sent == 1
    later = T0 + timedelta(hours=1)
    assert deliver_due(store, SmtpSender(config), now=later, config=config).sent == 0
    assert len(smtp_server.messages) == 2
    update = BytesParser(policy=policy.default).parsebytes(
        smtp_server.messages[1].original_content)
    assert update["In-Reply-To"] == lead.message_id
    assert update["Subject"] == "Aangepast antwoord: Bakkerij Zon"
    body = update.get_body(("plain",)).get_content()
    assert "Vraag 2: Weet je wat core is?" in body and "Nu: Een beetje" in body
    assert "Totaalscore: 59/100" in body


def test_erasing_a_lead_erases_its_updates(store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    store.submit_update(lead.public_id, CHANGE, SAMPLE_SCAN, "k-1", now=T0)
    assert store.erase_by_conversation("conv-1") == 1
    assert store.claim_due_updates(T0) == []

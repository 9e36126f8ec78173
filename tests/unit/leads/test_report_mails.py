"""The report's link mailed to the entrepreneur: queued once per consent, sent exactly once
over real SMTP, the address wiped after sending, erased with the conversation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

from conftest import SmtpServer
from sqlalchemy import select

from mkbscan.leads.delivery import MailConfig, SmtpSender, deliver_due
from mkbscan.leads.reports import claim_due_report_mails, queue_report_mail
from mkbscan.leads.schema import report_mails
from mkbscan.leads.store import LeadStore

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
URL = "https://scan.example.nl/rapport/" + "r" * 43


def rows(store: LeadStore) -> list:
    with store.engine.connect() as conn:
        return list(conn.execute(select(report_mails)).all())


def config(server: SmtpServer, tmp_path: Path) -> MailConfig:
    return MailConfig(smtp_host=server.host, smtp_port=server.port,
                      outbox_dir=tmp_path / "outbox", retry_start_seconds=1)


def test_one_consent_queues_one_mail(store: LeadStore) -> None:
    assert queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", T0, now=T0)
    assert not queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", T0, now=T0)
    later = T0 + timedelta(minutes=5)
    assert queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", later, now=later)
    assert len(rows(store)) == 2
    assert "conv-1" not in str([tuple(r) for r in rows(store)])  # only its hash


def test_sent_exactly_once_over_smtp_and_the_address_wiped(
        store: LeadStore, smtp_server: SmtpServer, tmp_path: Path) -> None:
    queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", T0, now=T0)
    cfg = config(smtp_server, tmp_path)
    report = deliver_due(store, SmtpSender(cfg), T0, config=cfg)
    assert report.sent == 1 and len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["an@zon.nl"]
    message = BytesParser(policy=policy.default).parsebytes(envelope.content)
    body = message.get_content()
    assert URL in body and "gewist" in body and message["To"] == "an@zon.nl"
    (row,) = rows(store)
    assert (row.status, row.email, row.report_url) == ("sent", None, None)
    assert row.consent_version == "report-mail-v1" and row.consent_given_at == T0
    assert deliver_due(store, SmtpSender(cfg), T0 + timedelta(hours=1), config=cfg).sent == 0
    assert len(smtp_server.messages) == 1


def test_smtp_down_is_retried_and_then_sent_once(
        store: LeadStore, stopped_smtp_server: SmtpServer, tmp_path: Path) -> None:
    queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", T0, now=T0)
    cfg = config(stopped_smtp_server, tmp_path)
    assert deliver_due(store, SmtpSender(cfg), T0, config=cfg).failed == 1
    (row,) = rows(store)
    assert row.status == "failed" and row.email == "an@zon.nl"  # kept until it is sent
    stopped_smtp_server.start()
    assert deliver_due(store, SmtpSender(cfg), T0 + timedelta(seconds=2), config=cfg).sent == 1
    assert len(stopped_smtp_server.messages) == 1


def test_erasure_and_retention_remove_the_mail(store: LeadStore) -> None:
    queue_report_mail(store, "conv-1", "an@zon.nl", URL, "report-mail-v1", T0, now=T0)
    queue_report_mail(store, "conv-2", "bo@zon.nl", URL, "report-mail-v1", T0, now=T0)
    store.erase_by_conversation("conv-1")
    assert [r.email for r in rows(store)] == ["bo@zon.nl"]
    store.erase_older_than(T0 + timedelta(seconds=1))
    assert rows(store) == [] and claim_due_report_mails(store, T0) == []

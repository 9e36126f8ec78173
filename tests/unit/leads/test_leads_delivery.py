from __future__ import annotations

import logging
import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import SmtpServer, SubmitLead

from mkbscan.leads.delivery import (
    DEFAULT_FROM,
    DeliveryWorker,
    FileSender,
    MailConfig,
    SmtpSender,
    backoff_seconds,
    deliver_due,
    make_sender,
)
from mkbscan.leads.email_message import build_lead_email
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content

T0 = datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc)
ADVISOR = "marco@circularclarity.org"


def _smtp_config(port: int, tmp_path: Path) -> MailConfig:
    return MailConfig(
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_from=DEFAULT_FROM,
        advisor_email=ADVISOR,
        outbox_dir=tmp_path / "outbox",
    )


def test_config_defaults() -> None:
    config = MailConfig.from_env({})
    assert config.smtp_host is None
    assert config.smtp_port == 25
    assert config.smtp_starttls is False
    assert config.mail_from == DEFAULT_FROM == "Samenwerkingsscan <scan@circularclarity.org>"
    assert config.advisor_email == "marco@circularclarity.org"
    assert MailConfig.from_env({"ADVISOR_EMAIL": "adviseur@example.org"}).advisor_email == \
        "adviseur@example.org"
    assert config.outbox_dir == Path("var/outbox")
    assert isinstance(make_sender(config), FileSender)


def test_config_from_env() -> None:
    env = {
        "SMTP_HOST": "smtp.example.nl",
        "SMTP_USERNAME": "scan",
        "SMTP_PASSWORD": "geheim",
        "SMTP_STARTTLS": "true",
        "SMTP_FROM": "Scan <scan@example.nl>",
        "ADVISOR_EMAIL": "advies@example.nl",
        "MAIL_OUTBOX_DIR": "/tmp/uit",
    }
    config = MailConfig.from_env(env)
    assert config.smtp_port == 587
    assert (config.smtp_host, config.smtp_username, config.smtp_password) == (
        "smtp.example.nl",
        "scan",
        "geheim",
    )
    assert config.smtp_starttls is True
    assert config.mail_from == "Scan <scan@example.nl>"
    assert config.advisor_email == "advies@example.nl"
    assert config.outbox_dir == Path("/tmp/uit")
    assert "geheim" not in repr(config)
    assert isinstance(make_sender(config), SmtpSender)
    assert MailConfig.from_env({**env, "SMTP_PORT": "2525"}).smtp_port == 2525
    assert MailConfig.from_env({**env, "SMTP_STARTTLS": "false"}).smtp_port == 25


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert backoff_seconds(500) == 3600


def test_full_smtp_delivery(
    store: LeadStore, submit: SubmitLead, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    lead = submit("conv-1", now=T0)
    config = _smtp_config(smtp_server.port, tmp_path)
    report = deliver_due(store, SmtpSender(config), now=T0, config=config)
    assert (report.claimed, report.sent, report.failed) == (1, 1, 0)
    assert report.sent_lead_ids == [lead.id]
    messages = smtp_server.messages
    assert len(messages) == 1
    envelope = messages[0]
    assert envelope.mail_from == "scan@circularclarity.org"
    assert envelope.rcpt_tos == [ADVISOR]
    parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
    assert parsed["Message-ID"] == lead.message_id
    assert parsed["Subject"] == "Nieuwe lead: Bakkerij Zon – totaalscore 59/100"
    assert parsed["Reply-To"] == "Anne de Vries <anne@zon.nl>"
    item = store.get_outbox(lead.id)
    assert item is not None and item.status == "sent" and item.sent_at is not None
    # Nothing is due any more.
    assert (
        deliver_due(store, SmtpSender(config), now=T0 + timedelta(hours=2), config=config).claimed
        == 0
    )
    assert len(smtp_server.messages) == 1


def test_smtp_down_then_up_delivers_exactly_once(
    store: LeadStore,
    submit: SubmitLead,
    stopped_smtp_server: SmtpServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    lead = submit("conv-1", now=T0)
    config = _smtp_config(stopped_smtp_server.port, tmp_path)
    sender = SmtpSender(config)

    with caplog.at_level(logging.INFO, logger="mkbscan.leads.delivery"):
        report = deliver_due(store, sender, now=T0, config=config)
    assert (report.sent, report.failed) == (0, 1)
    item = store.get_outbox(lead.id)
    assert item is not None
    assert (item.status, item.attempts) == ("failed", 1)
    assert item.last_error == "ConnectionRefusedError"
    assert item.next_attempt_at == T0 + timedelta(seconds=30)
    assert store.get_lead(lead.public_id) is not None  # the lead is kept
    assert "anne" not in caplog.text.lower() and "Bakkerij" not in caplog.text
    assert f"lead {lead.id} not delivered (ConnectionRefusedError)" in caplog.text

    # Second failure: backoff doubles.
    assert deliver_due(store, sender, now=T0 + timedelta(seconds=10), config=config).claimed == 0
    report = deliver_due(store, sender, now=T0 + timedelta(seconds=30), config=config)
    assert report.failed == 1
    item = store.get_outbox(lead.id)
    assert item is not None and item.attempts == 2
    assert item.next_attempt_at == T0 + timedelta(seconds=90)

    stopped_smtp_server.start()
    assert deliver_due(store, sender, now=T0 + timedelta(seconds=60), config=config).claimed == 0
    report = deliver_due(store, sender, now=T0 + timedelta(seconds=90), config=config)
    assert (report.sent, report.failed) == (1, 0)
    for minutes in (5, 60, 600):
        later = T0 + timedelta(minutes=minutes)
        assert deliver_due(store, sender, now=later, config=config).claimed == 0
    assert len(stopped_smtp_server.messages) == 1
    item = store.get_outbox(lead.id)
    assert item is not None and item.status == "sent"


def test_two_concurrent_rounds_deliver_once(
    store_url: str,
    store: LeadStore,
    submit: SubmitLead,
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    for n in range(6):
        submit(f"conv-{n}", now=T0, contact=LeadContact(name=f"Lead {n}", email=f"l{n}@x.nl"))
    config = _smtp_config(smtp_server.port, tmp_path)
    stores = [LeadStore(store_url), LeadStore(store_url)]
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def run(worker_store: LeadStore) -> None:
        barrier.wait()
        report = deliver_due(worker_store, SmtpSender(config), now=T0, config=config)
        sent.append(report.sent)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.dispose()
    assert sum(sent) == 6
    ids = [
        BytesParser(policy=policy.default).parsebytes(e.original_content)["Message-ID"]
        for e in smtp_server.messages
    ]
    assert len(ids) == 6
    assert len(set(ids)) == 6


def test_reclaimed_after_crash_is_sent_with_same_message_id(
    store: LeadStore, submit: SubmitLead, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    lead = submit("conv-1", now=T0)
    store.claim_due(T0, 300)  # a worker claimed the row and died
    config = _smtp_config(smtp_server.port, tmp_path)
    assert (
        deliver_due(
            store, SmtpSender(config), now=T0 + timedelta(seconds=60), config=config
        ).claimed
        == 0
    )
    report = deliver_due(store, SmtpSender(config), now=T0 + timedelta(seconds=301), config=config)
    assert report.sent == 1
    parsed = BytesParser(policy=policy.default).parsebytes(smtp_server.messages[0].original_content)
    assert parsed["Message-ID"] == lead.message_id


def test_erased_lead_in_outbox_is_not_sent(
    store: LeadStore, submit: SubmitLead, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    submit("conv-1", now=T0)
    store.erase_by_conversation("conv-1")
    config = _smtp_config(smtp_server.port, tmp_path)
    assert deliver_due(store, SmtpSender(config), now=T0, config=config).claimed == 0
    assert smtp_server.messages == []


def test_file_sender_writes_one_eml(store: LeadStore, submit: SubmitLead, tmp_path: Path) -> None:
    lead = submit("conv-1", now=T0)
    outbox_dir = tmp_path / "outbox"
    config = MailConfig(outbox_dir=outbox_dir)
    sender = FileSender(outbox_dir)
    report = deliver_due(store, sender, now=T0, config=config)
    assert report.sent == 1
    files = list(outbox_dir.iterdir())
    assert len(files) == 1
    assert files[0].suffix == ".eml"
    assert lead.message_id is not None
    assert lead.message_id.strip("<>") in files[0].name
    parsed = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert parsed["Message-ID"] == lead.message_id
    assert parsed["To"] == config.advisor_email

    # A resend of the same lead overwrites the file instead of adding one.
    store.reset_for_resend(lead.public_id, now=T0)
    assert deliver_due(store, sender, now=T0, config=config).sent == 1
    assert [f.name for f in outbox_dir.iterdir()] == [files[0].name]


def test_file_sender_name_is_safe(tmp_path: Path, store: LeadStore, submit: SubmitLead) -> None:
    lead = submit("conv-1", now=T0)
    msg = build_lead_email(lead, ADVISOR, DEFAULT_FROM)
    del msg["Message-ID"]
    msg["Message-ID"] = "<../../etc/passwd@x>"
    sender = FileSender(tmp_path / "out")
    sender.send(msg)
    assert sender.path_for(msg).parent == tmp_path / "out"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["etc_passwd@x.eml"]


def test_file_sender_never_shows_a_partial_eml(
    tmp_path: Path, store: LeadStore, submit: SubmitLead, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader globbing *.eml while a message is being written must not find the temp file."""
    outbox_dir = tmp_path / "out"
    seen_while_writing: list[list[str]] = []
    real_fsync = os.fsync

    def fsync_and_look(fd: int) -> None:
        real_fsync(fd)
        seen_while_writing.append([p.name for p in outbox_dir.glob("*.eml")])

    monkeypatch.setattr(os, "fsync", fsync_and_look)
    msg = build_lead_email(submit("conv-1", now=T0), ADVISOR, DEFAULT_FROM)
    FileSender(outbox_dir).send(msg)
    assert seen_while_writing == [[]]
    assert [p.name for p in outbox_dir.iterdir()] == [FileSender(outbox_dir).path_for(msg).name]


def test_a_delivered_email_has_the_chart_and_every_question(
    store: LeadStore, submit: SubmitLead, tmp_path: Path
) -> None:
    """One builder: what a delivery round sends (the worker and `mkbscan-leads deliver`)."""
    submit("conv-1", now=T0)
    outbox_dir = tmp_path / "outbox"
    deliver_due(store, FileSender(outbox_dir), now=T0, config=MailConfig(outbox_dir=outbox_dir))
    parsed = BytesParser(policy=policy.default).parsebytes(next(outbox_dir.iterdir()).read_bytes())
    images = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content().startswith(b"\x89PNG")
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    assert all(re.search(rf"^{q.id} .+: ", text, re.M) for q in load_content().scored)


def test_worker_sends_pending_leads_at_start(
    store: LeadStore, submit: SubmitLead, tmp_path: Path
) -> None:
    submit("conv-1")  # pending from "before the restart"
    outbox_dir = tmp_path / "outbox"
    worker = DeliveryWorker(
        store, FileSender(outbox_dir), config=MailConfig(outbox_dir=outbox_dir), interval=60
    )
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list(outbox_dir.glob("*.eml")):
            time.sleep(0.05)
        assert len(list(outbox_dir.glob("*.eml"))) == 1
        # A lead submitted later goes out on wake() without waiting for the interval.
        submit("conv-2", contact=LeadContact(name="Piet", email="piet@zon.nl"))
        worker.wake()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(list(outbox_dir.glob("*.eml"))) < 2:
            time.sleep(0.05)
        assert len(list(outbox_dir.glob("*.eml"))) == 2
    finally:
        worker.stop()
    assert not worker.is_alive()


def test_worker_survives_store_outage(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    broken = LeadStore(f"sqlite:///{blocker}/leads.db")
    worker = DeliveryWorker(broken, FileSender(tmp_path / "o"), config=MailConfig(), interval=0.05)
    worker.start()
    time.sleep(0.3)
    assert worker.is_alive()
    worker.stop()
    assert not worker.is_alive()
    broken.dispose()

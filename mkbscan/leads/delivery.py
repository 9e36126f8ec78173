"""Sending lead e-mails from the outbox: SMTP, or .eml files when no SMTP server is set.

Logs contain lead ids and error classes only, never names or e-mail addresses.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from mkbscan.leads.email_message import build_lead_email, build_update_email
from mkbscan.leads.pair_part import with_pair
from mkbscan.leads.report_email import build_report_email
from mkbscan.leads.reports import (
    claim_due_report_mails,
    mark_report_mail_failed,
    mark_report_mail_sent,
)
from mkbscan.leads.store import LeadStore, StoreUnavailable, utcnow
from mkbscan.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_FROM = "Samenwerkingsscan <scan@circularclarity.org>"
DEFAULT_OUTBOX_DIR = "var/outbox"
BACKOFF_START_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
DEFAULT_LEASE_SECONDS = 300
SMTP_TIMEOUT_SECONDS = 30


def _env_bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "ja", "on")


@dataclass(frozen=True)
class MailConfig:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    mail_from: str = DEFAULT_FROM
    advisor_email: str = Settings.advisor_email
    outbox_dir: Path = Path(DEFAULT_OUTBOX_DIR)
    retry_start_seconds: int = BACKOFF_START_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailConfig:
        env = os.environ if env is None else env
        starttls = _env_bool(env.get("SMTP_STARTTLS"))
        port_text = (env.get("SMTP_PORT") or "").strip()
        return cls(
            smtp_host=(env.get("SMTP_HOST") or "").strip() or None,
            smtp_port=int(port_text) if port_text else (587 if starttls else 25),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=starttls,
            mail_from=env.get("SMTP_FROM") or DEFAULT_FROM,
            advisor_email=Settings.from_env(env).advisor_email,
            outbox_dir=Path(env.get("MAIL_OUTBOX_DIR") or DEFAULT_OUTBOX_DIR),
            retry_start_seconds=int(env.get("MAIL_RETRY_START_SECONDS") or BACKOFF_START_SECONDS),
        )


class Sender(Protocol):
    def send(self, msg: EmailMessage) -> None: ...


class SmtpSender:
    """Sends through an SMTP server (STARTTLS and login when configured; port 465 = TLS)."""

    def __init__(self, config: MailConfig) -> None:
        if not config.smtp_host:
            raise ValueError("SMTP_HOST is not set")
        self.config = config

    def send(self, msg: EmailMessage) -> None:
        cfg = self.config
        host = cfg.smtp_host or ""
        smtp: smtplib.SMTP
        if cfg.smtp_port == 465:
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(
                host, cfg.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=context
            )
        else:
            smtp = smtplib.SMTP(host, cfg.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if cfg.smtp_starttls and cfg.smtp_port != 465:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.smtp_username:
                smtp.login(cfg.smtp_username, cfg.smtp_password or "")
            envelope_from = parseaddr(cfg.mail_from)[1] or None
            smtp.send_message(msg, from_addr=envelope_from)


class FileSender:
    """Writes each message as <message-id>.eml; sending the same message again overwrites it.

    The message is written to a ``.part`` file first and renamed, so whoever reads ``*.eml``
    (the advisor's mail client, a script) never sees half a message.
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def path_for(self, msg: EmailMessage) -> Path:
        message_id = str(msg.get("Message-ID") or "").strip("<> ")
        safe = re.sub(r"[^A-Za-z0-9._@-]+", "_", message_id).strip("._") or "bericht"
        return self.directory / f"{safe[:150]}.eml"

    def send(self, msg: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path_for(msg)
        fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(msg.as_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise


def make_sender(config: MailConfig) -> Sender:
    return SmtpSender(config) if config.smtp_host else FileSender(config.outbox_dir)


def backoff_seconds(failed_attempts: int, start: int = BACKOFF_START_SECONDS) -> int:
    """Wait after the n-th failed attempt (1-based): 30 s, 60 s, 120 s ... at most one hour."""
    exponent = max(failed_attempts - 1, 0)
    if exponent >= 20:
        return BACKOFF_MAX_SECONDS
    return min(start * 2**exponent, BACKOFF_MAX_SECONDS)


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    sent_lead_ids: list[int] = field(default_factory=list)
    failed_lead_ids: list[int] = field(default_factory=list)


def deliver_due(
    store: LeadStore,
    sender: Sender,
    now: datetime | None = None,
    *,
    config: MailConfig | None = None,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> DeliveryReport:
    """One delivery round: claim due outbox rows, send each, record the outcome.

    Raises StoreUnavailable when the database is down; a failed send never raises.
    """
    config = config or MailConfig.from_env()
    now = now or utcnow()
    report = DeliveryReport()
    for item in store.claim_due(now, lease_seconds):
        report.claimed += 1
        try:
            lead = store.get_lead_by_id(item.lead_id)
            if lead is None:
                raise LookupError("lead erased")
            msg = build_lead_email(with_pair(store, lead), config.advisor_email,
                                   config.mail_from)
            sender.send(msg)
        except StoreUnavailable:
            raise
        except Exception as exc:  # any failure is retried later
            attempts = item.attempts + 1
            delay = backoff_seconds(attempts, config.retry_start_seconds)
            store.mark_failed(item.lead_id, type(exc).__name__, now, now + timedelta(seconds=delay))
            report.failed += 1
            report.failed_lead_ids.append(item.lead_id)
            log.warning(
                "lead %s not delivered (%s), attempt %s, retry in %s s",
                item.lead_id,
                type(exc).__name__,
                attempts,
                delay,
            )
            continue
        store.mark_sent(item.lead_id, utcnow())
        report.sent += 1
        report.sent_lead_ids.append(item.lead_id)
        log.info("lead %s delivered", item.lead_id)
    for change in store.claim_due_updates(now, lease_seconds):
        report.claimed += 1
        try:
            lead = store.get_lead_by_id(change.lead_id)
            if lead is None:
                raise LookupError("lead erased")
            sender.send(build_update_email(lead, change, config.advisor_email, config.mail_from))
        except StoreUnavailable:
            raise
        except Exception as exc:  # retried later, like a lead
            delay = backoff_seconds(change.attempts + 1, config.retry_start_seconds)
            store.mark_update_failed(change.id, type(exc).__name__, now,
                                     now + timedelta(seconds=delay))
            report.failed += 1
            log.warning("update %s not delivered (%s), retry in %s s", change.id,
                        type(exc).__name__, delay)
            continue
        store.mark_update_sent(change.id, utcnow())
        report.sent += 1
        log.info("update %s delivered", change.id)
    _deliver_report_mails(store, sender, now, config, lease_seconds, report)
    return report


def _deliver_report_mails(store: LeadStore, sender: Sender, now: datetime, config: MailConfig,
                          lease_seconds: int, report: DeliveryReport) -> None:
    """The report links the entrepreneurs asked for: the same exactly-once rules."""
    for mail in claim_due_report_mails(store, now, lease_seconds):
        report.claimed += 1
        try:
            sender.send(build_report_email(mail, config.mail_from))
        except StoreUnavailable:
            raise
        except Exception as exc:  # retried later, like a lead
            delay = backoff_seconds(mail.attempts + 1, config.retry_start_seconds)
            mark_report_mail_failed(store, mail.id, type(exc).__name__, now,
                                    now + timedelta(seconds=delay))
            report.failed += 1
            log.warning("report mail %s not delivered (%s), retry in %s s", mail.id,
                        type(exc).__name__, delay)
            continue
        mark_report_mail_sent(store, mail.id, utcnow())
        report.sent += 1
        log.info("report mail %s delivered", mail.id)


class DeliveryWorker(threading.Thread):
    """Background thread that runs a delivery round now and then every ``interval`` seconds."""

    def __init__(
        self,
        store: LeadStore,
        sender: Sender | None = None,
        *,
        config: MailConfig | None = None,
        interval: float = 5.0,
    ) -> None:
        super().__init__(name="lead-delivery", daemon=True)
        self.store = store
        self.config = config or MailConfig.from_env()
        self.sender = sender or make_sender(self.config)
        self.interval = interval
        self._stop_event = threading.Event()
        self._wake_event = threading.Event()

    def run(self) -> None:
        # The first round runs at once so leads left pending before a restart go out.
        while not self._stop_event.is_set():
            try:
                deliver_due(self.store, self.sender, config=self.config)
            except Exception as exc:  # the worker must survive anything
                log.warning("delivery round failed (%s)", type(exc).__name__)
            self._wake_event.wait(self.interval)
            self._wake_event.clear()

    def wake(self) -> None:
        """Run the next round now, e.g. right after a lead was submitted."""
        self._wake_event.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop_event.set()
        self._wake_event.set()
        if self.is_alive():
            self.join(timeout)

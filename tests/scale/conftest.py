"""Fixtures of the scale-out test: an SMTP sink that counts messages, and the topology."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest

from devtools.isolated import free_port
from devtools.scaleout import Topology, TopologyConfig, missing_binaries
from tests.conftest import skip_or_fail

# Locks of a killed server block its conversations until they expire (Rasa's default: 60 s).
LOCK_LIFETIME_S = 20
MAIL_RETRY_INTERVAL_S = 1


class SmtpSink:
    """aiosmtpd handler: counts every message received, per Message-ID."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.recipients: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self.counts[str(message["Message-ID"])] += 1
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted"

    def wait_for(self, message_ids: set[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if message_ids <= set(self.counts):
                    return
            time.sleep(0.3)


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory,
             smtp_sink: tuple[SmtpSink, int]) -> Iterator[Topology]:
    missing = missing_binaries()
    if missing:
        skip_or_fail(f"{', '.join(missing)} not installed "
                     "(apt-get install -y nginx redis-server postgresql)")
    _, smtp_port = smtp_sink
    config = TopologyConfig(
        run_dir=tmp_path_factory.mktemp("scale"),
        action_env={"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
                    "MAIL_RETRY_INTERVAL": str(MAIL_RETRY_INTERVAL_S)},
        # The driver resends after a killed server; keep the per-sender flood limit out of it.
        rasa_env={"TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_S), "CHAT_RATE_LIMIT": "1000/10"},
    )
    running = Topology(config).start()  # stops what it started when it fails
    yield running
    running.stop()

"""Fixtures for the lead backend tests: stores on SQLite (and PostgreSQL) and a real SMTP server."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine

from mkbscan.leads.models import LeadContact, LeadRecord
from mkbscan.leads.schema import metadata
from mkbscan.leads.store import LeadStore
from mkbscan.scan.snapshot import Answer, ScanSnapshot, Scores, ThemeScore

SAMPLE_SCAN = ScanSnapshot(
    part_done="volledig",
    context=(Answer("C1", "Waar gaat de samenwerking vooral over?", "productie"),
             Answer("C3", "Hoeveel mensen werken er in je bedrijf?", "25 (klein (10-49))")),
    answers=(
        Answer("P1", "Weet je wat je zoekt in een partner?", "Grotendeels"),
        Answer("G1", "Delen jullie risico's eerlijk?", "Ja, helemaal"),
        Answer("G2", "Is er een exitregeling?", "Weet ik niet"),
    ),
    scores=Scores(themes=(ThemeScore("partnerkeuze", "Partnerkeuze", 79),
                          ThemeScore("gelijkwaardigheid", "Gelijkwaardigheid", 100)),
                  total=59, band="Voorbereiden", capped=True),
    advice=("Maak samen een exitregeling.", "Leg de rolverdeling vast."),
    unknowns=("Is er een exitregeling?",),
)

CONSENT_AT = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL tests must run")
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL variant of the store tests skipped")
    return url


def _drop_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        metadata.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/db/leads.db"
        return
    url = _postgres_url()
    _drop_tables(url)
    yield url
    _drop_tables(url)


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path}/db/leads.db"


@pytest.fixture
def store(store_url: str) -> Iterator[LeadStore]:
    lead_store = LeadStore(store_url)
    yield lead_store
    lead_store.dispose()


@pytest.fixture
def contact() -> LeadContact:
    return LeadContact(
        name="Anne de Vries",
        company="Bakkerij Zon",
        email="anne@zon.nl",
        phone="+31612345678",
        preferred_moment="dinsdagochtend",
        question="Hoe vind ik een goede partner?",
    )


SubmitLead = Callable[..., LeadRecord]


@pytest.fixture
def submit(store: LeadStore, contact: LeadContact) -> SubmitLead:
    """Submit a lead with sensible defaults; keyword arguments override them."""

    def _submit(conversation_id: str = "conv-1", **overrides: Any) -> LeadRecord:
        kwargs: dict[str, Any] = {
            "contact": contact,
            "consent_version": "v1",
            "consent_given_at": CONSENT_AT,
            "scan": SAMPLE_SCAN,
            "transcript": "bot: Hoi!\nuser: Hallo",
        }
        kwargs.update(overrides)
        target = kwargs.pop("store", store)
        return target.submit_lead(conversation_id, **kwargs)

    return _submit


@dataclass
class SmtpSink:
    """Collects what a real aiosmtpd server received."""

    messages: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    sink: SmtpSink
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Any]:
        with self.sink.lock:
            return list(self.sink.messages)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running, real SMTP server (aiosmtpd) on 127.0.0.1 and a free port."""
    server = SmtpServer("127.0.0.1", free_port(), SmtpSink())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server object on a free port with nothing listening yet; call start()."""
    server = SmtpServer("127.0.0.1", free_port(), SmtpSink())
    yield server
    server.stop()

"""The stack on PostgreSQL (tracker store and leads) with real SMTP that is down, then up."""

from __future__ import annotations

import os
import signal
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from devtools.client import RestClient
from devtools.isolated import free_port, isolated_stack
from mkbscan.leads.store import LeadStore
from tests.conftest import skip_or_fail
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.postgres


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope.content)
        return "250 OK"


def _fresh_database(url: str) -> str:
    """An empty database next to the one in `url`, for this module alone."""
    base, _, _name = url.rpartition("/")
    name = "stack_test"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(scope="module")
def pg_stack(tmp_path_factory: pytest.TempPathFactory):
    base_url = os.environ.get("TEST_POSTGRES_URL")
    if not base_url:
        skip_or_fail("TEST_POSTGRES_URL is not set (scripts/test-postgres.sh starts one)")
    url = _fresh_database(base_url)
    smtp_port = free_port()
    stack = isolated_stack(tmp_path_factory.mktemp("pgstack"), extra_env={
        "LEADS_DATABASE_URL": url,
        "TRACKER_DB_URL": url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAIL_RETRY_START_SECONDS": "1",
        "MAIL_RETRY_INTERVAL": "1",
    })
    stack.config.endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{stack.config.action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  url: "{url}"\n'
    )
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    yield stack, url, smtp_port
    stack.stop()


def test_tracker_in_postgres_survives_a_killed_rasa_and_smtp_outage_sends_once(pg_stack) -> None:
    stack, url, smtp_port = pg_stack
    chat = Conversation(RestClient(url=stack.rest_url))
    chat.through_context()
    for answer in ["ja"] * 6:
        chat.say(answer)

    stack.kill_rasa(signal.SIGKILL)
    stack.start_rasa()
    chat.client = RestClient(url=stack.rest_url)
    reply = ""
    for answer in ["grotendeels"] * 7:
        reply = chat.say(answer)
    # P all 3: 100; G all 2: 34/51 -> 67; total 76/93 = 81.7 -> 82
    assert "Partnerkeuze: 100/100\nGelijkwaardigheid: 67/100\nTotaalscore: 82/100" in reply

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"),
                                    {"s": chat.sender}).scalar()
    engine.dispose()
    assert stored and stored > 20, "the conversation lives in PostgreSQL"

    chat.say("ja graag")
    chat.say("ja, ik geef toestemming")
    chat.say("Ik ben Fenna Mulder van Mulder Textiel, fenna@muldertextiel.nl")
    for answer in ("nee", "nee", "nee"):
        chat.say(answer)
    assert "Marco" in chat.say("ja, verstuur maar")  # SMTP is down: nothing listens yet

    store = LeadStore(url)
    lead = next(lead for lead in store.list_leads() if lead.conversation_id == chat.sender)
    time.sleep(3)  # a few failed delivery rounds
    outbox = store.get_outbox(lead.id)
    assert outbox is not None and outbox.status == "failed" and outbox.attempts >= 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        deadline = time.monotonic() + 30
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(4)  # further delivery rounds must not send it again
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    mail = message_from_bytes(inbox.messages[0], policy=policy.default)
    assert mail["To"] == "marco@circularclarity.org" and "Mulder Textiel" in mail["Subject"]
    assert store.get_outbox(lead.id).status == "sent"
    assert not list(Path(stack.config.extra_env["MAIL_OUTBOX_DIR"]).glob("*.eml"))

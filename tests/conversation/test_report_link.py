"""The personal report over REST and HTTP, as a user types: the link with the result, the
link by e-mail with its own consent, and erasure."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from mkbscan.leads.schema import report_mails
from mkbscan.leads.store import LeadStore
from tests.conversation.helpers import Conversation
from tests.conversation.test_lead import finished_scan

pytestmark = pytest.mark.stack
LINK = re.compile(r"https?://\S+/rapport/[A-Za-z0-9_-]{43}")


def status_of(stack, link: str) -> int:
    local = f"http://127.0.0.1:{stack.web.port}{urlsplit(link).path}"
    try:
        with urllib.request.urlopen(local, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def mails_of(leads: LeadStore) -> list:
    with leads.engine.connect() as conn:
        return list(conn.execute(select(report_mails)).all())


def wait_for_link_mail(outbox: Path, link: str, timeout: float = 30) -> str:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in outbox.glob("*.eml"):
            text = path.read_text(errors="replace")
            if link in text:
                return text
        time.sleep(0.3)
    raise AssertionError(f"no mail with the report's link in {outbox}")


def test_the_result_names_a_private_link_that_opens_the_report(client, stack) -> None:
    chat = Conversation(client)
    links = LINK.findall(finished_scan(chat))
    assert len(links) == 1
    assert status_of(stack, links[0]) == 200
    assert LINK.findall(chat.say("laat mijn uitslag nog eens zien")) == links  # same link


def test_the_link_by_mail_needs_its_own_consent_and_is_sent_once(
        client, stack, leads, outbox) -> None:
    chat = Conversation(client)
    link = LINK.findall(finished_scan(chat))[0]
    chat.say("nee, dank je")  # no talk with the advisor
    before = len(mails_of(leads))
    consent = chat.say("zet dat rapport eens in m'n postvak, graag")
    assert "alleen voor die ene mail" in consent and "Is dat goed?" in consent
    assert "Op welk e-mailadres" in chat.say("ja, prima")
    assert "bijvoorbeeld naam@bedrijf.nl" in chat.say("anne bij zon punt nl")
    assert "Komt eraan" in chat.say("anne@zon.nl")
    mail = wait_for_link_mail(outbox, link)
    assert "To: anne@zon.nl" in mail
    rows = mails_of(leads)
    assert len(rows) == before + 1
    assert "Die mail staat al klaar" not in chat.say("anne@zon.nl")  # no consent left
    assert len(mails_of(leads)) == before + 1


def test_a_refusal_stores_no_address(client, leads) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    before = len(mails_of(leads))
    chat.say("ik wil die uitkomst thuis nalezen, mail hem even")
    assert "bewaar ik niets" in chat.say("nee, liever niet")
    assert len(mails_of(leads)) == before


def test_erasure_takes_the_report_down(client, stack) -> None:
    chat = Conversation(client)
    link = LINK.findall(finished_scan(chat))[0]
    assert status_of(stack, link) == 200
    chat.say("verwijder mijn gegevens")
    assert "gewist" in chat.say("ja, wis alles")
    assert status_of(stack, link) == 404

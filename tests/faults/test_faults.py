"""Faults survived: the action server down or too slow, and a flood from one sender.

Its own stack (it kills the action server), with the defaults a real server has for the
flood limit (20 messages in 10 s per sender) and a short action timeout (5 s instead of
30) so a slow action is noticed quickly. A slow action server is simulated with the
action server's test hook MKBSCAN_TEST_ACTION_DELAY_FILE.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from devtools.client import RestClient
from devtools.isolated import isolated_stack, running
from mkbscan.leads.store import LeadStore
from mkbscan.rasa.input_guard import FAILURE_REPLY, FLOOD_REPLY
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack
ACTION_TIMEOUT = 5.0
SUBMIT_DELAY = 10.0


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("faults")
    with running(isolated_stack(workdir, extra_env={
        "CHAT_RATE_LIMIT": "20/10",
        "ACTION_TIMEOUT_SECONDS": str(ACTION_TIMEOUT),
        "MKBSCAN_TEST_ACTION_DELAY_FILE": str(workdir / "delays.json"),
    })) as stack:
        yield stack


@pytest.fixture(scope="module")
def client(fault_stack) -> RestClient:
    return RestClient(url=fault_stack.rest_url)


@pytest.fixture(scope="module")
def leads(fault_stack) -> LeadStore:
    return LeadStore(fault_stack.config.extra_env["LEADS_DATABASE_URL"])


def leads_of(leads: LeadStore, chat: Conversation) -> list:
    return [lead for lead in leads.list_leads() if lead.conversation_id == chat.sender]


def wait_until(condition: Any, timeout: float, interval: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def emails_for(stack, message_id: str) -> list[Path]:
    outbox = Path(stack.config.extra_env["MAIL_OUTBOX_DIR"])
    found = []
    for path in outbox.glob("*.eml"):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["Message-ID"] == message_id:
            found.append(path)
    return found


def assert_mailed_once(stack, message_id: str) -> None:
    assert wait_until(lambda: emails_for(stack, message_id), 30), "the lead was not mailed"
    time.sleep(2.5)  # two more delivery rounds (MAIL_RETRY_INTERVAL=1) must not send it again
    assert len(emails_for(stack, message_id)) == 1


def to_the_summary(chat: Conversation, who: str) -> None:
    assert "Ga je akkoord?" in chat.say("ik wil graag met Marco praten")
    assert "Wat is je naam?" in chat.say("ja, akkoord")
    chat.say(who)
    for answer in ("nee", "nee"):
        chat.say(answer)
    assert "Klopt dit?" in chat.say("nee")


def slot_value(stack, sender: str, slot: str) -> Any:
    engine = create_engine(stack.config.extra_env["TRACKER_DB_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot' "
                     "ORDER BY id"), {"s": sender}).scalars().all()
    finally:
        engine.dispose()
    values = [json.loads(row)["value"] for row in rows if json.loads(row)["name"] == slot]
    return values[-1] if values else None


def test_action_server_down_mid_scan_then_back(fault_stack, client) -> None:
    chat = Conversation(client)
    chat.through_context()
    assert "Vraag 2 van 13" in chat.say("ja helemaal")
    fault_stack.kill_actions()
    try:
        assert chat.say("grotendeels") == FAILURE_REPLY
        assert chat.say("een beetje") == FAILURE_REPLY
    finally:
        fault_stack.start_actions()
    assert slot_value(fault_stack, chat.sender, "awaiting") == "scan_question"
    reply = chat.say("grotendeels")
    assert "Vraag 3 van 13" in reply, "the open question P2 is answered once it is back"
    answers = slot_value(fault_stack, chat.sender, "scan_state")["answers"]
    assert list(answers.values()) == [3, 2], "nothing lost, nothing answered twice"


def test_lead_submit_while_the_action_server_is_down(fault_stack, client, leads) -> None:
    chat = Conversation(client)
    to_the_summary(chat, "Ik ben Roos Hendriks van Hendriks Hout, roos@hendrikshout.nl")
    fault_stack.kill_actions()
    try:
        assert chat.say("ja, verstuur maar") == FAILURE_REPLY
        assert chat.say("Ik ben Roos Hendriks, bel 06-98765432") == FAILURE_REPLY
    finally:
        fault_stack.start_actions()
    assert not leads_of(leads, chat)
    assert "Dank je wel, Roos" in chat.say("ja, verstuur maar")
    stored = leads_of(leads, chat)
    assert len(stored) == 1 and stored[0].email == "roos@hendrikshout.nl"
    chat.say("ja")
    assert len(leads_of(leads, chat)) == 1, "a further yes stores nothing again"
    assert_mailed_once(fault_stack, stored[0].message_id)
    rasa_log = (fault_stack.config.log_dir / f"rasa-{fault_stack.config.rasa_port}.log")
    assert "98765432" not in rasa_log.read_text(errors="replace"), "no personal data logged"


def test_a_slow_action_server_times_out_and_the_lead_is_stored_once(fault_stack, client,
                                                                    leads) -> None:
    chat = Conversation(client)
    to_the_summary(chat, "Ik ben Sem de Jong van De Jong Dakwerken, sem@dejongdak.nl")
    delays = Path(fault_stack.config.extra_env["MKBSCAN_TEST_ACTION_DELAY_FILE"])
    delays.write_text(json.dumps({"action_dialogue": SUBMIT_DELAY}))
    try:
        started = time.monotonic()
        reply = chat.say("ja, verstuur maar")
        waited = time.monotonic() - started
        assert reply == FAILURE_REPLY
        assert ACTION_TIMEOUT <= waited < SUBMIT_DELAY, waited
        # The action server still finishes the late call and stores the lead...
        assert wait_until(lambda: leads_of(leads, chat), SUBMIT_DELAY + 10)
    finally:
        delays.unlink()
    # ...so the user's second yes finds it (idempotent per consent) instead of a new one.
    assert "Dank je wel, Sem" in chat.say("ja")
    stored = leads_of(leads, chat)
    assert len(stored) == 1 and stored[0].email == "sem@dejongdak.nl"
    assert_mailed_once(fault_stack, stored[0].message_id)


def post(url: str, sender: str, message: str) -> tuple[int, list[dict[str, Any]]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"[]")


def user_messages(stack, sender: str) -> int:
    engine = create_engine(stack.config.extra_env["TRACKER_DB_URL"])
    try:
        with engine.connect() as connection:
            return int(connection.execute(
                text("SELECT COUNT(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
                {"s": sender}).scalar() or 0)
    finally:
        engine.dispose()


def test_a_flood_from_one_sender_gets_rustig_aan_without_running_the_bot(fault_stack,
                                                                         client) -> None:
    chat = Conversation(client)
    chat.through_context()  # 5 messages
    started = time.monotonic()
    statuses: list[int] = []
    replies: list[str] = []
    for _ in range(30):  # bounded: 15 more are allowed, then refusals
        status, reply = post(fault_stack.rest_url, chat.sender, "tot ziens")  # no action
        statuses.append(status)
        replies.append(" ".join(m.get("text", "") for m in reply))
        if statuses.count(429) >= 3:
            break
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"the burst took {elapsed:.1f} s: too slow to test the limit"
    assert statuses == [200] * 15 + [429] * 3, statuses
    assert replies[-1] == FLOOD_REPLY
    assert user_messages(fault_stack, chat.sender) == 20, "refused messages never ran the bot"
    assert "Circular Clarity" in Conversation(client).say("hallo"), \
        "other senders are not affected"
    # Once the sender pauses, the same open question is answered.
    assert wait_until(lambda: post(fault_stack.rest_url, chat.sender, "")[0] == 200, 30, 1.0)
    assert "Vraag 2 van 13" in chat.say("grotendeels")

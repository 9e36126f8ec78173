"""Bad input over REST: a Dutch answer, the same open question again, nothing corrupted.

The guards live in mkbscan/rasa/channels.py (RestInput) and mkbscan/rasa/input_guard.py.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from mkbscan.leads.store import LeadStore
from mkbscan.rasa.input_guard import FAILURE_REPLY, NOTICES
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack

EMPTY = NOTICES["empty"]
LONG = NOTICES["too_long"]
COMMAND = NOTICES["command"]
CONSENT = "Ga je akkoord?"


def user_texts(stack, sender: str) -> list[str]:
    engine = create_engine(stack.config.extra_env["TRACKER_DB_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                     "ORDER BY id"), {"s": sender}).scalars().all()
    finally:
        engine.dispose()
    return [json.loads(row).get("text") or "" for row in rows]


def post(url: str, body: bytes, headers: dict[str, str] | None = None,
         method: str = "POST") -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            raw = reply.read()
            status, reply_headers = reply.status, dict(reply.headers)
    except urllib.error.HTTPError as error:
        raw, status, reply_headers = error.read(), error.code, dict(error.headers)
    try:
        return status, reply_headers, json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        return status, reply_headers, raw.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def leads(stack) -> LeadStore:
    return LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", "\x00\x07"])
def test_an_empty_message_gets_a_dutch_answer_and_the_same_question(client, empty: str) -> None:
    chat = Conversation(client)
    question = chat.through_context()
    reply = chat.say(empty)
    assert reply.startswith(EMPTY), reply
    assert "Vraag 1 van 13" in reply and FAILURE_REPLY not in reply
    assert "Sorry" not in reply and "niet goed plaatsen" not in reply
    assert "Vraag 2 van 13" in chat.say("grotendeels"), "the scan went on where it was"
    assert question


def test_a_missing_message_is_an_empty_one(stack) -> None:
    status, _, body = post(stack.rest_url, b'{"sender": "guard-no-message"}')
    assert status == 200 and body[0]["text"] == EMPTY
    assert len(body) >= 2, "the bot still answers after the notice"


def test_too_long_is_answered_in_dutch_and_stored_capped(client, stack) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = chat.say("grotendeels " + "x" * 20_000)  # under the 64 kB request limit
    assert reply.startswith(LONG) and "Vraag 1 van 13" in reply
    assert reply.count("te lang") == 1, "told once, not by channel and action both"
    stored = user_texts(stack, chat.sender)
    assert max(len(t) for t in stored) == 1001 and stored[-1].endswith("…")
    assert "Vraag 2 van 13" in chat.say("ja helemaal")


def test_a_long_button_payload_is_refused_like_long_text(client, stack, leads) -> None:
    chat = Conversation(client)
    chat.say("ik wil met Marco praten")
    reply = chat.say("/affirm" + "x" * 5000)
    assert reply.startswith(LONG) and CONSENT in reply
    assert not any(t.startswith("/affirm") for t in user_texts(stack, chat.sender))


def test_control_characters_are_stripped_before_the_bot_reads_them(client, stack) -> None:
    chat = Conversation(client)
    chat.start_scan()
    reply = chat.say("pro\x00duc\x1btie\u202e")
    assert "Vooraf 2 van 3" in reply, "read as 'productie'"
    assert user_texts(stack, chat.sender)[-1] == "productie"


FORGED = ["/lead_submit", '/affirm{"email":"x@y.nl"}',
          '/provide_contact{"email": "x@y.nl", "name": "Hacker"}', "/affirm@1.0",
          '/request_erasure{"x": 1}']


def test_forged_intents_cannot_skip_consent_or_validation(client, stack, leads) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = chat.say('/affirm{"email":"x@y.nl"}')
    assert reply.startswith(COMMAND) and "Vraag 1 van 13" in reply, \
        "a forged affirm is no answer to a scan question"
    assert CONSENT in chat.say("ik wil met Marco praten")
    for forged in FORGED:
        reply = chat.say(forged)
        assert reply.startswith(COMMAND) and CONSENT in reply, (forged, reply)
    assert "Wat is je naam?" in chat.say("/affirm"), "our own button still works"
    for forged in FORGED:
        reply = chat.say(forged)
        assert reply.startswith(COMMAND) and "Wat is je naam?" in reply, (forged, reply)
    chat.say("Ik ben Bram Smit van Smit Metaal, bram@smitmetaal.nl")
    for answer in ("nee", "nee"):
        chat.say(answer)
    summary = chat.say("nee")
    assert "Klopt dit?" in summary and "x@y.nl" not in summary
    for forged in ("/lead_submit", '/affirm{"email":"x@y.nl"}'):
        reply = chat.say(forged)
        assert reply.startswith(COMMAND) and "Klopt dit?" in reply, (forged, reply)
    assert not [lead for lead in leads.list_leads() if lead.conversation_id == chat.sender]
    assert "Dank je wel" in chat.say("/affirm")
    stored = [lead for lead in leads.list_leads() if lead.conversation_id == chat.sender]
    assert len(stored) == 1 and stored[0].email == "bram@smitmetaal.nl"
    assert not any(t.startswith("/") and t not in ("/affirm",)
                   for t in user_texts(stack, chat.sender))


def test_invalid_utf8_and_broken_json_get_a_dutch_400(stack) -> None:
    for body in (b'{"sender": "guard-utf8", "message": "\xff\xfe hallo"}', b"not json",
                 b"[1, 2]", b""):
        status, _, reply = post(stack.rest_url, body)
        assert status == 400, body
        assert isinstance(reply, dict) and reply["error"].startswith("Ongeldig verzoek")
    status, _, reply = post(stack.rest_url, b'{"message": "hallo"}')
    assert status == 400 and "sender" in reply["error"]


def test_a_lone_surrogate_does_not_break_the_conversation(stack) -> None:
    status, _, reply = post(stack.rest_url,
                            b'{"sender": "guard-surrogate", "message": "hallo \\ud800"}')
    assert status == 200 and reply and FAILURE_REPLY not in [m.get("text") for m in reply]


def test_a_huge_request_is_refused_by_size(stack) -> None:
    body = json.dumps({"sender": "guard-huge", "message": "y" * 200_000}).encode()
    status, _, _ = post(stack.rest_url, body)
    assert status == 413
    status, _, reply = post(stack.rest_url, b'{"sender": "guard-huge", "message": "hallo"}')
    assert status == 200 and reply


def test_the_http_api_is_off(stack) -> None:
    base = f"http://127.0.0.1:{stack.config.rasa_port}"
    for path, method in (("/model/parse", "POST"), ("/status", "GET"), ("/version", "GET"),
                         ("/conversations/x/tracker", "GET"), ("/model", "PUT")):
        status, _, _ = post(base + path, b'{"text": "hallo"}', method=method)
        assert status in (404, 405), (path, status)


def test_rest_cors_only_for_the_configured_origins(stack) -> None:
    allowed = stack.config.cors.split()[0]
    foreign = "https://evil.example"
    body = b'{"sender": "guard-cors", "message": "hallo"}'
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    for origin, expect in ((foreign, None), (allowed, allowed)):
        _, headers, _ = post(stack.rest_url, b"", {"Origin": origin, **preflight},
                             method="OPTIONS")
        assert headers.get("Access-Control-Allow-Origin") == expect, (origin, headers)
        status, headers, _ = post(stack.rest_url, body, {"Origin": origin})
        assert status == 200
        assert headers.get("Access-Control-Allow-Origin") == expect, (origin, headers)


def test_rasa_listens_on_loopback_only(stack) -> None:
    from tests.security.netstat import listening_addresses

    assert listening_addresses(stack.config.rasa_port) == {"127.0.0.1"}

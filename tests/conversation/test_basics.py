"""The first, small conversation over the REST channel of the running stack."""

from __future__ import annotations

import pytest

from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack


def test_hallo_is_answered_in_dutch_with_an_offer(client) -> None:
    chat = Conversation(client)
    reply = chat.say("hallo")
    assert "Circular Clarity" in reply
    assert "Zullen we de samenwerkingsscan starten?" in reply
    assert chat.buttons() == ["Start de scan", "Wat kun je?"]


def test_yes_to_the_offer_starts_the_scan(client) -> None:
    chat = Conversation(client)
    chat.say("goeiedag")
    assert "Vooraf 1 van 3" in chat.say("ja graag")


@pytest.mark.parametrize("text", ["wat kun je allemaal?", "waar gaat dit over", "help"])
def test_capabilities(client, text: str) -> None:
    reply = Conversation(client).say(text)
    assert "samenwerkingsscan" in reply and "13 vragen" in reply


def test_goodbye(client) -> None:
    assert "Tot ziens" in Conversation(client).say("doei, tot later")


@pytest.mark.parametrize("text", ["gaat het morgen sneeuwen in Zwolle?", "hoe laat sluit de Jumbo"])
def test_out_of_scope(client, text: str) -> None:
    # Out of scope or not understood: both are a short, friendly answer with a way back.
    reply = Conversation(client).say(text)
    assert "niet mee helpen" in reply or "begreep ik niet" in reply
    assert "Zullen we de samenwerkingsscan starten?" in reply


def test_gibberish_gets_the_fallback_and_a_way_forward(client) -> None:
    reply = Conversation(client).say("qwpoeiru zxmcnvb")
    assert ("begreep ik niet" in reply or "niet mee helpen" in reply) and "scan" in reply


def test_english_gets_a_dutch_reply(client) -> None:
    reply = Conversation(client).say("Hello, can you help me in English please?")
    assert "alleen Nederlands" in reply


@pytest.mark.parametrize(("text", "expected"), [
    ("bedankt!", "Graag gedaan"), ("ben jij een robot?", "Ik ben een bot"),
])
def test_chitchat(client, text: str, expected: str) -> None:
    reply = Conversation(client).say(text)
    assert expected in reply or "Geen dank" in reply

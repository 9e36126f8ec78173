"""Issue 12 over REST: details typed before consent, names that are no names, abuse, English."""

from __future__ import annotations

import pytest

from mkbscan.leads.store import LeadStore
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack
INTRO = ("Ik ben Pieter de Vries van De Vries Installatietechniek, mail me gerust op "
         "pieter@devries-installatie.nl of bel 06-41234567")


@pytest.fixture(scope="module")
def leads(stack) -> LeadStore:
    return LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])


def finished(chat: Conversation) -> str:
    chat.through_context()
    reply = ""
    for _ in range(13):
        reply = chat.say("Grotendeels")
    assert "Wil je hier eens over doorpraten" in reply
    return reply


def stored(leads: LeadStore, chat: Conversation) -> list:
    return [lead for lead in leads.list_leads() if lead.conversation_id == chat.sender]


def test_details_typed_before_consent_are_used_after_consent(client, leads) -> None:
    chat = Conversation(client)
    finished(chat)
    reply = chat.say(INTRO)
    assert "vraag ik eerst je toestemming" in reply and "Ga je akkoord?" in reply
    assert stored(leads, chat) == [], "nothing stored before consent"
    reply = chat.say("ja hoor, ga je gang met die gegevens")
    assert "Pieter de Vries" in reply and "pieter@devries-installatie.nl" in reply
    assert "Wat is je naam?" not in reply and "hoe heet je bedrijf" not in reply.lower()
    for _ in range(3):  # moment and question may still be asked; no field twice
        if "Klopt dit?" in reply:
            break
        reply = chat.say("maakt niet uit")
    assert "Bedrijf: De Vries Installatietechniek" in reply and "Klopt dit?" in reply
    chat.say("ja, verstuur het maar")
    [lead] = stored(leads, chat)
    assert lead.email == "pieter@devries-installatie.nl" and lead.name == "Pieter de Vries"


def test_details_typed_before_a_refused_consent_are_dropped(client, leads) -> None:
    chat = Conversation(client)
    finished(chat)
    chat.say(INTRO)
    assert "sla ik niets op" in chat.say("nee, laat dat toch maar zitten")
    assert stored(leads, chat) == []
    reply = chat.say("ik wil toch graag met Marco praten")
    assert "Ga je akkoord?" in reply
    assert "Wat is je naam?" in chat.say("ja, akkoord"), "the dropped details are not used"


def test_thanks_or_yes_is_not_taken_for_a_name_or_a_company(client) -> None:
    chat = Conversation(client)
    finished(chat)
    chat.say("ja, graag")
    chat.say("ja, akkoord")
    reply = chat.say("bedankt!")
    assert "geen naam" in reply and "Wat is je naam?" in reply
    chat.say("Sanne Verbeek")
    reply = chat.say("ja")
    assert "geen bedrijfsnaam" in reply


def test_an_insult_is_answered_calmly_and_never_kept(client) -> None:
    chat = Conversation(client)
    chat.start_scan()
    reply = chat.say("rot toch op stomme bot")
    assert "vriendelijk" in reply and "Vooraf 1 van 3" in reply
    reply = chat.say("productie")
    assert "Vooraf 2 van 3" in reply


def test_english_answers_are_read_and_the_dutch_note_comes_once(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = chat.say("mostly, yes")
    assert "Genoteerd: grotendeels." in reply and "Vraag 2 van 13" in reply
    first = chat.say("sorry, can you please speak English with me?")
    second = chat.say("please, English would be much easier for me")
    notes = [text for text in (first, second) if "alleen Nederlands" in text]
    assert len(notes) == 1, (first, second)


def test_a_correction_after_the_lead_was_sent_updates_the_advisor_once(client, leads,
                                                                        stack) -> None:
    from email import policy
    from email.parser import BytesParser
    from pathlib import Path

    chat = Conversation(client)
    finished(chat)
    chat.say(INTRO)
    reply = chat.say("ja hoor, ga je gang met die gegevens")
    while "Klopt dit?" not in reply:
        reply = chat.say("maakt niet uit")
    chat.say("ja, verstuur het maar")
    [lead] = stored(leads, chat)
    reply = chat.say("bij vraag 2 moest het eigenlijk een beetje zijn")
    assert "Aangepast: vraag 2" in reply and "krijgt deze wijziging ook" in reply
    # P2 (weight 2) 2 -> 1: P 26/42 = 61.9 -> 62; total 60/93 = 64.5 -> 65
    assert "Partnerkeuze: 62/100" in reply and "Totaalscore: 65/100" in reply
    outbox = Path(stack.config.extra_env["MAIL_OUTBOX_DIR"])

    def updates() -> list:
        found = []
        for path in outbox.glob("*.eml"):
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if message["In-Reply-To"] == lead.message_id:
                found.append(message)
        return found

    import time

    deadline = time.monotonic() + 30
    while not updates() and time.monotonic() < deadline:
        time.sleep(0.3)
    chat.say("dank je")
    time.sleep(2)  # a further delivery round sends nothing again
    [update] = updates()
    body = update.get_body(("plain",)).get_content()
    assert "Was: Grotendeels" in body and "Nu: Een beetje" in body
    assert "Totaalscore: 65/100" in body

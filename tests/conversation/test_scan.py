"""Complete scans and every kind of interruption, typed as free text over REST."""

from __future__ import annotations

import re

import pytest

from mkbscan.scan.questions import Profile, load_content
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack
CONTENT = load_content()


def scores(reply: str) -> tuple[int, int, int, str]:
    match = re.search(r"Partnerkeuze: (\d+)/100\nGelijkwaardigheid: (\d+)/100\n"
                      r"Totaalscore: (\d+)/100\n(.+)", reply)
    assert match, reply
    return int(match[1]), int(match[2]), int(match[3]), match[4].strip()


def run_scan(chat: Conversation, replies: list[str]) -> str:
    chat.through_context()
    reply = ""
    for number, text in enumerate(replies, start=1):
        reply = chat.say(text)
        if number < 13:
            assert f"Vraag {number + 1} van 13" in reply, (text, reply)
    return reply


def test_mixed_scan_computed_by_hand(client) -> None:
    # P: 2,3,1,0,3,? -> 6+6+2+0+9+0 = 23/42 = 54.8 -> 55
    # G: 3,2,2,3,1,0,1 -> 9+6+4+6+3+0+2 = 30/51 = 58.8 -> 59
    # total 53/93 = 56.99 -> 57, no critical question at 0: Voorbereiden
    # largest shortfalls (6): P4, P6, G5, G6 -> first three by order: P4, P6, G5, shown in
    # stage order (P4 and P6 choosing a partner, G5 working together); P6 unknown: find out
    replies = ["grotendeels wel", "ja", "een beetje", "nee hoor", "ja hoor, volledig",
               "geen idee", "jazeker", "voor het overgrote deel", "grotendels", "absoluut",
               "deels", "nee nog niet", "nauwelijks"]
    reply = run_scan(Conversation(client), replies)
    assert scores(reply) == (55, 59, 57, "Voorbereiden")
    profile = Profile(track="new", sector="productie")
    steps = [CONTENT.scored_by_id(q).worded(profile).step for q in ("P4", "P6", "G5")]
    assert f"1. {steps[0].action}\n" in reply and f"2. {steps[1].find_out}\n" in reply
    assert f"3. {steps[2].action}\n" in reply
    assert f"maximaal {CONTENT.cap}" not in reply
    assert "Marco Rog" in reply


def test_critical_gap_caps_the_total(client) -> None:
    # P all 3 -> 100; G2 = 0 -> (51-9)/51 = 82.4 -> 82; total 84/93 = 90.3 -> 90 capped to 59
    replies = ["ja helemaal"] * 7 + ["nee, nog niet"] + ["ja helemaal"] * 5
    reply = run_scan(Conversation(client), replies)
    assert scores(reply) == (100, 82, 59, "Voorbereiden")
    assert f"maximaal {CONTENT.cap}" in reply and CONTENT.scored_by_id("G2").topic in reply


def test_informal_and_typo_answers(client) -> None:
    # everything "grotendeels" in some form: 28/42, 34/51, 62/93 -> 67, 67, 67 Versterken
    replies = ["grotendels", "grotendeels", "voor een groot deel", "meestal wel", "best wel",
               "redelijk", "grotendeels wel", "bijna helemaal", "in grote lijnen is dat zo",
               "nog niet helemaal", "80%", "merendeels", "overwegend wel"]
    reply = run_scan(Conversation(client), replies)
    assert scores(reply) == (67, 67, 67, "Versterken")


INTERRUPTIONS = [
    ("waarom wil je dat eigenlijk weten?", CONTENT.scored_by_id("P2").worded().explanation[:40]),
    ("wat bedoel je?", CONTENT.scored_by_id("P2").worded().explanation[:40]),
    ("wat is het verschil tussen core en niet core?", "kernactiviteiten"),
    ("is een leverancier hetzelfde als een strategische partner?", "Een leverancier levert"),
    ("wij zijn veel kleiner dan onze partner, kan dat dan gelijkwaardig?", "niet even groot"),
    ("waarom zou je eerst samen sessies houden voor je begint?", "gezamenlijke sessies"),
    ("wat heeft circulair ondernemen hiermee te maken?", "kringloop"),
    ("wie is Marco Rog eigenlijk?", "Marco Rog is adviseur"),
    ("wat gebeurt er met mijn gegevens?", "geen persoonlijke gegevens nodig"),
    ("hoe wordt die score berekend?", "gewicht"),
    ("bedankt", "Graag gedaan|Geen dank"),
    ("ben ik nu met een computer aan het praten?", "Ik ben een bot"),
    ("gaat het morgen sneeuwen in Zwolle?", "niet mee helpen|niet goed plaatsen"),
    ("do you speak english?", "alleen Nederlands"),
    ("hoi", "Circular Clarity"),
]


@pytest.mark.parametrize(("text", "expected"), INTERRUPTIONS)
def test_interruption_returns_to_the_same_question(client, text: str, expected: str) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("grotendeels")
    reply = chat.say(text)
    assert re.search(expected, reply), reply
    assert "Vraag 2 van 13" in reply and CONTENT.scored_by_id("P2").text in reply
    assert "Vraag 3 van 13" in chat.say("ja"), "the answer after the side step counts for P2"


def test_pause_and_resume(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("ja")
    chat.say("een beetje")
    assert "bewaar je antwoorden" in chat.say("ik moet nu even weg, ik maak het morgen af")
    reply = chat.say("laten we de scan weer oppakken")
    assert "Welkom terug" in reply and "Vraag 3 van 13" in reply


def test_go_back_and_change_the_previous_answer(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("ja")
    chat.say("een beetje")
    reply = chat.say("mag ik het antwoord op de vorige vraag wijzigen?")
    assert "Vraag 2 van 13" in reply and "'Een beetje'" in reply
    assert "Vraag 3 van 13" in chat.say("ja helemaal")


def test_restart_after_confirmation(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("ja")
    reply = chat.say("ik wil opnieuw beginnen")
    assert "Weet je zeker" in reply
    assert "Vraag 2 van 13" in chat.say("nee, laat maar")
    chat.say("opnieuw beginnen")
    reply = chat.say("ja")
    assert "opnieuw" in reply and "Vooraf 1 van 3" in reply


def test_unreadable_answer_is_asked_again_then_explained_with_a_skip(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = chat.say("paarse olifant")
    assert "Vraag 1 van 13" in reply and "Ja, helemaal" in chat.buttons()
    reply = chat.say("paarse olifant")
    assert CONTENT.scored_by_id("P1").worded().explanation_again[:40] in reply
    assert "Weet ik niet" in reply
    assert "Vraag 2 van 13" in chat.say("weet ik niet")


def test_ask_for_the_advisor_mid_scan(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = chat.say("kan ik Marco zelf even spreken?")
    assert "hoeft niet af" in reply and "Ga je akkoord?" in reply

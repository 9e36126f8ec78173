"""Issue 12 over REST, typed as users type: what was noted, asking back, corrections,
questions about the scan itself."""

from __future__ import annotations

import re

import pytest

from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack


def scores(reply: str) -> tuple[int, int, int, str]:
    match = re.search(r"Partnerkeuze: (\d+)/100\nGelijkwaardigheid: (\d+)/100\n"
                      r"Totaalscore: (\d+)/100\n(.+)", reply)
    assert match, reply
    return int(match[1]), int(match[2]), int(match[3]), match[4].strip()


def test_a_typed_answer_is_shown_back_a_clicked_one_is_not(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    typed = chat.say("voor het overgrote deel wel eigenlijk")
    assert typed.startswith("Genoteerd: grotendeels."), typed
    assert "Vraag 2 van 13" in typed
    clicked = chat.say("Een beetje")
    assert "Genoteerd" not in clicked and "Vraag 3 van 13" in clicked


def test_every_way_of_not_knowing_is_noted_as_unknown(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    for number, text in enumerate(("dat kan ik echt niet beoordelen", "geen flauw benul hoor",
                                   "moet ik eerst navragen bij mijn compagnon"), start=2):
        reply = chat.say(text)
        assert reply.startswith("Genoteerd: weet ik niet."), (text, reply)
        assert f"Vraag {number} van 13" in reply


def test_a_correction_by_number_during_the_scan(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("Grotendeels")
    chat.say("Grotendeels")
    reply = chat.say("wacht even, bij vraag 1 bedoelde ik eigenlijk een beetje")
    assert "Aangepast: vraag 1" in reply and "'Een beetje', was 'Grotendeels'" in reply
    assert "Vraag 3 van 13" in reply, "back to where the user was"


def test_a_correction_by_topic_after_the_result_recomputes_it(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    reply = ""
    for _ in range(13):
        reply = chat.say("Grotendeels")
    # all 2: 28/42, 34/51, 62/93 -> 67, 67, 67
    assert scores(reply) == (67, 67, 67, "Versterken")
    reply = chat.say("het antwoord over de startsessies moet toch ja helemaal worden")
    assert "Aangepast: vraag 11" in reply
    # G5 (weight 3) 2 -> 3: G 37/51 = 72.5 -> 73; total 65/93 = 69.9 -> 70
    assert scores(reply) == (67, 73, 70, "Versterken")


def test_how_far_am_i_then_the_same_question(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("Grotendeels")
    chat.say("Een beetje")
    reply = chat.say("hoeveel moet ik er eigenlijk nog?")
    assert "2 van de 13 vragen beantwoord" in reply and "nog 11 vragen" in reply
    assert "Vraag 3 van 13" in reply


def test_after_the_result_show_it_again_and_ask_what_now(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    for _ in range(13):
        first = chat.say("Een beetje")
    again = chat.say("mag ik mijn scores nog eens zien?")
    assert scores(again) == scores(first)
    next_step = chat.say("goed, en welke stap zet ik dan als eerste?")
    assert "Begin hiermee: " in next_step


def test_working_on_it_alone_is_not_answered_with_an_offer_to_start(client) -> None:
    chat = Conversation(client)
    chat.through_context()
    for _ in range(13):
        chat.say("Nee, nog niet")
    reply = chat.say("nee bedankt, we pakken het eerst zelf intern op")
    assert "Goed plan" in reply and "scan toch wilt doen" not in reply

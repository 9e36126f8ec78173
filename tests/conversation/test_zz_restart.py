"""Pause, resume and state across a hard kill of the Rasa server (runs last: it restarts it)."""

from __future__ import annotations

import signal

import pytest

from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack


def test_conversation_resumes_after_the_rasa_server_is_killed(stack, client) -> None:
    paused = Conversation(client)
    paused.through_context()
    paused.say("ja")
    paused.say("een beetje")
    paused.say("ik stop even, straks verder")
    midway = Conversation(client)
    midway.through_context()
    midway.say("grotendeels")

    stack.kill_rasa(signal.SIGKILL)
    stack.start_rasa()

    reply = paused.say("zullen we verder gaan met de scan?")
    assert "Welkom terug" in reply and "Vraag 3 van 13" in reply
    reply = midway.say("nee, nog niet")
    assert "Vraag 3 van 13" in reply, "the open question P2 was answered after the restart"

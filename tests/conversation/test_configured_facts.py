"""Facts the user reads come from configuration (issue 13): another advisor, another retention
period, and every sentence that names them follows, the email too."""

from __future__ import annotations

import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from devtools.client import RestClient
from devtools.isolated import isolated_stack, running
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack
CONFIGURED = {"ADVISOR_EMAIL": "adviseur@example.org", "ADVISOR_NAME": "Eva Jansen",
              "RETENTION_DAYS": "90"}
DEFAULTS_THAT_MUST_NOT_SHOW = ("marco@circularclarity.org", "12 maanden", "Marco")


@pytest.fixture(scope="module")
def configured_stack(tmp_path_factory: pytest.TempPathFactory):
    with running(isolated_stack(tmp_path_factory.mktemp("configured"),
                                extra_env=CONFIGURED)) as stack:
        yield stack


def test_consent_privacy_and_email_name_the_configured_advisor_and_period(
        configured_stack) -> None:
    chat = Conversation(RestClient(url=configured_stack.rest_url))
    privacy = chat.say("ik wil eerst weten wat jullie van mij opslaan")
    assert "90 dagen" in privacy and "adviseur@example.org" in privacy, privacy
    chat.through_context()
    for answer in ["ja helemaal"] * 13:
        result = chat.say(answer)
    assert "Totaalscore: 100/100" in result
    offer = chat.say("ja, ik wil graag met de adviseur praten")
    assert "Eva Jansen" in offer and "adviseur@example.org" in offer, offer
    assert "maximaal 90 dagen" in offer, offer
    chat.say("ja, ik ga akkoord")
    chat.say("Ik ben Anne de Wit van Bloemenhuis Zon, anne@bloemenhuiszon.nl")
    for skip in ("sla over", "maakt niet uit", "nee, geen vraag"):
        summary = chat.say(skip)
    assert "Vraag voor Eva" in summary, summary
    thanks = chat.say("ja, verstuur maar")
    assert "Eva" in thanks, thanks
    for reply in (privacy, offer, summary, thanks):
        assert not any(fact in reply for fact in DEFAULTS_THAT_MUST_NOT_SHOW), reply

    outbox = Path(configured_stack.config.extra_env["MAIL_OUTBOX_DIR"])
    deadline = time.monotonic() + 30
    while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.2)
    emails = [BytesParser(policy=policy.default).parse(p.open("rb"))
              for p in outbox.glob("*.eml")]
    assert len(emails) == 1
    assert emails[0]["To"] == "adviseur@example.org"

"""The hand-over to the advisor over REST: consent, details, stored lead, delivered email."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, select, text

from mkbscan.leads.schema import scan_progress
from mkbscan.leads.store import LeadStore, conversation_key
from mkbscan.scan.questions import load_content
from tests.conversation.helpers import Conversation, lead_of, wait_for_email

pytestmark = pytest.mark.stack


def journey_row(leads: LeadStore, chat: Conversation, until: Callable[[dict], bool],
                timeout: float = 30) -> dict:
    """The conversation's row in scan_progress, once `until` holds for it."""
    deadline = time.monotonic() + timeout
    while True:
        with leads.engine.connect() as connection:
            found = connection.execute(select(scan_progress).where(
                scan_progress.c.conversation_key == conversation_key(chat.sender))).first()
        if found is not None and until(dict(found._mapping)):
            return dict(found._mapping)
        assert time.monotonic() < deadline, f"journey not there in time: {found}"
        time.sleep(0.3)


def finished_scan(chat: Conversation) -> str:
    chat.through_context()
    reply = ""
    for answer in ["ja helemaal"] * 12 + ["grotendeels"]:
        reply = chat.say(answer)
    assert "Totaalscore: 98/100" in reply  # 91/93 = 97.8 -> 98
    return reply


def test_consent_refused_stores_nothing(client, leads) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    assert "Ga je akkoord?" in chat.say("ja, lijkt me goed")
    assert "sla ik niets op" in chat.say("nee, liever niet")
    assert lead_of(leads, chat) is None


def test_details_typed_before_consent_are_not_taken(client, leads) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    chat.say("ja graag")
    reply = chat.say("piet@jansenmetaal.nl")
    assert "Ga je akkoord?" in reply
    assert lead_of(leads, chat) is None


def test_an_objection_is_never_taken_for_consent(client, leads) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    chat.say("ja graag")
    reply = chat.say("daar maak ik echt bezwaar tegen hoor")
    assert "Wat is je naam?" not in reply
    assert "zeker weten" in reply or "sla ik niets op" in reply
    assert lead_of(leads, chat) is None


def test_full_hand_over_is_stored_and_mailed_once(client, leads, outbox) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    chat.say("ja, dat lijkt me nuttig")
    assert "Wat is je naam?" in chat.say("ja, ik ga akkoord")
    sentence = "Ik ben Anne de Wit van Bloemenhuis Zon, anne@bloemenhuiszon.nl"
    assert "telefoonnummer" in chat.say(sentence)
    assert "Wanneer" in chat.say("06-12345678")
    assert "vraag voor Marco" in chat.say("dinsdagochtend")
    summary = chat.say("Hoe pak ik zo'n eerste gezamenlijke sessie aan?")
    assert "Naam: Anne de Wit" in summary and "E-mail: anne@bloemenhuiszon.nl" in summary
    assert "Bedrijf: Bloemenhuis Zon" in summary
    reply = chat.say("ja klopt, verstuur maar")
    assert "Marco" in reply and "anne@bloemenhuiszon.nl" in reply
    assert "al naar Marco" in chat.say("ik wil met Marco praten")

    lead = lead_of(leads, chat)
    assert lead is not None
    assert (lead.name, lead.company, lead.email) == ("Anne de Wit", "Bloemenhuis Zon",
                                                     "anne@bloemenhuiszon.nl")
    assert lead.phone and lead.phone.replace(" ", "").endswith("12345678")
    assert lead.preferred_moment == "dinsdagochtend"
    assert lead.consent_version and lead.consent_given_at is not None
    assert lead.scan.scores.total == 98 and lead.scan.part_done == "volledig"

    email = wait_for_email(outbox, lead.message_id)
    assert email["To"] == "marco@circularclarity.org"
    assert "anne@bloemenhuiszon.nl" in email["Reply-To"]
    assert "Bloemenhuis Zon" in email["Subject"] and "98" in email["Subject"]
    plain = email.get_body(preferencelist=("plain",)).get_content()
    html = email.get_body(preferencelist=("html",)).get_content()
    for part in (plain, html):
        assert "Totaalscore" in part and "Anne de Wit" in part and chat.sender in part
    names = [p.get_filename() for p in email.iter_attachments()]
    assert any(name and name.startswith("transcript") for name in names)
    sent = [p for p in outbox.glob("*.eml") if lead.message_id.strip("<>") in p.read_text()]
    assert len(sent) == 1

    # The conversation's journey for the advisor's insights: every step, no typed text.
    row = journey_row(leads, chat, until=lambda found: found["lead_sent_at"] is not None)
    assert row["finished"] and row["followup_at"] and row["consent_at"]
    assert json.loads(row["context"]) == {"sector": "productie", "partner": "nieuw",
                                          "size": "klein (10-49)"}
    assert json.loads(row["answers"]) == dict.fromkeys(
        [q.id for q in load_content().scored][:12], 3) | {"G7": 2}
    assert row["started_at"] <= row["followup_at"] <= row["consent_at"] <= row["lead_sent_at"]
    kept = json.dumps([str(value) for value in row.values()])
    for typed in ("Anne", "Bloemenhuis", "anne@", "uitbesteden", chat.sender):
        assert typed not in kept


def test_correcting_one_field(client, leads) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    chat.say("ja graag")
    chat.say("akkoord")
    chat.say("Joost van der Linden")
    chat.say("Linden Logistiek")
    chat.say("joost@lindenlogistiek.nl")
    chat.say("liever niet")
    chat.say("maakt niet uit")
    chat.say("nee, geen vraag")
    assert "e-mailadres" in chat.say("het mailadres is fout")
    summary = chat.say("joost.vanderlinden@lindenlogistiek.nl")
    assert "E-mail: joost.vanderlinden@lindenlogistiek.nl" in summary
    chat.say("ja")
    lead = lead_of(leads, chat)
    assert lead is not None and lead.email == "joost.vanderlinden@lindenlogistiek.nl"
    assert lead.name == "Joost van der Linden"


def test_hand_over_before_the_scan_is_finished(client, leads) -> None:
    chat = Conversation(client)
    chat.through_context()
    chat.say("grotendeels")
    assert "hoeft niet af" in chat.say("kan ik Marco zelf even spreken?")
    chat.say("ja hoor")
    chat.say("Ik ben Sanne Bakker, sanne@bakkerbouw.nl")
    reply = chat.say("Bakker Bouw")
    for answer in ("nee", "nee", "nee"):
        reply = chat.say(answer)
    assert "Klopt dit?" in reply
    reply = chat.say("ja")
    assert "verder met de scan" in reply
    assert "Vraag 2 van 13" in chat.say("ja graag")
    lead = lead_of(leads, chat)
    assert lead is not None and lead.scan.part_done.startswith("deels")
    assert lead.scan.scores is None


def tracker_events(stack, sender: str) -> int:
    engine = create_engine(stack.config.extra_env["TRACKER_DB_URL"])
    with engine.connect() as connection:
        count = connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"),
                                   {"s": sender}).scalar()
    engine.dispose()
    return int(count or 0)


def test_erasure_removes_the_lead_and_the_conversation(client, leads, stack) -> None:
    chat = Conversation(client)
    finished_scan(chat)
    chat.say("ja graag")
    chat.say("ja")
    chat.say("Ik ben Tom Visser van Visser ICT, tom@visserict.nl")
    for answer in ("nee", "nee", "nee", "ja"):
        chat.say(answer)
    assert lead_of(leads, chat) is not None
    assert "wis" in chat.say("verwijder al mijn gegevens alsjeblieft")
    assert "gewist" in chat.say("ja, wis alles")
    assert lead_of(leads, chat) is None
    deadline = time.monotonic() + 20
    while tracker_events(stack, chat.sender) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert tracker_events(stack, chat.sender) == 0


BAD_INPUT = [
    ("email", "anne@@zon", "e-mail"),
    ("email", "anne at zon dot nl", "e-mail"),
    ("email", "a@b.nl\r\nBcc: x@y.nl", "e-mail"),
    ("name", "A" * 10_000, "lang"),
    ("name", "<script>alert('x')</script>", ""),
    ("name", "<b onmouseover=alert(1)>Anne</b>", ""),
    ("email", "'; DROP TABLE leads; --", "e-mail"),
    ("name", "😀😀😀", ""),
]


@pytest.mark.parametrize(("field", "bad", "hint"), BAD_INPUT)
def test_bad_input_is_refused_in_dutch_and_not_stored(client, leads, field: str, bad: str,
                                                      hint: str) -> None:
    chat = Conversation(client)
    chat.say("kan ik iemand van Circular Clarity spreken?")
    chat.say("ja, akkoord")
    if field == "email":
        chat.say("Lisa Jansen")
        chat.say("Jansen Advies")
    reply = chat.say(bad)
    assert hint.lower() in reply.lower()
    prompt = {"name": "Wat is je naam?", "email": "Op welk e-mailadres"}[field]
    assert prompt in reply, reply
    assert bad not in reply or "<" not in bad
    assert lead_of(leads, chat) is None


def test_no_personal_data_in_the_logs(client, stack) -> None:
    chat = Conversation(client)
    chat.say("ik wil graag een vervolggesprek")
    chat.say("ja, akkoord")
    chat.say("Ik ben Roos Hendriks van Hendriks Hout, roos@hendrikshout.nl, bel 06-98765432")
    for answer in ("nee", "nee", "ja"):
        chat.say(answer)
    logs = "\n".join(path.read_text(errors="replace")
                     for path in stack.config.log_dir.glob("*.log"))
    assert logs, "the stack writes logs"
    for personal in ("Roos Hendriks", "roos@hendrikshout.nl", "98765432", "Hendriks Hout"):
        assert personal not in logs

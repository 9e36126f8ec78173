"""The two-party scan over REST with two senders (issue 17): the inviter's consent and code,
the partner's scan from that code, the comparison on both sides with buckets worked out by
hand, codes that open nothing, guessing slowed down, and erasure by either side.

Hand count (P1..P6 weigh 3,2,2,2,3,2; G1..G7 weigh 3,3,2,2,3,2,2; P1, P5, G1, G2, G5 critical):
  inviter: all 13 "ja, helemaal"                 -> 100 / 100 / 100
  partner: 3,2,1,0,?,3 | 3,3,2,3,3,1,3
           partnerkeuze 9+4+2+0+0+6 = 21/42 = 50; gelijkwaardigheid 9+9+4+6+9+2+6 = 45/51 = 88;
           total 66/93 = 71, capped at 59 (P5, critical, "weet ik niet")
  gaps:    P4 3; P3 2, G6 2 (same weight: scan order); P2 1, G3 1; P5 unknown; the rest 0
  buckets: groot verschil vraag 3, 4, 12; gesprekspunt vraag 2, 9; samen uitzoeken vraag 5
  agenda:  P4, P3, G6
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from mkbscan.leads.invites import code_hash
from mkbscan.leads.lead_flow import PAIR_CONSENT
from mkbscan.leads.schema import partner_invites
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content
from mkbscan.settings import settings
from tests.conversation.helpers import Conversation, lead_of, wait_for_email

pytestmark = pytest.mark.stack
CONTENT = load_content()
INVITER = ["ja, helemaal"] * 13
PARTNER = ["ja, helemaal", "grotendeels", "een beetje", "nee, nog niet", "weet ik niet",
           "ja, helemaal", "ja, helemaal", "ja, helemaal", "grotendeels", "ja, helemaal",
           "ja, helemaal", "een beetje", "ja, helemaal"]
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def topic(question_id: str) -> str:
    text = CONTENT.scored_by_id(question_id).topic
    return text[:1].upper() + text[1:]


def finished(chat: Conversation, answers: list[str]) -> str:
    reply = ""
    for answer in answers:
        reply = chat.say(answer)
    assert "Totaalscore" in reply, reply
    return reply


def invited(client) -> tuple[Conversation, str]:
    """An inviter with a finished scan and the code the bot gave."""
    inviter = Conversation(client)
    inviter.through_context()
    finished(inviter, INVITER)
    asked = inviter.say("zou mijn compagnon deze vragen ook kunnen invullen?")
    assert f"{settings().invite_days} dagen geldig" in asked and "Ga je akkoord?" in asked
    made = inviter.say("ja, prima, maak maar een code")
    codes = set(CODE.findall(made))
    assert len(codes) == 1, made
    code = codes.pop()
    assert f"/#code={code}" in made  # the code in the link's fragment: no server sees it
    return inviter, code


def test_the_partner_scans_with_the_code_and_both_see_the_comparison(client) -> None:
    inviter, code = invited(client)
    partner = Conversation(client)
    partner.say("goedemiddag")
    opened = partner.say(f"hoi, mijn code is {code.lower().replace('-', ' ')}")
    assert "je partner nodigde je uit" in opened.lower()
    assert "nieuw met elkaar gaan samenwerken" in opened  # the inviter's answer, their side
    assert "Vraag 1 van 13" not in opened and "Waar gaat de samenwerking" in opened
    partner.say("IT")
    assert "Vraag 1 van 13" in partner.say("een stuk of twaalf collega's")
    reply = finished(partner, PARTNER)
    assert "Partnerkeuze: jij 50, je partner 100" in reply
    assert "Gelijkwaardigheid: jij 88, je partner 100" in reply
    assert "Totaal: jij 59, je partner 100" in reply
    assert "Groot verschil: vraag 3, 4 en 12" in reply
    assert "Gesprekspunt: vraag 2 en 9" in reply
    assert "Samen uitzoeken: vraag 5" in reply
    assert "Eens: vraag 1, 6, 7, 8, 10, 11 en 13" in reply
    assert f"1. {topic('P4')}\n2. {topic('P3')}\n3. {topic('G6')}" in reply
    assert "doorpraten" in partner.last[-1]["text"]  # the follow-up offer still comes last

    seen = inviter.say("en, wat vond mijn compagnon ervan?")
    assert "Partnerkeuze: jij 100, je partner 50" in seen
    assert "Totaal: jij 100, je partner 59" in seen
    assert "Groot verschil: vraag 3, 4 en 12" in seen
    # the comparison, never the partner's answer per question
    for level in ("Grotendeels", "Een beetje", "Nee, nog niet"):
        assert level not in seen

    # the same code again: this conversation goes on; anyone else gets nothing
    assert "al in met deze code" in partner.say(f"nog eens de code {code}")
    other = Conversation(client)
    assert "niets openen" in other.say(f"kijk, deze kreeg ik: {code}")


def test_codes_that_open_nothing_say_so_and_guessing_is_slowed_down(client, leads) -> None:
    inviter, code = invited(client)
    assert "eigen code" in inviter.say(f"Dit is hem toch: {code}")
    stranger = Conversation(client)
    wrong = "K7QD-M2XR" if code != "K7QD-M2XR" else "K7QD-M3XR"
    nothing = stranger.say(f"deze kreeg ik van een klant: {wrong}")
    assert "niets openen" in nothing and "verlopen" in nothing
    # expired: the same words, nothing more
    with leads.engine.begin() as connection:
        connection.execute(update(partner_invites).where(
            partner_invites.c.code_hash == code_hash(code)).values(
            expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    assert stranger.say(f"of was het deze: {code}") == nothing
    # three more wrong codes (five in all), then even a right one is not looked up
    for n in range(3):
        stranger.say(f"code {n + 2}B{n + 3}D-M2XR")
    assert "te veel verkeerde codes" in stranger.say(f"laatste poging: {invited(client)[1]}")


def partner_done(client, first_words: str, sector: str, size: str) -> Conversation:
    """A partner who opened the invitation with `first_words` and finished the scan."""
    partner = Conversation(client)
    partner.say(first_words)
    partner.say(sector)
    partner.say(size)
    finished(partner, PARTNER)
    return partner


def erased(chat: Conversation) -> None:
    assert "helemaal wis?" in chat.say("haal al mijn antwoorden weg graag")
    chat.say("ja, wis alles")


def test_erasure_by_either_side_removes_its_part_and_the_comparison(client,
                                                                    leads: LeadStore) -> None:
    inviter, code = invited(client)
    erased(partner_done(client, f"Goedendag, ik kreeg deze code: {code}", "logistiek",
                        "met z'n vijven"))
    assert "laten wissen" in inviter.say("heeft mijn compagnon de scan al gedaan?")

    inviter, code = invited(client)
    partner = partner_done(client, f"Goeiemorgen, mijn klant gaf me {code}", "productie",
                           "wij zijn met 8 mensen")
    erased(inviter)
    assert "geen vergelijking meer" in partner.say("hoe keek mijn klant er eigenlijk tegenaan?")
    with leads.engine.connect() as connection:
        rows = connection.execute(partner_invites.select().where(
            partner_invites.c.code_hash == code_hash(code))).all()
    assert rows == []


def handed_over(chat: Conversation, leads: LeadStore, outbox, asked: str, who: str) -> str:
    """The follow-up with consent and details over REST; the lead's e-mail as plain text."""
    consent = chat.say(asked)
    assert "als je partner een gesprek aanvraagt" in consent, consent
    assert "alleen als je partner daar zelf ja op zegt" in consent
    assert "Wat is je naam?" in chat.say("ja, ik ga akkoord")
    chat.say(f"Ik ben {who} van {who.split()[-1]} Logistiek, {who.split()[0].lower()}@example.nl")
    chat.say("liever niet")
    chat.say("maakt niet uit")
    assert "Klopt dit?" in chat.say("geen vraag")
    assert "Marco" in chat.say("ja klopt, verstuur maar")
    lead = lead_of(leads, chat)
    assert lead is not None and lead.consent_version.endswith(PAIR_CONSENT)
    email = wait_for_email(outbox, lead.message_id)
    return email.get_body(preferencelist=("plain",)).get_content()


def test_the_lead_email_holds_each_part_only_with_its_owner_s_consent(client, leads,
                                                                      outbox) -> None:
    """The partner asks for a talk first: their lead holds their own part and says the
    inviter's is missing. Then the inviter asks: both parts and the comparison."""
    inviter, code = invited(client)
    partner = partner_done(client, f"hallo, ik heb deze code gekregen: {code}", "logistiek",
                           "wij werken met 20 mensen")
    plain = handed_over(partner, leads, outbox, "ja, ik wil wel doorpraten met Marco",
                        "Piet Jansen")
    assert "Samen met de partner" in plain and "daar is geen toestemming voor" in plain
    assert "groot verschil" not in plain and "ondernemer 59, partner 100" not in plain

    plain = handed_over(inviter, leads, outbox, "kan ik Marco eens spreken over de uitkomst?",
                        "Anne Smit")
    assert "Partnerkeuze: ondernemer 100, partner 50" in plain
    assert "Totaalscore: ondernemer 100, partner 59" in plain
    assert f"4. {CONTENT.scored_by_id('P4').topic}: groot verschil (ondernemer: Ja, helemaal;" \
           " partner: Nee, nog niet)" in plain
    assert f"5. {CONTENT.scored_by_id('P5').topic}: samen uitzoeken" in plain
    assert f"Voorgestelde agenda: 1. {CONTENT.scored_by_id('P4').topic}; " \
           f"2. {CONTENT.scored_by_id('P3').topic}; 3. {CONTENT.scored_by_id('G6').topic}" in plain

"""Scan content 2.0 over REST, typed as a user would: each track has its own wording, the
advice follows the sector, and the result comes compact (scores with the phase, the plan,
the offer)."""

from __future__ import annotations

import re

import pytest

from mkbscan.scan.plan import build_plan
from mkbscan.scan.questions import Profile, load_content
from mkbscan.scan.scoring import compute_result
from mkbscan.wording import all_texts
from tests.conversation.helpers import Conversation

pytestmark = pytest.mark.stack
CONTENT = load_content()
SECTOR = "we willen onze productie uitbesteden"
SIZE = "zo'n 25 man"
PARTNER = {  # how a user names each track
    "existing": "onze vaste leverancier, daar werken we al jaren mee",
    "new": "een bedrijf waar we pas net mee in gesprek zijn",
    "none": "eerlijk gezegd heb ik nog niemand op het oog",
}
TYPED = {3: "ja hoor, helemaal", 2: "grotendeels wel", 1: "een klein beetje", 0: "nee hoor",
         None: "geen idee"}
LEVELS = [2, 3, 1, 0, 2, None, 3, 1, 2, 0, 3, 2, 1]
PRESUMES_A_PARTNER = re.compile(r"\b(je partner|jullie|de partner)\b", re.IGNORECASE)


def scan(client, partner: str, sector: str = SECTOR, levels: list | None = None
         ) -> tuple[Conversation, list[str], str]:
    """Run a whole scan; returns the conversation, every question text shown, the result."""
    levels = levels or LEVELS
    chat = Conversation(client)
    chat.say("hallo")
    chat.say("ik wil graag de samenwerkingsscan invullen")
    chat.say(sector)
    chat.say(partner)
    reply = chat.say(SIZE)
    shown = []
    for level in levels:
        shown.append(reply)
        reply = chat.say(TYPED[level])
    return chat, shown, reply


@pytest.mark.parametrize("track", ["existing", "new", "none"])
def test_each_track_asks_in_its_own_wording_and_plans_for_it(client, track: str) -> None:
    chat, shown, reply = scan(client, PARTNER[track])
    profile = Profile(track=track, sector="productie")
    for question, seen in zip(CONTENT.scored, shown, strict=True):
        assert question.worded(profile).text in seen, (track, question.id, seen)
    if track == "none":
        for question in CONTENT.scored:
            text = question.worded(profile).text
            assert not PRESUMES_A_PARTNER.search(text), (question.id, text)
    answers = {q.id: level for q, level in zip(CONTENT.scored, LEVELS, strict=True)}
    plan = build_plan(compute_result(answers, CONTENT), answers, profile, CONTENT)
    texts = [m["text"] for m in chat.last if "text" in m]
    # the scores with the phase, the plan, the report's link, the offer
    assert len(chat.last) == 4, texts
    scores, advice, link, offer = texts
    assert "Totaalscore:" in scores and "Totaalscore" not in advice + link + offer
    assert "/rapport/" in link
    assert "Fase " in scores and "Marco" in offer
    positions = [advice.index(strength) for strength in plan.strengths]
    positions.append(advice.index(plan.route))
    positions += [advice.index(f"{n}. {step.action}") for n, step in
                  enumerate(plan.steps, start=1)]
    assert plan.steps and positions == sorted(positions)  # strengths, route, steps in order


def test_the_same_answers_in_another_sector_give_the_sector_s_advice(client) -> None:
    levels = [3, 0, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3]  # P2 (core activities) is the weak point
    answers = {q.id: level for q, level in zip(CONTENT.scored, levels, strict=True)}
    result = compute_result(answers, CONTENT)
    replies = {}
    for sector, typed in (("productie", SECTOR), ("IT", "het beheer van onze software en IT")):
        profile = Profile(track="new", sector=sector)
        expected = build_plan(result, answers, profile, CONTENT).steps[0].action
        _, _, reply = scan(client, PARTNER["new"], typed, levels)
        assert expected in reply, (sector, reply)
        replies[sector] = expected
    assert replies["productie"] != replies["IT"]


# Answers about one's own preparation, one per question in the order asked, on the "no partner
# yet" wording ("Weet je hoe je …?"): "nog niet uitgezocht" there is a low level, not
# "weet ik niet" (issue 14, the fourth evaluation set).
OWN_PREPARATION = (
    ("Twee eisen heb ik: iemand uit de buurt en met een keurmerk, meer heb ik nog niet.", 1),
    ("Zeker, wat mensen bij mij halen is het ontwerp en het advies aan huis.", 3),
    ("Wat mijn klanten precies eisen van dat deel heb ik nooit op een rij gezet.", 0),
    ("Ik heb er nog geen moment bij stilgestaan hoe ik dat zou controleren.", 0),
    ("Ja, ik wil er kennis over duurzame materialen uit halen en dat staat in mijn jaarplan.", 3),
    ("Ik vraag ze om een eigen voorstel voor ons, dat is het grootste deel; hoe ik dat "
     "beoordeel moet ik nog uitwerken.", 2),
    ("Een paar dingen schieten me te binnen, zoals meer vaste klanten, maar uitgewerkt is het "
     "niet.", 1),
    ("Ruwweg een bedrag in mijn hoofd, maar wat het minimaal moet opbrengen heb ik nooit "
     "uitgerekend.", 1),
    ("Daar ben ik eigenlijk nog niet aan toegekomen, ik zit midden in een verbouwing.", 0),
    ("Mijn prijzen en mijn personeel beslis ik zelf, dat staat voor mij vast.", 3),
    ("Dat moet mijn compagnon bepalen, hij doet de gesprekken met leveranciers.", None),
    ("De meeste zwakke plekken ken ik wel, alleen mijn cijfers moet ik nog eens goed "
     "bekijken.", 2),
    ("Mijn werkvoorbereider zeker, wie er verder bij komt heb ik nog niet uitgezocht.", 1),
)


def test_no_partner_yet_answers_about_own_preparation_are_read_as_levels(client) -> None:
    chat = Conversation(client)
    for message in ("hallo", "ik wil graag de samenwerkingsscan invullen", SECTOR,
                    PARTNER["none"], SIZE):
        chat.say(message)
    asked_back = 0
    for question, (typed, level) in zip(CONTENT.scored, OWN_PREPARATION, strict=True):
        reply = chat.say(typed)
        label = CONTENT.scale_button(level)
        if any(text in reply for text in all_texts()["check_back"]):
            # asking back is fine, if it offers the right level
            assert label in chat.buttons(), (question.id, typed, chat.buttons())
            asked_back += 1
            continue_with = chat.say(label)
            assert question.id == CONTENT.scored[-1].id or "Vraag" in continue_with
            continue
        noted = f"Genoteerd: {label[:1].lower()}{label[1:]}."
        assert noted in reply, (question.id, typed, reply)
    assert asked_back <= 2  # and most are noted at once

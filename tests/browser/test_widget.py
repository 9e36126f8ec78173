"""The website widget in a real browser: the whole scan by buttons, the lead, reloads, safety."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mkbscan.leads.store import LeadStore
from mkbscan.scan.scoring import compute_result
from tests.browser.chat import CONTENT, Chat
from tests.conversation.helpers import wait_for_email

pytestmark = [pytest.mark.stack, pytest.mark.browser]

# One button per scored question, every level and "Weet ik niet" at least once.
ANSWERS = ("Ja, helemaal", "Grotendeels", "Een beetje", "Ja, helemaal", "Weet ik niet",
           "Grotendeels", "Ja, helemaal", "Grotendeels", "Nee, nog niet", "Ja, helemaal",
           "Een beetje", "Grotendeels", "Ja, helemaal")
LEVELS = {option.button: option.level for option in CONTENT.scale}
Shoot = Callable[[Page, str], None]


def test_page_is_dutch_and_widget_is_configured(page: Page, page_errors: list[str],
                                                 site: str) -> None:
    page.goto(site)
    expect(page).to_have_title(re.compile("De essentie van samenwerken"))
    assert page.evaluate("document.documentElement.lang") == "nl"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is je bedrijf klaar voor een strategische samenwerking?")
    expect(page.get_by_role("button", name="Nieuw gesprek")).to_be_visible()
    Chat(page).open()
    expect(page.locator(".mkb-header")).to_contain_text("Samenwerkingsscan")
    expect(page.locator(".mkb-header")).to_contain_text("Circular Clarity")
    expect(page.get_by_placeholder("Typ je bericht...")).to_be_visible()
    expect(page.locator(".mkb-log .mkb-choice")).to_have_text(["Start de scan", "Wat kun je?"])
    assert page_errors == []


def test_whole_scan_by_buttons_then_lead_is_stored_and_mailed(
        page: Page, page_errors: list[str], site: str, stack: Any, shoot: Shoot) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    for number, button in enumerate(ANSWERS, start=1):
        chat.answer(number, button)
        if number == 7:
            shoot(page, "halfway")

    answers = {q.id: LEVELS[button] for q, button in zip(CONTENT.scored, ANSWERS, strict=True)}
    result = compute_result(answers, CONTENT)
    card = page.locator(".mkb-log .mkb-card").last
    expect(card.locator(".mkb-card-score")).to_have_text(str(result.total))
    expect(card.locator(".mkb-card-band")).to_have_text(result.band)
    expect(card.locator(".mkb-phase.mkb-current")).to_have_text(result.band)
    chart = card.locator(".mkb-card-chart")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=chart.element_handle())
    assert chart.get_attribute("src").startswith("data:image/svg+xml")
    alt = chart.get_attribute("alt")
    for theme, score in (("Partnerkeuze", result.theme_score("partnerkeuze")),
                         ("Gelijkwaardigheid", result.theme_score("gelijkwaardigheid")),
                         ("Totaalscore", result.total)):
        assert f"{theme} {score}" in alt
    # The card's top stays in view: the log does not scroll past it to the offer.
    chat.expect_bot("Wil je hier eens over doorpraten")
    assert page.evaluate("""card => {
        const log = card.closest('.mkb-log').getBoundingClientRect();
        const top = card.querySelector('.mkb-card-total').getBoundingClientRect();
        return top.top >= log.top && top.bottom <= log.bottom; }""", card.element_handle())
    shoot(page, "result")

    chat.expect_bot("Wil je hier eens over doorpraten")
    steps = len(CONTENT.order)
    expect(page.locator(".mkb-progress-label")).to_have_text(f"Stap {steps} van {steps}")
    expect(page.locator(".mkb-question-tools")).to_have_count(0)  # no "Vorige" at the result
    chat.click("Ja, graag")
    chat.expect_bot("Ga je akkoord?")
    chat.click("Ja, akkoord")
    chat.expect_bot("Wat is je naam?")
    chat.type("Anne de Vries")
    chat.expect_bot("hoe heet je bedrijf?")
    chat.type("Bakkerij Zon")
    chat.expect_bot("Op welk e-mailadres")
    chat.type("anne@zon.nl")
    chat.expect_bot("telefoonnummer")
    chat.click("Sla over")
    chat.expect_bot("Wanneer komt een gesprek")
    chat.click("Maakt niet uit")
    chat.expect_bot("vraag voor Marco")
    chat.click("Nee, geen vraag")
    summary = chat.expect_bot("Klopt dit?")
    expect(summary).to_contain_text("Anne de Vries")
    expect(summary).to_contain_text("anne@zon.nl")
    shoot(page, "summary")
    chat.click("Ja, verstuur")
    chat.expect_bot("Je gegevens zijn bij Marco")

    leads = LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])
    try:
        found = [lead for lead in leads.list_leads() if lead.conversation_id == chat.session_id()]
    finally:
        leads.dispose()
    assert len(found) == 1, found
    lead = found[0]
    assert (lead.name, lead.company, lead.email) == ("Anne de Vries", "Bakkerij Zon",
                                                     "anne@zon.nl")
    assert lead.consent_given_at is not None
    assert lead.scan.scores.total == result.total
    email = wait_for_email(Path(stack.config.extra_env["MAIL_OUTBOX_DIR"]), lead.message_id)
    assert email["To"] == "marco@circularclarity.org"
    assert "Bakkerij Zon" in email["Subject"]
    assert page_errors == []


def test_reload_mid_scan_continues_at_the_same_question(page: Page, site: str,
                                                        shoot: Shoot) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    chat.answer(1, "Grotendeels")
    chat.answer(2, "Een beetje")
    session = chat.session_id()

    page.reload()
    chat.expect_bot("Vraag 3 van 13")
    expect(chat.bot("Vraag 4 van 13")).to_have_count(0)
    assert chat.session_id() == session
    shoot(page, "after-reload")
    chat.answer(3, "Ja, helemaal")
    chat.answer(4, "Nee, nog niet")
    assert chat.session_id() == session


def test_new_conversation_only_after_a_confirmation(page: Page, site: str) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    old_session = chat.session_id()

    page.get_by_role("button", name="Nieuw gesprek").first.click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Nee, ga verder").click()
    expect(confirm).to_be_hidden()
    expect(chat.bot("Vraag 1 van 13")).to_be_visible()
    assert chat.session_id() == old_session

    page.get_by_role("button", name="Nieuw gesprek").first.click()
    page.get_by_role("alertdialog").get_by_role("button", name="Ja, opnieuw beginnen").click()
    chat.expect_bot("digitale assistent van Circular Clarity")
    expect(chat.reply("Start de scan")).to_be_visible()
    expect(chat.bot("Vraag 1 van 13")).to_have_count(0)
    assert chat.session_id() != old_session
    chat.start_scan()


def test_typed_html_is_shown_as_text_and_never_run(csp_bypassed: Page, site: str,
                                                    shoot: Shoot) -> None:
    # Without the page's Content-Security-Policy, which would block inline script on its
    # own: this test is about the widget escaping what the user types.
    page = csp_bypassed
    page.goto(site)
    chat = Chat(page)
    chat.open()
    attack = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>"
    chat.type(attack)
    expect(chat.user(attack).last.locator(".mkb-text-body")).to_have_text(attack)
    # The bot has answered after the message, so it went through the whole round trip.
    expect(page.locator(".mkb-message").last).to_have_class(re.compile("mkb-bot"))
    assert page.locator(".mkb-log img[src='x']").count() == 0
    assert page.locator(".mkb-log script").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    shoot(page, "typed")


def test_phone_and_keyboard(phone: Page, site: str, shoot: Shoot) -> None:
    phone.goto(site)
    chat = Chat(phone)
    phone.get_by_role("button", name="Start de samenwerkingsscan").focus()
    phone.keyboard.press("Enter")
    chat.expect_bot("digitale assistent van Circular Clarity")
    box = chat.panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    expect(chat.panel).to_have_attribute("aria-modal", "true")  # full screen on a phone
    start = chat.reply("Start de scan")
    start.focus()
    phone.keyboard.press("Enter")
    chat.expect_bot("Vooraf 1 van 3")
    field = phone.get_by_placeholder("Typ je bericht...")
    field.focus()
    phone.keyboard.type("productie")
    phone.keyboard.press("Enter")
    chat.expect_bot("Vooraf 2 van 3")
    shoot(phone, "phone")

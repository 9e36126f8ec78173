"""The result card and the personal report in real Chromium, desktop and phone: the card in
view, the report's page and PDF, reloads, accessibility, and an erased link that is gone."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from mkbscan.scan.scoring import compute_result
from mkbscan.settings import settings
from mkbscan.wording import facts
from tests.browser.chat import CONTENT, Chat
from tests.browser.test_widget_ux import serious_violations

pytestmark = [pytest.mark.stack, pytest.mark.browser]

ANSWERS = ("Grotendeels", "Een beetje", "Ja, helemaal", "Weet ik niet", "Nee, nog niet",
           "Grotendeels", "Een beetje", "Ja, helemaal", "Grotendeels", "Een beetje",
           "Grotendeels", "Nee, nog niet", "Ja, helemaal")
LEVELS = {option.button: option.level for option in CONTENT.scale}
RESULT = compute_result({q.id: LEVELS[b] for q, b in zip(CONTENT.scored, ANSWERS, strict=True)},
                        CONTENT)
Shoot = Callable[[Page, str], None]


def card_top_in_view(page: Page) -> bool:
    return bool(page.evaluate("""() => {
        const card = [...document.querySelectorAll('.mkb-log .mkb-card')].pop();
        const log = card.closest('.mkb-log').getBoundingClientRect();
        const top = card.querySelector('.mkb-card-total').getBoundingClientRect();
        return top.top >= log.top && top.bottom <= log.bottom; }"""))


def scan_to_the_card(page: Page, site: str) -> Chat:
    """The whole scan by buttons; the card's top stays in view when the offer follows."""
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.whole_scan(ANSWERS)
    chat.expect_bot("Wil je hier eens over doorpraten")
    assert card_top_in_view(page)
    return chat


def report_link(page: Page) -> str:
    link = page.locator(".mkb-log .mkb-card .mkb-card-report").last
    expect(link).to_be_visible()
    return str(link.get_attribute("href"))


def test_desktop_card_report_pdf_and_erasure(csp_bypassed: Page, site: str,
                                             shoot: Shoot) -> None:
    page = csp_bypassed  # axe-core is injected
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    chat = scan_to_the_card(page, site)
    shoot(page, "card")
    card = page.locator(".mkb-log .mkb-card").last
    expect(card.locator(".mkb-card-score")).to_have_text(str(RESULT.total))
    # Each example opens; lines "a | b" are drawn as a table.
    steps = chat.stored_card()["plan"]["steps"]
    summaries = card.locator(".mkb-step-example summary")
    expect(summaries).to_have_count(sum(1 for step in steps if step["example"]))
    for index in range(summaries.count()):
        summaries.nth(index).click()
    expect(card.locator(".mkb-example-table")).to_have_count(
        sum(1 for step in steps if " | " in step["example"]))
    assert serious_violations(page) == []

    url = report_link(page)
    token = urlsplit(url).path.rsplit("/", 1)[-1]
    # Nothing but the token in the link: no name, address or conversation id.
    assert urlsplit(url).path == f"/rapport/{token}" and not urlsplit(url).query
    assert len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    with page.context.expect_page() as opened:
        card.locator(".mkb-card-report").click()
    report = opened.value
    report.wait_for_load_state()
    local = site.rstrip("/") + urlsplit(report.url).path
    report.goto(local)  # the link names SITE_URL; the test's page is on 127.0.0.1
    expect(report.locator(".report-score")).to_have_text(str(RESULT.total))
    expect(report.locator(".report-phase.current")).to_have_text(RESULT.band)
    expect(report.locator(".report-questions > li")).to_have_count(len(CONTENT.scored))
    assert serious_violations(report) == []
    shoot(report, "report")

    with report.expect_download() as download:
        report.get_by_role("link", name="Download als pdf").click()
    pdf = download.value.path()
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   check=True).stdout.decode().split())
    assert f"Totaalscore {RESULT.total}" in text and RESULT.band in text
    for theme in CONTENT.themes:
        assert f"{theme.name} {RESULT.theme_score(theme.id)}" in text

    chat.type("verwijder mijn gegevens")
    chat.click("Ja, wis alles")
    chat.expect_bot("gewist")
    response = report.goto(local)
    assert response is not None and response.status == 404
    expect(report.get_by_role("heading", level=1)).to_contain_text("bestaat niet")
    assert errors == []


def test_phone_card_in_view_and_kept_after_a_reload(phone: Page, site: str,
                                                   shoot: Shoot) -> None:
    scan_to_the_card(phone, site)
    chart = phone.locator(".mkb-log .mkb-card .mkb-card-chart").last
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 300  # legible: nearly the phone's width
    shoot(phone, "card")
    url = report_link(phone)
    phone.reload()
    expect(phone.locator(".mkb-log .mkb-card .mkb-card-score")).to_have_text(str(RESULT.total))
    assert report_link(phone) == url
    phone.goto(site.rstrip("/") + urlsplit(url).path)
    expect(phone.locator(".report-score")).to_have_text(str(RESULT.total))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the report scrolls sideways on a phone"
    shoot(phone, "report")


def test_privacy_statement_says_what_the_consent_says(csp_bypassed: Page, site: str,
                                                      shoot: Shoot) -> None:
    page = csp_bypassed
    page.goto(site)
    page.get_by_role("link", name="Privacy").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    body = page.locator("main").inner_text()
    assert settings().advisor_email in body and str(facts()["retention"]) in body
    assert "verwijder mijn gegevens" in body
    assert serious_violations(page) == []
    shoot(page, "privacy")
    page.goto(site)
    expect(page.locator(".example-result svg")).to_be_visible()
    assert serious_violations(page) == []

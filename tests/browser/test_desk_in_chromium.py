"""The advisor's desk in Chromium: log in, find a lead, open it, export, erase, log out; and
the insights, which count a scan taken with the real bot."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mkbscan.leads import advisors as accounts
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.snapshot import Answer, ScanSnapshot, Scores, ThemeScore
from tests.conversation.helpers import Conversation

pytestmark = [pytest.mark.stack, pytest.mark.browser]
PASSWORD = "een lang wachtwoord 42"
Shoot = Callable[[Page, str], None]


def seeded(stack: Any) -> tuple[LeadStore, str, str]:
    """An advisor account and one lead of a company no other test uses."""
    store = LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])
    email = f"marco-{uuid.uuid4().hex[:8]}@example.org"
    accounts.add_advisor(store, email, PASSWORD)
    company = f"Kaasmakerij {uuid.uuid4().hex[:6]}"
    scan = ScanSnapshot(
        part_done="volledig",
        context=(Answer("C1", "Waar gaat de samenwerking vooral over?", "productie"),
                 Answer("C3", "Hoeveel mensen werken er in je bedrijf?", "12 (klein (10-49))")),
        answers=(Answer("P1", "Heb je je partner bewust gekozen?", "Grotendeels"),),
        scores=Scores(themes=(ThemeScore("partnerkeuze", "Partnerkeuze", 67),
                              ThemeScore("gelijkwaardigheid", "Gelijkwaardigheid", 50)),
                      total=58, band="Voorbereiden", capped=False),
        advice=("Schrijf vijf criteria op.",))
    store.submit_lead(f"desk-{uuid.uuid4().hex[:8]}",
                      LeadContact(name="Joke Bos", company=company, email="joke@kaas.nl"),
                      "toestemming-v3-2026-12", datetime(2026, 12, 1, tzinfo=timezone.utc),
                      scan, "Jij: hallo\nAssistent: hoi")
    return store, email, company


def test_log_in_find_open_export_erase_log_out(page: Page, site: str, stack: Any,
                                               shoot: Shoot) -> None:
    store, email, company = seeded(stack)
    page.goto(f"{site}advisor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leads")

    page.get_by_label("Zoek op naam, bedrijf of e-mail").fill(company.split()[1])
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".desk-table tbody tr")).to_have_count(1)
    shoot(page, "list")
    page.get_by_role("link", name=company).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(company)
    expect(page.locator("main")).to_contain_text("joke@kaas.nl")
    expect(page.locator(".desk-chart svg")).to_be_visible()
    expect(page.locator(".desk-transcript")).to_contain_text("Assistent: hoi")
    page.get_by_label("Status").select_option(label="Afspraak")
    page.get_by_label("Datum").fill("2026-12-15")
    page.get_by_label("Notitie").fill("Koffie op dinsdag, neemt de ketenpartner mee")
    page.get_by_role("button", name="Bewaar").click()
    history = page.get_by_role("list", name="Eerdere stappen")
    expect(history).to_contain_text("Afspraak")
    expect(history).to_contain_text("2026-12-15")
    expect(history).to_contain_text("neemt de ketenpartner mee")
    shoot(page, "lead")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteer (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    mine = [row for row in rows if row["company"] == company]
    assert len(mine) == 1 and mine[0]["email"] == "joke@kaas.nl" and mine[0]["totaalscore"] == "58"

    page.goto(f"{site}advisor/leads")
    page.get_by_label("Fase").select_option("Voorbereiden")
    page.get_by_label("Sector").select_option("productie")
    page.get_by_label("Grootte").select_option("klein (10-49)")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".desk-table tbody tr").filter(has_text=company)).to_have_count(1)
    page.get_by_label("Grootte").select_option("micro (2-9)")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".desk-table tbody tr").filter(has_text=company)).to_have_count(0)
    page.goto(f"{site}advisor/leads?status=new")
    expect(page.locator(".desk-table tbody tr").filter(has_text=company)).to_have_count(0)
    page.goto(f"{site}advisor/leads?status=appointment")
    expect(page.locator(".desk-table tbody tr").filter(has_text=company)).to_have_count(1)
    page.get_by_role("link", name=company).click()
    page.get_by_role("link", name="Lead wissen").click()
    page.get_by_role("button", name="Ja, wis alles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leads")
    page.get_by_label("Zoek op naam, bedrijf of e-mail").fill(company)
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".desk-table tbody tr")).to_have_count(0)
    assert not [lead for lead in store.list_leads() if lead.company == company]
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteer (CSV)").click()
    assert company not in download.value.path().read_text()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.goto(f"{site}advisor/leads")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def funnel_counts(page: Page) -> dict[str, int]:
    """The funnel's table (it is there, folded, under the chart): step -> count."""
    rows = page.locator("#funnel table tbody tr")
    return {(rows.nth(n).locator("th").text_content() or "").strip():
            int(rows.nth(n).locator("td").first.text_content() or "0")
            for n in range(rows.count())}


def test_insights_count_a_scan_taken_with_the_bot(page: Page, site: str, stack: Any,
                                                  client: Any, shoot: Shoot) -> None:
    _, email, _ = seeded(stack)
    page.goto(f"{site}advisor/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Inzicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat de scan laat zien")
    before = funnel_counts(page)

    chat = Conversation(client)
    chat.through_context()
    for answer in ["ja helemaal"] * 12 + ["een beetje"]:
        reply = chat.say(answer)
    assert "Totaalscore" in reply

    page.reload()
    after = funnel_counts(page)
    for step in ("Gesprek geopend", "Scan begonnen", "Vragen vooraf beantwoord",
                 "Vraag 13 beantwoord", "Uitslag bereikt"):
        assert after[step] == before[step] + 1, step
    assert after["Toestemming gegeven"] == before["Toestemming gegeven"]
    section = page.locator("#funnel")
    expect(section.locator("svg[role=img]")).to_be_visible()
    section.get_by_text("Als tabel").click()
    expect(section.locator("table")).to_be_visible()
    shoot(page, "insights")
    page.get_by_role("link", name="Laatste 4 weken").click()
    first = page.url.split("van=")[1].split("&")[0]
    expect(page.get_by_label("Van", exact=True)).to_have_value(first)
    assert funnel_counts(page)["Uitslag bereikt"] >= 1
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.locator("#answers svg").evaluate("svg => svg.getBoundingClientRect().width")
    assert width >= 300  # the answers' chart uses the phone's width
    shoot(page, "insights-phone")

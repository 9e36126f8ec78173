"""The widget as a visitor uses it (issue 15): progress, "Vorige" and "Waarom?", clear chosen
states, keyboard and screen-reader basics, full page, and nothing loaded from other hosts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from mkbscan.scan.questions import load_content
from tests.browser.chat import CONTEXT_CHOICES, Chat

pytestmark = [pytest.mark.stack, pytest.mark.browser]
CONTENT = load_content()
STEPS = len(CONTENT.order)
CONTEXT = len(CONTENT.context)
Shoot = Callable[[Page, str], None]


def test_the_progress_bar_advances_and_the_question_has_previous_and_why(
        page: Page, site: str, shoot: Shoot) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    bar = page.locator(".mkb-progress-bar")
    expect(bar).to_be_hidden()  # no scan yet
    chat.click("Start de scan")
    chat.expect_bot("Vooraf 1 van 3")
    expect(page.locator(".mkb-progress-label")).to_have_text(f"Stap 1 van {STEPS}")
    expect(bar).to_have_attribute("max", str(STEPS))
    question = chat.bot("Vooraf 1 van 3").last
    expect(question.get_by_role("button", name="Waarom?")).to_be_visible()
    expect(question.get_by_role("button", name="Vorige")).to_have_count(0)  # the first step
    for number, choice in enumerate(CONTEXT_CHOICES, start=1):
        chat.expect_bot(f"Vooraf {number} van 3")
        chat.click(choice)
    chat.expect_bot("Vraag 1 van 13")
    expect(page.locator(".mkb-progress-label")).to_have_text(f"Stap {CONTEXT + 1} van {STEPS}")
    chat.answer(1, "Grotendeels")
    expect(page.locator(".mkb-progress-label")).to_have_text(f"Stap {CONTEXT + 2} van {STEPS}")
    assert int(bar.evaluate("bar => bar.value")) == CONTEXT + 2
    shoot(page, "progress")

    # "Waarom?" explains the open question, which is then asked again.
    current = chat.bot("Vraag 2 van 13").last
    current.get_by_role("button", name="Waarom?").click()
    expect(chat.bot("Vraag 2 van 13")).to_have_count(2)
    # Tools sit only under the open question.
    expect(page.locator(".mkb-question-tools")).to_have_count(1)
    # "Vorige" goes back to question 1.
    chat.bot("Vraag 2 van 13").last.get_by_role("button", name="Vorige").click()
    expect(chat.bot("Vraag 1 van 13")).to_have_count(2)
    expect(page.locator(".mkb-progress-label")).to_have_text(f"Stap {CONTEXT + 1} van {STEPS}")


def test_a_chosen_answer_stays_marked_and_new_buttons_do_not_look_chosen(
        page: Page, site: str) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    chat.answer(1, "Grotendeels")  # a click: the pointer now rests where that button was
    chosen = page.locator(".mkb-choices.mkb-settled").last.locator(".mkb-chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text("Grotendeels")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".mkb-settled .mkb-choice:not(:disabled)")).to_have_count(0)
    live = page.locator(".mkb-choices:not(.mkb-settled) .mkb-choice")

    def backgrounds() -> list[str]:
        return [str(live.nth(i).evaluate("b => getComputedStyle(b).backgroundColor"))
                for i in range(live.count())]

    # The next question's buttons appeared under a resting pointer: none looks touched.
    assert len(set(backgrounds())) == 1, backgrounds()
    chosen_background = chosen.evaluate("b => getComputedStyle(b).backgroundColor")
    assert chosen_background not in backgrounds()
    # Once the pointer moves over them, the one under it shows its hover (not "chosen").
    box = live.nth(2).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 8, box["y"] + 8, steps=3)
    hovered = backgrounds()
    assert hovered[2] != hovered[0] and hovered[2] != chosen_background, hovered


def test_keyboard_and_screen_reader_basics(page: Page, site: str) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    log = page.locator(".mkb-log")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Verstuur")).to_be_visible()
    expect(page.get_by_role("textbox", name="Je bericht")).to_be_focused()
    expect(chat.reply("Start de scan")).to_be_visible()
    for selector in (".mkb-log .mkb-choice", ".mkb-send", ".mkb-tool"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, selector
    # Answer by keyboard only: Tab to the first answer, Enter; focus moves on to the next
    # question's answers.
    chat.reply("Start de scan").focus()
    page.keyboard.press("Enter")
    chat.expect_bot("Vooraf 1 van 3")
    expect(chat.reply("Productie")).to_be_visible()
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == CONTENT.context[0].buttons[0], focused
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second answer of C1
    chat.expect_bot("Vooraf 2 van 3")
    # Escape closes the panel and gives focus back to the launcher.
    page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(page.locator(".mkb-launcher")).to_be_focused()


def test_full_page_mode_keeps_focus_inside(page: Page, site: str, shoot: Shoot) -> None:
    page.goto(site)
    chat = Chat(page)
    chat.open()
    page.get_by_role("button", name="Volledig scherm").click()
    box = chat.panel.bounding_box()
    assert box is not None and box["width"] >= 1279 and box["height"] >= 799
    expect(chat.panel).to_have_attribute("aria-modal", "true")
    for _ in range(12):
        page.keyboard.press("Tab")
        inside = page.evaluate("document.querySelector('.mkb-panel')"
                               ".contains(document.activeElement)")
        assert inside
    shoot(page, "full-page")
    page.get_by_role("button", name="Kleiner venster").click()
    box = chat.panel.bounding_box()
    assert box is not None and box["width"] < 500
    expect(chat.panel).to_have_attribute("aria-modal", "false")


def test_no_request_to_another_host_and_no_console_error(page: Page, site: str) -> None:
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text)
            if message.type == "error" else None)
    page.goto(site)
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    hosts = {urlsplit(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, sorted(hosts)
    assert console == []
    assert any(re.search(r"/socket\.io/", url) for url in requests)


AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[tuple[str, str, list[str]]]:
    """axe-core (from npm, web/package.json) on the page as it is now: serious or critical."""
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"][0] for n in v["nodes"]][:3])
            for v in report["violations"] if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violation_on_the_page_and_the_open_widget(
    csp_bypassed: Page, site: str) -> None:
    page = csp_bypassed
    page.goto(site)
    assert serious_violations(page) == []
    chat = Chat(page)
    chat.open()
    chat.start_scan()
    chat.answer(1, "Grotendeels")
    assert serious_violations(page) == []
    # The check can fail: a button without a name is a critical violation.
    page.evaluate("document.querySelector('.mkb-log').append("
                  "document.createElement('button'))")
    assert "button-name" in {rule for rule, _, _ in serious_violations(page)}

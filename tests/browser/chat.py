"""Driving the chat widget (<mkb-chat>) on the demo page like a user: click, type, wait."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from mkbscan.scan.questions import load_content

CONTENT = load_content()
CONTEXT_CHOICES = ("Productie", "Een nieuwe partner", "10 tot 49")
STORAGE_KEY = "mkbscan_chat"  # web/widget.js
TIMEOUT_MS = 20_000  # a bot turn takes a second or two; leave room for a busy machine


@dataclass
class Chat:
    page: Page

    @property
    def messages(self) -> Locator:
        return self.page.locator("mkb-chat .mkb-log")

    @property
    def panel(self) -> Locator:
        return self.page.locator("mkb-chat .mkb-panel")

    def bot(self, text: str | re.Pattern[str]) -> Locator:
        return self.page.locator(".mkb-log .mkb-bot").filter(has_text=text)

    def user(self, text: str) -> Locator:
        return self.page.locator(".mkb-log .mkb-user").filter(has_text=text)

    def reply(self, title: str) -> Locator:
        """A live answer button (those of earlier messages are settled and disabled)."""
        exact = re.compile(rf"^\s*{re.escape(title)}\s*$")
        return self.page.locator(".mkb-choices:not(.mkb-settled) .mkb-choice").filter(
            has_text=exact)

    def open(self) -> None:
        """Open the widget with the page's own button and wait for the greeting."""
        self.page.locator("#open-chat").click()
        expect(self.panel).to_be_visible()
        self.expect_bot("digitale assistent van Circular Clarity")

    def expect_bot(self, text: str | re.Pattern[str]) -> Locator:
        message = self.bot(text).last
        expect(message).to_be_visible()
        return message

    def click(self, title: str) -> None:
        button = self.reply(title)
        expect(button).to_have_count(1)
        button.click()
        expect(self.user(title).last).to_be_visible()

    def type(self, text: str) -> None:
        field = self.page.get_by_placeholder("Typ je bericht...")
        field.fill(text)
        field.press("Enter")
        expect(self.user(text).last).to_be_visible()

    def session_id(self) -> str:
        stored = self.page.evaluate(f"window.localStorage.getItem('{STORAGE_KEY}')")
        assert stored, "the widget stored no session"
        return str(json.loads(stored)["id"])

    def stored_card(self) -> dict:
        """The last result card as the widget keeps it in localStorage."""
        stored = json.loads(self.page.evaluate(f"window.localStorage.getItem('{STORAGE_KEY}')"))
        return next(e["card"] for e in reversed(stored["transcript"]) if e.get("card"))

    def start_scan(self) -> None:
        self.click("Start de scan")
        for number, choice in enumerate(CONTEXT_CHOICES, start=1):
            self.expect_bot(f"Vooraf {number} van 3")
            self.click(choice)
        self.expect_bot("Vraag 1 van 13")

    def answer(self, number: int, button: str) -> None:
        """Answer scored question `number` and wait for the next one (or the result)."""
        self.expect_bot(f"Vraag {number} van 13")
        self.click(button)
        if number < 13:
            self.expect_bot(f"Vraag {number + 1} van 13")

    def whole_scan(self, buttons: tuple[str, ...]) -> None:
        """From the greeting to the result card, one button per scored question."""
        self.start_scan()
        for number, button in enumerate(buttons, start=1):
            self.answer(number, button)
        expect(self.page.locator(".mkb-log .mkb-card")).to_be_visible()

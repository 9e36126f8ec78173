"""The partner's invitation link in Chromium: SITE_URL/#code=… opens the chat, sends the
code as the visitor's first words, leaves no code in the address bar, and the partner's
scan starts with the kind of partnership the inviter gave."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mkbscan.leads import invites
from mkbscan.leads.store import LeadStore
from mkbscan.scan.invite_code import new_code
from tests.browser.chat import CONTENT, Chat

pytestmark = [pytest.mark.stack, pytest.mark.browser]


def test_the_invitation_link_opens_the_partners_scan(page: Page, site: str, stack: Any,
                                                      shoot: Any) -> None:
    store = LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])
    code = new_code()
    invites.create_invite(store, f"inviter-{uuid.uuid4().hex[:8]}", code,
                          dict.fromkeys([q.id for q in CONTENT.scored], 3), "bestaand")
    page.goto(f"{site}#code={code}")
    chat = Chat(page)
    expect(chat.panel).to_be_visible()
    expect(chat.user(code).last).to_be_visible()
    chat.expect_bot("Je partner nodigde je uit")
    chat.expect_bot("al met elkaar samenwerken")  # the inviter's answer, from the other side
    chat.expect_bot(CONTENT.context[0].text)
    assert "#code" not in page.url and code not in page.url
    shoot(page, "partner-welcome")
    page.reload()  # the code is not sent twice
    expect(chat.panel).to_be_visible()
    chat.expect_bot(CONTENT.context[0].text)
    expect(chat.user(re.compile(code))).to_have_count(1)
    store.dispose()

"""Talking to the running stack as a user: a conversation with a unique sender id."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from devtools.client import RestClient
from mkbscan.leads.models import LeadRecord
from mkbscan.leads.store import LeadStore

CONTEXT_REPLIES = ("we willen onze productie uitbesteden", "een nieuwe partner", "zo'n 25 man")


@dataclass
class Conversation:
    client: RestClient
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    last: list[dict[str, Any]] = field(default_factory=list)

    def say(self, text: str) -> str:
        self.last = self.client.send(self.sender, text)
        return "\n\n".join(m.get("text", "") for m in self.last if "text" in m)

    def buttons(self) -> list[str]:
        return [b["title"] for m in self.last for b in m.get("buttons", [])]

    def start_scan(self) -> str:
        self.say("hallo")
        return self.say("ik wil graag de samenwerkingsscan invullen")

    def through_context(self) -> str:
        self.start_scan()
        reply = ""
        for text in CONTEXT_REPLIES:
            reply = self.say(text)
        assert "Vraag 1 van 13" in reply, reply
        return reply


def lead_of(leads: LeadStore, chat: Conversation) -> LeadRecord | None:
    found = [lead for lead in leads.list_leads() if lead.conversation_id == chat.sender]
    assert len(found) <= 1, "a lead must be stored exactly once"
    return found[0] if found else None


def wait_for_email(outbox: Path, message_id: str, timeout: float = 30) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in outbox.glob("*.eml"):
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if message["Message-ID"] == message_id:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no email {message_id} in {outbox} after {timeout:.0f} s")

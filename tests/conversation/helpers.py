"""Talking to the running stack as a user: a conversation with a unique sender id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from devtools.client import RestClient

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

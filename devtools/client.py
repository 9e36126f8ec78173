"""A tiny REST-channel client: talk to the running assistant as a user types."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class RestClient:
    url: str = "http://127.0.0.1:5005/webhooks/rest/webhook"
    timeout: float = 60

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            return json.loads(reply.read().decode("utf-8"))

    def say(self, sender: str, message: str) -> str:
        """The bot's reply as one text (messages joined by blank lines)."""
        return "\n\n".join(m.get("text", "") for m in self.send(sender, message) if "text" in m)

"""A logged-in browser on the desk (tests/unit/advisor/conftest.py makes one)."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

from mkbscan.leads.store import LeadStore


@dataclass
class Desk:
    store: LeadStore
    opener: urllib.request.OpenerDirector
    url: str  # the site's root, ending in "/"

    def page(self, path: str) -> str:
        """A desk page's HTML (status 200), e.g. "advisor/inzicht"."""
        with self.opener.open(f"{self.url}{path}", timeout=30) as reply:
            assert reply.status == 200
            return reply.read().decode()

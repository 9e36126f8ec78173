"""The desk over HTTP: a store with one advisor, the site's server, and a logged-in browser."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from mkbscan.leads import advisors as accounts
from mkbscan.leads.store import LeadStore
from mkbscan.site.server import SiteServer
from tests.unit.advisor.desk_client import Desk

PASSWORD = "een lang wachtwoord 42"
EMAIL = "marco@example.org"


@pytest.fixture
def logged_in_desk(tmp_path: Path) -> Iterator[Desk]:
    url = f"sqlite:///{tmp_path}/leads.db"
    store = LeadStore(url)
    accounts.add_advisor(store, EMAIL, PASSWORD)
    server = SiteServer(0, 5999, database_url=url, tracker_url=f"sqlite:///{tmp_path}/t.db")
    server.start()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login = urllib.request.Request(
        server.url + "advisor/login", headers={"Origin": server.url.rstrip("/")},
        data=urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD}).encode())
    opener.open(login, timeout=30).read()
    yield Desk(store, opener, server.url)
    server.stop()
    store.dispose()

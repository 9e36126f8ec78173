"""The advisor's desk over HTTP, as an attacker would try it: no data without a session, no
change without the session's CSRF token from this site, throttled guessing, a cookie that
dies with log-out, leads that cannot be enumerated, and an audit log of what was seen."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mkbscan.leads import advisors as accounts
from mkbscan.leads.models import LeadContact
from mkbscan.leads.store import LeadStore
from mkbscan.scan.snapshot import ScanSnapshot
from mkbscan.site.server import SiteServer

PASSWORD = "een lang wachtwoord 42"
EMAIL = "marco@example.org"


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def open(self, path: str, form: dict[str, str] | None = None,
             origin: str | None = "self") -> tuple[int, dict[str, str], str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)
        if origin is not None:
            request.add_header("Origin", self.base if origin == "self" else origin)
        try:
            with self.opener.open(request, timeout=30) as reply:
                return reply.status, dict(reply.headers), reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, email: str = EMAIL, password: str = PASSWORD) -> int:
        return self.open("/advisor/login", {"email": email, "password": password})[0]

    def csrf(self) -> str:
        page = self.open("/advisor/leads")[2]
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[SiteServer, LeadStore, str]]:
    store = LeadStore(f"sqlite:///{tmp_path}/leads.db")
    accounts.add_advisor(store, EMAIL, PASSWORD)
    lead = store.submit_lead(
        "conv-1", LeadContact(name="Anne de Vries", company="Bakkerij Zon",
                              email="anne@zon.nl"),
        "v3", datetime(2026, 12, 1, tzinfo=timezone.utc), ScanSnapshot(), "Jij: hallo")
    server = SiteServer(0, 5999, database_url=f"sqlite:///{tmp_path}/leads.db",
                        tracker_url=f"sqlite:///{tmp_path}/tracker.db").start()
    yield server, store, lead.public_id
    server.stop()
    store.dispose()


def test_without_a_session_no_page_or_export_gives_data(desk) -> None:
    server, _, lead_id = desk
    anonymous = Browser(server.url)
    for path in ("/advisor/", "/advisor/leads", f"/advisor/leads/{lead_id}",
                 f"/advisor/leads/{lead_id}/wissen", "/advisor/leads?q=Anne",
                 "/advisor/inzicht", "/advisor/inzicht?van=2026-01-01&tot=2026-12-31"):
        status, headers, body = anonymous.open(path)
        assert status in (303, 307) and headers["location"].endswith("/advisor/login"), path
        assert "Anne" not in body and "anne@zon.nl" not in body
    status, _, body = anonymous.open("/advisor/leads.csv")
    assert status == 401 and "anne@zon.nl" not in body
    for path in (f"/advisor/leads/{lead_id}/wissen", f"/advisor/leads/{lead_id}/status",
                 f"/advisor/leads/{lead_id}/opnieuw", "/advisor/logout"):
        assert anonymous.open(path, {"csrf": "x", "status": "called"})[0] == 401


def test_a_wrong_or_missing_csrf_token_or_another_site_is_refused(desk) -> None:
    server, store, lead_id = desk
    marco = Browser(server.url)
    assert marco.log_in() == 303
    token = marco.csrf()
    path = f"/advisor/leads/{lead_id}/wissen"
    assert marco.open(path, {"csrf": "verkeerd"})[0] == 403
    assert marco.open(path, {})[0] == 403
    assert marco.open(path, {"csrf": token}, origin="https://evil.example")[0] == 403
    assert marco.open(path, {"csrf": token}, origin=None)[0] == 403
    assert marco.open(path, {"csrf": token}, origin="null")[0] == 403
    cross = urllib.request.Request(server.url.rstrip("/") + path, data=urllib.parse.urlencode(
        {"csrf": token}).encode(), headers={"Sec-Fetch-Site": "cross-site",
                                           "Origin": server.url.rstrip("/")})
    with pytest.raises(urllib.error.HTTPError) as refused:
        marco.opener.open(cross, timeout=30)
    assert refused.value.code == 403
    assert store.get_lead(lead_id) is not None  # nothing was erased
    status_path = f"/advisor/leads/{lead_id}/status"
    assert marco.open(status_path, {"csrf": "verkeerd", "status": "called"})[0] == 403
    lead = store.get_lead(lead_id)
    assert lead is not None and lead.status == "new"
    assert marco.open(path, {"csrf": token})[0] == 303
    assert store.get_lead(lead_id) is None


def test_the_tenth_wrong_password_in_a_row_is_throttled(desk) -> None:
    server, _, _ = desk
    guesser = Browser(server.url)
    statuses = [guesser.log_in(password=f"gok nummer {n:02d}") for n in range(10)]
    assert statuses == [401] * 10
    status, _, body = guesser.open("/advisor/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 429 and "Te veel mislukte pogingen" in body  # even the right one
    assert Browser(server.url).log_in(email="ander@example.org") == 401  # per account


def test_the_session_cookie_is_strict_and_dies_with_log_out(desk) -> None:
    server, _, _ = desk
    marco = Browser(server.url)
    status, headers, _ = marco.open("/advisor/login", {"email": EMAIL, "password": PASSWORD})
    cookie = headers["set-cookie"].lower()
    assert status == 303 and "httponly" in cookie and "samesite=strict" in cookie
    assert "path=/advisor" in cookie
    old = [c for c in marco.jar if c.name == "mkbscan_advisor"][0].value
    assert marco.open("/advisor/logout", {"csrf": marco.csrf()})[0] == 303
    replay = Browser(server.url)
    replay.opener.addheaders = [("Cookie", f"mkbscan_advisor={old}")]
    status, headers, _ = replay.open("/advisor/leads")
    assert status == 303 and headers["location"].endswith("/advisor/login")


def test_leads_cannot_be_enumerated(desk) -> None:
    server, store, lead_id = desk
    marco = Browser(server.url)
    marco.log_in()
    assert re.fullmatch(r"[0-9a-f-]{36}", lead_id)
    lead = store.get_lead(lead_id)
    assert lead is not None
    for guess in (str(lead.id), "1", "2", lead_id[:-1] + ("0" if lead_id[-1] != "0" else "1")):
        status, _, body = marco.open(f"/advisor/leads/{guess}")
        assert status == 404 and "Anne" not in body


def test_the_audit_log_records_each_view_export_and_erasure(desk) -> None:
    server, store, lead_id = desk
    marco = Browser(server.url)
    marco.log_in()
    assert marco.open(f"/advisor/leads/{lead_id}")[0] == 200
    status, headers, csv_text = marco.open("/advisor/leads.csv")
    assert status == 200 and "anne@zon.nl" in csv_text
    token = marco.csrf()
    assert marco.open(f"/advisor/leads/{lead_id}/status",
                      {"csrf": token, "status": "called", "note": "gebeld", "on_date": ""}
                      )[0] == 303
    assert marco.open(f"/advisor/leads/{lead_id}/opnieuw", {"csrf": token})[0] == 200
    marco.open(f"/advisor/leads/{lead_id}/wissen", {"csrf": token})
    entries = [(who, what, lead) for _, who, what, lead in accounts.audit_entries(store)]
    assert entries == [(EMAIL, "erased", lead_id), (EMAIL, "resent", lead_id),
                       (EMAIL, "changed", lead_id), (EMAIL, "exported", None),
                       (EMAIL, "viewed", lead_id)]

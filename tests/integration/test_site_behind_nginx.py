"""The site answers the same through nginx as directly: deploy/nginx/nginx.conf itself (only
its upstream addresses, ports and file paths replaced) in front of a SiteServer.

The security headers, gzip and caching live in the app (mkbscan/site/app.py); nginx must pass
them through unchanged, add none of its own, show no version and log no report token.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from devtools.isolated import free_port
from devtools.scaleout.nginx import nginx_args, nginx_binary
from devtools.train import ROOT
from mkbscan.leads.reports import save_report
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content
from mkbscan.site.pages import WEB_ROOT, WIDGET_BUNDLE
from mkbscan.site.server import SiteServer
from tests.conftest import skip_or_fail

DEPLOY_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
# What the app sets and nginx must pass through unchanged (and not add, drop or duplicate).
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
            "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy")
COMPARED = SECURITY + ("Cache-Control", "ETag", "Content-Encoding", "Content-Type", "Vary",
                       "Strict-Transport-Security", "X-Robots-Tag")
SCAN = {"context": {}, "context_labels": {}, "status": "finished",
        "answers": {q.id: 2 for q in load_content().scored}}
HSTS = "max-age=31536000; includeSubDomains"


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes  # decompressed

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return Reply(response.status, response.headers, body)


def deploy_config(prefix: Path, *, listen: int, site: int, closed: int) -> str:
    """deploy/nginx/nginx.conf on loopback ports and under `prefix`; every rule unchanged.

    Each replacement must match as often as expected: when the file changes shape, this test
    says so instead of quietly testing something else."""
    text = DEPLOY_CONF.read_text()
    replacements = [
        (r"(?m)^worker_processes auto;$", "worker_processes 1;", 1),
        (r"(?m)^pid /tmp/nginx\.pid;$", f"pid {prefix}/nginx.pid;", 1),
        (r"access_log /dev/stdout ", f"access_log {prefix}/access.log ", 1),
        (r"error_log /dev/stderr ", f"error_log {prefix}/error.log ", 1),
        (r"(\w+_temp_path) /tmp/(\w+);", rf"\1 {prefix}/tmp/\2;", 5),
        (r"server site:8080 ", f"server 127.0.0.1:{site} ", 1),
        # Rasa and the action servers are not running: their paths answer 502.
        (r"server rasa:5005 ", f"server 127.0.0.1:{closed} ", 2),
        (r"server actions:5055 ", f"server 127.0.0.1:{closed} ", 1),
        (r"(?m)^(\s+)listen 8080;$", rf"\1listen 127.0.0.1:{listen};", 1),
        (r"(?m)^(\s+)listen 5056;$", rf"\g<1>listen 127.0.0.1:{free_port()};", 1),
    ]
    for pattern, replacement, count in replacements:
        text, found = re.subn(pattern, replacement, text)
        assert found == count, f"{DEPLOY_CONF}: {pattern!r} found {found}x, expected {count}x"
    active = "\n".join(line for line in text.replace(str(prefix), "<prefix>").splitlines()
                       if not line.strip().startswith("#"))
    assert not re.search(r"\s/tmp/|/dev/std|server (site|rasa|actions):|listen \d+;", active)
    return text


@dataclass
class Setup:
    site: SiteServer
    nginx_port: int
    prefix: Path
    report_token: str

    @property
    def access_log(self) -> str:
        path = self.prefix / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""


def wait_for_port(port: int, process: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    log = error_log.read_text() if error_log.exists() else ""
    pytest.fail(f"nginx did not start on {port}: {log}")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    if nginx_binary() is None:
        skip_or_fail("nginx not installed (apt-get install -y nginx)")
    if not (WEB_ROOT / WIDGET_BUNDLE).is_file():
        skip_or_fail(f"{WEB_ROOT / WIDGET_BUNDLE} missing (npm ci in web/, `make setup`)")
    tmp = tmp_path_factory.mktemp("site-nginx")
    store = LeadStore(f"sqlite:///{tmp / 'leads.db'}")
    token = secrets.token_urlsafe(32)
    save_report(store, "conversation-1", token, SCAN)
    # As deploy/docker-compose.yml runs it: the widget's socket on the page's own origin.
    site = SiteServer(0, free_port(), host="127.0.0.1", socket_url="self")
    site.config.store = lambda: store
    site.start()
    prefix = tmp / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(deploy_config(prefix, listen=port, site=site.port, closed=free_port()))
    # As root, nginx's workers would run as `nobody`, which cannot enter pytest's temp dir.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    process = subprocess.Popen(nginx_args(config, prefix) + ["-g", directives],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process, prefix / "error.log")
        yield Setup(site, port, prefix, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        site.stop()
        store.engine.dispose()


def both(setup: Setup, path: str, headers: dict[str, str] | None = None) -> tuple[Reply, Reply]:
    return fetch(setup.site.port, path, headers), fetch(setup.nginx_port, path, headers)


def assert_same(direct: Reply, proxied: Reply, path: str) -> None:
    assert proxied.status == direct.status, path
    for name in COMPARED:
        assert proxied.all(name) == direct.all(name), f"{path}: {name}"
    for name in SECURITY:
        assert len(direct.all(name)) == 1, f"{path}: {name} missing or repeated"
    assert "Strict-Transport-Security" not in direct.headers  # plain http
    # uvicorn sends no Server header; nginx's says no version (server_tokens off).
    assert direct.all("Server") == []
    assert all(not re.search(r"[/\d]", server) for server in proxied.all("Server")), path
    assert proxied.body == direct.body, path


def style_url(setup: Setup) -> str:
    page = fetch(setup.site.port, "/").body.decode()
    match = re.search(r'href="(/style\.css\?v=[^"]+)"', page)
    assert match, "the page links no versioned style.css"
    return match.group(1)


def test_pages_and_assets_answer_the_same_through_nginx(setup: Setup) -> None:
    style = style_url(setup)
    for path, cache in (("/", "no-cache"), ("/privacy", "no-cache"),
                        ("/config.js", "no-cache"),
                        (style, "public, max-age=31536000, immutable"),
                        (f"/{WIDGET_BUNDLE}", "no-cache"),
                        ("/favicon.svg", "no-cache")):  # too small for the app's gzip
        direct, proxied = both(setup, path)
        assert direct.status == 200, path
        assert direct.headers["Cache-Control"] == cache, path
        assert direct.headers["ETag"], path
        assert_same(direct, proxied, path)
    # Text is gzipped once, by the app (nginx neither compresses again nor unpacks).
    for path in ("/", "/privacy", style):
        direct, proxied = both(setup, path)
        assert direct.headers["Content-Encoding"] == proxied.headers["Content-Encoding"] == "gzip"
    csp = fetch(setup.nginx_port, "/").headers["Content-Security-Policy"]
    assert "'unsafe" not in csp and "connect-src 'self';" in csp


def test_revalidation_by_etag_passes_through_nginx(setup: Setup) -> None:
    tag = fetch(setup.site.port, "/privacy").headers["ETag"]
    direct, proxied = both(setup, "/privacy", {"If-None-Match": tag})
    assert direct.status == proxied.status == 304
    assert proxied.headers["ETag"] == tag
    assert proxied.headers["Content-Security-Policy"] == direct.headers["Content-Security-Policy"]


def test_reports_answer_the_same_through_nginx(setup: Setup) -> None:
    found = f"/rapport/{setup.report_token}"
    unknown = f"/rapport/{secrets.token_urlsafe(32)}"
    for path, status in ((found, 200), (unknown, 404), (f"{unknown}.pdf", 404)):
        direct, proxied = both(setup, path)
        assert direct.status == status, path
        assert direct.headers["Cache-Control"] == "no-store", path
        assert_same(direct, proxied, path)
    assert fetch(setup.nginx_port, found).headers["X-Robots-Tag"] == "noindex"


def test_hsts_only_when_the_app_sees_https(setup: Setup) -> None:
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1, where nginx connects from.
    https = fetch(setup.site.port, "/", {"X-Forwarded-Proto": "https"})
    assert https.all("Strict-Transport-Security") == [HSTS]
    assert "Strict-Transport-Security" not in fetch(setup.site.port, "/").headers
    # nginx sets X-Forwarded-Proto from its own scheme: a client cannot claim https.
    spoofed = fetch(setup.nginx_port, "/", {"X-Forwarded-Proto": "https"})
    assert spoofed.status == 200 and "Strict-Transport-Security" not in spoofed.headers


def test_rasa_paths_stay_with_rasa_and_its_api_is_refused(setup: Setup) -> None:
    # Rasa is not running here: its paths answer 502 from nginx, the site never sees them.
    assert fetch(setup.nginx_port, "/webhooks/rest/webhook").status == 502
    assert fetch(setup.nginx_port, "/socket.io/?EIO=4&transport=polling").status == 502
    for path in ("/status", "/version", "/model", "/conversations/x/tracker", "/domain"):
        assert fetch(setup.nginx_port, path).status == 404, path


def test_the_access_log_holds_no_report_token(setup: Setup) -> None:
    tokens = [secrets.token_urlsafe(32) for _ in range(4)]
    paths = [f"/rapport/{tokens[0]}", f"/rapport/{tokens[1]}.pdf",
             f"/rapport/x?key={tokens[2]}", f"/%72apport/{tokens[3]}",
             f"/rapport/{setup.report_token}"]
    for path in paths:
        assert fetch(setup.nginx_port, path).status in (200, 404), path
    deadline = time.monotonic() + 5
    while setup.access_log.count("/rapport/***") < len(paths) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = setup.access_log
    assert log.count("/rapport/***") >= len(paths), log
    assert "/rapport/***.pdf" in log
    for token in [*tokens, setup.report_token]:
        assert token not in log
    assert "?v=" not in log and "?key=" not in log  # no query strings at all

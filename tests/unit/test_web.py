"""The site's server (pages, config.js, files) and the socketio origin rules, without a
browser or Rasa. The report pages: tests/unit/site/."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from mkbscan import wording
from mkbscan.rasa.channels import allowed_origins, origin_allowed
from mkbscan.scan.questions import load_content
from mkbscan.site.app import is_public
from mkbscan.site.pages import (
    WEB_ROOT,
    WIDGET_BUNDLE,
    asset_version,
    render_page,
    widget_texts,
)
from mkbscan.site.server import SiteServer


@pytest.mark.parametrize(("path", "public"), [
    ("/", False), ("/index.html", False), ("/style.css", True), ("/report.css", True),
    (f"/{WIDGET_BUNDLE}", True),
    ("/widget.js", True), ("/widget.css", True),
    ("/node_modules/socket.io-client/package.json", False),
    ("/node_modules/engine.io-client/build/esm/index.js", False),
    ("/package.json", False), ("/package-lock.json", False),
    ("/.gitignore", False), ("/%2e%2e/README.md", False), ("/../README.md", False),
    ("/README.md", False), ("/privacy.html", False),
])
def test_only_the_page_and_the_widget_bundle_are_public(path: str, public: bool) -> None:
    assert is_public(path) is public


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SiteServer]:
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    (tmp_path / "style.css").write_text("body { color: black; }" * 40)
    bundle = tmp_path / WIDGET_BUNDLE
    bundle.parent.mkdir(parents=True)
    bundle.write_text("window.io = function () {};")
    (bundle.parent.parent / "package.json").write_text("{}")
    web = SiteServer(0, 5999, host="127.0.0.1", socket_url=None, socket_path=None,
                     root=tmp_path).start()
    yield web
    web.stop()


def get(url: str, host: str | None = None) -> tuple[int, Message, str]:
    """Status, headers (names in any case) and body."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, reply.headers, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def test_config_js_points_at_rasa_on_the_page_host(server: SiteServer) -> None:
    base = f"http://127.0.0.1:{server.port}"
    status, headers, body = get(f"{base}/config.js", host=f"localhost:{server.port}")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    prefix, _, rest = body.partition(" = ")
    assert prefix == "window.MKBSCAN_WIDGET" and rest.endswith(";\n")
    config = json.loads(rest.removesuffix(";\n"))
    assert config["socketUrl"] == "http://localhost:5999"
    assert config["socketPath"] == "/socket.io/" and config["subtitle"] == "Circular Clarity"
    assert config["retentionDays"] > 0 and config["texts"] == widget_texts()
    # A forged Host header cannot inject script into config.js.
    _, _, body = get(f"{base}/config.js", host='x";alert(1);"')
    assert "alert" not in body and '"socketUrl": "http://localhost:5999"' in body


def test_socket_url_from_the_environment(server: SiteServer) -> None:
    server.config.socket_url = "https://chat.example.nl"
    _, headers, body = get(f"http://127.0.0.1:{server.port}/config.js")
    assert '"socketUrl": "https://chat.example.nl"' in body
    csp = headers["Content-Security-Policy"]
    assert "connect-src 'self' https://chat.example.nl wss://chat.example.nl;" in csp


def test_socket_on_the_site_s_own_origin(server: SiteServer) -> None:
    server.config.socket_url = "self"  # behind nginx, which passes /socket.io/ to Rasa
    _, headers, body = get(f"http://127.0.0.1:{server.port}/config.js")
    assert '"socketUrl": ""' in body
    assert "connect-src 'self';" in headers["Content-Security-Policy"]


def test_headers_and_private_files(server: SiteServer) -> None:
    base = f"http://127.0.0.1:{server.port}"
    status, headers, _ = get(f"{base}/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe" not in csp and "https:" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert get(f"{base}/{WIDGET_BUNDLE}")[0] == 200
    assert get(f"{base}/node_modules/socket.io-client/package.json")[0] == 404
    assert get(f"{base}/node_modules/")[0] == 404


def test_missing_widget_bundle_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="npm ci"):
        SiteServer(0, 5999, root=tmp_path).start()


def test_origins_from_credentials_env_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert allowed_origins(["http://a.nl/", "http://b.nl"]) == {"http://a.nl", "http://b.nl"}
    assert allowed_origins("http://a.nl  http://b.nl") == {"http://a.nl", "http://b.nl"}
    monkeypatch.setenv("CORS_ORIGINS", "https://www.circularclarity.org")
    assert allowed_origins() == {"https://www.circularclarity.org"}
    monkeypatch.delenv("CORS_ORIGINS")
    assert allowed_origins() == {"http://localhost:8080", "http://127.0.0.1:8080"}


def test_origin_check() -> None:
    allowed = allowed_origins("http://localhost:8080")
    assert origin_allowed("http://localhost:8080", allowed)
    assert origin_allowed(None, allowed)  # not a browser
    assert not origin_allowed("http://localhost:8081", allowed)
    assert not origin_allowed("http://evil.example", allowed)
    assert origin_allowed("http://evil.example", allowed_origins("*"))


def test_the_page_names_the_configured_advisor_and_the_scan_s_numbers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_EMAIL", "adviseur@example.org")
    monkeypatch.setenv("ADVISOR_NAME", "Eva Jansen")
    monkeypatch.setenv("ORGANISATION_NAME", "Samen & Co")
    wording.settings.cache_clear()
    try:
        page = render_page((WEB_ROOT / "index.html").read_text(encoding="utf-8"))
    finally:
        wording.settings.cache_clear()
    content = load_content()
    assert "{{" not in page and "marco@circularclarity.org" not in page
    assert 'href="mailto:adviseur@example.org"' in page and "Eva Jansen is adviseur" in page
    assert "Samen &amp; Co" in page and "Circular Clarity" not in page
    assert f"Je begint met {len(content.context)} vragen" in page
    assert f"Daarna volgen {len(content.scored)} vragen over {len(content.themes)} thema's" in page
    assert all(f"<strong>{theme.name}</strong>: {theme.summary}" in page
               for theme in content.themes)


def test_a_placeholder_that_is_no_fact_fails_loudly() -> None:
    with pytest.raises(KeyError):
        render_page("<p>{{no_such_fact}}</p>", {"organisation": "x"})


def test_the_server_serves_the_page_filled_in(server: SiteServer) -> None:
    page = '<link href="style.css"><p>{{organisation}} {{question_count}}</p>'
    (server.config.root / "index.html").write_text(page)
    status, headers, body = get(f"http://127.0.0.1:{server.port}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    version = asset_version(server.config.root / "style.css")
    assert body == (f'<link href="/style.css?v={version}"><p>Circular Clarity '
                    f"{len(load_content().scored)}</p>")


def test_every_word_the_widget_uses_comes_from_the_content() -> None:
    """web/widget.js names its texts text("key"); each key is in mkbscan/content/widget.yml
    (a missing one would show the bare key)."""
    import re

    script = (WEB_ROOT / "widget.js").read_text(encoding="utf-8")
    used = set(re.findall(r"text\(\"(\w+)\"", script))
    used |= set(re.findall(r"(?:tool|small)\([^,]*?,?\s*\"(\w+)\"", script))
    assert used and used <= set(widget_texts()), used - set(widget_texts())

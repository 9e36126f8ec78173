"""The demo page with the chat widget, served locally (stdlib http.server in a thread).

Serves `web/` (index.html, css, js) and, from `web/node_modules`, only socket.io-client's
browser build (`/node_modules/socket.io-client/dist/socket.io.min.js`); nothing else of
node_modules, no dotfiles, no directory listings. `/config.js` is generated per request with
the socket URL and path (`SOCKET_URL`, default `http://<host of the page>:<RASA_PORT>`;
`SOCKET_PATH`, default `/socket.io/`), the retention period and the widget's texts. The
page's facts (`{{organisation}}`, `{{advisor_email}}`, the numbers of questions, the themes)
are filled in from configuration and questions.yml.

`python -m devtools.webserver` serves the page alone (Rasa started elsewhere).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from devtools.train import ROOT
from mkbscan.scan.questions import load_content
from mkbscan.settings import settings
from mkbscan.wording import all_texts, facts

WEB_ROOT = ROOT / "web"
# The one file of node_modules the page loads: socket.io-client's browser build.
WIDGET_BUNDLE = "node_modules/socket.io-client/dist/socket.io.min.js"
WIDGET_TEXT = "widget_"  # the keys of mkbscan/content/widget.yml
PRIVATE_FILES = {"package.json", "package-lock.json"}
HOST_NAME = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$")
PAGES = {"/", "/index.html"}
FACT = re.compile(r"\{\{(\w+)\}\}")


def page_facts() -> dict[str, str]:
    """What the page may name, HTML-escaped: configuration and the scan's numbers."""
    values = {name: html.escape(str(value)) for name, value in facts().items()}
    themes = load_content().themes
    values["theme_count"] = str(len(themes))
    values["themes"] = "\n        ".join(
        f"<li><strong>{html.escape(t.name)}</strong>: {html.escape(t.summary)}</li>"
        for t in themes)
    return values


def widget_texts() -> dict[str, str]:
    """What the widget says itself (mkbscan/content/widget.yml), by the widget's own names."""
    return {key.removeprefix(WIDGET_TEXT): variants[0]
            for key, variants in all_texts().items() if key.startswith(WIDGET_TEXT)}


def render_page(template: str, values: dict[str, str] | None = None) -> str:
    """The page with its {{facts}} filled in; a name that is no fact is an error."""
    values = page_facts() if values is None else values
    return FACT.sub(lambda match: values[match.group(1)], template)


class WebServer:
    """Serves the demo page on `host:port` until `stop()`; port 0 picks a free port."""

    def __init__(self, port: int, rasa_port: int, *, host: str | None = None,
                 socket_url: str | None = None, socket_path: str | None = None,
                 root: Path = WEB_ROOT, log_path: Path | None = None) -> None:
        self.host = host or os.environ.get("WEB_HOST", "127.0.0.1")
        self.port = port
        self.rasa_port = rasa_port
        self.socket_url = socket_url or os.environ.get("SOCKET_URL") or None
        self.socket_path = socket_path or os.environ.get("SOCKET_PATH") or "/socket.io/"
        self.root = root
        self.log_path = log_path
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._log: TextIO | None = None

    @property
    def url(self) -> str:
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    def widget_config(self, page_host: str | None) -> dict[str, Any]:
        """What /config.js tells the page: where the Rasa socketio channel is."""
        socket_url = self.socket_url
        if not socket_url:
            host = page_host if page_host and HOST_NAME.match(page_host) else "localhost"
            socket_url = f"http://{host}:{self.rasa_port}"
        return {"socketUrl": socket_url, "socketPath": self.socket_path,
                "subtitle": settings().organisation,
                "retentionDays": settings().retention_days, "texts": widget_texts()}

    def content_security_policy(self, page_host: str | None) -> str:
        socket = urlsplit(self.widget_config(page_host)["socketUrl"])
        ws_scheme = "wss" if socket.scheme == "https" else "ws"
        connect = f"'self' {socket.scheme}://{socket.netloc} {ws_scheme}://{socket.netloc}"
        # No exceptions: the widget has no inline style or script and loads nothing from
        # another host; the chart comes as a data: image.
        return ("default-src 'self'; script-src 'self'; style-src 'self'; "
                f"img-src 'self' data:; font-src 'self'; connect-src {connect}; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; "
                "frame-ancestors 'self'")

    def start(self) -> WebServer:
        if not (self.root / WIDGET_BUNDLE).is_file():
            raise RuntimeError(f"{self.root / WIDGET_BUNDLE} is missing; run `make setup` "
                               "(npm ci in web/)")
        try:
            self._server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        except OSError as exc:
            raise RuntimeError(f"cannot serve the demo page on {self.host}:{self.port} "
                               f"({exc}); set WEB_PORT to a free port") from exc
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(self.log_path, "a", buffering=1)  # noqa: SIM115 - closed in stop
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="mkbscan-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self, line: str) -> None:
        if self._log is not None:
            self._log.write(line + "\n")


def is_public(path: str) -> bool:
    """Whether a URL path may be served: web/ files and the widget bundle only."""
    parts = [part for part in unquote(path).split("/") if part]
    if any(part.startswith(".") or "\\" in part for part in parts):
        return False
    if parts and parts[0] == "node_modules":
        return "/".join(parts) == WIDGET_BUNDLE
    return not (len(parts) == 1 and parts[0] in PRIVATE_FILES)


def _handler_for(web: WebServer) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {
            **SimpleHTTPRequestHandler.extensions_map,
            ".html": "text/html; charset=utf-8",
            ".css": "text/css; charset=utf-8",
            ".js": "text/javascript; charset=utf-8",
            ".svg": "image/svg+xml",
        }

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(web.root), **kwargs)

        def _page_host(self) -> str | None:
            host = self.headers.get("Host", "")
            return urlsplit(f"//{host}").hostname if host else None

        def send_head(self) -> Any:
            path = urlsplit(self.path).path
            if path == "/config.js":
                return self._config_js()
            if path in PAGES:
                return self._page()
            if not is_public(path):
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            return super().send_head()

        def _config_js(self) -> Any:
            config = json.dumps(web.widget_config(self._page_host()))
            return self._generated(f"window.MKBSCAN_WIDGET = {config};\n",
                                   "text/javascript; charset=utf-8")

        def _page(self) -> Any:
            template = (web.root / "index.html").read_text(encoding="utf-8")
            return self._generated(render_page(template), "text/html; charset=utf-8")

        def _generated(self, text: str, content_type: str) -> Any:
            body = text.encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def list_directory(self, path: str | os.PathLike[str]) -> None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "same-origin")
            self.send_header("Content-Security-Policy",
                             web.content_security_policy(self._page_host()))
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            web.log(f"{self.address_string()} - [{self.log_date_time_string()}] "
                    f"{format % args}")

    return Handler


def main() -> int:
    server = WebServer(int(os.environ.get("WEB_PORT", "8080")),
                       int(os.environ.get("RASA_PORT", "5005"))).start()
    print(f"Demopagina: {server.url} (Ctrl-C stopt)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

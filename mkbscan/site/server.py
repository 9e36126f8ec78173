"""The site on uvicorn: in a thread for `make run` and the tests (SiteServer), or on its own
(`mkbscan-site`, production behind nginx: deploy/nginx/nginx.conf)."""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
from pathlib import Path

import uvicorn

from mkbscan.leads.retention import purge_conversation
from mkbscan.leads.store import LeadStore
from mkbscan.site.app import SiteConfig, access_log, create_app
from mkbscan.site.pages import WEB_ROOT, WIDGET_BUNDLE


def uvicorn_config(config: SiteConfig, **options: object) -> uvicorn.Config:
    # Our own access log (without report tokens) instead of uvicorn's; no websockets (the
    # chat talks to Rasa); the scheme from
    # nginx's X-Forwarded-Proto, trusted from loopback (or FORWARDED_ALLOW_IPS: the nginx
    # container's address in docker compose).
    return uvicorn.Config(create_app(config), log_level="warning", access_log=False,
                          proxy_headers=True, lifespan="off",
                          forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                          server_header=False, ws="none", **options)  # type: ignore[arg-type]


class SiteServer:
    """Serves the site on `host:port` in a thread until `stop()`; port 0 picks a free port."""

    def __init__(self, port: int, rasa_port: int, *, host: str | None = None,
                 socket_url: str | None = None, socket_path: str | None = None,
                 root: Path = WEB_ROOT, log_path: Path | None = None,
                 database_url: str | None = None, tracker_url: str | None = None) -> None:
        self.host = host or os.environ.get("WEB_HOST", "127.0.0.1")
        self.port = port
        self.config = SiteConfig(
            rasa_port=rasa_port, root=root,
            socket_url=socket_url or os.environ.get("SOCKET_URL") or None,
            socket_path=socket_path or os.environ.get("SOCKET_PATH") or "/socket.io/")
        if database_url:  # the action server's lead store, where it keeps the reports
            self.config.store = functools.cache(lambda: LeadStore(database_url))
        if tracker_url:  # Rasa's tracker store: the desk's erasure removes the conversation
            self.config.purge = lambda conversation: purge_conversation(conversation, tracker_url)
        self.log_path = log_path
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._handler: logging.Handler | None = None

    @property
    def url(self) -> str:
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> SiteServer:
        if not (self.config.root / WIDGET_BUNDLE).is_file():
            raise RuntimeError(f"{self.config.root / WIDGET_BUNDLE} is missing; run "
                               "`make setup` (npm ci in web/)")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self.port))
        except OSError as exc:
            listener.close()
            raise RuntimeError(f"cannot serve the site on {self.host}:{self.port} ({exc}); "
                               "set WEB_PORT to a free port") from exc
        self.port = int(listener.getsockname()[1])
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._handler = logging.FileHandler(self.log_path)
            self._handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            access_log.addHandler(self._handler)
            access_log.setLevel(logging.INFO)
        self._server = uvicorn.Server(uvicorn_config(self.config))
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [listener]},
                                        name="mkbscan-site", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the site server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._server = None
        if self._handler is not None:
            access_log.removeHandler(self._handler)
            self._handler.close()
            self._handler = None


def main() -> int:
    """Production: `mkbscan-site` on SITE_HOST:WEB_PORT (default 127.0.0.1:8080)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = SiteConfig(rasa_port=int(os.environ.get("RASA_PORT", "5005")),
                        socket_url=os.environ.get("SOCKET_URL") or None,
                        socket_path=os.environ.get("SOCKET_PATH") or "/socket.io/")
    server = uvicorn.Server(uvicorn_config(
        config, host=os.environ.get("SITE_HOST", "127.0.0.1"),
        port=int(os.environ.get("WEB_PORT", "8080"))))
    server.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The site as an ASGI app (Starlette): pages, /config.js, the reports, the widget's files.

Every answer carries the same security headers (a CSP without exceptions, nosniff, no
referrer: a report's link must not leak to another site; HSTS over HTTPS), text is gzipped,
versioned assets are cached for a year and pages revalidated by ETag. The access log never
holds a report's token or a query string. nginx in deploy/ passes everything here, so a
machine behind nginx answers with the same headers as `make run` (tests/unit/site).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mkbscan.advisor.web import Desk
from mkbscan.leads.pair_part import report_with_comparison
from mkbscan.leads.retention import purge_conversation
from mkbscan.leads.store import LeadStore, StoreUnavailable
from mkbscan.scan.comparison import Comparison
from mkbscan.settings import settings
from mkbscan.site.pages import (
    WEB_ROOT,
    WIDGET_BUNDLE,
    asset_url,
    asset_version,
    read_asset,
    render_page,
    widget_texts,
)
from mkbscan.site.report_view import example_blocks, report_view
from mkbscan.wording import say, templates

access_log = logging.getLogger("mkbscan.site.access")
logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGES = {"/": "index.html", "/index.html": "index.html", "/privacy": "privacy.html"}
ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".svg": "image/svg+xml"}
PRIVATE_FILES = {"package.json", "package-lock.json"}
HOST_NAME = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$")
REPORT_PATH = re.compile(r"^/rapport/[^/]*")
YEAR = 365 * 24 * 3600
SAME_ORIGIN = "self"  # SOCKET_URL=self: Rasa's socket on the site's own origin
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class SiteConfig:
    rasa_port: int = 5005
    # default: http://<host of the page>:<rasa_port>; SAME_ORIGIN behind nginx, which passes
    # /socket.io/ to Rasa.
    socket_url: str | None = None
    socket_path: str = "/socket.io/"
    root: Path = WEB_ROOT
    store: Callable[[], LeadStore] = field(default=lambda: _default_store())
    # Erases a conversation from Rasa's tracker store (the desk's erasure, as the bot's).
    purge: Callable[[str], object] = field(default=lambda conversation: purge_conversation(
        conversation))

    def socket_address(self, page_host: str | None) -> str:
        """Where the widget reaches Rasa's socketio channel ("": the page's own origin)."""
        if self.socket_url == SAME_ORIGIN:
            return ""
        if self.socket_url:
            return self.socket_url
        host = page_host if page_host and HOST_NAME.match(page_host) else "localhost"
        return f"http://{host}:{self.rasa_port}"

    def widget_config(self, page_host: str | None) -> dict[str, Any]:
        """What /config.js tells the page: where the Rasa socketio channel is."""
        return {"socketUrl": self.socket_address(page_host), "socketPath": self.socket_path,
                "subtitle": settings().organisation,
                "retentionDays": settings().retention_days, "texts": widget_texts()}

    def content_security_policy(self, page_host: str | None) -> str:
        socket = urlsplit(self.socket_address(page_host))
        connect = "'self'"
        if socket.netloc:
            ws_scheme = "wss" if socket.scheme == "https" else "ws"
            connect += f" {socket.scheme}://{socket.netloc} {ws_scheme}://{socket.netloc}"
        # No exceptions: no inline style or script, nothing from another host; charts are
        # data: images (the widget) or inline SVG (the report).
        return ("default-src 'self'; script-src 'self'; style-src 'self'; "
                f"img-src 'self' data:; font-src 'self'; connect-src {connect}; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; "
                "frame-ancestors 'self'")


@lru_cache(maxsize=1)
def _default_store() -> LeadStore:
    return LeadStore()


def is_public(path: str, root: Path = WEB_ROOT) -> bool:
    """Whether a URL path names a file of web/ the site serves (or the widget bundle)."""
    parts = [part for part in unquote(path).split("/") if part]
    if not parts or any(part.startswith(".") or "\\" in part for part in parts):
        return False
    if parts[0] == "node_modules":
        return "/".join(parts) == WIDGET_BUNDLE
    return len(parts) == 1 and parts[0] not in PRIVATE_FILES and \
        Path(parts[0]).suffix in ASSET_TYPES and (root / parts[0]).is_file()


def texts() -> dict[str, str]:
    """The sentences of the report and the error pages (mkbscan/content/site.yml)."""
    return templates("site_")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())


def render_template(name: str, root: Path, **values: Any) -> str:
    return _templates().get_template(name).render(
        t=texts(), organisation=settings().organisation,
        advisor_email=settings().advisor_email, examples=example_blocks,
        asset=lambda name: asset_url(root, name), **values)


def page_host(request: Request) -> str | None:
    return urlsplit(f"//{request.headers.get('host', '')}").hostname


def cached(request: Request, body: bytes, content_type: str, cache: str,
           digest: str | None = None) -> Response:
    """A response with an ETag (from the body's SHA-256); 304 when the browser has it."""
    tag = '"' + (digest or hashlib.sha256(body).hexdigest())[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": cache}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=content_type, headers=headers)


def create_app(config: SiteConfig | None = None) -> Starlette:
    config = config or SiteConfig()
    root = config.root

    @lru_cache(maxsize=8)
    def page(name: str, mtime: float) -> bytes:
        return render_page((root / name).read_text(encoding="utf-8"), root=root).encode()

    async def pages(request: Request) -> Response:
        name = PAGES[request.url.path]
        return cached(request, page(name, (root / name).stat().st_mtime),
                      "text/html; charset=utf-8", "no-cache")

    async def config_js(request: Request) -> Response:
        body = f"window.MKBSCAN_WIDGET = {json.dumps(config.widget_config(page_host(request)))};\n"
        return cached(request, body.encode(), ASSET_TYPES[".js"], "no-cache")

    async def asset(request: Request) -> Response:
        path = request.url.path
        if not is_public(path, root):
            return not_found(request, key="site_page_not_found")
        file = root / unquote(path).lstrip("/")
        body, digest = read_asset(file)
        versioned = request.query_params.get("v") == asset_version(file)
        return cached(request, body, ASSET_TYPES[file.suffix],
                      f"public, max-age={YEAR}, immutable" if versioned else "no-cache", digest)

    def not_found(request: Request, status: int = 404,
                  key: str = "site_report_not_found") -> Response:
        body = render_template("not_found.html", root, heading=say(f"{key}_title"),
                               message=say(key))
        return Response(body, status_code=status, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    async def report_data(token: str) -> tuple[dict[str, Any], Comparison | None] | None:
        return await run_in_threadpool(report_with_comparison, config.store(), token)

    async def report(request: Request) -> Response:
        token = request.path_params["token"]
        pdf = token.endswith(".pdf")
        token = token.removesuffix(".pdf")
        try:
            data = await report_data(token)
        except StoreUnavailable:
            return not_found(request, 503, "site_report_unavailable")
        if data is None:
            return not_found(request)
        scan, comparison = data
        try:
            view = report_view(scan, comparison=comparison)
        except (ValueError, KeyError) as exc:  # saved by a scan with other questions
            logger.warning("report not shown (%s)", type(exc).__name__)
            return not_found(request, 404, "site_report_outdated")
        if not pdf:
            body = render_template("report.html", root, v=view, for_pdf=False,
                                   pdf_url=f"{token}.pdf")
            return Response(body, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
        html = render_template("report.html", root, v=view, for_pdf=True, pdf_url="")
        try:
            document = await run_in_threadpool(render_pdf, html, root)
        except OSError:  # WeasyPrint without its system libraries (Pango)
            return not_found(request, 503, "site_report_pdf_unavailable")
        return Response(document, media_type="application/pdf", headers={
            "Cache-Control": "no-store", "X-Robots-Tag": "noindex",
            "Content-Disposition": f'attachment; filename="{say("site_report_pdf_name")}"'})

    desk = Desk(config.store, lambda name: asset_url(root, name), config.purge)
    routes = [Route(path, pages) for path in PAGES] + desk.routes() + [
        Route("/config.js", config_js),
        Route("/rapport/{token}", report),
        Route("/{path:path}", asset),
    ]
    return Starlette(routes=routes, middleware=[
        Middleware(SecurityHeaders, config=config),
        Middleware(GZipMiddleware, minimum_size=500),
    ])


def render_pdf(html: str, root: Path) -> bytes:
    from weasyprint import CSS, HTML  # a heavy import, only when a PDF is asked for

    return HTML(string=html, base_url=str(root)).write_pdf(
        stylesheets=[CSS(filename=str(root / "report.css"))])


class SecurityHeaders:
    """The same headers on every answer, and an access log without secrets."""

    def __init__(self, app: Any, config: SiteConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        csp = self.config.content_security_policy(page_host(request))
        https = scope.get("scheme") == "https"
        started = time.monotonic()
        status = 0

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"server"]
                headers += [(name.encode(), value.encode())
                            for name, value in security_headers(csp, https).items()]
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        finally:
            access_log.info("%s %s %s %.0fms", scope.get("method"),
                            REPORT_PATH.sub("/rapport/…", scope.get("path", "")), status,
                            (time.monotonic() - started) * 1000)


def security_headers(csp: str, https: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "SAMEORIGIN",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


"""Page weight and first-message time of the demo page with its chat widget (`make bench`).

    python -m devtools.page_weight [--runs N]   an isolated stack with the site; prints them

`measure(site_url)` drives Debian's Chromium headless, launched as tests/browser does, against
a running stack (Rasa + action server + site):

- page weight: a fresh browser context loads the page, opens the widget with its launcher
  and waits for the greeting; then the bytes of every HTTP response as they came over the
  wire are summed (Playwright's `request.sizes()`: `responseHeadersSize` + `responseBodySize`;
  in Chromium these come from CDP's Network.loadingFinished `encodedDataLength`, i.e. the
  body still gzipped when the server gzipped it). The Socket.IO handshake (HTTP polling
  to Rasa's port) counts; the WebSocket frames that follow are no HTTP response and are
  reported apart (payload bytes). Requests to another host name are counted (should be 0).
- greeting time: N times, each in a fresh context (empty localStorage: a new conversation),
  the page is loaded until the network is idle and the widget has its Rasa session; then,
  measured inside the page with `performance.now()`, from the click on the launcher (a
  capturing listener on the document, so before the widget's own handler) to the first
  `.mkb-bot` node added to `.mkb-log` (a MutationObserver). The widget shows the first
  message of an empty log without its typing pause (web/widget.js `pump()`), so this is the
  round trip `/greet` -> Rasa -> action server -> socket -> DOM, without a deliberate delay.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

KB = 1024
# As tests/browser/conftest.py (tests/unit/test_page_weight.py keeps the two equal).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CONTEXT_OPTIONS = {"locale": "nl-NL", "viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 20_000
QUIET_MS = 500  # after the greeting: no request open for this long ends the page weight run
DEFAULT_RUNS = 10

# Installed before the click: when the click reaches the document (capture phase, before the
# launcher's own listener) and when the first bot message is added to the log.
INSTRUMENT = """() => {
  const chat = document.querySelector("mkb-chat");
  const launcher = chat.querySelector(".mkb-launcher");
  const log = chat.querySelector(".mkb-log");
  if (log.querySelector(".mkb-bot")) throw new Error("the log already holds a bot message");
  const timing = window.__mkbTiming = { click: null, first: null };
  document.addEventListener("click", (event) => {
    if (timing.click === null && launcher.contains(event.target)) timing.click = performance.now();
  }, true);
  new MutationObserver((records, observer) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains("mkb-bot")) {
          timing.first = performance.now();
          observer.disconnect();
          return;
        }
      }
    }
  }).observe(log, { childList: true });
}"""
CONNECTED = "() => { const chat = document.querySelector('mkb-chat'); " \
            "return !!(chat && chat.connected); }"
FIRST_BOT = ".mkb-log .mkb-bot"


@dataclass(frozen=True)
class Transfer:
    """One HTTP response of the page-weight run."""

    path: str  # URL path without the query; ":port/path" when not the page's own port
    kind: str  # Playwright's resource type: document, stylesheet, script, xhr, ...
    status: int
    wire_bytes: int  # response headers + body as transferred (compressed when gzipped)
    body_bytes: int  # the body as transferred
    decoded_bytes: int  # the body after decompression
    gzip: bool


@dataclass
class PageFigures:
    url: str
    files: list[Transfer] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)  # URLs on another host name
    failed: list[str] = field(default_factory=list)  # requests that failed or never ended
    websocket_bytes: int = 0  # WebSocket frame payloads received (not in the total)
    greeting_ms: list[float] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(f.wire_bytes for f in self.files)

    @property
    def total_kb(self) -> float:
        return self.total_bytes / KB

    @property
    def greeting_median_ms(self) -> float:
        return statistics.median(self.greeting_ms) if self.greeting_ms else float("nan")

    @property
    def greeting_max_ms(self) -> float:
        return max(self.greeting_ms) if self.greeting_ms else float("nan")

    def summary(self) -> str:
        lines = [f"page {self.url}: {self.total_kb:.1f} KB over the wire "
                 f"({self.total_bytes} bytes, {len(self.files)} responses, KB = {KB} bytes); "
                 f"requests to other hosts: {len(self.other_hosts)}; failed or unfinished: "
                 f"{len(self.failed)}; WebSocket payload received (not counted): "
                 f"{self.websocket_bytes} bytes"]
        lines += [f"  {f.wire_bytes:>7} B  {f.decoded_bytes:>7} B decoded  "
                  f"{'gzip' if f.gzip else '    '}  {f.status}  {f.kind:<10} {f.path}"
                  for f in self.files]
        lines += [f"  other host: {url}" for url in self.other_hosts]
        lines += [f"  failed: {url}" for url in self.failed]
        if self.greeting_ms:
            runs = ", ".join(f"{ms:.0f}" for ms in self.greeting_ms)
            lines.append(f"greeting after the click on the launcher: median "
                         f"{self.greeting_median_ms:.0f} ms, max {self.greeting_max_ms:.0f} ms "
                         f"over {len(self.greeting_ms)} fresh contexts ({runs} ms)")
        return "\n".join(lines)


def file_label(url: str, page_url: str) -> str:
    """The path of a URL (no query: versions and Socket.IO's tokens), with its port when
    that is not the page's (the Socket.IO handshake goes to Rasa's port)."""
    parts, page = urlsplit(url), urlsplit(page_url)
    path = parts.path or "/"
    return path if parts.port == page.port else f":{parts.port}{path}"


def other_host(url: str, page_url: str) -> bool:
    """Whether an http(s) request leaves the page's host name (another port is the same
    host: Rasa's socket on loopback; behind nginx it is the same origin)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname != urlsplit(page_url).hostname


def _launch(playwright):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


def _page_weight(browser, url: str, figures: PageFigures) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**CONTEXT_OPTIONS)
    context.set_default_timeout(TIMEOUT_MS)
    started: list = []
    finished: list = []
    failed: list = []
    frames: list[int] = []
    try:
        # Handlers must be Python functions (Playwright tags them), not bound built-ins.
        context.on("request", lambda request: started.append(request))
        context.on("requestfinished", lambda request: finished.append(request))
        context.on("requestfailed", lambda request: failed.append(request))
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on(
            "framereceived",
            lambda payload: frames.append(len(payload.encode() if isinstance(payload, str)
                                              else payload))))
        page.goto(url, wait_until="networkidle")
        page.locator("mkb-chat .mkb-launcher").click()
        page.locator(FIRST_BOT).first.wait_for(state="visible")
        quiet_since, deadline = time.monotonic(), time.monotonic() + 10
        while time.monotonic() < deadline:  # wait till no request has been open for QUIET_MS
            if len(started) > len(finished) + len(failed):
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
                break
            page.wait_for_timeout(50)  # lets Playwright deliver its events
        done = {id(r) for r in finished} | {id(r) for r in failed}
        for request in finished:
            if urlsplit(request.url).scheme not in ("http", "https"):
                continue
            if other_host(request.url, url):
                figures.other_hosts.append(request.url)
            response = request.response()
            sizes = request.sizes()
            headers = response.all_headers() if response else {}
            try:
                decoded = len(response.body()) if response else 0
            except Exception:  # a body Chromium no longer holds
                decoded = -1
            figures.files.append(Transfer(
                path=file_label(request.url, url), kind=request.resource_type,
                status=response.status if response else 0,
                wire_bytes=sizes["responseHeadersSize"] + sizes["responseBodySize"],
                body_bytes=sizes["responseBodySize"], decoded_bytes=decoded,
                gzip="gzip" in headers.get("content-encoding", "")))
        figures.failed += [f"{r.url} ({r.failure})" for r in failed]
        figures.failed += [f"{r.url} (unfinished)" for r in started if id(r) not in done]
        figures.other_hosts += [r.url for r in failed if other_host(r.url, url)]
        figures.websocket_bytes = sum(frames)
    finally:
        context.close()


def _greeting_ms(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    context = browser.new_context(**CONTEXT_OPTIONS)  # empty localStorage: a new conversation
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_function(CONNECTED)  # the widget has its Rasa session
        page.evaluate(INSTRUMENT)
        page.locator("mkb-chat .mkb-launcher").click()
        page.wait_for_function("() => window.__mkbTiming.first !== null")
        page.locator(FIRST_BOT).first.wait_for(state="visible")
        timing = page.evaluate("() => window.__mkbTiming")
        if timing["click"] is None:
            raise RuntimeError("the click on the launcher was not seen")
        return float(timing["first"] - timing["click"])
    finally:
        context.close()


def measure(site_url: str, runs: int = DEFAULT_RUNS) -> PageFigures:
    """Page weight (one load with the widget opened) and `runs` greeting times of the page
    at site_url, served by a running stack. The page-weight run comes first and also warms
    up the server's first conversation."""
    from playwright.sync_api import sync_playwright

    figures = PageFigures(site_url)
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            _page_weight(browser, site_url, figures)
            figures.greeting_ms = [_greeting_ms(browser, site_url) for _ in range(runs)]
        finally:
            browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"greeting measurements, each in a fresh context ({DEFAULT_RUNS})")
    args = parser.parse_args(argv)
    from devtools.isolated import isolated_stack, running

    with tempfile.TemporaryDirectory(prefix="mkbscan-page-") as tmp, \
            running(isolated_stack(Path(tmp), web=True)) as stack:
        if stack.web is None:
            print("the site is not served (web/node_modules missing: make setup)",
                  file=sys.stderr)
            return 1
        figures = measure(f"http://127.0.0.1:{stack.web.port}/", args.runs)
    print(figures.summary(), flush=True)
    return 1 if figures.other_hosts or figures.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

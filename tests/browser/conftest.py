"""Browser fixtures: Debian's Chromium driven by Playwright against the session stack's page.

Playwright's own browser download is not used (nor reachable in CI); the tests need
/usr/bin/chromium (`apt-get install chromium`) and skip without it (fail under CI=true).
Every test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.chat import TIMEOUT_MS
from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(stack: Any) -> str:
    """URL of the demo page served by the session stack (127.0.0.1, an allowed origin)."""
    if stack.web is None:
        skip_or_fail("the demo page is not served (web/node_modules missing: make setup)")
    return f"http://127.0.0.1:{stack.web.port}/"


def _artifact_name(request: pytest.FixtureRequest, suffix: str = "") -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    return ARTIFACTS / f"{name}{suffix}.png"


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[[Page, str], None]:
    """shoot(page, "step") saves test-artifacts/<test>-<step>.png."""

    def save(page: Page, step: str) -> None:
        page.screenshot(path=str(_artifact_name(request, f"-{step}")), full_page=False)

    return save


def _new_page(browser: Browser, request: pytest.FixtureRequest,
              **context_options: Any) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        with contextlib.suppress(PlaywrightError):  # never hide the test's own failure
            page.screenshot(path=str(_artifact_name(request)))
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh desktop browser context (own localStorage) and page."""
    yield from _new_page(browser, request, viewport={"width": 1280, "height": 800})


@pytest.fixture
def csp_bypassed(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A desktop page whose context ignores the pages' Content-Security-Policy: only for a
    test that injects a script itself (axe-core), or that shows the widget, not the CSP,
    keeps typed HTML from running."""
    yield from _new_page(browser, request, viewport={"width": 1280, "height": 800},
                         bypass_csp=True)


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page (390 x 844, touch)."""
    yield from _new_page(browser, request, viewport={"width": 390, "height": 844},
                         is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Uncaught JavaScript errors on `page`, collected from before the first navigation."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors

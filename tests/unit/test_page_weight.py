"""The pure parts of devtools/page_weight.py (the browser run itself is in `make bench`)."""

from __future__ import annotations

from devtools.page_weight import (
    CHROMIUM,
    CHROMIUM_ARGS,
    KB,
    PageFigures,
    Transfer,
    file_label,
    other_host,
)

PAGE = "http://127.0.0.1:8123/"


def test_chromium_is_launched_as_in_the_browser_tests() -> None:
    from tests.browser import conftest

    assert (CHROMIUM, CHROMIUM_ARGS) == (conftest.CHROMIUM, conftest.CHROMIUM_ARGS)


def test_a_file_is_named_by_its_path_and_another_port_is_shown() -> None:
    assert file_label("http://127.0.0.1:8123/widget.js?v=abc123", PAGE) == "/widget.js"
    assert file_label("http://127.0.0.1:8123", PAGE) == "/"
    assert file_label("http://127.0.0.1:5005/socket.io/?EIO=4&transport=polling",
                      PAGE) == ":5005/socket.io/"


def test_only_another_host_name_counts_as_another_host() -> None:
    assert not other_host("http://127.0.0.1:5005/socket.io/", PAGE)
    assert other_host("https://cdn.example.org/socket.io.min.js", PAGE)
    assert other_host("http://localhost:8123/", PAGE)
    assert not other_host("data:image/svg+xml;base64,AAAA", PAGE)


def test_totals_and_greeting_figures() -> None:
    files = [Transfer("/", "document", 200, 3 * KB, 2 * KB, 7 * KB, True),
             Transfer("/app.js", "script", 200, KB, 457, 457, False)]
    figures = PageFigures(PAGE, files=files, greeting_ms=[40.0, 30.0, 200.0, 50.0])
    assert figures.total_bytes == 4 * KB
    assert figures.total_kb == 4.0
    assert figures.greeting_median_ms == 45.0
    assert figures.greeting_max_ms == 200.0
    assert "4.0 KB" in figures.summary()

"""Only the demo page's origin may talk to the socketio channel (mkbscan/rasa/channels.py).

Speaks Engine.IO 4 long-polling by hand: handshake, Socket.IO CONNECT, read the answer.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.stack


def socketio_connect(rasa_port: int, origin: str | None) -> str:
    """The server's answer to a Socket.IO CONNECT packet: '40...' accepted, '44...' refused."""
    base = f"http://127.0.0.1:{rasa_port}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": origin} if origin else {}

    def call(url: str, data: bytes | None = None) -> str:
        request = urllib.request.Request(url, data=data, headers=headers,
                                         method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.read().decode()

    handshake = call(base)
    assert handshake.startswith("0"), handshake
    sid = json.loads(handshake[1:])["sid"]
    assert call(f"{base}&sid={sid}", b"40").lower() == "ok"
    return call(f"{base}&sid={sid}")


def test_page_origin_is_accepted(stack: Any) -> None:
    assert socketio_connect(stack.config.rasa_port,
                            f"http://127.0.0.1:{stack.web.port}").startswith("40")


def test_other_origin_is_refused(stack: Any) -> None:
    assert socketio_connect(stack.config.rasa_port, "http://evil.example").startswith("44")
    assert socketio_connect(stack.config.rasa_port, "http://127.0.0.1:1").startswith("44")


def test_client_without_origin_is_accepted(stack: Any) -> None:
    # Not a browser (e.g. a server-side integration): no Origin header, nothing to check.
    assert socketio_connect(stack.config.rasa_port, None).startswith("40")


def test_rest_cors_allows_the_page_origin_only(stack: Any) -> None:
    def allow_origin(origin: str) -> str | None:
        request = urllib.request.Request(f"http://127.0.0.1:{stack.config.rasa_port}/",
                                         headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.headers.get("Access-Control-Allow-Origin")

    for origin in stack.config.cors.split():  # every configured origin, not only the last
        assert allow_origin(origin) == origin
    assert allow_origin("http://evil.example") is None

"""Rasa's socketio channel, fixed for python-socketio 5.18 and with an origin check.

Session persistence: Rasa 3.6's `session_request` handler calls `sio.enter_room(...)`
without `await`; in python-socketio >= 5.10 (we pin 5.18.1) that is a coroutine, so the
socket never joins the room of its session and, with `session_persistence: true`, no bot
message ever reaches the widget (Rasa only logs "coroutine 'AsyncServer.enter_room' was
never awaited"). This channel registers its own `session_request` handler that awaits it.

Origins: Rasa 3.6 creates python-socketio's server with `cors_allowed_origins=[]`, which switches
python-engineio's origin handling off completely: a page on *any* origin can open a
WebSocket to the bot (browsers apply no CORS to WebSockets), and the HTTP polling transport
is only limited by the CORS headers that Sanic-CORS adds for `rasa run --cors`. The built-in
channel has no credentials option to change that.

This subclass keeps the channel name `socketio` (the actions test for it) and everything
else of Rasa's channel, and refuses a Socket.IO connection whose `Origin` header is not in
the allowed list. Clients without an Origin header (not a browser) are accepted, as
python-engineio does. The list comes from the credentials key `cors_allowed_origins`
(a list or a space-separated string), else from `CORS_ORIGINS`, else the local demo page.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def allowed_origins(configured: str | list[str] | None = None) -> frozenset[str]:
    """The origins a browser may connect from; `*` in the result allows any origin."""
    if configured is None:
        configured = os.environ.get("CORS_ORIGINS") or DEFAULT_ORIGINS
    items = configured.split() if isinstance(configured, str) else configured
    return frozenset(str(item).strip().rstrip("/") for item in items if str(item).strip())


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    return origin is None or "*" in allowed or origin.rstrip("/") in allowed


class SocketIOInput(RasaSocketIOInput):
    """`socketio` as in Rasa, with working session rooms, for the configured origins only."""

    cors_allowed_origins: frozenset[str] = frozenset()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = dict(credentials or {})
        origins = credentials.pop("cors_allowed_origins", None)
        channel = super().from_credentials(credentials)
        assert isinstance(channel, cls)
        channel.cors_allowed_origins = allowed_origins(origins)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        assert self.sio is not None
        namespace = self.namespace or "/"
        rasa_connect = self.sio.handlers[namespace]["connect"]
        allowed = self.cors_allowed_origins or allowed_origins()
        logger.debug("socketio accepts browser origins %s", sorted(allowed))

        async def connect(sid: str, environ: dict[str, Any], auth: dict | None = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, allowed):
                logger.warning("socketio connection from origin %s refused (CORS_ORIGINS)",
                               origin)
                return False
            return bool(await rasa_connect(sid, environ, auth))

        sio = self.sio

        async def session_request(sid: str, data: dict | None = None) -> None:
            session_id = (data or {}).get("session_id")
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):  # a coroutine since python-socketio 5.10
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("User %s joined session %s.", sid, session_id)

        sio.on("connect", connect, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint

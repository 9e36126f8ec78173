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

Input guards (both channels; the checks themselves are in mkbscan.rasa.input_guard): empty,
oversized, control characters and hand-typed intents (`/lead_submit`, `/affirm{...}`) are
cleaned or refused with a Dutch notice, a sender that floods is answered "rustig aan"
without running the bot, and a turn in which a custom action failed (action server down
or too slow) or the bot said nothing ends with a Dutch "er ging even iets mis" instead of
silence. `RestInput` is Rasa's `rest` channel (same name and URL) with these guards, a
Dutch 400 for a body that is not JSON in UTF-8 or has no valid `sender`, and no user text
in its logs; it answers with one JSON list (Rasa's `?stream=true` is not offered).

Action timeout: Rasa 3.6 waits up to 300 s for the action server
(`rasa.core.constants.DEFAULT_REQUEST_TIMEOUT`, copied by name into
`rasa.core.actions.action` and `rasa.utils.endpoints`; endpoints.yml cannot change it).
Importing this module (Rasa does so when it reads credentials.yml) lowers it to
ACTION_TIMEOUT_SECONDS (default 30).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

import rasa.core.actions.action
import rasa.utils.endpoints
from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request

from mkbscan.rasa.input_guard import (
    BAD_REQUEST,
    BAD_SENDER,
    FAILURE_REPLY,
    FLOOD_REPLY,
    RateLimiter,
    check_message,
    guard_metadata,
    valid_sender,
)

logger = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DEFAULT_ACTION_TIMEOUT = 30.0
SOCKETIO_MAX_BYTES = 64 * 1024  # one Socket.IO packet; python-engineio allows 1 MB
ACTION_FAILED = "Encountered an exception while running action"  # rasa.core.processor
ANSWERED, REFUSED_FLOOD, FAILED = "answered", "flood", "failed"


def action_timeout() -> float:
    value = float(os.environ.get("ACTION_TIMEOUT_SECONDS") or DEFAULT_ACTION_TIMEOUT)
    if value <= 0:
        raise ValueError("ACTION_TIMEOUT_SECONDS must be positive")
    return value


def apply_action_timeout(seconds: float | None = None) -> float:
    """Lower Rasa's 300 s wait for a custom action (see the module docstring)."""
    seconds = action_timeout() if seconds is None else seconds
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds  # type: ignore[attr-defined]
    rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT = seconds  # type: ignore[attr-defined]
    return seconds


apply_action_timeout()

# The failures of custom actions during the turn being handled (None: not in a turn).
# Rasa 3.6 logs a failed action and carries on without its events or messages; this
# handler on rasa.core.processor's logger notes that, so the channel can say so.
_turn_failures: ContextVar[list[str] | None] = ContextVar("mkbscan_turn_failures",
                                                          default=None)


class _ActionFailureHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        failures = _turn_failures.get()
        if failures is not None and str(record.msg).startswith(ACTION_FAILED):
            failures.append(str(record.msg)[:120])


def install_action_failure_hook() -> None:
    processor_logger = logging.getLogger("rasa.core.processor")
    if not any(isinstance(h, _ActionFailureHandler) for h in processor_logger.handlers):
        processor_logger.addHandler(_ActionFailureHandler(level=logging.ERROR))
    processor_logger.disabled = False


async def run_turn(on_new_message: Callable[[UserMessage], Awaitable[Any]], raw_text: object,
                   output: OutputChannel, sender_id: str, input_channel: str,
                   metadata: object, sent: Callable[[], int],
                   limiter: RateLimiter | None) -> str:
    """One user message through the guards and the bot; returns what happened."""
    if limiter is not None and not limiter.allow(sender_id):
        logger.warning("too many messages from one sender; refused without running the bot")
        await output.send_text_message(sender_id, FLOOD_REPLY)
        return REFUSED_FLOOD
    checked = check_message(raw_text)
    if checked.notice:
        await output.send_text_message(sender_id, checked.notice)
    before = sent()
    failures: list[str] = []
    token = _turn_failures.set(failures)
    try:
        await on_new_message(UserMessage(checked.text, output, sender_id,
                                         input_channel=input_channel,
                                         metadata=guard_metadata(metadata, checked)))
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - the user gets an answer, the log no user text
        logger.error("handling a message failed (%s)", type(exc).__name__)
        failures.append(type(exc).__name__)
    finally:
        _turn_failures.reset(token)
    if failures or sent() == before:
        if not failures:
            logger.warning("the bot produced no answer to a message")
        await output.send_text_message(sender_id, FAILURE_REPLY)
        return FAILED
    return ANSWERED


class RestInput(RasaRestInput):
    """Rasa's `rest` channel (POST /webhooks/rest/webhook) behind the input guards."""

    def __init__(self) -> None:
        self.limiter = RateLimiter.from_env()
        install_action_failure_hook()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            try:
                payload = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return response.json({"error": BAD_REQUEST, "status": 400}, status=400)
            if not isinstance(payload, dict):
                return response.json({"error": BAD_REQUEST, "status": 400}, status=400)
            sender = payload.get("sender")
            if not valid_sender(sender):
                return response.json({"error": BAD_SENDER, "status": 400}, status=400)
            collector = CollectingOutputChannel()
            channel = payload.get("input_channel")
            outcome = await run_turn(
                on_new_message, payload.get("message"), collector, sender,
                channel if isinstance(channel, str) and channel else self.name(),
                payload.get("metadata"), lambda: len(collector.messages), self.limiter)
            if outcome == REFUSED_FLOOD and self.limiter is not None:
                return response.json(collector.messages, status=429,
                                     headers={"Retry-After": str(int(self.limiter.window))})
            return response.json(collector.messages)

        return webhook


class _CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socketio output that counts what it sent (to notice a silent turn)."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)


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
    limiter: RateLimiter | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = dict(credentials or {})
        origins = credentials.pop("cors_allowed_origins", None)
        channel = super().from_credentials(credentials)
        assert isinstance(channel, cls)
        channel.cors_allowed_origins = allowed_origins(origins)
        channel.limiter = RateLimiter.from_env()
        install_action_failure_hook()
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

        async def handle_message(sid: str, data: Any) -> None:
            # Rasa's handler, with the input guards and a valid session id required.
            data = data if isinstance(data, dict) else {}
            if self.session_persistence:
                session_id = data.get("session_id")
                if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                    logger.warning("socketio message without a valid session_id ignored")
                    return
                sender_id = session_id
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            output = _CountingSocketIOOutput(sio, self.bot_message_evt)
            await run_turn(on_new_message, data.get("message"), output, sender_id, self.name(),
                           metadata, lambda: output.sent, self.limiter)

        sio.eio.max_http_buffer_size = SOCKETIO_MAX_BYTES
        sio.on("connect", connect, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint

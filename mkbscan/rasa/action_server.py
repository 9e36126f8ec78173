"""The action server: rasa_sdk's app, bound to loopback, optionally behind a shared secret.

Also runs the mail delivery worker, so leads waiting from before a restart are sent.
Environment: ACTION_SERVER_HOST (127.0.0.1), ACTION_SERVER_PORT (5055),
ACTION_SERVER_TOKEN (unset: no check; set: every call needs header X-Action-Token; the
health check GET /health stays open).

Test hook, off unless set: MKBSCAN_TEST_ACTION_DELAY_FILE names a JSON file
{"action_name": seconds}; while that file exists, those actions run at once but their
answer is sent that much later (a slow action server whose work is done when Rasa has
given up waiting; tests/faults use it).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from pathlib import Path

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

logger = logging.getLogger(__name__)
TOKEN_HEADER = "X-Action-Token"
DELAY_FILE_ENV = "MKBSCAN_TEST_ACTION_DELAY_FILE"
MAX_TEST_DELAY = 120.0


def configured_delay(delay_file: Path, action_name: object) -> float:
    """Seconds the test hook wants `action_name` delayed (0: none, file absent or invalid)."""
    try:
        delays = json.loads(delay_file.read_text())
        return min(float(delays.get(action_name) or 0), MAX_TEST_DELAY)
    except (OSError, ValueError, AttributeError, TypeError):
        return 0.0


def build_app(token: str | None, delay_file: str | None = None) -> Sanic:
    app = create_app("actions", cors_origins=[])
    # Sanic closes a connection that sends nothing for KEEP_ALIVE_TIMEOUT (5 s). Under load
    # Rasa's event loop can open the connection and write the request later than that: the
    # action call then fails and the user's answer is lost (seen at 50 users).
    app.config.KEEP_ALIVE_TIMEOUT = 75

    @app.middleware("request")
    async def check_token(request: Request) -> response.HTTPResponse | None:
        if token and request.path != "/health":
            given = request.headers.get(TOKEN_HEADER, "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return response.json({"error": "unauthorized"}, status=401)
        return None

    if delay_file:
        logger.warning("test hook %s is set: actions may be delayed on purpose", DELAY_FILE_ENV)

        @app.middleware("response")
        async def delay_for_tests(request: Request, _response: response.HTTPResponse) -> None:
            if request.path == "/webhook":
                try:
                    name = (request.json or {}).get("next_action")
                except Exception:  # noqa: BLE001 - rasa_sdk answers a bad body itself
                    return
                seconds = configured_delay(Path(delay_file), name)
                if seconds > 0:
                    await asyncio.sleep(seconds)

    async def no_echo(request: Request, exception: Exception) -> response.HTTPResponse:
        # rasa_sdk's own handler echoes the request body (the whole tracker) back.
        logger.error("action call failed: %s", type(exception).__name__)
        return response.json({"error": "action failed"}, status=500)

    app.error_handler.add(Exception, no_echo)

    @app.listener("after_server_start")
    async def start_delivery(app: Sanic, _loop: object) -> None:
        from mkbscan.runtime import start_delivery_worker

        app.ctx.worker = start_delivery_worker()

    @app.listener("before_server_stop")
    async def stop_delivery(app: Sanic, _loop: object) -> None:
        worker = getattr(app.ctx, "worker", None)
        if worker is not None:
            worker.stop()

    return app


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    from mkbscan.reading.saved import trained_reader

    trained_reader()  # loaded (or trained) before the first answer, not during it
    app = build_app(os.environ.get("ACTION_SERVER_TOKEN") or None,
                    os.environ.get(DELAY_FILE_ENV) or None)
    logger.info("action server on http://%s:%s", host, port)
    app.run(host=host, port=port, workers=1, access_log=False)


if __name__ == "__main__":
    main()

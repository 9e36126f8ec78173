"""An isolated stack for tests and benchmarks: own ports, databases, outbox and logs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools.stack import Stack, StackConfig

ENDPOINTS_TEMPLATE = """\
action_endpoint:
  url: "http://127.0.0.1:{action_port}/webhook"
tracker_store:
  type: SQL
  dialect: "sqlite"
  db: "{tracker_db}"
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_stack(workdir: Path, extra_env: dict[str, str] | None = None,
                   endpoints_text: str | None = None, web: bool = False) -> Stack:
    """A Stack whose state all lives under `workdir` (not started yet).

    `web=True` also serves the demo page on a free port (stack.web.url), and only that
    page's origin may use Rasa's CORS and socketio.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    action_port, rasa_port = free_port(), free_port()
    web_port = free_port() if web else None
    tracker_db = workdir / "tracker.db"
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(endpoints_text or ENDPOINTS_TEMPLATE.format(
        action_port=action_port, tracker_db=tracker_db))
    env = {
        "LEADS_DATABASE_URL": f"sqlite:///{workdir / 'leads.db'}",
        "TRACKER_DB_URL": f"sqlite:///{tracker_db}",
        "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "MAIL_RETRY_INTERVAL": "1",
        # Scripted users type far faster than people: no "rustig aan" for them (the
        # default 20/10 is tested in tests/faults with its own stack).
        "CHAT_RATE_LIMIT": "1000/10",
    }
    env.update(extra_env or {})
    config = StackConfig(rasa_port=rasa_port, action_port=action_port, endpoints=endpoints,
                         log_dir=workdir / "log", extra_env=env, web_port=web_port)
    if web_port:
        config.cors = f"http://127.0.0.1:{web_port} http://localhost:{web_port}"
    return Stack(config)


@contextmanager
def running(stack: Stack) -> Iterator[Stack]:
    """The stack started (stopped again if starting fails) and stopped after use."""
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    try:
        yield stack
    finally:
        stack.stop()

"""Security defaults: the action server's shared secret and loopback binding, secrets only
from the environment, no personal data echoed or logged by the action server."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from devtools.isolated import isolated_stack
from tests.security.netstat import listening_addresses

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-5b1d0c"  # noqa: S105 - a throw-away value for this test only
PERSONAL = "roos@hendrikshout.nl"


def call(url: str, body: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def action_call(action: str, latest_text: str = "") -> dict[str, Any]:
    """A minimal call as Rasa 3.6 sends it."""
    return {
        "next_action": action, "sender_id": "security-test", "version": "3.6.21",
        "domain": {},
        "tracker": {"sender_id": "security-test", "slots": {}, "paused": False,
                    "latest_message": {"text": latest_text, "intent": {}, "entities": []},
                    "events": [], "followup_action": None, "active_loop": {},
                    "latest_action_name": None, "latest_input_channel": "rest"},
    }


@pytest.fixture(scope="module")
def actions(tmp_path_factory: pytest.TempPathFactory):
    """Only the action server, with ACTION_SERVER_TOKEN set."""
    stack = isolated_stack(tmp_path_factory.mktemp("secure"),
                           extra_env={"ACTION_SERVER_TOKEN": TOKEN})
    try:
        stack.start_actions()
    except Exception:
        stack.stop()
        raise
    yield stack
    stack.stop()


@pytest.mark.stack
def test_action_calls_need_the_shared_secret_and_health_stays_open(actions) -> None:
    base = f"http://127.0.0.1:{actions.config.action_port}"
    assert call(f"{base}/health")[0] == 200
    body = action_call("action_dialogue")
    assert call(f"{base}/webhook", body)[0] == 401
    assert call(f"{base}/webhook", body, {"X-Action-Token": "wrong"})[0] == 401
    assert call(f"{base}/actions")[0] == 401
    status, reply = call(f"{base}/webhook", body, {"X-Action-Token": TOKEN})
    assert status == 200, reply
    assert {"event": "slot", "name": "awaiting"}.items() <= json.loads(reply)["events"][0].items()


@pytest.mark.stack
def test_the_action_server_listens_on_loopback_only(actions) -> None:
    assert listening_addresses(actions.config.action_port) == {"127.0.0.1"}


@pytest.mark.stack
def test_a_failing_action_call_echoes_and_logs_no_personal_data(actions) -> None:
    base = f"http://127.0.0.1:{actions.config.action_port}"
    broken = action_call("action_dialogue", latest_text=PERSONAL)
    broken["tracker"]["events"] = "not a list"
    broken["tracker"]["slots"] = {"lead_state": {"stage": "field", "asking": "email"}}
    status, reply = call(f"{base}/webhook", broken, {"X-Action-Token": TOKEN})
    assert status >= 400 and PERSONAL not in reply
    validation = action_call("action_dialogue", latest_text="roos@@hendrikshout.nl")
    validation["tracker"]["slots"] = {"lead_state": {"stage": "field", "asking": "email"},
                                      "awaiting": "lead_field"}
    status, reply = call(f"{base}/webhook", validation, {"X-Action-Token": TOKEN})
    assert status == 200 and "e-mail" in reply.lower()
    log = (actions.config.log_dir / "actions.log").read_text(errors="replace")
    assert "hendrikshout" not in log
    assert TOKEN not in log


CONFIG_FILES = ("*.yml", "*.yaml", "*.toml", "*.ini", "*.cfg", "*.env", ".env*", "*.example",
                "*.sh", "Makefile", "*.conf", "*.service")
SKIP_DIRS = {".venv", ".venv-tools", "node_modules", ".git", "var", "models", "results",
             "test-artifacts", ".rasa", ".spacy", "tests", ".pytest_cache", ".ruff_cache"}
# A key that names a secret (ends in password, secret, token, api_key) with a literal value.
# Not: ${VAR:?...} references, Kubernetes references (secretKeyRef, existingSecret: name).
SECRET_KEY = re.compile(
    r"(?i)(?<![\w${])(?!existing)[\w-]*(password|passwd|secret|token|api[_-]?key)"
    r"[\"']?\s*[:=]\s*[\"']?(?P<value>[^\s\"'#]+)")
URL_WITH_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@\"']+:(?P<value>[^/\s@\"']+)@")


def config_files() -> list[Path]:
    found = set()
    for pattern in CONFIG_FILES:
        for path in ROOT.rglob(pattern):
            parts = set(path.relative_to(ROOT).parts)
            if path.is_file() and not parts & SKIP_DIRS:
                found.add(path)
    return sorted(found)


def is_reference(value: str) -> bool:
    """${VAR}, $VAR, {{ template }}, <placeholder>, or nothing."""
    return value.startswith(("$", "{", "<", "[", "(")) or value in ("null", "~", "''", '""')


def test_secrets_come_only_from_the_environment() -> None:
    files = config_files()
    assert any(path.name == "endpoints.yml" for path in files)
    leaks = []
    for path in files:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for pattern in (SECRET_KEY, URL_WITH_PASSWORD):
                for match in pattern.finditer(line):
                    if not is_reference(match.group("value")):
                        leaks.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not leaks, "literal secrets in config files:\n" + "\n".join(leaks)


@pytest.mark.parametrize(("line", "leak"), [
    ("password: hunter22", True), ("SMTP_PASSWORD=geheim123", True),
    ("X-Action-Token: abcdef1234", True), ("url: postgresql://u:pw123456@h/db", True),
    ('api_key = "sk-123456"', True), ("password: ${REDIS_PASSWORD}", False),
    ("X-Action-Token: ${ACTION_SERVER_TOKEN}", False), ('token: ""', False),
    ("existingSecret: samenwerkingsscan-secrets", False),
    ("url: postgresql://u:${PG_PASSWORD}@h/db", False),
])
def test_the_secret_check_finds_literal_secrets(line: str, leak: bool) -> None:
    hits = [m for p in (SECRET_KEY, URL_WITH_PASSWORD) for m in p.finditer(line)
            if not is_reference(m.group("value"))]
    assert bool(hits) is leak

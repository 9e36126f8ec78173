"""Start the whole assistant (action server + Rasa server), for `make run`, tests and benchmarks.

`python -m devtools.stack run`   trains if needed, starts both and the demo page
                                         (web/, on WEB_PORT), waits, prints where.
`python -m devtools.stack shell` starts the action server and opens `rasa shell`.
Ctrl-C stops everything that was started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from devtools.train import ROOT, ensure_model, rasa_env
from mkbscan.leads.delivery import MailConfig
from mkbscan.site.pages import WEB_ROOT, WIDGET_BUNDLE
from mkbscan.site.server import SiteServer

BIN = Path(sys.executable).parent
# `rasa` with the measured speed-up and the quiet start of mkbscan/rasa/main.py
RASA = [str(BIN / "python"), "-m", "mkbscan.rasa.main"]
WEB_PORT = os.environ.get("WEB_PORT", "8080")
# Sanic accepts 100 MB request bodies by default; a chat message needs a few kB. Only for
# the Rasa server: the action server receives whole trackers (see docs/security.md).
RASA_REQUEST_MAX_SIZE = str(64 * 1024)


@dataclass
class StackConfig:
    rasa_port: int = int(os.environ.get("RASA_PORT", "5005"))
    action_port: int = int(os.environ.get("ACTION_SERVER_PORT", "5055"))
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"
    log_dir: Path = ROOT / "var" / "log"
    extra_env: dict[str, str] = field(default_factory=dict)
    # The demo page with the chat widget; 0 or None: not served.
    web_port: int | None = int(WEB_PORT)
    # Origins allowed to call Rasa (--cors) and to connect to socketio (mkbscan/rasa/channels.py).
    cors: str = os.environ.get("CORS_ORIGINS",
                               f"http://localhost:{WEB_PORT} http://127.0.0.1:{WEB_PORT}")
    # Where the Rasa server listens: loopback unless RASA_INTERFACE says otherwise (e.g.
    # 0.0.0.0 behind a firewall or reverse proxy; `rasa run` alone listens on 0.0.0.0).
    rasa_interface: str = os.environ.get("RASA_INTERFACE", "127.0.0.1")


def wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s")


def wait_log(path: Path, marker: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Rasa exited with code {process.returncode}; see {path}")
        if path.exists() and marker in path.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise TimeoutError(f"'{marker}' not in {path} after {timeout:.0f} s")


RASA_READY_MARKER = "Rasa server is up and running"


def wait_rasa_ready(log_path: Path, url: str, timeout: float,
                    process: subprocess.Popen) -> None:
    """Wait for the ready line in Rasa's log, then for an HTTP answer on url.

    Rasa logs the line in a before_server_start listener, i.e. before Sanic binds the
    port, so the line alone lets a client in too early (connection refused).
    """
    started = time.monotonic()
    wait_log(log_path, RASA_READY_MARKER, timeout, process)
    wait_http(url, max(timeout - (time.monotonic() - started), 5), process)


class Stack:
    """The processes of one running assistant."""

    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.processes: list[subprocess.Popen] = []
        self.action_server: subprocess.Popen | None = None
        self.rasa: subprocess.Popen | None = None
        self.web: SiteServer | None = None
        self.model: Path | None = None

    @property
    def env(self) -> dict[str, str]:
        env = rasa_env()
        env["ACTION_SERVER_PORT"] = str(self.config.action_port)
        env["CORS_ORIGINS"] = self.config.cors
        if self.config.web_port:  # the report links the result names
            env.setdefault("SITE_URL", f"http://localhost:{self.config.web_port}")
        env.update(self.config.extra_env)
        return env

    @property
    def base_url(self) -> str:
        host = self.config.rasa_interface
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.config.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    def _spawn(self, args: list[str], log_name: str,
               env: dict[str, str] | None = None) -> subprocess.Popen:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.config.log_dir / log_name, "w")  # noqa: SIM115 - lives with the process
        process = subprocess.Popen(args, cwd=ROOT, env=env or self.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        return process

    def start_actions(self, timeout: float = 60) -> None:
        self.action_server = self._spawn([str(BIN / "python"), "-m", "mkbscan.rasa.action_server"],
                                         "actions.log")
        wait_http(f"http://127.0.0.1:{self.config.action_port}/health", timeout,
                  self.action_server)

    def start_rasa(self, timeout: float = 180) -> None:
        self.model = self.model or ensure_model()
        log_name = f"rasa-{self.config.rasa_port}.log"
        args = [*RASA, "run", "--model", str(self.model),
                "--interface", self.config.rasa_interface,
                "--port", str(self.config.rasa_port),
                "--endpoints", str(self.config.endpoints),
                "--credentials", str(self.config.credentials)]
        if self.config.cors.split():  # one --cors with all origins: a second one replaces it
            args += ["--cors", *self.config.cors.split()]
        env = self.env
        env.setdefault("SANIC_REQUEST_MAX_SIZE", RASA_REQUEST_MAX_SIZE)
        self.rasa = self._spawn(args, log_name, env)
        wait_rasa_ready(self.config.log_dir / log_name, f"{self.base_url}/", timeout,
                        self.rasa)

    def start_web(self) -> None:
        if not self.config.web_port:
            return
        if not (WEB_ROOT / WIDGET_BUNDLE).is_file():
            print(f"Geen demopagina: {WIDGET_BUNDLE} ontbreekt in web/ (npm ci, zie "
                  "scripts/setup.sh).", file=sys.stderr)
            return
        self.web = SiteServer(self.config.web_port, self.config.rasa_port,
                              log_path=self.config.log_dir / "web.log",
                              database_url=self.env.get("LEADS_DATABASE_URL"),
                              tracker_url=self.env.get("TRACKER_DB_URL")).start()

    def start(self) -> Stack:
        (ROOT / "var").mkdir(exist_ok=True)
        self.model = ensure_model()
        self.start_web()
        self.start_actions()
        self.start_rasa()
        return self

    def kill_actions(self, sig: int = signal.SIGKILL) -> None:
        """Stop the action server (its whole process group); start_actions() brings it back."""
        if self.action_server is not None:
            _signal_group(self.action_server, sig)
            self.action_server.wait(timeout=30)
            self.processes.remove(self.action_server)
            self.action_server = None

    def kill_rasa(self, sig: int = signal.SIGKILL) -> None:
        if self.rasa is not None:
            _signal_group(self.rasa, sig)
            self.rasa.wait(timeout=30)
            self.processes.remove(self.rasa)
            self.rasa = None

    def stop(self) -> None:
        if self.web is not None:
            self.web.stop()
            self.web = None
        for process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def outbox_description() -> str:
    config = MailConfig.from_env()
    if config.smtp_host:
        return f"via SMTP {config.smtp_host}:{config.smtp_port} naar {config.advisor_email}"
    return f"geen SMTP_HOST: e-mails als .eml in {config.outbox_dir}"


def _banner(stack: Stack) -> str:
    port = stack.config.rasa_port
    return "\n".join([
        "",
        "De samenwerkingsscan draait.",
        f"  REST:      curl -s {stack.rest_url} -H 'Content-Type: application/json' "
        "-d '{\"sender\": \"ik\", \"message\": \"hallo\"}'",
        f"  socketio:  http://127.0.0.1:{port}/socket.io (voor de chatwidget)",
        f"  website:   {stack.web.url if stack.web else 'uit (WEB_PORT=0)'} "
        "(demopagina met de chatwidget)",
        "  shell:     make shell (in een tweede terminal)",
        f"  e-mail:    {outbox_description()}",
        f"  logs:      {stack.config.log_dir}",
        "Stoppen: Ctrl-C",
        "",
    ])


def run() -> int:
    stack = Stack()
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        started = time.monotonic()
        stack.start()
        print(_banner(stack), flush=True)
        print(f"Klaar in {time.monotonic() - started:.0f} s.", flush=True)
        while not stopping:
            for process in stack.processes:
                if process.poll() is not None:
                    print(f"Een proces stopte onverwacht (code {process.returncode}); "
                          f"zie {stack.config.log_dir}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("Stoppen...", flush=True)
        stack.stop()
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def shell() -> int:
    stack = Stack()
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    try:
        model = ensure_model()
        try:
            wait_http(f"http://127.0.0.1:{stack.config.action_port}/health", 1)
            print("Actieserver draait al; ik gebruik die.")
        except (TimeoutError, RuntimeError):
            stack.start_actions()
        try:  # the report links the result names; `make run` may serve the site already
            stack.start_web()
        except RuntimeError:
            stack.web = None
        return subprocess.call(
            [*RASA, "shell", "--model", str(model), "--port", "5006",
             "--endpoints", str(stack.config.endpoints)],
            cwd=ROOT, env=stack.env,
        )
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    raise SystemExit({"run": run, "shell": shell}[command]())

"""The scale-out topology on one machine: PostgreSQL, Redis, N action servers, N Rasa servers
and nginx in front of both, all on 127.0.0.1 (see docs/deploy.md).

    nginx :lb_port ──round-robin (REST) / ip_hash (/socket.io/)──> rasa-1, rasa-2
    rasa-* ──ACTION_ENDPOINT_URL──> nginx :actions_lb_port ──> actions-1, actions-2
    rasa-*    ──> PostgreSQL db "tracker" (SQL tracker store), Redis (lock store)
    actions-* ──> PostgreSQL db "leads" (lead store + outbox), SMTP or MAIL_OUTBOX_DIR

Secrets (database and Redis passwords, the action server token) are generated per start and
kept in <run_dir>/state.json (mode 0600), which `stop` and `status` read.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools.isolated import free_port
from devtools.scaleout.nginx import NginxConfig, nginx_args
from devtools.scaleout.services import (
    Postgres,
    Proc,
    redis_args,
    redis_ping,
    spawn,
)
from devtools.stack import RASA, wait_http
from devtools.train import ROOT, ensure_model, rasa_env

BIN = Path(sys.executable).parent
ENDPOINTS = ROOT / "deploy" / "endpoints.scaled.yml"
CREDENTIALS = ROOT / "credentials.yml"
DEFAULT_RUN_DIR = ROOT / "var" / "scale"
LEADS_DB, TRACKER_DB = "leads", "tracker"


@dataclass
class TopologyConfig:
    run_dir: Path = DEFAULT_RUN_DIR
    rasa_servers: int = 2
    action_servers: int = 2
    lb_port: int = 0  # 0: a free port
    cors: str = os.environ.get("CORS_ORIGINS", "http://localhost:8080 http://127.0.0.1:8080")
    # Extra environment for the action servers (e.g. SMTP_HOST/SMTP_PORT) and Rasa servers.
    action_env: dict[str, str] = field(default_factory=dict)
    rasa_env: dict[str, str] = field(default_factory=dict)
    sql_pool_size: int = 10
    sql_max_overflow: int = 10
    rasa_timeout: float = 300


class Topology:
    """Start, inspect and stop the whole topology; the state survives in state.json."""

    def __init__(self, config: TopologyConfig | None = None,
                 state: dict[str, Any] | None = None) -> None:
        self.config = config or TopologyConfig()
        self.state: dict[str, Any] = state or {}
        self._popen: dict[str, subprocess.Popen] = {}

    # --- state ------------------------------------------------------------------------------

    @property
    def state_path(self) -> Path:
        return self.config.run_dir / "state.json"

    def save(self) -> None:
        self.config.run_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.chmod(0o600)
        tmp.write_text(json.dumps(self.state, indent=2))
        tmp.replace(self.state_path)

    @classmethod
    def load(cls, run_dir: Path = DEFAULT_RUN_DIR) -> Topology | None:
        path = run_dir / "state.json"
        if not path.exists():
            return None
        return cls(TopologyConfig(run_dir=run_dir), json.loads(path.read_text()))

    @property
    def procs(self) -> list[Proc]:
        return [Proc(**item) for item in self.state.get("procs", [])]

    def _record(self, proc: Proc, process: subprocess.Popen) -> None:
        self.state.setdefault("procs", []).append(proc.to_dict())
        self._popen[proc.name] = process
        self.save()

    @property
    def postgres(self) -> Postgres | None:
        data = self.state.get("postgres")
        return Postgres(**data) if data else None

    # --- addresses --------------------------------------------------------------------------

    @property
    def lb_url(self) -> str:
        return f"http://127.0.0.1:{self.state['lb_port']}"

    @property
    def rest_url(self) -> str:
        return f"{self.lb_url}/webhooks/rest/webhook"

    @property
    def leads_url(self) -> str:
        pg = self.postgres
        assert pg is not None
        return pg.url(LEADS_DB)

    @property
    def tracker_url(self) -> str:
        pg = self.postgres
        assert pg is not None
        return pg.url(TRACKER_DB)

    def rasa_urls(self) -> dict[str, str]:
        return {f"rasa-{i}": f"http://127.0.0.1:{port}"
                for i, port in enumerate(self.state["rasa_ports"], start=1)}

    # --- environments -----------------------------------------------------------------------

    def action_env(self, port: int) -> dict[str, str]:
        env = rasa_env()
        env.update({
            "ACTION_SERVER_HOST": "127.0.0.1",
            "ACTION_SERVER_PORT": str(port),
            "ACTION_SERVER_TOKEN": self.state["action_token"],
            "LEADS_DATABASE_URL": self.leads_url,
            "TRACKER_DB_URL": self.tracker_url,
            "MAIL_OUTBOX_DIR": str(self.config.run_dir / "outbox"),
            "MAIL_RETRY_INTERVAL": os.environ.get("MAIL_RETRY_INTERVAL", "2"),
        })
        env.update(self.config.action_env)
        return env

    def rasa_server_env(self) -> dict[str, str]:
        env = rasa_env()
        env.update({
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.state['actions_lb_port']}/webhook",
            "ACTION_SERVER_TOKEN": self.state["action_token"],
            "TRACKER_DB_URL": self.tracker_url,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.state["redis_port"]),
            "REDIS_DB": "1",
            "REDIS_PASSWORD": self.state["redis_password"],
            "SQL_POOL_SIZE": str(self.config.sql_pool_size),
            "SQL_MAX_OVERFLOW": str(self.config.sql_max_overflow),
            "CORS_ORIGINS": self.config.cors,
        })
        env.update(self.config.rasa_env)
        return env

    # --- start ------------------------------------------------------------------------------

    def start(self) -> Topology:
        run_dir = self.config.run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        self.state = {
            "run_dir": str(run_dir),
            "lb_port": self.config.lb_port or free_port(),
            "actions_lb_port": free_port(),
            "rasa_ports": [free_port() for _ in range(self.config.rasa_servers)],
            "action_ports": [free_port() for _ in range(self.config.action_servers)],
            "redis_port": free_port(),
            "redis_password": secrets.token_hex(16),
            "action_token": secrets.token_urlsafe(24),
            "procs": [],
        }
        self.save()
        try:
            model = ensure_model()
            self.state["model"] = str(model)
            self._start_postgres()
            self._start_redis()
            self._start_actions()
            self._start_rasa(model)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        self.state["started_at"] = time.time()
        self.save()
        return self

    def _start_postgres(self) -> None:
        pg = Postgres.create(free_port(), secrets.token_hex(16))
        self.state["postgres"] = pg.to_dict()
        self.save()
        pg.start(self.config.run_dir / "log" / "postgres.log")
        for name in (LEADS_DB, TRACKER_DB):
            pg.create_database(name)

    def _start_redis(self) -> None:
        port, password = self.state["redis_port"], self.state["redis_password"]
        self.config.run_dir.mkdir(parents=True, exist_ok=True)
        proc, process = spawn("redis", redis_args(port, password, self.config.run_dir),
                              dict(os.environ), self.config.run_dir / "log", ROOT,
                              marker=f"127.0.0.1:{port}")
        self._record(proc, process)
        deadline = time.monotonic() + 20
        while not redis_ping(port, password):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {proc.log}")
            time.sleep(0.2)

    def _start_actions(self) -> None:
        started = []
        for number, port in enumerate(self.state["action_ports"], start=1):
            proc, process = spawn(f"actions-{number}",
                                  [str(BIN / "python"), "-m", "mkbscan.rasa.action_server"],
                                  self.action_env(port), self.config.run_dir / "log", ROOT,
                                  marker="mkbscan.rasa.action_server")
            self._record(proc, process)
            started.append((port, process))
        for port, process in started:
            wait_http(f"http://127.0.0.1:{port}/health", 90, process)

    def _start_rasa(self, model: Path) -> None:
        for number, port in enumerate(self.state["rasa_ports"], start=1):
            args = [*RASA, "run", "--model", str(model),
                    "--interface", "127.0.0.1", "--port", str(port),
                    "--endpoints", str(ENDPOINTS), "--credentials", str(CREDENTIALS)]
            if self.config.cors.split():
                args += ["--cors", *self.config.cors.split()]
            proc, process = spawn(f"rasa-{number}", args, self.rasa_server_env(),
                                  self.config.run_dir / "log", ROOT, marker=f"--port {port}")
            self._record(proc, process)
            # One after the other: each Rasa server creates the tracker tables on start, and
            # two concurrent CREATE TABLEs on PostgreSQL can collide.
            wait_http(f"http://127.0.0.1:{port}/", self.config.rasa_timeout, process)

    def _start_nginx(self) -> None:
        prefix = self.config.run_dir / "nginx"
        conf = NginxConfig(prefix=prefix, lb_port=self.state["lb_port"],
                           actions_lb_port=self.state["actions_lb_port"],
                           rasa_ports=tuple(self.state["rasa_ports"]),
                           action_ports=tuple(self.state["action_ports"]))
        path = conf.write()
        proc, process = spawn("nginx", nginx_args(path, prefix), dict(os.environ),
                              self.config.run_dir / "log", ROOT, marker=str(path))
        self._record(proc, process)
        wait_http(f"{self.lb_url}/", 30, process)
        wait_http(f"http://127.0.0.1:{self.state['actions_lb_port']}/health", 30, process)

    # --- failures, status, stop -------------------------------------------------------------

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal one started process (e.g. "rasa-1") and wait until it is gone."""
        proc = next(p for p in self.procs if p.name == name)
        proc.signal(sig)
        process = self._popen.get(name)
        if process is not None:
            process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while proc.alive() and time.monotonic() < deadline:
            time.sleep(0.1)

    def status(self) -> list[tuple[str, bool, str]]:
        """(component, running, detail) for every part of the topology."""
        rows = [(p.name, p.alive(), f"pid {p.pid}, log {p.log}") for p in self.procs]
        pg = self.postgres
        if pg is not None:
            rows.insert(0, ("postgres", pg.running(),
                            f"127.0.0.1:{pg.port}, data {pg.data_dir}"))
        return rows

    def stop(self) -> None:
        order = ("nginx", "rasa", "actions", "redis")
        procs = sorted(self.procs, key=lambda p: next(
            (i for i, prefix in enumerate(order) if p.name.startswith(prefix)), len(order)))
        for proc in procs:
            proc.stop()
        for process in self._popen.values():
            if process.poll() is None:
                process.wait(timeout=5)
        self._popen.clear()
        pg = self.postgres
        if pg is not None:
            pg.stop(remove=True)
        self.state["procs"] = []
        self.state.pop("postgres", None)
        if self.state_path.exists():
            self.state_path.unlink()

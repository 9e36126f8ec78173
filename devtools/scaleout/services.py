"""The Debian-packaged services of the scale-out topology: PostgreSQL, Redis, nginx.

Each runs on 127.0.0.1 with its own port and its own files; nothing touches the system's
instances of these services. Processes are started in their own session, so they can be
stopped by process group, and are recorded by pid plus a marker of their command line so
a later `stop` never signals a process that merely reused the pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

POSTGRES_USER = "postgres"  # the OS user that runs PostgreSQL when we are root


@dataclass
class Proc:
    """A started process: name, pid (= its process group) and a command-line marker."""

    name: str
    pid: int
    marker: str
    log: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def alive(self) -> bool:
        try:
            cmdline = Path(f"/proc/{self.pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            return False
        state = _proc_state(self.pid)
        return self.marker.encode() in cmdline and state not in ("Z", "X")

    def signal(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)

    def stop(self, timeout: float = 15) -> None:
        self.signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            _reap(self.pid)
            time.sleep(0.2)
        if self.alive():
            self.signal(signal.SIGKILL)
            time.sleep(0.3)
        _reap(self.pid)


def _proc_state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "X"
    return stat.rsplit(")", 1)[-1].split()[0]


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def spawn(name: str, args: list[str], env: dict[str, str], log_dir: Path, cwd: Path,
          marker: str | None = None) -> tuple[Proc, subprocess.Popen]:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    return Proc(name, process.pid, marker or args[-1], str(log_path)), process


def is_root() -> bool:
    return os.geteuid() == 0


# --- PostgreSQL ---------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    return candidates[-1].parent if candidates else None


@dataclass
class Postgres:
    """A throw-away PostgreSQL cluster: password auth, loopback TCP only, no unix socket."""

    bin_dir: str
    data_dir: str
    port: int
    password: str
    user: str = "postgres"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(Path(self.bin_dir) / tool), *args]
        if is_root():
            command = ["runuser", "-u", POSTGRES_USER, "--", *command]
        env = dict(os.environ, PGPASSWORD=self.password)
        return subprocess.run(command, check=check, env=env, capture_output=True, text=True)

    @classmethod
    def create(cls, port: int, password: str, max_connections: int = 200) -> Postgres:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        # Under /tmp, not the run dir: the postgres user may not traverse the run dir
        # (pytest's temp dirs are 0700).
        data_dir = Path(tempfile.mkdtemp(prefix="mkbscan-scale-pg-"))
        pg = cls(str(bin_dir), str(data_dir), port, password)
        pwfile = data_dir.parent / f"{data_dir.name}.pw"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        try:
            if is_root():
                shutil.chown(data_dir, POSTGRES_USER)
                shutil.chown(pwfile, POSTGRES_USER)
            pg._run("initdb", "-D", str(data_dir), "-U", pg.user, "--auth=scram-sha-256",
                    f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C")
        finally:
            pwfile.unlink(missing_ok=True)
        with open(data_dir / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
                       f"unix_socket_directories = ''\nmax_connections = {max_connections}\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        return pg

    def start(self, log_path: Path) -> None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = Path(self.data_dir) / "server.log"
        self._run("pg_ctl", "-D", self.data_dir, "-l", str(log), "-w", "-t", "60", "start")
        with contextlib.suppress(OSError):
            if log_path.exists() or log_path.is_symlink():
                log_path.unlink()
            log_path.symlink_to(log)

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", self.data_dir, "status", check=False).returncode == 0

    def stop(self, remove: bool = True) -> None:
        if Path(self.data_dir, "PG_VERSION").exists() and self.running():
            self._run("pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop", check=False)
        if remove:
            shutil.rmtree(self.data_dir, ignore_errors=True)


# --- Redis --------------------------------------------------------------------------------


def redis_args(port: int, password: str, workdir: Path) -> list[str]:
    """redis-server on loopback, with a password and without persistence (locks only)."""
    return [shutil.which("redis-server") or "redis-server",
            "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password,
            "--save", "", "--appendonly", "no", "--dir", str(workdir),
            "--daemonize", "no", "--protected-mode", "yes"]


def redis_ping(port: int, password: str) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, password=password,
                                socket_timeout=1).ping())
    except redis.RedisError:
        return False


def missing_binaries() -> list[str]:
    """Which of nginx, redis-server and PostgreSQL are not installed."""
    missing = [name for name in ("nginx", "redis-server") if shutil.which(name) is None]
    if postgres_bin() is None:
        missing.append("postgresql")
    return missing

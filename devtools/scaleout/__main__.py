"""`python -m devtools.scaleout start|stop|status` (driven by scripts/scale-out.sh).

start   starts the topology in the background (state and logs in var/scale, or SCALE_RUN_DIR)
        and prints the load balancer's URL; SCALE_LB_PORT fixes its port (default 5080)
stop    stops everything `start` started and removes the PostgreSQL data
status  shows every component; exit code 1 when something is down
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from devtools.scaleout.services import missing_binaries
from devtools.scaleout.topology import DEFAULT_RUN_DIR, Topology, TopologyConfig

RUN_DIR = Path(os.environ.get("SCALE_RUN_DIR") or DEFAULT_RUN_DIR).resolve()


def _print_status(topology: Topology) -> bool:
    rows = topology.status()
    for name, running, detail in rows:
        print(f"  {name:<10} {'draait' if running else 'GESTOPT':<8} {detail}")
    return all(running for _, running, _ in rows)


def start() -> int:
    existing = Topology.load(RUN_DIR)
    if existing is not None:
        print(f"Er draait al een opstelling in {RUN_DIR} (eerst: scripts/scale-out.sh stop):")
        _print_status(existing)
        return 1
    missing = missing_binaries()
    if missing:
        print(f"Niet geïnstalleerd: {', '.join(missing)} "
              f"(apt-get install -y nginx redis-server postgresql)", file=sys.stderr)
        return 1
    started = time.monotonic()
    lb_port = int(os.environ.get("SCALE_LB_PORT", "5080"))
    topology = Topology(TopologyConfig(run_dir=RUN_DIR, lb_port=lb_port)).start()
    print(f"\nScale-out draait (klaar in {time.monotonic() - started:.0f} s):")
    _print_status(topology)
    print(f"\n  load balancer: {topology.lb_url}")
    print(f"  REST:          curl -s {topology.rest_url} -H 'Content-Type: application/json' "
          "-d '{\"sender\": \"ik\", \"message\": \"hallo\"}'")
    print(f"  socketio:      {topology.lb_url}/socket.io (sticky per client-IP)")
    print(f"  geheimen:      {topology.state_path} (alleen leesbaar voor jou)")
    print(f"  logs:          {RUN_DIR / 'log'}")
    print("Stoppen: scripts/scale-out.sh stop")
    return 0


def stop() -> int:
    topology = Topology.load(RUN_DIR)
    if topology is None:
        print(f"Geen opstelling in {RUN_DIR}.")
        return 0
    topology.stop()
    print("Gestopt.")
    return 0


def status() -> int:
    topology = Topology.load(RUN_DIR)
    if topology is None:
        print(f"Geen opstelling in {RUN_DIR}.")
        return 1
    print(f"Load balancer: {topology.lb_url}")
    return 0 if _print_status(topology) else 1


def main(argv: list[str]) -> int:
    commands = {"start": start, "stop": stop, "status": status}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

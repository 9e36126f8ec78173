"""The stack only reports Rasa ready once its port answers, not when the log says so."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

from devtools.isolated import free_port
from devtools.stack import RASA_READY_MARKER, wait_rasa_ready

# Like Rasa: the ready line is logged first, the port is bound a moment later.
LOG_THEN_BIND = """
import http.server, sys, time
print(sys.argv[2], flush=True)
time.sleep(1.5)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])),
                       http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def test_ready_means_a_client_can_connect(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "rasa.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-c", LOG_THEN_BIND, str(port),
                                    RASA_READY_MARKER], cwd=tmp_path, stdout=log)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_rasa_ready(log_path, url, 30, process)
        with urllib.request.urlopen(url, timeout=5) as reply:
            assert reply.status == 200
    finally:
        process.kill()
        process.wait(timeout=10)

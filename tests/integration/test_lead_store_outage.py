"""The lead store's PostgreSQL goes down while a user confirms: nothing lost, stored once.

The outage is real (pg_ctl stop -m fast, then start) on a private PostgreSQL cluster made
for this module with the binaries of scripts/test-postgres.sh (TEST_PG_BIN), so stopping
it disturbs no other test or process using the shared test server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from devtools.client import RestClient
from devtools.isolated import free_port, isolated_stack
from mkbscan.leads.store import LeadStore
from tests.conftest import skip_or_fail
from tests.conversation.helpers import Conversation

pytestmark = [pytest.mark.postgres, pytest.mark.stack]
DATABASE = "leads_outage_test"
STORE_DOWN = "Het opslaan lukt op dit moment niet"


class PrivatePostgres:
    """A throw-away cluster on 127.0.0.1:<port>, run as the postgres user when root."""

    def __init__(self, bin_dir: Path, port: int) -> None:
        self.bin_dir, self.port = bin_dir, port
        self.data = Path(tempfile.mkdtemp(prefix="mkbscan-outage-pg-"))

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        subprocess.run(["rm", "-rf", str(self.data)], check=False, timeout=60)


def pg_bin() -> Path | None:
    configured = os.environ.get("TEST_PG_BIN")
    if configured and Path(configured, "pg_ctl").exists():
        return Path(configured)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@pytest.fixture(scope="module")
def outage(tmp_path_factory: pytest.TempPathFactory):
    if not os.environ.get("TEST_POSTGRES_URL"):
        skip_or_fail("TEST_POSTGRES_URL is not set (scripts/test-postgres.sh starts one)")
    bin_dir = pg_bin()
    if bin_dir is None:
        skip_or_fail("PostgreSQL binaries not found (TEST_PG_BIN)")
    assert bin_dir is not None
    postgres = PrivatePostgres(bin_dir, free_port())
    stack = None
    try:
        postgres.init()
        postgres.start()
        admin = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {DATABASE}"))
        admin.dispose()
        stack = isolated_stack(tmp_path_factory.mktemp("outage"),
                               extra_env={"LEADS_DATABASE_URL": postgres.url(DATABASE)})
        stack.start()
        yield stack, postgres
    finally:
        if stack is not None:
            stack.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        postgres.remove()


def emails_for(outbox: Path, message_id: str) -> list[Path]:
    return [path for path in outbox.glob("*.eml")
            if BytesParser(policy=policy.default).parsebytes(path.read_bytes())["Message-ID"]
            == message_id]


def test_confirming_while_postgres_is_down_loses_nothing_and_stores_once(outage) -> None:
    stack, postgres = outage
    store = LeadStore(postgres.url(DATABASE))
    chat = Conversation(RestClient(url=stack.rest_url))
    chat.say("ik wil graag met Marco praten")
    chat.say("ja, akkoord")
    chat.say("Ik ben Lotte Bos van Bos Bouw, lotte@bosbouw.nl")
    for answer in ("nee", "nee"):
        chat.say(answer)
    assert "Klopt dit?" in chat.say("nee")

    postgres.stop()
    try:
        reply = chat.say("ja, verstuur maar")
        assert STORE_DOWN in reply and "niets verloren" in reply, reply
        reply = chat.say("ja")
        assert STORE_DOWN in reply, "still down: asked to try again, draft kept"
    finally:
        postgres.start()

    reply = chat.say("ja")
    assert "Dank je wel, Lotte" in reply, reply
    stored = [lead for lead in store.list_leads() if lead.conversation_id == chat.sender]
    assert len(stored) == 1
    assert (stored[0].name, stored[0].company, stored[0].email) == ("Lotte Bos", "Bos Bouw",
                                                                    "lotte@bosbouw.nl")
    chat.say("ja")
    assert len([lead for lead in store.list_leads() if lead.conversation_id == chat.sender]) == 1

    outbox = Path(stack.config.extra_env["MAIL_OUTBOX_DIR"])
    deadline = time.monotonic() + 30
    while not emails_for(outbox, stored[0].message_id) and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(2.5)  # further delivery rounds (MAIL_RETRY_INTERVAL=1) must not send it again
    assert len(emails_for(outbox, stored[0].message_id)) == 1, "mailed exactly once"
    store.dispose()

"""Several servers starting at once create the lead schema without colliding."""

from __future__ import annotations

import os
import threading

from sqlalchemy import create_engine, text

from mkbscan.leads.store import LeadStore
from tests.conftest import skip_or_fail


def test_concurrent_schema_creation_on_postgresql() -> None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("TEST_POSTGRES_URL is not set (scripts/test-postgres.sh starts one)")
    base = url.rpartition("/")[0]
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS schema_race WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE schema_race"))
    admin.dispose()
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_store() -> None:
        try:
            start.wait()
            store = LeadStore(f"{base}/schema_race")
            store.ping()
            assert store.list_leads() == []
            store.dispose()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []

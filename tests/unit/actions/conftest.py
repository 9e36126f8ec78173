"""Fixtures for the action tests (issue 13, item 6): the actions run in-process on a real
rasa_sdk Tracker, with a CollectingDispatcher, the domain from domain.yml and a real
SQLite lead store in tmp_path (the actions record scan statistics on every answer, so no
test may ever reach var/leads.db of the working tree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from action_kit import DOMAIN_FILE, ChatSession, build_tracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, text

from mkbscan import runtime
from mkbscan.leads.store import LeadStore
from mkbscan.reading.saved import trained_reader


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as the action server receives it from Rasa."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(DOMAIN_FILE)).as_dict()


@pytest.fixture(scope="session", autouse=True)
def answer_reader() -> None:
    """Load the answer reader once: models/answer-reader-<hash>.json.gz, the file `make train`
    (devtools.train.ensure_answer_reader) writes. Trained there only if it is missing."""
    trained_reader()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def leads_url(tmp_path, monkeypatch) -> Iterator[str]:
    """A real SQLite lead store in tmp_path, the one mkbscan.runtime.lead_store() opens."""
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("LEADS_DATABASE_URL", url)
    # An erasure purges Rasa's tracker store (runtime.PURGE_DELAY_SECONDS later): this one,
    # never var/tracker.db. The erasure test sets the delay to 0 and waits for the purge.
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    runtime.lead_store.cache_clear()
    LeadStore(url).dispose()  # the tables exist, as on a server: "no lead" is a count of 0
    yield url
    if runtime.lead_store.cache_info().currsize:
        runtime.lead_store().dispose()
    runtime.lead_store.cache_clear()


@pytest.fixture
def query(leads_url: str) -> Callable[[str], list[dict[str, Any]]]:
    """Rows of an SQL query on the lead store, read straight from the database file."""

    def run(sql: str) -> list[dict[str, Any]]:
        engine = create_engine(leads_url)
        try:
            with engine.connect() as connection:
                return [dict(row._mapping) for row in connection.execute(text(sql))]
        finally:
            engine.dispose()

    return run


@pytest.fixture
def tracker_for(domain) -> Callable[..., Tracker]:
    """tracker_for("grotendeels wel", "scan_answer", slots={...}) -> a rasa_sdk Tracker."""

    def make(text: str = "", intent: str | None = None, **kwargs: Any) -> Tracker:
        return build_tracker(domain, text, intent, **kwargs)

    return make


@pytest.fixture
def chat(domain) -> Callable[..., ChatSession]:
    """chat(slots={...}) -> a conversation whose turns carry their slot events forward."""

    def make(slots: dict[str, Any] | None = None, **kwargs: Any) -> ChatSession:
        return ChatSession(domain, dict(slots or {}), **kwargs)

    return make

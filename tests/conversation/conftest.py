"""Fixtures of the conversation tests: the session stack's lead store and mail outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkbscan.leads.store import LeadStore


@pytest.fixture(scope="module")
def leads(stack) -> LeadStore:
    return LeadStore(stack.config.extra_env["LEADS_DATABASE_URL"])


@pytest.fixture(scope="module")
def outbox(stack) -> Path:
    return Path(stack.config.extra_env["MAIL_OUTBOX_DIR"])

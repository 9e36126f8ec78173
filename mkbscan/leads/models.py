"""Plain data objects passed between the lead store, the e-mail builder and delivery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mkbscan.scan.comparison import Comparison
from mkbscan.scan.scoring import Level
from mkbscan.scan.snapshot import ScanSnapshot


@dataclass(frozen=True)
class LeadContact:
    """Contact details as confirmed by the user (already validated by the caller)."""

    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    preferred_moment: str | None = None
    question: str | None = None


@dataclass(frozen=True)
class PairPart:
    """The two-party scan beside a lead (mkbscan/leads/pair_part.py). The other side's answers
    and the comparison are there only when the other side consented to share them."""

    role: str  # the lead's side: "inviter" or "partner"
    own_answers: Mapping[str, Level] | None = None
    other_answers: Mapping[str, Level] | None = None
    comparison: Comparison | None = None  # from the lead's side

    @property
    def shared(self) -> bool:
        return self.comparison is not None


@dataclass(frozen=True)
class LeadRecord:
    id: int
    public_id: str
    conversation_id: str
    created_at: datetime
    name: str | None
    company: str | None
    email: str | None
    phone: str | None
    preferred_moment: str | None
    question: str | None
    consent_version: str | None
    consent_given_at: datetime | None
    scan: ScanSnapshot = field(default_factory=ScanSnapshot)
    transcript: str = ""
    status: str = "new"
    handled_at: datetime | None = None
    message_id: str | None = None
    delivery_status: str | None = None
    pair: PairPart | None = None  # read when the lead is mailed or shown, never stored with it


@dataclass(frozen=True)
class OutboxItem:
    lead_id: int
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    claimed_until: datetime | None
    last_error: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class LeadUpdate:
    """An answer changed after the lead was sent: what changed and the scan afterwards."""

    id: int
    lead_id: int
    message_id: str
    change: dict[str, Any]
    scan: ScanSnapshot
    attempts: int = 0

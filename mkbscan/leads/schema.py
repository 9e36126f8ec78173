"""Database tables of the lead store (SQLAlchemy Core; SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

from mkbscan.leads.outbox_rows import delivery_columns

# The advisor's follow-up; "handled" is shown as "afgerond" (the CLI's `handled`).
LEAD_STATUSES = ("new", "called", "appointment", "handled", "no_interest")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite has no time zones, PostgreSQL keeps them."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


metadata = MetaData()

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("name", String(200)),
    Column("company", String(200)),
    Column("email", String(254), index=True),
    Column("phone", String(32)),
    Column("preferred_moment", Text),
    Column("question", Text),
    Column("consent_version", String(50)),
    Column("consent_given_at", UTCDateTime),
    Column("scan", Text, nullable=False, default="{}"),
    Column("transcript", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="new"),
    Column("handled_at", UTCDateTime),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=False, unique=True),
    Column("message_id", String(255), nullable=False, unique=True),
    *delivery_columns(UTCDateTime),
)

# A change the entrepreneur made after the lead was sent: one short e-mail each, with its own
# delivery state (the same exactly-once rules as the outbox).
lead_updates = Table(
    "lead_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=False, index=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("change", Text, nullable=False),
    Column("scan", Text, nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),
    *delivery_columns(UTCDateTime),
)

# A conversation's way through the scan, for the advisor's insights (mkbscan/leads/journeys.py):
# answer levels, the context as categories, and the moments after the result. No typed text.
# The key is the conversation's hash; after the retention period it becomes a random key,
# which cuts the row loose from the conversation (docs/privacy.md).
scan_progress = Table(
    "scan_progress",
    metadata,
    Column("conversation_key", String(64), primary_key=True),
    Column("started_at", UTCDateTime, nullable=False, index=True),  # the first message
    Column("updated_at", UTCDateTime, nullable=False),
    Column("answers", Text, nullable=False, default="{}"),
    Column("last_question_id", String(64)),
    Column("finished", Boolean, nullable=False, default=False),
    # Columns added after the first release are nullable: schema_upgrade adds them in place.
    Column("context", Text),  # {"sector": ..., "partner": ..., "size": ...} as categories
    Column("followup_at", UTCDateTime),  # said yes to a talk with the advisor
    Column("consent_at", UTCDateTime),  # agreed to hand over the contact details
    Column("lead_sent_at", UTCDateTime),  # the lead's e-mail went out
)

# The personal report behind a private link: the scan's answers, no personal data. Only the
# SHA-256 of the link's token is kept, so the table cannot be turned back into links.
reports = Table(
    "reports",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("conversation_key", String(64), nullable=False, unique=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
    Column("scan", Text, nullable=False),
)

# The report's link mailed to the entrepreneur, with its own consent (not the advisor's
# hand-over). The address and the link are blanked once the mail is sent: what stays is the
# consent record and the delivery state.
report_mails = Table(
    "report_mails",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_key", String(64), nullable=False, index=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("consent_version", String(50), nullable=False),
    Column("consent_given_at", UTCDateTime, nullable=False),
    Column("email", String(254)),
    Column("report_url", Text),
    Column("message_id", String(255), nullable=False, unique=True),
    *delivery_columns(UTCDateTime),
)

# --- the advisor's desk (mkbscan/advisor): accounts, sessions, failed logins, audit log ------

advisors = Table(
    "advisors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# A session is found by the hash of its cookie; log-out deletes the row.
advisor_sessions = Table(
    "advisor_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("advisor_id", Integer, ForeignKey("advisors.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# Failed log-ins per account (the hash of the lower-cased address, known or not).
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email_key", String(64), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("advisor_id", Integer, nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("lead_public_id", String(36)),
)

# The advisor's follow-up of a lead, as a history: the status with a note and a date.
lead_notes = Table(
    "lead_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("advisor_id", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("on_date", String(10)),  # the call's or appointment's date (YYYY-MM-DD)
    Column("note", Text, nullable=False, default=""),
)


# --- the two-party scan (mkbscan/leads/invites.py) -------------------------------------------

# An invitation for the partner: only the code's SHA-256 is kept. Both sides' answer levels
# (no typed text) so each can see the comparison; either side's erasure removes its part.
partner_invites = Table(
    "partner_invites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(36), nullable=False, unique=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("inviter_key", String(64), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("consent_version", String(50), nullable=False),
    Column("inviter_scan", Text, nullable=False),  # {"answers": {...}, "partner": C2's value}
    Column("partner_key", String(64), index=True),  # the conversation that used the code
    Column("used_at", UTCDateTime),
    Column("partner_scan", Text),  # {"answers": {...}} once the partner finished
    Column("done_at", UTCDateTime),
    Column("withdrawn_at", UTCDateTime),  # the partner had their part erased
    # Each side's consent, given with a lead, that the advisor may see its part with the
    # other side's lead (and the comparison, when both gave it).
    Column("inviter_shared_at", UTCDateTime),
    Column("partner_shared_at", UTCDateTime),
)

# Wrong codes, per conversation (its hash), to slow down guessing.
invite_attempts = Table(
    "invite_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_key", String(64), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False, index=True),
)

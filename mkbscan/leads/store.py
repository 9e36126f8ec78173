"""Lead store: leads, their e-mail outbox and anonymous scan statistics.

Works on SQLite and PostgreSQL. Every database failure surfaces as :class:`StoreUnavailable`
so the bot can tell the user in Dutch that saving did not work.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import secrets
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import create_engine, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, Row, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)

from mkbscan.leads import invite_rows, outbox_rows, schema_upgrade
from mkbscan.leads.models import LeadContact, LeadRecord, LeadUpdate, OutboxItem
from mkbscan.leads.schema import (
    lead_notes,
    lead_updates,
    leads,
    metadata,
    outbox,
    report_mails,
    reports,
    scan_progress,
)
from mkbscan.leads.validation import MAX_FIELD_LENGTH, MAX_TEXT_LENGTH, clean_text
from mkbscan.scan.snapshot import ScanSnapshot

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///var/leads.db"
DEFAULT_MESSAGE_ID_DOMAIN = "scan.circularclarity.org"
ANONYMOUS = "anon-"  # the key of a journey cut loose from its conversation


SCHEMA_LOCK_KEY = 4_242_001  # any fixed number; one advisory lock for our schema creation


class StoreUnavailable(Exception):
    """The lead database cannot be reached or written."""


def default_database_url() -> str:
    return os.environ.get("LEADS_DATABASE_URL") or DEFAULT_DATABASE_URL


def conversation_key(conversation_id: str) -> str:
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# Failures of the database itself; IntegrityError and friends are bugs or races, not outages.
_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, DatabaseError)


def _is_unavailable(exc: BaseException) -> bool:
    # A plain DatabaseError is e.g. SQLite's "file is not a database".
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError)) or (
        type(exc) is DatabaseError
    )


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(
    method: Callable[Concatenate[LeadStore, P], R],
) -> Callable[Concatenate[LeadStore, P], R]:
    @functools.wraps(method)
    def wrapper(self: LeadStore, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            self._ensure_schema()
            return method(self, *args, **kwargs)
        except _UNAVAILABLE_ERRORS as exc:
            if not _is_unavailable(exc):
                raise
            raise StoreUnavailable(f"lead database unavailable ({type(exc).__name__})") from exc

    return wrapper


class LeadStore:
    """Lead storage. ``url`` defaults to env LEADS_DATABASE_URL, else sqlite:///var/leads.db.

    The constructor does not fail when the database is down; the tables are created on the
    first successful use and every method raises StoreUnavailable until then.
    """

    def __init__(
        self, url: str | None = None, *, message_id_domain: str = DEFAULT_MESSAGE_ID_DOMAIN
    ) -> None:
        self.url = url or default_database_url()
        self.message_id_domain = message_id_domain
        self.engine = self._create_engine(self.url)
        self._schema_ready = False
        try:
            self._ensure_schema()
        except StoreUnavailable as exc:
            log.warning("lead database not available at start: %s", type(exc).__name__)

    @staticmethod
    def _create_engine(url: str) -> Engine:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise ValueError("invalid LEADS_DATABASE_URL") from exc
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            # Several threads (bot + delivery worker) share the engine; wait for locks.
            connect_args = {"timeout": 30, "check_same_thread": False}
        elif parsed.get_backend_name() == "postgresql":
            connect_args = {"connect_timeout": 5}
        return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot create database folder ({type(exc).__name__})"
                ) from exc
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # Several servers start at once: without this lock two concurrent
                    # CREATE TABLEs collide (pg_type unique violation) and one server dies.
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": SCHEMA_LOCK_KEY})
                metadata.create_all(conn)
                added = schema_upgrade.upgrade(conn)
                if added:
                    log.info("lead database upgraded: %s", ", ".join(added))
        except _UNAVAILABLE_ERRORS as exc:
            if not _is_unavailable(exc):
                raise
            raise StoreUnavailable(f"lead database unavailable ({type(exc).__name__})") from exc
        self._schema_ready = True

    def dispose(self) -> None:
        self.engine.dispose()

    @_guarded
    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(select(1))

    # --- leads --------------------------------------------------------------------------------

    def _new_message_id(self) -> str:
        return f"<lead-{uuid.uuid4().hex}@{self.message_id_domain}>"

    @staticmethod
    def derive_idempotency_key(
        conversation_id: str, contact: LeadContact, consent_version: str
    ) -> str:
        parts = [
            conversation_id,
            consent_version,
            contact.name,
            contact.company,
            contact.email,
            contact.phone,
            contact.preferred_moment,
            contact.question,
        ]
        payload = json.dumps(parts, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @_guarded
    def submit_lead(
        self,
        conversation_id: str,
        contact: LeadContact | Mapping[str, str | None],
        consent_version: str,
        consent_given_at: datetime,
        scan: ScanSnapshot,
        transcript: str,
        *,
        idempotency_key: str | None = None,
        now: datetime | None = None,
    ) -> LeadRecord:
        """Store a lead and its outbox row in one transaction; idempotent per key.

        Without ``idempotency_key`` a key is derived from the conversation, consent version and
        contact details, so re-submitting the same confirmation returns the existing lead.
        """
        if not isinstance(contact, LeadContact):
            contact = LeadContact(**dict(contact))
        key = idempotency_key or self.derive_idempotency_key(
            conversation_id, contact, consent_version
        )
        existing = self._find_by_key(key, conversation_id)
        if existing is not None:
            return existing
        now = now or utcnow()
        public_id = str(uuid.uuid4())

        def field(value: str | None, max_len: int) -> str | None:
            return clean_text(value, max_len) or None if value is not None else None

        values = {
            "public_id": public_id,
            "idempotency_key": key[:128],
            "conversation_id": conversation_id[:255],
            "created_at": now,
            "name": field(contact.name, MAX_FIELD_LENGTH),
            "company": field(contact.company, MAX_FIELD_LENGTH),
            "email": field(contact.email, 254),
            "phone": field(contact.phone, 32),
            "preferred_moment": field(contact.preferred_moment, MAX_TEXT_LENGTH),
            "question": field(contact.question, MAX_TEXT_LENGTH),
            "consent_version": consent_version[:50],
            "consent_given_at": consent_given_at,
            "scan": _json(scan),
            "transcript": transcript,
            "status": "new",
        }
        try:
            with self.engine.begin() as conn:
                lead_id = conn.execute(insert(leads).values(**values)).inserted_primary_key[0]
                conn.execute(
                    insert(outbox).values(
                        lead_id=lead_id,
                        message_id=self._new_message_id(),
                        status="pending",
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
        except IntegrityError:
            # A concurrent submit with the same key won the race.
            existing = self._find_by_key(key, conversation_id)
            if existing is None:
                raise
            return existing
        record = self.get_lead(public_id)
        assert record is not None
        return record

    def _find_by_key(self, key: str, conversation_id: str) -> LeadRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._lead_select().where(leads.c.idempotency_key == key)).first()
        if row is None:
            return None
        if row.conversation_id != conversation_id:
            raise ValueError("idempotency key already used for another conversation")
        return self._to_record(row)

    @staticmethod
    def _lead_select() -> Any:
        return select(
            leads,
            outbox.c.message_id,
            outbox.c.status.label("delivery_status"),
        ).select_from(leads.outerjoin(outbox, outbox.c.lead_id == leads.c.id))

    @staticmethod
    def _to_record(row: Row) -> LeadRecord:
        m = row._mapping
        return LeadRecord(
            id=m["id"],
            public_id=m["public_id"],
            conversation_id=m["conversation_id"],
            created_at=m["created_at"],
            name=m["name"],
            company=m["company"],
            email=m["email"],
            phone=m["phone"],
            preferred_moment=m["preferred_moment"],
            question=m["question"],
            consent_version=m["consent_version"],
            consent_given_at=m["consent_given_at"],
            scan=_snapshot(m["scan"]),
            transcript=m["transcript"] or "",
            status=m["status"],
            handled_at=m["handled_at"],
            message_id=m["message_id"],
            delivery_status=m["delivery_status"],
        )

    @_guarded
    def get_lead(self, public_id: str) -> LeadRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._lead_select().where(leads.c.public_id == public_id)).first()
        return self._to_record(row) if row is not None else None

    @_guarded
    def get_lead_by_id(self, lead_id: int) -> LeadRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._lead_select().where(leads.c.id == lead_id)).first()
        return self._to_record(row) if row is not None else None

    @_guarded
    def list_leads(self, status: str | None = None) -> list[LeadRecord]:
        """Leads, newest first, optionally only those with status "new" or "handled"."""
        query = self._lead_select().order_by(leads.c.id.desc())
        if status is not None:
            query = query.where(leads.c.status == status)
        with self.engine.connect() as conn:
            return [self._to_record(row) for row in conn.execute(query)]

    @_guarded
    def mark_handled(self, public_id: str, now: datetime | None = None) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(leads)
                .where(leads.c.public_id == public_id)
                .values(status="handled", handled_at=now or utcnow())
            )
        return result.rowcount > 0

    # --- updates after a lead was sent ---------------------------------------------------------

    @_guarded
    def submit_update(self, lead_public_id: str, change: dict[str, Any], scan: ScanSnapshot,
                      idempotency_key: str, now: datetime | None = None) -> str | None:
        """Queue one update e-mail for a sent lead; idempotent per key. Returns its
        Message-ID, or None when the lead no longer exists (erased)."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            existing = conn.execute(select(lead_updates.c.message_id).where(
                lead_updates.c.idempotency_key == idempotency_key[:128])).scalar()
            if existing is not None:
                return str(existing)
            lead_id = conn.execute(
                select(leads.c.id).where(leads.c.public_id == lead_public_id)).scalar()
            if lead_id is None:
                return None
            message_id = f"<update-{uuid.uuid4().hex}@{self.message_id_domain}>"
            conn.execute(insert(lead_updates).values(
                lead_id=lead_id, idempotency_key=idempotency_key[:128], created_at=now,
                change=json.dumps(change, ensure_ascii=False, default=str),
                scan=_json(scan),
                message_id=message_id, status="pending", attempts=0, next_attempt_at=now))
        return message_id

    @_guarded
    def claim_due_updates(self, now: datetime | None = None, lease_seconds: int = 300,
                          limit: int = 50) -> list[LeadUpdate]:
        """Claim due updates (outbox_rows.claim: of two workers only one claims a row)."""
        rows = outbox_rows.claim(self.engine, lead_updates, now or utcnow(), lease_seconds,
                                 limit)
        return [LeadUpdate(id=row.id, lead_id=row.lead_id, message_id=row.message_id,
                           change=json.loads(row.change), scan=_snapshot(row.scan),
                           attempts=row.attempts) for row in rows]

    @_guarded
    def mark_update_sent(self, update_id: int, now: datetime | None = None) -> bool:
        return outbox_rows.mark_sent(self.engine, lead_updates, lead_updates.c.id == update_id,
                                     now or utcnow())

    @_guarded
    def mark_update_failed(self, update_id: int, error_class: str, now: datetime,
                           next_attempt_at: datetime) -> bool:
        return outbox_rows.mark_failed(self.engine, lead_updates,
                                       lead_updates.c.id == update_id, error_class, now,
                                       next_attempt_at)

    # --- erasure (AVG / GDPR) -----------------------------------------------------------------

    def _erase(self, conn: Connection, condition: Any) -> tuple[int, set[str]]:
        rows = conn.execute(select(leads.c.id, leads.c.conversation_id).where(condition)).all()
        ids = [r.id for r in rows]
        conversations = {r.conversation_id for r in rows}
        if ids:
            conn.execute(delete(lead_notes).where(lead_notes.c.lead_id.in_(ids)))
            conn.execute(delete(outbox).where(outbox.c.lead_id.in_(ids)))
            conn.execute(delete(lead_updates).where(lead_updates.c.lead_id.in_(ids)))
            conn.execute(delete(leads).where(leads.c.id.in_(ids)))
        return len(ids), conversations

    def _erase_progress(self, conn: Connection, conversations: set[str]) -> None:
        keys = [conversation_key(c) for c in conversations]
        if keys:
            conn.execute(delete(scan_progress).where(scan_progress.c.conversation_key.in_(keys)))
            conn.execute(delete(reports).where(reports.c.conversation_key.in_(keys)))
            conn.execute(delete(report_mails).where(report_mails.c.conversation_key.in_(keys)))
            invite_rows.erase_parts(conn, keys)

    @_guarded
    def erase_by_email(self, email: str) -> int:
        """Erase every lead with this e-mail address (case-insensitive); returns the count."""
        wanted = email.strip().lower()
        if not wanted:
            return 0
        with self.engine.begin() as conn:
            count, conversations = self._erase(conn, func.lower(leads.c.email) == wanted)
            self._erase_progress(conn, conversations)
        return count

    @_guarded
    def erase_older_than(self, cutoff: datetime) -> int:
        """Retention: erase leads created before `cutoff` (and their outbox rows), and
        reports last changed before it."""
        if cutoff.tzinfo is None:
            raise ValueError("cutoff must be timezone-aware")
        with self.engine.begin() as conn:
            count, _ = self._erase(conn, leads.c.created_at < cutoff)
            conn.execute(delete(reports).where(reports.c.updated_at < cutoff))
            conn.execute(delete(report_mails).where(report_mails.c.created_at < cutoff))
            self._cut_loose(conn, scan_progress.c.updated_at < cutoff)
            invite_rows.erase_older_than(conn, cutoff)
        return count

    @staticmethod
    def _cut_loose(conn: Connection, condition: Any) -> None:
        """Keep these journeys for the insights under a random key: no longer the hash of a
        conversation, so no conversation id leads to them any more."""
        key = scan_progress.c.conversation_key
        old = conn.execute(select(key).where(condition, key.notlike(f"{ANONYMOUS}%"))).scalars()
        for conversation in list(old):
            conn.execute(update(scan_progress).where(key == conversation).values(
                conversation_key=ANONYMOUS + secrets.token_hex(24)))

    @_guarded
    def erase_by_conversation(self, conversation_id: str) -> int:
        """Erase leads, outbox rows and scan progress of one conversation; returns lead count."""
        with self.engine.begin() as conn:
            count, _ = self._erase(conn, leads.c.conversation_id == conversation_id)
            self._erase_progress(conn, {conversation_id})
        return count

    # --- outbox -------------------------------------------------------------------------------

    @staticmethod
    def _to_item(row: Row) -> OutboxItem:
        return OutboxItem(
            lead_id=row.lead_id,
            message_id=row.message_id,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            claimed_until=row.claimed_until,
            last_error=row.last_error,
            sent_at=row.sent_at,
        )

    @_guarded
    def claim_due(
        self, now: datetime | None = None, lease_seconds: int = 300, limit: int = 50
    ) -> list[OutboxItem]:
        """Atomically claim due outbox rows (status becomes "sending" until now + lease)."""
        rows = outbox_rows.claim(self.engine, outbox, now or utcnow(), lease_seconds, limit)
        return [self._to_item(row) for row in rows]

    @_guarded
    def mark_sent(self, lead_id: int, now: datetime | None = None) -> bool:
        now = now or utcnow()
        sent = outbox_rows.mark_sent(self.engine, outbox, outbox.c.lead_id == lead_id, now)
        if sent:  # the conversation's last step, for the advisor's insights (journeys.py)
            with self.engine.begin() as conn:
                conversation = conn.execute(select(leads.c.conversation_id)
                                            .where(leads.c.id == lead_id)).scalar()
                conn.execute(update(scan_progress).where(
                    scan_progress.c.conversation_key == conversation_key(conversation or ""),
                    scan_progress.c.lead_sent_at.is_(None)).values(lead_sent_at=now))
        return sent

    @_guarded
    def mark_failed(
        self, lead_id: int, error_class: str, now: datetime, next_attempt_at: datetime
    ) -> bool:
        """Record a failed attempt; ``error_class`` must not contain personal data."""
        return outbox_rows.mark_failed(self.engine, outbox, outbox.c.lead_id == lead_id,
                                       error_class, now, next_attempt_at)

    @_guarded
    def reset_for_resend(self, public_id: str, now: datetime | None = None) -> bool:
        """Queue a lead's e-mail again (same Message-ID); False when the lead does not exist."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            lead_id = conn.execute(
                select(leads.c.id).where(leads.c.public_id == public_id)
            ).scalar()
            if lead_id is None:
                return False
            values = {
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": None,
                "sent_at": None,
                "claimed_until": None,
            }
            result = conn.execute(
                update(outbox).where(outbox.c.lead_id == lead_id).values(**values)
            )
            if result.rowcount == 0:
                conn.execute(
                    insert(outbox).values(
                        lead_id=lead_id, message_id=self._new_message_id(), **values
                    )
                )
        return True

    @_guarded
    def get_outbox(self, lead_id: int) -> OutboxItem | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(outbox).where(outbox.c.lead_id == lead_id)).first()
        return self._to_item(row) if row is not None else None


def _json(scan: ScanSnapshot) -> str:
    return json.dumps(scan.to_dict(), ensure_ascii=False)


def _snapshot(raw: str | None) -> ScanSnapshot:
    """The stored snapshot; an unreadable one reads as empty rather than losing the lead."""
    try:
        return ScanSnapshot.from_dict(json.loads(raw or "{}"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return ScanSnapshot()

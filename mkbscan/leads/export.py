"""The leads as CSV, for the advisor (the CLI's `export` and the desk's download alike)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from mkbscan.leads.models import LeadRecord

CSV_COLUMNS = [
    "public_id",
    "created_at",
    "status",
    "name",
    "company",
    "email",
    "phone",
    "preferred_moment",
    "question",
    "totaalscore",
    "band",
    "consent_version",
    "consent_given_at",
    "delivery_status",
]


def score_of(lead: LeadRecord) -> tuple[int | None, str | None]:
    scores = lead.scan.scores
    return (scores.total, scores.band) if scores else (None, None)


def spreadsheet_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets execute cells starting with these characters as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def lead_dict(lead: LeadRecord) -> dict[str, Any]:
    data = asdict(lead)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data


def leads_csv(leads: Iterable[LeadRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for lead in leads:
        data = lead_dict(lead)
        data["totaalscore"], data["band"] = score_of(lead)
        writer.writerow([spreadsheet_safe(data.get(col)) for col in CSV_COLUMNS])
    return buffer.getvalue()

"""Advisor tool for the leads: ``mkbscan-leads`` or ``python -m mkbscan.leads.cli``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from mkbscan.leads.delivery import MailConfig, deliver_due, make_sender
from mkbscan.leads.models import LeadRecord
from mkbscan.leads.store import LeadStore, StoreUnavailable

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
STATUS_LABELS = {"new": "nieuw", "handled": "afgehandeld"}


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _score(lead: LeadRecord) -> tuple[Any, Any]:
    scores = lead.scan.get("scores") or {}
    return scores.get("totaal"), scores.get("band")


def _spreadsheet_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets execute cells starting with these characters as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _find(store: LeadStore, ref: str) -> LeadRecord | None:
    lead = store.get_lead(ref)
    if lead is None and ref.isdigit():
        lead = store.get_lead_by_id(int(ref))
    return lead


def _cmd_list(store: LeadStore, args: argparse.Namespace) -> int:
    leads = store.list_leads(args.status)
    if not leads:
        print("Geen leads gevonden.")
        return 0
    for lead in leads:
        total, band = _score(lead)
        score = f"{total}/100 ({band})" if total is not None else "scan niet afgerond"
        status = STATUS_LABELS.get(lead.status, lead.status)
        print(
            f"{lead.public_id}  {_time(lead.created_at)}  {status}"
            f"  {lead.company or '-'}  {lead.name or '-'}  {score}"
        )
    print(f"{len(leads)} lead(s).")
    return 0


def _cmd_show(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None:
        print(f"Lead {args.id} niet gevonden.", file=sys.stderr)
        return 1
    total, band = _score(lead)
    rows = [
        ("Lead-id", lead.public_id),
        ("Ontvangen", _time(lead.created_at)),
        ("Status", STATUS_LABELS.get(lead.status, lead.status)),
        ("Naam", lead.name),
        ("Bedrijf", lead.company),
        ("E-mail", lead.email),
        ("Telefoon", lead.phone),
        ("Voorkeursmoment", lead.preferred_moment),
        ("Vraag", lead.question),
        ("Totaalscore", f"{total}/100" if total is not None else "scan niet afgerond"),
        ("Uitkomst", band),
        ("Toestemming", f"versie {lead.consent_version}, {_time(lead.consent_given_at)}"),
        ("Gesprek", lead.conversation_id),
        ("E-mail verzonden", lead.delivery_status),
    ]
    for label, value in rows:
        print(f"{label + ':':<18}{value if value not in (None, '') else '-'}")
    if lead.transcript:
        print("\nGesprek:\n" + lead.transcript)
    return 0


def _lead_dict(lead: LeadRecord) -> dict[str, Any]:
    data = asdict(lead)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data


def _cmd_export(store: LeadStore, args: argparse.Namespace) -> int:
    leads = store.list_leads(args.status)
    if args.format == "json":
        text = json.dumps([_lead_dict(lead) for lead in leads], ensure_ascii=False, indent=2)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for lead in leads:
            data = _lead_dict(lead)
            data["totaalscore"], data["band"] = _score(lead)
            writer.writerow([_spreadsheet_safe(data.get(col)) for col in CSV_COLUMNS])
        text = buffer.getvalue()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(leads)} lead(s) geëxporteerd naar {args.output}.")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _cmd_resend(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None or not store.reset_for_resend(lead.public_id):
        print(f"Lead {args.id} niet gevonden.", file=sys.stderr)
        return 1
    print(f"Lead {lead.public_id} staat klaar om opnieuw te verzenden.")
    return 0


def _cmd_handled(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None or not store.mark_handled(lead.public_id):
        print(f"Lead {args.id} niet gevonden.", file=sys.stderr)
        return 1
    print(f"Lead {lead.public_id} is afgehandeld.")
    return 0


def _cmd_erase(store: LeadStore, args: argparse.Namespace) -> int:
    count = store.erase_by_email(args.email)
    print(f"{count} lead(s) met dit e-mailadres gewist.")
    return 0


def _cmd_retention(store: LeadStore, args: argparse.Namespace) -> int:
    """The same erasure as the hourly job: leads and idle conversations."""
    from mkbscan.runtime import apply_retention
    from mkbscan.settings import settings

    days = args.days or settings().retention_days
    leads, events = apply_retention(days=days, store=store)
    print(f"{leads} lead(s) en {events} gespreksregel(s) ouder dan {days} dagen gewist.")
    return 0


def _cmd_stats(store: LeadStore, args: argparse.Namespace) -> int:
    stats = store.statistics()
    print(f"Scans gestart:   {stats['scans_started']}")
    print(f"Scans afgerond:  {stats['scans_finished']}")
    print(f"Afrondingsgraad: {stats['completion_rate'] * 100:.0f}%")
    print(f"Leads:           {stats['leads_total']}")
    sections = [
        ("Gestopt bij vraag", stats["drop_off"]),
        ("Gemiddeld niveau per vraag", stats["average_level"]),
        ("'Weet ik niet' per vraag", stats["unknown_counts"]),
        ("Leads per uitkomst", stats["leads_per_band"]),
    ]
    for heading, values in sections:
        print(f"\n{heading}:")
        if not values:
            print("  -")
        for key, value in values.items():
            print(f"  {key}: {value}")
    return 0


def _cmd_deliver(store: LeadStore, args: argparse.Namespace) -> int:
    config = MailConfig.from_env()
    report = deliver_due(store, make_sender(config), config=config)
    print(f"{report.sent} e-mail(s) verzonden, {report.failed} mislukt.")
    if report.failed:
        print("Mislukte e-mails worden later automatisch opnieuw geprobeerd.")
    return 0 if report.failed == 0 else 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mkbscan-leads", description="Leads uit de samenwerkingsscan beheren."
    )
    parser.add_argument(
        "--database-url", help="database (standaard: LEADS_DATABASE_URL of sqlite:///var/leads.db)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht")

    p = sub.add_parser("list", help="leads tonen")
    p.add_argument("--status", choices=["new", "handled"])
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("show", help="één lead tonen")
    p.add_argument("id")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("export", help="leads exporteren")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("-o", "--output", help="bestand (standaard: scherm)")
    p.add_argument("--status", choices=["new", "handled"])
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("resend", help="e-mail van een lead opnieuw verzenden")
    p.add_argument("id")
    p.set_defaults(func=_cmd_resend)

    p = sub.add_parser("handled", help="lead als afgehandeld markeren")
    p.add_argument("id")
    p.set_defaults(func=_cmd_handled)

    p = sub.add_parser("erase", help="alle leads van een e-mailadres wissen")
    p.add_argument("--email", required=True)
    p.set_defaults(func=_cmd_erase)

    p = sub.add_parser("stats", help="anonieme statistieken")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("deliver", help="openstaande e-mails nu verzenden")
    p.set_defaults(func=_cmd_deliver)

    p = sub.add_parser("retention", help="leads ouder dan de bewaartermijn wissen")
    p.add_argument("--days", type=int, default=None,
                   help="bewaartermijn in dagen (standaard RETENTION_DAYS, 365)")
    p.set_defaults(func=_cmd_retention)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        store = LeadStore(args.database_url)
        try:
            return int(args.func(store, args))
        finally:
            store.dispose()
    except StoreUnavailable:
        print(
            "De database met leads is niet bereikbaar. Probeer het later opnieuw.", file=sys.stderr
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())

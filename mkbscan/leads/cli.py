"""Advisor tool for the leads: ``mkbscan-leads`` or ``python -m mkbscan.leads.cli``."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from mkbscan.leads import advisors, insights, journeys
from mkbscan.leads.delivery import MailConfig, deliver_due, make_sender
from mkbscan.leads.export import lead_dict, leads_csv, score_of
from mkbscan.leads.models import LeadRecord
from mkbscan.leads.schema import LEAD_STATUSES
from mkbscan.leads.store import DEFAULT_DATABASE_URL, LeadStore, StoreUnavailable
from mkbscan.scan.questions import load_content
from mkbscan.settings import TIME_ZONE, Settings, settings
from mkbscan.wording import all_texts, say


def _status(status: str) -> str:
    key = f"cli_status_{status}"
    return say(key) if key in all_texts() else status


def _print_aligned(rows: Sequence[tuple[str, Any]]) -> None:
    """Label: value lines, the values in one column; no value is shown as "-"."""
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{value if value not in (None, '') else '-'}")


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _find(store: LeadStore, ref: str) -> LeadRecord | None:
    lead = store.get_lead(ref)
    if lead is None and ref.isdigit():
        lead = store.get_lead_by_id(int(ref))
    return lead


def _cmd_list(store: LeadStore, args: argparse.Namespace) -> int:
    leads = store.list_leads(args.status)
    if not leads:
        print(say("cli_none_found"))
        return 0
    for lead in leads:
        total, band = score_of(lead)
        score = f"{total}/100 ({band})" if total is not None else say("cli_scan_unfinished")
        status = _status(lead.status)
        print(
            f"{lead.public_id}  {_time(lead.created_at)}  {status}"
            f"  {lead.company or '-'}  {lead.name or '-'}  {score}"
        )
    print(say("cli_count", count=len(leads)))
    return 0


def _cmd_show(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None:
        print(say("cli_not_found", ref=args.id), file=sys.stderr)
        return 1
    total, band = score_of(lead)
    consent = say("cli_consent_value", version=lead.consent_version,
                  given_at=_time(lead.consent_given_at))
    rows = [
        ("public_id", lead.public_id),
        ("created_at", _time(lead.created_at)),
        ("status", _status(lead.status)),
        ("name", lead.name),
        ("company", lead.company),
        ("email", lead.email),
        ("phone", lead.phone),
        ("preferred_moment", lead.preferred_moment),
        ("question", lead.question),
        ("score", f"{total}/100" if total is not None else say("cli_scan_unfinished")),
        ("band", band),
        ("consent", consent),
        ("conversation_id", lead.conversation_id),
        ("delivery_status", lead.delivery_status),
    ]
    _print_aligned([(say(f"cli_field_{key}"), value) for key, value in rows])
    if lead.transcript:
        print(f"\n{say('cli_transcript')}:\n{lead.transcript}")
    return 0


def _cmd_export(store: LeadStore, args: argparse.Namespace) -> int:
    leads = store.list_leads(args.status)
    if args.format == "json":
        text = json.dumps([lead_dict(lead) for lead in leads], ensure_ascii=False, indent=2)
    else:
        text = leads_csv(leads)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(say("cli_exported", count=len(leads), path=args.output))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _cmd_resend(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None or not store.reset_for_resend(lead.public_id):
        print(say("cli_not_found", ref=args.id), file=sys.stderr)
        return 1
    print(say("cli_resend_ready", ref=lead.public_id))
    return 0


def _cmd_handled(store: LeadStore, args: argparse.Namespace) -> int:
    lead = _find(store, args.id)
    if lead is None or not store.mark_handled(lead.public_id):
        print(say("cli_not_found", ref=args.id), file=sys.stderr)
        return 1
    print(say("cli_handled", ref=lead.public_id))
    return 0


def _cmd_erase(store: LeadStore, args: argparse.Namespace) -> int:
    count = store.erase_by_email(args.email)
    print(say("cli_erased", count=count))
    return 0


def _cmd_retention(store: LeadStore, args: argparse.Namespace) -> int:
    """The same erasure as the hourly job: leads and idle conversations."""
    from mkbscan.leads.retention import apply_retention

    days = args.days or settings().retention_days
    leads, events = apply_retention(store, days=days)
    print(say("cli_retention_done", count=leads, events=events, days=days))
    return 0


def _cmd_stats(store: LeadStore, args: argparse.Namespace) -> int:
    """The desk's funnel and drop-off, for the last `--days` days (default: everything)."""
    today = datetime.now(TIME_ZONE).date()
    first = today - timedelta(days=args.days - 1) if args.days else date(2000, 1, 1)
    period = insights.Period(first, today)
    content = load_content()
    found = insights.insights(journeys.journeys(store, *period.bounds()), period,
                              datetime.now(timezone.utc), content)
    opened = found.funnel[0].count
    _print_aligned([(insights.step_label(step, content),
                     f"{step.count} ({insights.share(step.count, opened)}%)")
                    for step in found.funnel])
    print(f"\n{say('cli_stats_drop_off', minutes=insights.IDLE_MINUTES)}:")
    for question_id, count in found.drop_off or (("-", ""),):
        print(f"  {insights.question_label(question_id, content)} {count}".rstrip())
    print(say("cli_stats_still_going", count=found.still_going))
    return 0


def _cmd_add_advisor(store: LeadStore, args: argparse.Namespace) -> int:
    """An account for the advisor's desk; the password is asked, never an argument."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(say("cli_advisor_wachtwoord"))
        if getpass.getpass(say("cli_advisor_password_again")) != password:
            print(say("cli_advisor_mismatch"), file=sys.stderr)
            return 1
    try:
        advisors.add_advisor(store, args.email, password)
    except advisors.PasswordTooShort:
        print(say("cli_advisor_too_short", length=advisors.MIN_PASSWORD_LENGTH), file=sys.stderr)
        return 1
    except advisors.AccountExists:
        print(say("cli_advisor_exists", email=args.email), file=sys.stderr)
        return 1
    print(say("cli_advisor_added", email=advisors.normalise_email(args.email),
              url=f"{settings().site_url}/advisor/"))
    return 0


def _cmd_deliver(store: LeadStore, args: argparse.Namespace) -> int:
    config = MailConfig.from_env()
    report = deliver_due(store, make_sender(config), config=config)
    print(say("cli_delivered", sent=report.sent, failed=report.failed))
    if report.failed:
        print(say("cli_retry_later"))
    return 0 if report.failed == 0 else 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mkbscan-leads", description=say("cli_description"))
    parser.add_argument("--database-url",
                        help=say("cli_help_database_url", url=DEFAULT_DATABASE_URL))
    sub = parser.add_subparsers(dest="command", required=True,
                                metavar=say("cli_command_metavar"))

    p = sub.add_parser("list", help=say("cli_help_list"))
    p.add_argument("--status", choices=LEAD_STATUSES)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("show", help=say("cli_help_show"))
    p.add_argument("id")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("export", help=say("cli_help_export"))
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("-o", "--output", help=say("cli_help_output"))
    p.add_argument("--status", choices=LEAD_STATUSES)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("resend", help=say("cli_help_resend"))
    p.add_argument("id")
    p.set_defaults(func=_cmd_resend)

    p = sub.add_parser("handled", help=say("cli_help_handled"))
    p.add_argument("id")
    p.set_defaults(func=_cmd_handled)

    p = sub.add_parser("erase", help=say("cli_help_erase"))
    p.add_argument("--email", required=True)
    p.set_defaults(func=_cmd_erase)

    p = sub.add_parser("stats", help=say("cli_help_stats"))
    p.add_argument("--days", type=int, default=0, help=say("cli_help_stats_days"))
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("add-advisor", help=say("cli_help_add_advisor"))
    p.add_argument("email")
    p.add_argument("--password-stdin", action="store_true", help=say("cli_help_password_stdin"))
    p.set_defaults(func=_cmd_add_advisor)

    p = sub.add_parser("deliver", help=say("cli_help_deliver"))
    p.set_defaults(func=_cmd_deliver)

    p = sub.add_parser("retention", help=say("cli_help_retention"))
    # The help names the variable and what it falls back to, not the value configured here.
    p.add_argument("--days", type=int, default=None,
                   help=say("cli_help_days", days=Settings().retention_days))
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
        print(say("cli_store_down"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())

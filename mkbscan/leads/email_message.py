"""The e-mail that hands a lead to the advisor.

``lead.scan`` is expected to look like this (every key optional)::

    {
        "part_done": "volledig",            # or e.g. "alleen partnerkeuze"
        "context": {"C1": "productie", ...},  # context answers by question id
        "answers": [{"id": "P1", "question": "...", "answer": "Grotendeels"}, ...],
        "scores": {"partnerkeuze": 79, "gelijkwaardigheid": 100, "totaal": 59,
                   "band": "Voorbereiden", "capped": True} | None,
        "advice": ["...", ...],
        "unknowns": ["..."],                 # questions answered with "weet ik niet"
    }

Every user-supplied value is escaped in the HTML part and stripped of CR/LF in headers.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from mkbscan.leads.models import LeadRecord, LeadUpdate
from mkbscan.leads.validation import validate_email

NOT_ANSWERED = "niet beantwoord"
_CHART_CID = "scan-chart@samenwerkingsscan"


def header_value(value: str | None, max_len: int = 200) -> str:
    """Header-safe text: no CR/LF or other control characters."""
    cleaned = re.sub(r"[\x00-\x1f\x7f]+", " ", value or "")
    return re.sub(r"\s+", " ", cleaned).strip()[:max_len]


def _fmt_time(value: datetime | None) -> str:
    if value is None:
        return "onbekend"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _subject(lead: LeadRecord) -> str:
    company = lead.company or lead.name or "onbekend bedrijf"
    scores = lead.scan.get("scores") or {}
    total = scores.get("totaal")
    tail = f"totaalscore {total}/100" if total is not None else "scan niet afgerond"
    return header_value(f"Nieuwe lead: {company} – {tail}", 250)


def _answers(
    scan: dict[str, Any], questions: list[tuple[str, str]] | None
) -> list[tuple[str, str, str]]:
    """(id, question, answer) for every question; unanswered questions too when known."""
    given: dict[str, dict[str, Any]] = {}
    for item in scan.get("answers") or []:
        if isinstance(item, dict) and item.get("id") is not None:
            given[str(item["id"])] = item
    rows: list[tuple[str, str, str]] = []
    if questions:
        for qid, text in questions:
            item = given.pop(qid, {})
            rows.append((qid, text, str(item.get("answer") or NOT_ANSWERED)))
    for qid, item in given.items():
        rows.append((qid, str(item.get("question") or ""), str(item.get("answer") or NOT_ANSWERED)))
    return rows


def _sections(
    lead: LeadRecord, questions: list[tuple[str, str]] | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The mail content as (heading, [(label, value)]) so text and HTML show the same."""
    scan = lead.scan or {}
    scores = scan.get("scores") or {}
    contact = [
        ("Naam", lead.name or "-"),
        ("Bedrijf", lead.company or "-"),
        ("E-mail", lead.email or "-"),
        ("Telefoon", lead.phone or "-"),
        ("Voorkeursmoment", lead.preferred_moment or "-"),
        ("Vraag", lead.question or "-"),
    ]
    if scores:
        total = f"{scores.get('totaal', '-')}/100"
        if scores.get("capped"):
            total += " (begrensd door een lage deelscore)"
        score_rows = [
            ("Partnerkeuze", f"{scores.get('partnerkeuze', '-')}/100"),
            ("Gelijkwaardigheid", f"{scores.get('gelijkwaardigheid', '-')}/100"),
            ("Totaalscore", total),
            ("Uitkomst", str(scores.get("band") or "-")),
        ]
    else:
        score_rows = [("Totaalscore", "scan niet afgerond")]
    score_rows.append(("Afgerond", str(scan.get("part_done") or "-")))
    context = [(str(k), str(v)) for k, v in (scan.get("context") or {}).items()]
    answers = [(f"{qid} {text}".strip(), answer) for qid, text, answer in _answers(scan, questions)]
    # An empty label renders as a bullet list item.
    advice = [("", str(a)) for a in scan.get("advice") or []]
    unknowns = [("", str(u)) for u in scan.get("unknowns") or []]
    meta = [
        ("Lead-id", lead.public_id),
        ("Gesprek", lead.conversation_id),
        ("Ontvangen", _fmt_time(lead.created_at)),
        ("Toestemming versie", lead.consent_version or "-"),
        ("Toestemming gegeven", _fmt_time(lead.consent_given_at)),
    ]
    return [
        ("Contactgegevens", contact),
        ("Scores", score_rows),
        ("Gegeven advies", advice or [("", "geen")]),
        ("Context", context or [("", "geen")]),
        ("Antwoorden", answers or [("", "geen")]),
        ("Weet ik niet", unknowns or [("", "geen")]),
        ("Over deze lead", meta),
    ]


def _text_body(lead: LeadRecord, sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines = [f"Nieuwe lead uit de samenwerkingsscan: {lead.company or lead.name or '-'}", ""]
    for heading, rows in sections:
        lines += [heading, "-" * len(heading)]
        lines += [f"{label}: {value}" if label else f"- {value}" for label, value in rows]
        lines.append("")
    lines.append("Het gesprek staat in de bijlage.")
    return "\n".join(lines) + "\n"


def _html_body(
    lead: LeadRecord, sections: list[tuple[str, list[tuple[str, str]]]], with_chart: bool
) -> str:
    esc = html.escape
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>',
        f"<h1>Nieuwe lead: {esc(lead.company or lead.name or '-')}</h1>",
    ]
    if with_chart:
        parts.append(f'<p><img src="cid:{_CHART_CID}" alt="Scores van de scan"></p>')
    for heading, rows in sections:
        parts.append(f"<h2>{esc(heading)}</h2><table>")
        parts += [
            f'<tr><th align="left">{esc(label)}</th><td>{esc(value)}</td></tr>'
            for label, value in rows
        ]
        parts.append("</table>")
    parts.append("<p>Het gesprek staat in de bijlage.</p></body></html>")
    return "\n".join(parts)


def transcript_filename(conversation_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", conversation_id).strip("_")[:64] or "gesprek"
    return f"transcript-{safe}.txt"


def build_lead_email(
    lead: LeadRecord,
    advisor_email: str,
    sender: str,
    questions: list[tuple[str, str]] | None = None,
    chart_png: bytes | None = None,
) -> EmailMessage:
    """Build the advisor e-mail for a lead; ``questions`` lists (id, text) of all questions."""
    msg = EmailMessage()
    msg["From"] = header_value(sender, 300)
    msg["To"] = header_value(advisor_email, 300)
    reply = validate_email(lead.email or "")
    if reply.ok and reply.email:
        msg["Reply-To"] = formataddr((header_value(lead.name), reply.email))
    msg["Subject"] = _subject(lead)
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    if lead.message_id:
        msg["Message-ID"] = header_value(lead.message_id, 300)

    sections = _sections(lead, questions)
    msg.set_content(_text_body(lead, sections))
    msg.add_alternative(_html_body(lead, sections, chart_png is not None), subtype="html")
    if chart_png is not None:
        html_part = msg.get_payload()[1]
        html_part.add_related(
            chart_png,
            "image",
            "png",
            cid=f"<{_CHART_CID}>",
            disposition="inline",
            filename="scores.png",
        )
    msg.add_attachment(
        lead.transcript or "",
        subtype="plain",
        charset="utf-8",
        filename=transcript_filename(lead.conversation_id),
    )
    return msg


def build_update_email(lead: LeadRecord, change: LeadUpdate, advisor_email: str,
                       sender: str) -> EmailMessage:
    """A short follow-up to a lead e-mail: the answer that changed and the new scores.

    In-Reply-To the lead's own e-mail, so it lands in the same thread at the advisor.
    """
    msg = EmailMessage()
    msg["From"] = header_value(sender, 300)
    msg["To"] = header_value(advisor_email, 300)
    reply = validate_email(lead.email or "")
    if reply.ok and reply.email:
        msg["Reply-To"] = formataddr((header_value(lead.name), reply.email))
    company = lead.company or lead.name or "onbekend bedrijf"
    msg["Subject"] = header_value(f"Aangepast antwoord: {company}", 250)
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = header_value(change.message_id, 300)
    if lead.message_id:
        msg["In-Reply-To"] = header_value(lead.message_id, 300)
        msg["References"] = header_value(lead.message_id, 300)
    item = change.change
    scores = change.scan.get("scores") or {}
    lines = [
        f"{lead.name or 'De ondernemer'} ({company}) heeft na het versturen een antwoord "
        "aangepast.",
        "",
        f"Vraag {item.get('number')}: {item.get('question')}",
        f"Was: {item.get('old')}",
        f"Nu: {item.get('new')}",
    ]
    if scores:
        lines += ["", f"Partnerkeuze: {scores.get('partnerkeuze')}/100",
                  f"Gelijkwaardigheid: {scores.get('gelijkwaardigheid')}/100",
                  f"Totaalscore: {scores.get('totaal')}/100", f"{scores.get('band')}"]
    advice = change.scan.get("advice") or []
    if advice:
        lines += ["", "Advies dat de ondernemer nu krijgt:"]
        lines += [f"{i}. {text}" for i, text in enumerate(advice, start=1)]
    msg.set_content("\n".join(lines) + "\n")
    return msg

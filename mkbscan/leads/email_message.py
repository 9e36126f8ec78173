"""The e-mail that hands a lead to the advisor, and the one after a changed answer.

One builder for the delivery worker and the `mkbscan-leads` command line alike. Every
user-supplied value is escaped in the HTML part and stripped of CR/LF in headers; the
texts are in mkbscan/content/email.yml.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from mkbscan.leads.models import LeadRecord, LeadUpdate, PairPart
from mkbscan.leads.validation import validate_email
from mkbscan.scan.partner_text import bucket_name
from mkbscan.scan.questions import ScanContent, load_content
from mkbscan.scan.snapshot import ScanSnapshot
from mkbscan.wording import say

_CHART_CID = "scan-chart@samenwerkingsscan"
Rows = list[tuple[str, str]]


def header_value(value: str | None, max_len: int = 200) -> str:
    """Header-safe text: no CR/LF or other control characters."""
    cleaned = re.sub(r"[\x00-\x1f\x7f]+", " ", value or "")
    return re.sub(r"\s+", " ", cleaned).strip()[:max_len]


def _fmt_time(value: datetime | None) -> str:
    if value is None:
        return say("email_unknown_time")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _company(lead: LeadRecord) -> str:
    return lead.company or lead.name or say("email_unknown_company")


def _subject(lead: LeadRecord) -> str:
    scores = lead.scan.scores
    tail = say("email_subject_total", total=scores.total) if scores else \
        say("email_subject_unfinished")
    return header_value(say("email_subject", company=_company(lead), tail=tail), 250)


def score_rows(scan: ScanSnapshot) -> Rows:
    """(label, "NN/100") per theme and the total, as in the chat."""
    if scan.scores is None:
        return []
    return [(theme.name, f"{theme.score}/100") for theme in scan.scores.themes] + \
        [(say("email_total"), f"{scan.scores.total}/100")]


def _answers(scan: ScanSnapshot, content: ScanContent) -> Rows:
    """Every question of the scan with its answer, worded as the entrepreneur saw it
    ("niet beantwoord" when not reached); answers to questions the scan no longer has come
    last."""
    given = {answer.id: answer for answer in scan.answers}
    rows = []
    for question in content.scored:
        answer = given.pop(question.id, None)
        text = answer.question if answer and answer.question else question.text
        rows.append((f"{question.id} {text}",
                     answer.answer if answer else say("email_not_answered")))
    rows += [(f"{a.id} {a.question}".strip(), a.answer) for a in given.values()]
    return rows


def pair_rows(pair: PairPart, content: ScanContent) -> Rows:
    """The two-party scan for the advisor: both scores, each item's bucket with both answers,
    and the proposed agenda; or why the partner's part is not there."""
    comparison = pair.comparison
    if comparison is None or pair.own_answers is None or pair.other_answers is None:
        return [("", say(f"email_pair_none_{pair.role}"))]
    names = {theme.id: theme.name for theme in content.themes}
    rows = [("", say(f"email_pair_intro_{pair.role}"))]
    rows += [(names[theme], say("email_pair_score", own=own, other=other))
             for theme, own, other in comparison.themes]
    rows.append((say("email_total"), say("email_pair_score", own=comparison.totals[0],
                                         other=comparison.totals[1])))
    for number, item in enumerate(comparison.items, start=1):
        question = content.scored_by_id(item.question_id)
        rows.append((f"{number}. {question.topic}", say(
            "email_pair_item", bucket=bucket_name(item.bucket),
            own=content.scale_button(pair.own_answers.get(item.question_id)),
            other=content.scale_button(pair.other_answers.get(item.question_id)))))
    agenda = [f"{n}. {content.scored_by_id(qid).topic}"
              for n, qid in enumerate(comparison.agenda, start=1)]
    rows.append((say("email_pair_agenda"), "; ".join(agenda) or say("email_none")))
    return rows


def lead_sections(lead: LeadRecord, content: ScanContent) -> list[tuple[str, Rows]]:
    """The mail content as (heading, [(label, value)]) so text and HTML show the same."""
    scan = lead.scan
    contact = [
        (say("email_name"), lead.name or "-"),
        (say("email_company"), lead.company or "-"),
        (say("email_address"), lead.email or "-"),
        (say("email_phone"), lead.phone or "-"),
        (say("email_moment"), lead.preferred_moment or "-"),
        (say("email_question"), lead.question or "-"),
    ]
    if scan.scores:
        scores = score_rows(scan)
        if scan.scores.capped:
            label, value = scores[-1]
            scores[-1] = (label, f"{value} {say('email_capped')}")
        scores.append((say("email_band"), scan.scores.band or "-"))
    else:
        scores = [(say("email_total"), say("email_unfinished"))]
    scores.append((say("email_part_done"), scan.part_done or "-"))
    none = [("", say("email_none"))]
    # An empty label renders as a bullet list item.
    return [
        (say("email_contact"), contact),
        (say("email_scores"), scores),
        (say("email_strengths"), [("", s) for s in scan.strengths] or none),
        (say("email_advice"), [("", a) for a in scan.advice] or none),
        (say("email_context"), [(c.question or c.id, c.answer) for c in scan.context] or none),
        (say("email_answers"), _answers(scan, content)),
        (say("email_unknowns"), [("", u) for u in scan.unknowns] or none),
        *([(say("email_pair"), pair_rows(lead.pair, content))] if lead.pair else []),
        (say("email_about"), [
            (say("email_lead_id"), lead.public_id),
            (say("email_conversation"), lead.conversation_id),
            (say("email_received"), _fmt_time(lead.created_at)),
            (say("email_consent_version"), lead.consent_version or "-"),
            (say("email_consent_given"), _fmt_time(lead.consent_given_at)),
        ]),
    ]


def _text_body(lead: LeadRecord, sections: list[tuple[str, Rows]]) -> str:
    lines = [say("email_heading", company=lead.company or lead.name or "-"), ""]
    for heading, rows in sections:
        lines += [heading, "-" * len(heading)]
        lines += [f"{label}: {value}" if label else f"- {value}" for label, value in rows]
        lines.append("")
    lines.append(say("email_transcript"))
    return "\n".join(lines) + "\n"


def _html_body(lead: LeadRecord, sections: list[tuple[str, Rows]], chart_alt: str | None) -> str:
    esc = html.escape
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>',
        f"<h1>{esc(say('email_heading_html', company=lead.company or lead.name or '-'))}</h1>",
    ]
    if chart_alt is not None:
        parts.append(f'<p><img src="cid:{_CHART_CID}" alt="{esc(chart_alt)}"></p>')
    for heading, rows in sections:
        parts.append(f"<h2>{esc(heading)}</h2><table>")
        parts += [
            f'<tr><th align="left">{esc(label)}</th><td>{esc(value)}</td></tr>'
            for label, value in rows
        ]
        parts.append("</table>")
    parts.append(f"<p>{esc(say('email_transcript'))}</p></body></html>")
    return "\n".join(parts)


def transcript_filename(conversation_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", conversation_id).strip("_")[:64] or "gesprek"
    return f"transcript-{safe}.txt"


def _chart(scan: ScanSnapshot, content: ScanContent) -> bytes | None:
    if scan.scores is None:
        return None
    from mkbscan.scan.charts import render_chart  # matplotlib only when a lead is mailed

    rows = [(t.name, t.score) for t in scan.scores.themes] + \
        [(say("total_label"), scan.scores.total)]
    return render_chart(rows, scan.scores.band, content)


def _addressed(lead: LeadRecord, advisor_email: str, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = header_value(sender, 300)
    msg["To"] = header_value(advisor_email, 300)
    reply = validate_email(lead.email or "")
    if reply.ok and reply.email:
        msg["Reply-To"] = formataddr((header_value(lead.name), reply.email))
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    return msg


def build_lead_email(lead: LeadRecord, advisor_email: str, sender: str,
                     content: ScanContent | None = None) -> EmailMessage:
    """The advisor's e-mail for a lead: contact, scores with chart, every question and answer,
    advice, consent record, and the conversation attached."""
    content = content or load_content()
    msg = _addressed(lead, advisor_email, sender)
    msg["Subject"] = _subject(lead)
    if lead.message_id:
        msg["Message-ID"] = header_value(lead.message_id, 300)
    sections = lead_sections(lead, content)
    chart = _chart(lead.scan, content)
    chart_alt = say("email_chart_alt", scores=", ".join(
        f"{label} {value}" for label, value in score_rows(lead.scan))) if chart else None
    msg.set_content(_text_body(lead, sections))
    msg.add_alternative(_html_body(lead, sections, chart_alt), subtype="html")
    if chart is not None:
        html_part = msg.get_payload()[1]
        html_part.add_related(chart, "image", "png", cid=f"<{_CHART_CID}>",
                              disposition="inline", filename="scores.png")
    msg.add_attachment(lead.transcript or "", subtype="plain", charset="utf-8",
                       filename=transcript_filename(lead.conversation_id))
    return msg


def build_update_email(lead: LeadRecord, change: LeadUpdate, advisor_email: str,
                       sender: str) -> EmailMessage:
    """A short follow-up to a lead e-mail: the answer that changed and the new scores.

    In-Reply-To the lead's own e-mail, so it lands in the same thread at the advisor.
    """
    msg = _addressed(lead, advisor_email, sender)
    company = _company(lead)
    msg["Subject"] = header_value(say("email_update_subject", company=company), 250)
    msg["Message-ID"] = header_value(change.message_id, 300)
    if lead.message_id:
        msg["In-Reply-To"] = header_value(lead.message_id, 300)
        msg["References"] = header_value(lead.message_id, 300)
    item = change.change
    lines = [
        say("email_update_intro", name=lead.name or say("email_update_someone"), company=company),
        "",
        say("email_update_question", number=item.get("number"), question=item.get("question")),
        say("email_update_was", old=item.get("old")),
        say("email_update_now", new=item.get("new")),
    ]
    if change.scan.scores:
        lines += [""] + [f"{label}: {value}" for label, value in score_rows(change.scan)]
        lines.append(change.scan.scores.band)
    if change.scan.advice:
        lines += ["", say("email_update_advice")]
        lines += [f"{i}. {text}" for i, text in enumerate(change.scan.advice, start=1)]
    msg.set_content("\n".join(lines) + "\n")
    return msg

"""The e-mail with the link to the entrepreneur's own report (texts: content/email.yml)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from mkbscan.leads.email_message import header_value
from mkbscan.leads.reports import ReportMail
from mkbscan.leads.store import utcnow
from mkbscan.wording import say


def build_report_email(mail: ReportMail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = header_value(sender, 300)
    msg["To"] = header_value(mail.email, 254)
    msg["Subject"] = header_value(say("report_mail_subject"), 250)
    msg["Message-ID"] = header_value(mail.message_id, 300)
    msg["Date"] = format_datetime(utcnow())
    msg.set_content(say("report_mail_body", url=mail.report_url) + "\n")
    return msg

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import pytest
from conftest import CONSENT_AT, SAMPLE_SCAN

from mkbscan.leads.email_message import build_lead_email, transcript_filename
from mkbscan.leads.models import LeadRecord
from mkbscan.scan.questions import load_content
from mkbscan.scan.snapshot import Answer, ScanSnapshot

ADVISOR = "marco@circularclarity.org"
SENDER = "Samenwerkingsscan <scan@circularclarity.org>"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CONTENT = load_content()


@pytest.fixture
def lead() -> LeadRecord:
    return LeadRecord(
        id=7,
        public_id="0b5f7f0e-1111-2222-3333-444455556666",
        conversation_id="conv-42",
        created_at=datetime(2024, 6, 1, 9, 30, tzinfo=timezone.utc),
        name="Anne de Vries",
        company="Bakkerij Zon",
        email="anne@zon.nl",
        phone="+31612345678",
        preferred_moment="dinsdagochtend",
        question="Hoe vind ik een partner?",
        consent_version="v1",
        consent_given_at=CONSENT_AT,
        scan=SAMPLE_SCAN,
        transcript="bot: Hoi!\nuser: Ik ben Anne",
        message_id="<lead-abc123@scan.circularclarity.org>",
    )


def _parse(msg: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def _bodies(msg: EmailMessage) -> tuple[str, str]:
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_headers(lead: LeadRecord) -> None:
    msg = _parse(build_lead_email(lead, ADVISOR, SENDER))
    assert msg["To"] == ADVISOR
    assert getaddresses([msg["From"]]) == [("Samenwerkingsscan", "scan@circularclarity.org")]
    assert getaddresses([msg["Reply-To"]]) == [("Anne de Vries", "anne@zon.nl")]
    assert msg["Subject"] == "Nieuwe lead: Bakkerij Zon – totaalscore 59/100"
    assert msg["Message-ID"] == "<lead-abc123@scan.circularclarity.org>"
    assert msg["Date"]
    assert msg.get_content_type() == "multipart/mixed"


def test_bodies_contain_all_lead_data(lead: LeadRecord) -> None:
    text, html = _bodies(_parse(build_lead_email(lead, ADVISOR, SENDER)))
    for body in (text, html):
        for expected in [
            "Anne de Vries",
            "Bakkerij Zon",
            "anne@zon.nl",
            "+31612345678",
            "dinsdagochtend",
            "Hoe vind ik een partner?",
            "Partnerkeuze",
            "79/100",
            "Gelijkwaardigheid",
            "100/100",
            "59/100",
            "Voorbereiden",
            "begrensd",
            "volledig",
            "Maak samen een exitregeling.",
            "Leg de rolverdeling vast.",
            CONTENT.context_by_id("C1").text,
            "productie",
            "25 (klein (10-49))",
            "Grotendeels",
            "Ja, helemaal",
            "Weet ik niet",
            "conv-42",
            "v1",
            "2024-05-01 12:00 UTC",
            "0b5f7f0e-1111-2222-3333-444455556666",
        ]:
            assert expected in body, (expected, body[:200])
    # Every question of the scan is listed, worded as the entrepreneur saw it (the snapshot);
    # one not reached in the scan's default wording.
    assert "P1 Weet je wat je zoekt in een partner?: Grotendeels" in text
    assert f"P2 {CONTENT.scored_by_id('P2').text}: niet beantwoord" in text
    assert "G2 Is er een exitregeling?: Weet ik niet" in text
    assert all(re.search(rf"^{q.id} .+: ", text, re.M) for q in CONTENT.scored)


def test_an_answer_to_a_question_the_scan_no_longer_has_comes_last(lead: LeadRecord) -> None:
    extra = Answer("X9", "Oude vraag?", "Grotendeels")
    old = replace(lead.scan, answers=(*lead.scan.answers, extra))
    text, html = _bodies(_parse(build_lead_email(replace(lead, scan=old), ADVISOR, SENDER)))
    assert "X9 Oude vraag?: Grotendeels\n\nWeet ik niet" in text
    assert "X9 Oude vraag?" in html


def test_transcript_attachment(lead: LeadRecord) -> None:
    msg = _parse(build_lead_email(lead, ADVISOR, SENDER))
    attachments = list(msg.iter_attachments())
    assert len(attachments) == 1
    part = attachments[0]
    assert part.get_filename() == "transcript-conv-42.txt"
    assert part.get_content_type() == "text/plain"
    assert part.get_content().rstrip("\n") == "bot: Hoi!\nuser: Ik ben Anne"


def test_chart_is_inline_and_referenced(lead: LeadRecord) -> None:
    msg = _parse(build_lead_email(lead, ADVISOR, SENDER))
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    assert images[0].get_content().startswith(PNG_MAGIC)
    assert images[0].get_content_disposition() == "inline"
    assert images[0].get_filename() == "scores.png"
    cid = images[0]["Content-ID"].strip("<>")
    _, html = _bodies(msg)
    assert f'src="cid:{cid}"' in html
    assert 'alt="Scores van de scan: Partnerkeuze 79/100, Gelijkwaardigheid 100/100, ' \
           'Totaalscore 59/100"' in html


def test_no_chart_before_the_scan_is_finished(lead: LeadRecord) -> None:
    msg = _parse(build_lead_email(replace(lead, scan=replace(lead.scan, scores=None)),
                                  ADVISOR, SENDER))
    assert [p for p in msg.walk() if p.get_content_type() == "image/png"] == []
    assert "cid:" not in _bodies(msg)[1]


def test_html_escapes_user_values(lead: LeadRecord) -> None:
    evil = replace(
        lead,
        name="<script>alert('naam')</script>",
        company="Zon & Co <b>",
        question='"><img src=x onerror=alert(1)>',
        scan=replace(SAMPLE_SCAN, advice=("<script>alert('advies')</script>",)),
        transcript="<script>x</script>",
    )
    _, html = _bodies(_parse(build_lead_email(evil, ADVISOR, SENDER)))
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;naam&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;advies&#x27;)&lt;/script&gt;" in html
    assert "Zon &amp; Co &lt;b&gt;" in html


def test_no_header_injection(lead: LeadRecord) -> None:
    evil = replace(
        lead,
        name='Anne "de" Vries\r\nBcc: evil@x.nl',
        company="Zon\r\nBcc: evil@x.nl",
        email="anne@zon.nl",
        conversation_id="conv\r\nX-Evil: 1/../../etc",
        message_id="<lead-1@x>\r\nBcc: evil@x.nl",
    )
    msg = _parse(build_lead_email(evil, ADVISOR + "\r\nBcc: evil@x.nl", SENDER))
    assert msg["Bcc"] is None
    assert msg["X-Evil"] is None
    assert getaddresses([msg["To"]])[0][1] == ADVISOR
    assert getaddresses(msg.get_all("Reply-To") or []) == [
        ('Anne "de" Vries Bcc: evil@x.nl', "anne@zon.nl")
    ]
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    filename = list(msg.iter_attachments())[0].get_filename()
    assert filename == "transcript-conv_X-Evil_1_etc.txt"


def test_invalid_lead_email_gives_no_reply_to(lead: LeadRecord) -> None:
    msg = _parse(
        build_lead_email(replace(lead, email="a@b.nl\r\nBcc: x@y.nl"), ADVISOR, SENDER)
    )
    assert msg["Reply-To"] is None
    assert msg["Bcc"] is None


def test_subject_without_scores(lead: LeadRecord) -> None:
    partial = replace(lead, scan=replace(SAMPLE_SCAN, scores=None, part_done="alleen partnerkeuze"))
    msg = _parse(build_lead_email(partial, ADVISOR, SENDER))
    assert msg["Subject"] == "Nieuwe lead: Bakkerij Zon – scan niet afgerond"
    text, _ = _bodies(msg)
    assert "Totaalscore: scan niet afgerond" in text
    assert "alleen partnerkeuze" in text


def test_empty_scan_and_missing_company(lead: LeadRecord) -> None:
    bare = replace(lead, company=None, scan=ScanSnapshot(), transcript="", message_id=None)
    msg = _parse(build_lead_email(bare, ADVISOR, SENDER))
    assert msg["Subject"] == "Nieuwe lead: Anne de Vries – scan niet afgerond"
    assert msg["Message-ID"] is None
    text, _ = _bodies(msg)
    assert "Bedrijf: -" in text


def test_transcript_filename_is_safe() -> None:
    assert transcript_filename("../../etc/passwd") == "transcript-etc_passwd.txt"
    assert transcript_filename("") == "transcript-gesprek.txt"
    assert len(transcript_filename("x" * 500)) == len("transcript-.txt") + 64

"""The personal report over HTTP: the page, the PDF, and what an erased or guessed link gets."""

from __future__ import annotations

import html
import re
import secrets
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from mkbscan.leads import invites
from mkbscan.leads.reports import save_report
from mkbscan.leads.store import LeadStore
from mkbscan.scan.questions import load_content
from mkbscan.scan.scoring import compute_result
from mkbscan.settings import settings
from mkbscan.site.server import SiteServer
from tests.conftest import skip_or_fail

CONTENT = load_content()
LEVELS = (3, 2, 1, 0, None)
ANSWERS = {q.id: LEVELS[i % len(LEVELS)] for i, q in enumerate(CONTENT.scored)}
SCAN = {"context": {"C1": "IT", "C2": "new", "C3": "12"},
        "context_labels": {"C1": "IT", "C2": "Een nieuwe partner", "C3": "12 (klein)"},
        "answers": ANSWERS, "status": "finished"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[SiteServer, LeadStore]]:
    store = LeadStore(f"sqlite:///{tmp_path}/leads.db")
    server = SiteServer(0, 5999, log_path=tmp_path / "web.log")
    server.config.store = lambda: store
    server.start()
    yield server, store
    server.stop()
    store.dispose()


def get(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_report_shows_scores_plan_and_every_answer_with_its_explanation(site) -> None:
    server, store = site
    token = secrets.token_urlsafe(32)
    save_report(store, "conv-1", token, SCAN)
    status, headers, body = get(f"{server.url}rapport/{token}")
    page = body.decode()
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer" and "noindex" in headers["X-Robots-Tag"]
    result = compute_result(ANSWERS, CONTENT)
    assert f'<span class="report-score">{result.total}</span>' in page
    assert f'aria-current="step">{result.band}</li>' in page
    profile = CONTENT.profile(SCAN["context"])
    for question in CONTENT.scored:
        worded = question.worded(profile)
        assert worded.text.replace("'", "&#39;") in page.replace("&#34;", '"')
        assert worded.explanation.split(".")[0].replace("'", "&#39;") in page
    assert page.count("<strong>Weet ik niet</strong>") == sum(v is None for v in ANSWERS.values())
    assert f"mailto:{settings().advisor_email}" in page and "Een nieuwe partner" in page
    assert f'href="{token}.pdf"' in page


def test_the_pdf_holds_the_scores(site) -> None:
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is missing (apt-get install poppler-utils)")
    server, store = site
    token = secrets.token_urlsafe(32)
    save_report(store, "conv-1", token, SCAN)
    status, headers, body = get(f"{server.url}rapport/{token}.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF") and "attachment" in headers["Content-Disposition"]
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                          check=True).stdout.decode()
    result = compute_result(ANSWERS, CONTENT)
    words = " ".join(text.split())
    for theme in CONTENT.themes:
        assert f"{theme.name} {result.theme_score(theme.id)}" in words
    assert f"Totaalscore {result.total}" in words and result.band in words


def test_an_erased_an_unknown_and_a_guessed_link_all_answer_404(site, tmp_path: Path) -> None:
    server, store = site
    token = secrets.token_urlsafe(32)
    save_report(store, "conv-1", token, SCAN)
    assert get(f"{server.url}rapport/{token}")[0] == 200
    store.erase_by_conversation("conv-1")
    for path in (token, f"{token}.pdf", secrets.token_urlsafe(32), "x", "%00"):
        status, headers, body = get(f"{server.url}rapport/{path}")
        assert status == 404 and headers["Cache-Control"] == "no-store"
        assert "bestaat niet" in body.decode()
    log = (tmp_path / "web.log").read_text()
    assert "/rapport/" in log and token not in log


def test_a_store_that_is_down_is_said_plainly(site) -> None:
    server, _ = site
    server.config.store = lambda: LeadStore("postgresql://x:y@127.0.0.1:1/none")
    status, _, body = get(f"{server.url}rapport/{secrets.token_urlsafe(32)}")
    assert status == 503 and "niet bereikbaar" in body.decode()


def test_a_report_of_an_older_scan_is_said_plainly(site) -> None:
    """Saved before the scan gained a question: a clear page, not a server error."""
    server, store = site
    token = secrets.token_urlsafe(32)
    save_report(store, "conv-1", token, {**SCAN, "answers": {"P1": 2}})
    status, headers, body = get(f"{server.url}rapport/{token}")
    assert status == 404 and "eerdere versie van de scan" in body.decode()


def test_a_two_party_report_shows_the_comparison_never_the_partner_s_answers(site) -> None:
    """The inviter's report: both scores, the buckets by number, the agenda, and per question
    the bucket beside the own answer (the hand count of tests/unit/leads/test_pair_part.py).
    The partner's answers (Grotendeels, Een beetje, Nee, nog niet) appear nowhere."""
    server, store = site
    every_three = dict.fromkeys((q.id for q in CONTENT.scored), 3)
    partner = dict(zip(every_three, [3, 2, 1, 0, None, 3, 3, 3, 2, 3, 3, 1, 3], strict=True))
    token = secrets.token_urlsafe(32)
    save_report(store, "inviter", token, {**SCAN, "answers": every_three})
    assert "Vergeleken met je partner" not in get(f"{server.url}rapport/{token}")[2].decode()
    invites.create_invite(store, "inviter", "K7QD-M2XR", every_three, "nieuw")
    invites.redeem(store, "partner", "K7QD-M2XR")
    assert "Vergeleken met je partner" not in get(f"{server.url}rapport/{token}")[2].decode()

    invites.save_answers(store, "partner", partner)  # the partner finished
    page = html.unescape(get(f"{server.url}rapport/{token}")[2].decode())
    assert "Vergeleken met je partner" in page
    assert "Partnerkeuze: jij 100, je partner 50" in page
    assert "Totaal: jij 100, je partner 59" in page
    assert "Groot verschil: vraag 3, 4 en 12" in page and "Samen uitzoeken: vraag 5" in page
    topics = [CONTENT.scored_by_id(qid).topic for qid in ("P4", "P3", "G6")]
    assert re.search(r'<ol class="report-agenda">\s*' + r"\s*".join(
        f"<li>{re.escape(topic[:1].upper() + topic[1:])}</li>" for topic in topics), page)
    assert page.count("Met je partner:</span> groot verschil") == 3
    assert page.count("Met je partner:</span> eens") == 7
    for level in ("Grotendeels", "Een beetje", "Nee, nog niet"):
        assert level not in page

    store.erase_by_conversation("partner")  # withdrawn: the comparison goes
    assert "Vergeleken met je partner" not in get(f"{server.url}rapport/{token}")[2].decode()

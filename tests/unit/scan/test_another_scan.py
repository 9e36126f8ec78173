"""questions.yml is the single source: a copy with a 14th question in a third theme runs a
whole scan through the pure modules, with the counts, scores, result, snapshot and the
advisor's email following the content and no code changed."""

from __future__ import annotations

from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml

from mkbscan.leads.email_message import build_lead_email
from mkbscan.leads.models import LeadRecord
from mkbscan.scan import questions, scan_flow
from mkbscan.scan.questions import load_content
from mkbscan.scan.scan_flow import FINISHED, ScanState
from mkbscan.scan.scoring import round_half_up_ratio
from mkbscan.wording import facts

NETWORK = {
    "id": "netwerk",
    "name": "Netwerk",
    "intro": "Tot slot het thema Netwerk.",
    "questions": [{
        "id": "N1", "weight": 3, "critical": True, "keywords": ["netwerk"],
        "topic": "of je netwerk meedenkt",
        "text": "Denkt je netwerk mee over een geschikte partner?",
        "explanation": "Via je netwerk vind je vaak sneller een goede partner.",
        "explanation_again": "Wie je al kent, kent vaak ook een goede kandidaat.",
        "strength": "Je netwerk denkt mee.", "stage": "partner",
        "step": {"action": "Vraag drie mensen uit je netwerk wie zij zouden aanraden.",
                 "produces": "drie namen", "example": "Naam | via wie",
                 "find_out": "Zoek uit wie in je netwerk al samenwerkt."},
    }],
}


@pytest.fixture
def bigger_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> questions.ScanContent:
    raw = yaml.safe_load(questions.CONTENT_FILE.read_text(encoding="utf-8"))
    raw["themes"].append(NETWORK)
    copy = tmp_path / "questions.yml"
    copy.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(questions, "CONTENT_FILE", copy)
    return load_content()


def test_a_14th_question_in_a_third_theme_runs_through_a_whole_scan(
        bigger_scan: questions.ScanContent) -> None:
    assert len(bigger_scan.scored) == 14 and len(bigger_scan.themes) == 3
    assert facts()["question_count"] == 14 and facts()["critical_count"] == 6

    turn = scan_flow.start(ScanState())
    for reply in ("productie", "een nieuwe partner", "we zijn met z'n twaalven"):
        turn = scan_flow.answer(turn.state, reply)
    shown: list[str] = []
    for question in bigger_scan.scored:
        shown += [m.text for m in turn.messages]
        reply = "ja hoor, helemaal" if question.id == "N1" else \
            ("Grotendeels" if question.theme == "partnerkeuze" else "Een beetje")
        turn = scan_flow.answer(turn.state, reply)
    assert "Vraag 14 van 14\n" + NETWORK["questions"][0]["text"] in shown
    assert NETWORK["intro"] in shown
    assert turn.state.status == FINISHED and turn.state.answers["N1"] == 3

    result = turn.result
    assert result is not None
    # By hand: partner choice all 2 (weights 14), equality all 1 (weights 17), N1 3 (weight 3).
    assert result.theme_scores == (("partnerkeuze", 67), ("gelijkwaardigheid", 33),
                                   ("netwerk", 100))
    expected_total = round_half_up_ratio(14 * 2 + 17 * 1 + 3 * 3, 3 * (14 + 17 + 3))
    assert result.total == expected_total == 53
    text = "\n".join(m.text for m in turn.messages)
    assert all(line in text for line in ("Partnerkeuze: 67/100", "Gelijkwaardigheid: 33/100",
                                         "Netwerk: 100/100", f"Totaalscore: {expected_total}/100"))
    assert NETWORK["questions"][0]["strength"] in text

    snapshot = scan_flow.snapshot(turn.state)
    assert [(t.name, t.score) for t in snapshot.scores.themes] == \
        [("Partnerkeuze", 67), ("Gelijkwaardigheid", 33), ("Netwerk", 100)]
    at = datetime(2026, 12, 6, tzinfo=timezone.utc)
    lead = LeadRecord(id=1, public_id="p", conversation_id="c", created_at=at, name="Anne",
                      company="Zon", email="anne@zon.nl", phone=None, preferred_moment=None,
                      question=None, consent_version="v", consent_given_at=at, scan=snapshot)
    mail = BytesParser(policy=policy.default).parsebytes(
        build_lead_email(lead, "adviseur@example.org", "scan@example.org").as_bytes())
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"N1 {NETWORK['questions'][0]['text']}: Ja, helemaal" in body
    assert "Netwerk: 100/100" in body
    assert len([p for p in mail.walk() if p.get_content_type() == "image/png"]) == 1


def test_the_critical_flag_in_the_content_caps_the_total(
        bigger_scan: questions.ScanContent) -> None:
    from mkbscan.scan.scoring import compute_result

    answers = {q.id: 3 for q in bigger_scan.scored} | {"N1": 0}
    result = compute_result(answers, bigger_scan)
    assert result.capped_by == ("N1",) and result.total == bigger_scan.cap

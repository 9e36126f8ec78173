from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import CONSENT_AT, SAMPLE_SCAN, free_port

from mkbscan.leads import journeys
from mkbscan.leads.cli import main
from mkbscan.leads.models import LeadContact, LeadRecord
from mkbscan.leads.store import LeadStore

T0 = datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def seeded(db: str) -> list[LeadRecord]:
    store = LeadStore(db)
    anne = store.submit_lead(
        "conv-anne",
        LeadContact(name="Anne de Vries", company="Bakkerij Zon", email="anne@zon.nl"),
        "v1",
        CONSENT_AT,
        SAMPLE_SCAN,
        "bot: Hoi!\nuser: Ik ben Anne",
        now=T0,
    )
    evil = store.submit_lead(
        "conv-evil",
        LeadContact(name="Piet", company='=HYPERLINK("http://x")', email="piet@x.nl"),
        "v1",
        CONSENT_AT,
        replace(SAMPLE_SCAN, scores=None),
        "",
        now=T0,
    )
    store.dispose()
    return [anne, evil]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--database-url", db, "list")
    assert code == 0
    assert "Bakkerij Zon" in out and "59/100 (Voorbereiden)" in out
    assert "scan niet afgerond" in out
    assert "2 lead(s)." in out
    assert "nieuw" in out


def test_list_by_status(
    db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--database-url", db, "list", "--status", "handled")
    assert code == 0
    assert out.strip() == "Geen leads gevonden."


def test_show(db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]) -> None:
    anne = seeded[0]
    code, out, _ = run(capsys, "--database-url", db, "show", anne.public_id)
    assert code == 0
    assert "Anne de Vries" in out
    assert "anne@zon.nl" in out
    assert "59/100" in out
    assert "versie v1" in out
    assert "user: Ik ben Anne" in out
    code, out_by_id, _ = run(capsys, "--database-url", db, "show", str(anne.id))
    assert code == 0 and out_by_id == out


def test_show_unknown(
    db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--database-url", db, "show", "bestaat-niet")
    assert code == 1
    assert "niet gevonden" in err


def test_export_csv_to_file(
    db: str, seeded: list[LeadRecord], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "leads.csv"
    code, out, _ = run(capsys, "--database-url", db, "export", "--format", "csv", "-o", str(target))
    assert code == 0
    assert "2 lead(s) geëxporteerd" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    by_name = {row["name"]: row for row in rows}
    assert by_name["Anne de Vries"]["totaalscore"] == "59"
    assert by_name["Anne de Vries"]["band"] == "Voorbereiden"
    # A formula in a company name must not run in a spreadsheet.
    assert by_name["Piet"]["company"] == '\'=HYPERLINK("http://x")'


def test_export_json_to_stdout(
    db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--database-url", db, "export", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {d["public_id"] for d in data} == {lead.public_id for lead in seeded}
    anne = next(d for d in data if d["name"] == "Anne de Vries")
    assert anne["scan"]["scores"]["total"] == 59
    assert anne["created_at"] == T0.isoformat()


def test_handled_and_resend(
    db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    anne = seeded[0]
    code, out, _ = run(capsys, "--database-url", db, "handled", anne.public_id)
    assert code == 0 and "afgehandeld" in out
    code, out, _ = run(capsys, "--database-url", db, "resend", anne.public_id)
    assert code == 0 and "opnieuw" in out
    store = LeadStore(db)
    lead = store.get_lead(anne.public_id)
    store.dispose()
    assert lead is not None
    assert lead.status == "handled"
    assert lead.delivery_status == "pending"
    assert run(capsys, "--database-url", db, "handled", "nope")[0] == 1
    assert run(capsys, "--database-url", db, "resend", "nope")[0] == 1


def test_erase(db: str, seeded: list[LeadRecord], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--database-url", db, "erase", "--email", "ANNE@zon.nl")
    assert code == 0
    assert "1 lead(s)" in out
    store = LeadStore(db)
    remaining = store.list_leads()
    store.dispose()
    assert [lead.name for lead in remaining] == ["Piet"]


def test_stats(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = LeadStore(db)
    long_ago = datetime.now(timezone.utc) - timedelta(days=3)
    journeys.record_opened(store, "only-looked", now=long_ago)
    journeys.record_scan(store, "left-at-p2", {"P1": 2}, "P2", False, now=long_ago)
    journeys.record_scan(store, "busy", {}, "C1", False)
    journeys.record_scan(store, "old", {}, "C1", False, now=long_ago - timedelta(days=30))
    store.dispose()
    code, out, _ = run(capsys, "--database-url", db, "stats", "--days", "7")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Gesprek", "geopend:", "3", "(100%)"]
    assert lines[1].split() == ["Scan", "begonnen:", "2", "(67%)"]
    assert "Vraag 1 beantwoord:" in out and "1 (33%)" in lines[3]
    assert "  Vraag 2 1" in lines
    assert "Nu nog bezig: 1" in lines
    code, out, _ = run(capsys, "--database-url", db, "stats")  # everything
    assert out.splitlines()[0].split() == ["Gesprek", "geopend:", "4", "(100%)"]
    assert "  C1 1" in out.splitlines()


def test_deliver_writes_eml_files(
    db: str,
    seeded: list[LeadRecord],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setenv("MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    code, out, _ = run(capsys, "--database-url", db, "deliver")
    assert code == 0
    assert "2 e-mail(s) verzonden, 0 mislukt." in out
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    code, out, _ = run(capsys, "--database-url", db, "deliver")
    assert "0 e-mail(s) verzonden" in out


def test_deliver_with_smtp_down_reports_failure(
    db: str,
    seeded: list[LeadRecord],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))
    code, out, _ = run(capsys, "--database-url", db, "deliver")
    assert code == 2
    assert "0 e-mail(s) verzonden, 2 mislukt." in out
    assert "later automatisch opnieuw" in out


def test_database_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "--database-url", f"sqlite:///{blocker}/leads.db", "list")
    assert code == 3
    assert "niet bereikbaar" in err


def test_env_database_url(
    db: str,
    seeded: list[LeadRecord],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LEADS_DATABASE_URL", db)
    code, out, _ = run(capsys, "list")
    assert code == 0 and "2 lead(s)." in out


def test_unknown_command_exits_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["verzin"])
    assert exc.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_module_entry_point(db: str, seeded: list[LeadRecord]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkbscan.leads.cli", "--database-url", db, "list"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "2 lead(s)." in result.stdout


def test_add_advisor_reads_the_password_and_never_takes_it_as_an_argument(
        db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from mkbscan.leads import advisors

    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord 42\n"))
    code, out, _ = run(capsys, "--database-url", db, "add-advisor", "Marco@Example.org",
                       "--password-stdin")
    assert code == 0 and "marco@example.org" in out and "/advisor/" in out
    store = LeadStore(db)
    assert advisors.log_in(store, "marco@example.org", "een lang wachtwoord 42") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    code, _, err = run(capsys, "--database-url", db, "add-advisor", "b@example.org",
                       "--password-stdin")
    assert code == 1 and "minstens 12 tekens" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord 42\n"))
    code, _, err = run(capsys, "--database-url", db, "add-advisor", "marco@example.org",
                       "--password-stdin")
    assert code == 1 and "al een account" in err

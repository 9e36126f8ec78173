"""The dependency audit's report: findings listed, an audit without data never 'clean'."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_report", ROOT / "scripts/audit_report.py")
assert spec and spec.loader
audit_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_report)


def test_findings_are_listed_with_their_fix(tmp_path: Path) -> None:
    (tmp_path / "pypi.json").write_text(json.dumps({"dependencies": [
        {"name": "aiohttp", "version": "3.9.5", "vulns": [
            {"id": "GHSA-xxxx", "aliases": ["CVE-2024-0001"], "fix_versions": ["3.10.11"],
             "description": "Request smuggling."}]},
        {"name": "six", "version": "1.17.0", "vulns": []},
        {"name": "private-pkg", "skip_reason": "not on PyPI"},
    ]}))
    text = audit_report.report(tmp_path, "2.10.1")
    assert "Packages checked: 2, not checked: 1. Known vulnerabilities: 1." in text
    assert "aiohttp==3.9.5  GHSA-xxxx (CVE-2024-0001)  fixed in: 3.10.11" in text
    assert "Not checked (1): private-pkg" in text and "NOT RUN" not in text


def test_an_audit_that_fetched_nothing_says_so(tmp_path: Path) -> None:
    (tmp_path / "pypi.json").write_text(json.dumps({"dependencies": [
        {"name": "aiohttp", "skip_reason": "Dependency not found on PyPI"}]}))
    (tmp_path / "osv.log").write_text("Traceback\nrequests.exceptions.ConnectionError: host x\n")
    text = audit_report.report(tmp_path, "2.10.1")
    assert "AUDIT NOT RUN" in text and "No known vulnerabilities" not in text
    assert "osv: no result (requests.exceptions.ConnectionError)" in text
    assert "host x" not in text

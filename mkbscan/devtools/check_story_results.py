"""Fail unless `rasa test core` predicted every story completely right."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(results_dir: str) -> int:
    report = json.loads((Path(results_dir) / "story_report.json").read_text())
    accuracy = report.get("accuracy")
    failed = Path(results_dir) / "failed_test_stories.yml"
    failed_text = failed.read_text() if failed.exists() else ""
    print(f"story action accuracy: {accuracy}")
    if accuracy != 1.0 or "story:" in failed_text:
        print(failed_text)
        return 1
    print("all test stories passed (100%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "results/core"))

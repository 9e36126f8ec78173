"""Fail unless the test stories pass completely: actions and the intents of their texts.

`rasa test core` checks the predicted actions (given the stories' intents). It does not
check that the NLU gives those intents for the stories' `user:` texts, so this also parses
every text with the trained model and compares.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import yaml


def story_texts(stories_dir: Path) -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(stories_dir.glob("*.yml")):
        for story in yaml.safe_load(path.read_text()).get("stories", []):
            for step in story["steps"]:
                if "user" in step:
                    pairs.append((step["user"].strip(), step["intent"]))
    return pairs


async def wrong_intents(model: str, pairs: list[tuple[str, str]]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    wrong = []
    for text, intent in pairs:
        parsed = await agent.parse_message(text)
        predicted = parsed["intent"]["name"]
        if predicted != intent:
            wrong.append(f"{text!r}: expected {intent}, NLU says {predicted}")
    return wrong


def main(results_dir: str, model: str, stories_dir: str) -> int:
    report = json.loads((Path(results_dir) / "story_report.json").read_text())
    failed = Path(results_dir) / "failed_test_stories.yml"
    failed_text = failed.read_text() if failed.exists() else ""
    print(f"story action accuracy: {report.get('accuracy')}")
    if report.get("accuracy") != 1.0 or "story:" in failed_text:
        print(failed_text)
        return 1
    pairs = story_texts(Path(stories_dir))
    wrong = asyncio.run(wrong_intents(model, pairs))
    print(f"intents of story texts: {len(pairs) - len(wrong)}/{len(pairs)} right")
    for line in wrong:
        print("  " + line)
    if wrong:
        return 1
    print("all test stories passed (100%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))

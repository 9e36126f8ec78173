"""Every sentence the bot says, from the content files, with facts filled in.

The YAML files under mkbscan/content/ (all but questions.yml, which holds the scan itself)
map a key to one text or to variants (one is picked at random). Placeholders such as
{advisor_email}, {retention} or {question_count} are filled from configuration
(mkbscan.settings) and from questions.yml, so no text repeats a fact that can change.
"""

from __future__ import annotations

import random
import string
from collections import ChainMap
from functools import lru_cache
from pathlib import Path

import yaml

from mkbscan.settings import MAX_CHARACTERS, settings

CONTENT = Path(__file__).resolve().parent / "content"
NOT_TEXT = frozenset({"questions.yml"})


@lru_cache(maxsize=1)
def all_texts() -> dict[str, tuple[str, ...]]:
    texts: dict[str, tuple[str, ...]] = {}
    for path in sorted(CONTENT.glob("*.yml")):
        if path.name in NOT_TEXT:
            continue
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in texts:
                raise ValueError(f"text key {key!r} twice (again in {path.name})")
            variants = value if isinstance(value, list) else [value]
            texts[key] = tuple(str(v).strip() for v in variants)
    return texts


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def facts() -> dict[str, object]:
    """What texts may name without repeating it: configuration and the scan's own numbers."""
    from mkbscan.scan.questions import load_content

    config = settings()
    content = load_content()
    days = config.retention_days
    retention = (_pick("period_months", months=days // 365 * 12) if days % 365 == 0
                 else _pick("period_day" if days == 1 else "period_days", days=days))
    workdays = _pick("workday_one" if config.reply_workdays == 1 else "workdays",
                     days=config.reply_workdays)
    return {"advisor_name": config.advisor_name, "advisor_first_name": config.advisor_first_name,
            "advisor_email": config.advisor_email, "organisation": config.organisation,
            "retention": retention, "reply_time": workdays,
            "question_count": len(content.scored), "context_count": len(content.context),
            "step_count": len(content.scored) + len(content.context), "cap": content.cap,
            "critical_count": sum(1 for q in content.scored if q.critical),
            "theme_count": len(content.themes),
            "band_names": join_words([band.name for band in reversed(content.bands)], "or"),
            "max_characters": MAX_CHARACTERS,
            "privacy_url": f"{config.site_url}/privacy",
            "invite_days": config.invite_days}


def join_words(items: list[str], word: str = "and") -> str:
    """"a, b and c" in Dutch (content: list_last_and / list_last_or)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {_pick('list_last_' + word)} " + items[-1]


def _pick(key: str, rng: random.Random | None = None, **values: object) -> str:
    return (rng or random).choice(all_texts()[key]).format(**values)


class _KeepOthers(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def templates(prefix: str) -> dict[str, str]:
    """The first variant of every text whose key starts with `prefix`, facts filled in and
    other placeholders kept, for a page or a script that fills those itself."""
    known = _KeepOthers({name: str(value) for name, value in facts().items()})
    return {key: string.Formatter().vformat(variants[0], (), known)
            for key, variants in all_texts().items() if key.startswith(prefix)}


def say(key: str, rng: random.Random | None = None, **values: object) -> str:
    """The text for `key` (a random variant), its placeholders filled."""
    text = (rng or random).choice(all_texts()[key])
    needed = placeholders(text)
    if not needed:
        return text
    if needed <= values.keys():  # facts() reads configuration: only when a text needs it
        return text.format(**values)
    return text.format_map(ChainMap(values, facts()))

"""Build the offline Dutch spaCy pipeline used when nl_core_news_sm cannot be downloaded.

spaCy's blank "nl" language (its Dutch tokenizer) plus a lookup lemmatizer whose table
comes from spacy-lookups-data; saved with to_disk, it loads later without that package.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

OFFLINE_NAME = "nl_offline"


def build(target: Path) -> Path:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = OFFLINE_NAME
    nlp.meta["version"] = spacy.__version__
    nlp.meta["description"] = (
        "Offline Dutch pipeline: blank nl tokenizer + lookup lemmas (spacy-lookups-data)"
    )
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else ".spacy/nl_offline")
    build(target)
    print(f"offline Dutch spaCy pipeline written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

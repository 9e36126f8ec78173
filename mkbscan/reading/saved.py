"""The answer reader for the current training data and code: loaded from models/, or trained.

Loading needs no NumPy; only training (mkbscan.reading.model) imports scikit-learn.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from mkbscan.reading.weights import ReaderWeights

logger = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent
TRAINING = PACKAGE / "training"  # labelled answers, one file per topic
MODELS = PACKAGE.parent.parent / "models"


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for data in training_files():
        digest.update(data.name.encode())
        digest.update(data.read_bytes())
    for code in sorted(PACKAGE.glob("*.py")):
        digest.update(code.name.encode())
        digest.update(code.read_bytes())
    return digest.hexdigest()[:12]


def training_files() -> list[Path]:
    return sorted(TRAINING.glob("*.yml"))


def reader_path() -> Path:
    return MODELS / f"answer-reader-{inputs_hash()}.json.gz"


@lru_cache(maxsize=1)
def trained_reader() -> ReaderWeights:
    """The saved reader for the current training data and code, trained and saved if new."""
    path = reader_path()
    if path.exists():
        try:
            return ReaderWeights.load(path)
        except (ValueError, OSError, KeyError, EOFError) as exc:
            logger.warning("answer reader %s not loaded (%s); training again", path.name, exc)
    from mkbscan.reading.model import AnswerReader, load_examples

    weights = AnswerReader.fit(load_examples()).weights()
    try:
        weights.save(path)
    except OSError as exc:  # a read-only install still reads answers, it trains each start
        logger.warning("answer reader not saved (%s)", type(exc).__name__)
    return weights

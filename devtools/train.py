"""Train only when data, domain, config, our NLU components or the spaCy pipeline changed.

The model is named after a hash of its inputs, so `models/` tells which inputs a model
was trained on and an unchanged tree reuses its model without importing Rasa.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
# The NLU components of our own are inputs too: their code shapes the trained model; and the
# answer reader's training answers, which the intent classifier adds as scan_answer.
INPUTS = ("data", "domain.yml", "config.yml", "mkbscan/rasa/intent_model.py",
          "mkbscan/rasa/intent_classifier.py", "mkbscan/rasa/nlu_guard.py",
          "mkbscan/reading/training")


def spacy_model() -> str:
    selected = ROOT / ".spacy" / "selected"
    return os.environ.get("SPACY_MODEL") or selected.read_text().strip()


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    digest.update(spacy_model().encode())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    return MODELS / f"samenwerkingsscan-{inputs_hash()}.tar.gz"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SPACY_MODEL", spacy_model())
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def ensure_model(force: bool = False) -> Path:
    target = model_path()
    if target.exists() and not force:
        print(f"[train] model up to date: {target.relative_to(ROOT)}")
        return target
    print(f"[train] training {target.name} (spaCy pipeline: {spacy_model()})", flush=True)
    started = time.monotonic()
    subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "--out", str(MODELS),
         "--fixed-model-name", target.name.removesuffix(".tar.gz")],
        cwd=ROOT, env=rasa_env(), check=True,
    )
    print(f"[train] done in {time.monotonic() - started:.0f} s")
    return target


def ensure_answer_reader() -> Path:
    """The answer reader (mkbscan.reading.model), trained once per training data and code."""
    from mkbscan.reading.saved import reader_path, trained_reader

    path = reader_path()
    if not path.exists():
        print(f"[train] training {path.name}", flush=True)
    trained_reader()
    return path


if __name__ == "__main__":
    ensure_model(force="--force" in sys.argv)
    ensure_answer_reader()

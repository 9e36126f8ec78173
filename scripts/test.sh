#!/usr/bin/env bash
# Every check, in the order a failure is cheapest to find. Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
export SPACY_MODEL="${SPACY_MODEL:-$(cat .spacy/selected)}"
BIN=.venv/bin
step() { printf '\n==== %s ====\n' "$*"; }

step "ruff"
$BIN/ruff check .

step "model (trained only when data, domain or config changed)"
MODEL=$($BIN/python -c 'from devtools.train import ensure_model; print(ensure_model())' \
        | tail -n 1)

step "rasa data validate"
$BIN/rasa data validate --fail-on-warnings

step "rasa test (stories must be 100%)"
rm -rf results/core
$BIN/rasa test core --model "$MODEL" --stories tests/stories --out results/core \
  --fail-on-prediction-errors
$BIN/python -m devtools.check_story_results results/core "$MODEL" tests/stories

step "pytest (unit, conversation over REST, browser)"
PYTEST_LOG=$(mktemp)
trap 'rm -f "$PYTEST_LOG"' EXIT
set +e
$BIN/python -m pytest "$@" 2>&1 | tee "$PYTEST_LOG"
PYTEST_STATUS=${PIPESTATUS[0]}
set -e

step "dependency audit (report only: never changes the result; docs/dependency-audit.txt)"
bash scripts/audit-deps.sh || echo "[audit] AUDIT NOT RUN (the audit script failed)"

# pytest's own closing line last, and its exit status as the result of the whole run.
printf '\n'
tail -n 1 "$PYTEST_LOG"
exit "$PYTEST_STATUS"

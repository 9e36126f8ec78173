#!/usr/bin/env bash
# Idempotent set-up: Python 3.10 venv, pinned packages, the Dutch spaCy pipeline.
# A re-run with nothing changed only checks stamps and finishes in a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SPACY_DIR="$ROOT/.spacy"
SM_URL="https://github.com/explosion/spacy-models/releases/download/nl_core_news_sm-3.4.0/nl_core_news_sm-3.4.0-py3-none-any.whl"

say() { printf '[setup] %s\n' "$*"; }

is_py310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

find_python310() {
  local candidate
  if candidate=$(command -v python3.10 2>/dev/null) && is_py310 "$candidate"; then
    echo "$candidate"; return 0
  fi
  local roots=()
  command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
  roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
  for root in "${roots[@]}"; do
    for candidate in $(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
      is_py310 "$candidate" && { echo "$candidate"; return 0; }
    done
  done
  for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$candidate" ] && is_py310 "$candidate" && { echo "$candidate"; return 0; }
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! is_py310 .venv/bin/python; then
  PY=$(find_python310) || {
    echo "[setup] Python 3.10 is required (Rasa 3.6 does not install on 3.11+)." >&2
    echo "[setup] Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10-venv'," >&2
    echo "[setup] then run this command again." >&2
    exit 1
  }
  say "creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }
DEPS_STAMP=".venv/.deps-$(stamp_of requirements.lock pyproject.toml)"
if [ ! -f "$DEPS_STAMP" ]; then
  say "installing pinned packages (requirements.lock), a few minutes the first time"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check 'pip==24.2'
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation -e .
  rm -f .venv/.deps-*
  touch "$DEPS_STAMP"
else
  say "packages up to date"
fi

# The Dutch spaCy pipeline: the official model when its release is reachable, else offline.
mkdir -p "$SPACY_DIR"
SELECTED_FILE="$SPACY_DIR/selected"
if [ ! -f "$SELECTED_FILE" ] || [ "${SPACY_RETRY:-0}" = 1 ]; then
  if .venv/bin/python -c 'import nl_core_news_sm' 2>/dev/null \
     || .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
          --timeout 10 --retries 0 "$SM_URL" >/dev/null 2>&1; then
    echo "nl_core_news_sm" > "$SELECTED_FILE"
  else
    echo ".spacy/nl_offline" > "$SELECTED_FILE"
  fi
fi
SPACY_MODEL=$(cat "$SELECTED_FILE")
if [ "$SPACY_MODEL" = ".spacy/nl_offline" ] && [ ! -f "$SPACY_DIR/nl_offline/meta.json" ]; then
  say "nl_core_news_sm 3.4.0 is not reachable (GitHub releases); building the offline pipeline"
  .venv/bin/python -m mkbscan.rasa.spacy_offline "$SPACY_DIR/nl_offline"
fi
if [ "$SPACY_MODEL" = "nl_core_news_sm" ]; then
  say "spaCy pipeline: nl_core_news_sm 3.4.0 (official release)"
else
  say "spaCy pipeline: offline Dutch pipeline at $SPACY_MODEL (blank nl + lookup lemmas)"
fi

# Plain `rasa train|shell|run` in the activated venv needs SPACY_MODEL (config.yml).
ACTIVATE=.venv/bin/activate
MARK="# mkbscan: spaCy pipeline"
sed -i "/$MARK/d" "$ACTIVATE"
echo "export SPACY_MODEL=\"$SPACY_MODEL\" $MARK" >> "$ACTIVATE"
# Plain `rasa` there goes through mkbscan/rasa/main.py like `make shell`: the speed-up, and
# `rasa shell|run` start without library deprecation notices. PYTHONWARNINGS cannot do that
# (sanic and Rasa put their own filters in front of it), and a .pth or sitecustomize would
# run in every Python of the venv, pytest too. A shell function reaches only the shell that
# sourced this script: scripts and tests run .venv/bin/rasa as before, so does
# `command rasa`; after `deactivate` its next call removes it and runs the `rasa` left.
RASA_MARK="# mkbscan: rasa wrapper"
sed -i "/$RASA_MARK/d" "$ACTIVATE"
echo 'rasa() { if [ -n "${VIRTUAL_ENV:-}" ]; then python -m mkbscan.rasa.main "$@";'\
' else unset -f rasa; command rasa "$@"; fi; }'" $RASA_MARK" >> "$ACTIVATE"

# The website widget's one dependency (socket.io-client from npm, served locally from
# web/node_modules): `npm ci` only when web/package-lock.json changed since the last install.
WEB_STAMP="web/node_modules/.deps-$(stamp_of web/package-lock.json)"
if [ -f "$WEB_STAMP" ] && [ -f web/node_modules/socket.io-client/dist/socket.io.min.js ]; then
  say "chat widget up to date"
elif command -v npm >/dev/null 2>&1; then
  say "installing the chat widget (npm ci in web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  touch "$WEB_STAMP"
else
  say "npm not found: no chat widget (install Node.js and npm, e.g. 'apt-get install npm')"
fi

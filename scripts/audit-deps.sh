#!/usr/bin/env bash
# Dependency audit, for the report only: pip-audit on requirements.lock. Never fails.
# pip-audit lives in its own tool venv (.venv-tools, created once, stamped by version) so
# it never touches the pinned .venv. It needs a vulnerability database on the network
# (PyPI's JSON API, else OSV); when neither answers it says so loudly instead of
# reporting "no known vulnerabilities". Writes docs/dependency-audit.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
PIP_AUDIT_VERSION=2.10.1
TOOLS=.venv-tools
OUT=docs/dependency-audit.txt
STAMP="$TOOLS/.pip-audit-$PIP_AUDIT_VERSION"
say() { printf '[audit] %s\n' "$*"; }

if [ ! -f "$STAMP" ]; then
  PY=""
  for candidate in python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      PY=$(command -v "$candidate"); break
    fi
  done
  if [ -z "$PY" ]; then
    say "AUDIT NOT RUN: no Python >= 3.9 with venv for the tool venv"; exit 0
  fi
  say "installing pip-audit $PIP_AUDIT_VERSION into $TOOLS (once)"
  rm -rf "$TOOLS"
  if ! "$PY" -m venv "$TOOLS" \
     || ! "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check \
          "pip-audit==$PIP_AUDIT_VERSION" >/dev/null 2>&1; then
    say "AUDIT NOT RUN: could not install pip-audit $PIP_AUDIT_VERSION (PyPI unreachable?)"
    exit 0
  fi
  touch "$STAMP"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for service in pypi osv; do
  timeout 300 "$TOOLS/bin/pip-audit" -r requirements.lock --no-deps --disable-pip \
    --progress-spinner off --desc on -s "$service" -f json -o "$WORK/$service.json" \
    >"$WORK/$service.log" 2>&1
  echo "$?" >"$WORK/$service.rc"
done
"$TOOLS/bin/python" scripts/audit_report.py "$WORK" "$PIP_AUDIT_VERSION" "$OUT" \
  || say "AUDIT NOT RUN: the report could not be written"
exit 0

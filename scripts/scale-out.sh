#!/usr/bin/env bash
# Several Rasa and action servers behind nginx, with PostgreSQL and a Redis lock store, on
# this machine's loopback (docs/deploy.md). Needs: apt-get install -y nginx redis-server postgresql
#   scripts/scale-out.sh start    start in the background, print the load balancer URL
#   scripts/scale-out.sh status   show every component (exit 1 when one is down)
#   scripts/scale-out.sh stop     stop everything start started
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS=ignore::DeprecationWarning
export SPACY_MODEL="${SPACY_MODEL:-$(cat .spacy/selected)}"
exec .venv/bin/python -m devtools.scaleout "${1:-status}"

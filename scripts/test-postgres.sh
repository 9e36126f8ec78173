#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server on 127.0.0.1 for the tests.
# `eval "$(bash scripts/test-postgres.sh start)"` exports TEST_POSTGRES_URL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
DATA=${TEST_PG_DATA:-/tmp/mkbscan-test-pg}
PORT=${TEST_PG_PORT:-55432}
RUN_AS=()
[ "$(id -u)" = 0 ] && RUN_AS=(runuser -u postgres --)

case "${1:-start}" in
  start)
    [ -n "$PGBIN" ] || { echo "echo 'PostgreSQL is not installed' >&2"; exit 1; }
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres "$DATA"
      "${RUN_AS[@]}" "$PGBIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
    fi
    if ! "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    for db in leads_test tracker_test; do
      "${RUN_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
        || "${RUN_AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$db"
    done
    echo "export TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$PORT/leads_test"
    echo "export TEST_POSTGRES_TRACKER_URL=postgresql://postgres@127.0.0.1:$PORT/tracker_test"
    echo "export TEST_PG_BIN=$PGBIN TEST_PG_DATA=$DATA TEST_PG_PORT=$PORT"
    ;;
  stop)
    [ -f "$DATA/PG_VERSION" ] && "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null
    ;;
esac

#!/usr/bin/env bash
# Database restart drill: PostgreSQL restarted for real while clients call the API through gunicorn; what
# they saw is summed up at the end (docs/operations.md, "Failures and recovery").
#
# Run it only where you may restart PostgreSQL: no other test run or service may use that server. On the
# shared build machine others do; there, tests/test_resilience.py drops this test database's connections
# instead and cuts a link of its own to the server.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_drill bench/restart_drill.sh
#
# Environment: DATABASE_URL (required; the database is created, migrated and given the demo data),
# DURATION=20 seconds of load, RESTART_AT=5 seconds into it, PORT=8765, WORKERS=3 gunicorn workers,
# CLUSTER="<version> main" (default: the first cluster in /etc/postgresql), RESTART=yes (no: the same
# load without the restart, for comparison), LOAD=curl (one client in a loop) or wrk (if installed).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to a database the drill may use}"
DURATION="${DURATION:-20}"
RESTART_AT="${RESTART_AT:-5}"
PORT="${PORT:-8765}"
WORKERS="${WORKERS:-3}"
RESTART="${RESTART:-yes}"
LOAD="${LOAD:-curl}"
CLUSTER="${CLUSTER:-$(ls /etc/postgresql 2>/dev/null | head -n 1) main}"
PY=.venv/bin/python
export DATABASE_URL
unset REDIS_URL  # the drill is about the database: tasks run in-process, the cache is local
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
now() { date +%s.%N; }

echo "== database ${DATABASE_URL##*/} (cluster: $CLUSTER)"
server="${DATABASE_URL%/*}/postgres"
dbname="${DATABASE_URL##*/}"
if ! psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname='${dbname}'" | grep -q 1; then
  psql "$server" -qc "CREATE DATABASE \"${dbname}\""
fi
$PY manage.py migrate --noinput >/dev/null
$PY manage.py seed_demo >/dev/null
key="$($PY manage.py issue_api_token rcmp.analyst --read-only --days 1 --name "restart drill" | tail -n 1)"
url="http://127.0.0.1:$PORT/api/v1/cases/"

echo "== gunicorn on port $PORT, $WORKERS workers (persistent connections, health-checked)"
$PY -m gunicorn portal.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 30 \
  >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
pids+=("$gunicorn_pid")
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz" && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$PORT/readyz"

start="$(now)"
end=$(( $(date +%s) + DURATION ))
# /readyz twice a second: how long the portal said it was not ready.
( while [ "$(date +%s)" -lt "$end" ]; do
    echo "$(now) $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/readyz")"
    sleep 0.5
  done ) >"$work/readyz.log" &
pids+=("$!")
: >"$work/restart.log"
if [ "$RESTART" = yes ]; then
  # shellcheck disable=SC2086 # CLUSTER is "<version> <name>": two words
  ( sleep "$RESTART_AT"; echo "$(now) restarting" >>"$work/restart.log"
    pg_ctlcluster --skip-systemctl-redirect $CLUSTER restart
    echo "$(now) restarted" >>"$work/restart.log" ) &
  pids+=("$!")
fi

echo "== load: $LOAD for ${DURATION}s, PostgreSQL restart: $RESTART (at ${RESTART_AT}s)"
if [ "$LOAD" = wrk ]; then
  wrk -t2 -c8 -d"${DURATION}s" --latency -H "Authorization: Token $key" "$url" | tee "$work/wrk.txt"
else
  while [ "$(date +%s)" -lt "$end" ]; do
    at="$(now)"
    echo "$at $(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 \
      -H "Authorization: Token $key" "$url")"
  done >"$work/requests.log"
fi
sleep 1  # the last /readyz poll and the restart finish

echo "== what the clients saw (times in seconds from the start of the load)"
awk -v t0="$start" '{printf "PostgreSQL %s at +%.1f\n", $2, $1 - t0}' "$work/restart.log"
if [ -s "$work/requests.log" ]; then
  awk -v t0="$start" '
    { n++; code[$2]++; if ($2 != "200") { bad++; if (!first) first = $1; last = $1 } if ($3 > slowest) slowest = $3 }
    END {
      printf "requests: %d", n; for (c in code) printf ", %s: %d", (c == "000" ? "no answer" : c), code[c]; print ""
      if (bad) printf "failed: %d, from +%.1f to +%.1f\n", bad, first - t0, last - t0; else print "failed: none"
      printf "slowest: %.2f s\n", slowest
    }' "$work/requests.log"
fi
awk -v t0="$start" '$2 != "200" { n++; if (!first) first = $1; last = $1 }
  END { if (n) printf "/readyz not ready: %d polls, from +%.1f to +%.1f\n", n, first - t0, last - t0;
        else print "/readyz: ready throughout" }' "$work/readyz.log"
if kill -0 "$gunicorn_pid" 2>/dev/null; then echo "gunicorn: still running, never restarted"; fi
echo "logs: $work"

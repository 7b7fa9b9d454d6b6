#!/usr/bin/env bash
# Load test: the production server (`mentora serve`: gunicorn) + PostgreSQL + the design-scale demo,
# production settings behind a (simulated) TLS-terminating proxy, 50 logged-in people of every role for
# 5 minutes. Prints p50/p95/p99 per page kind, the steady state and sign-in apart, errors, the machine's
# load and CPU; exits non-zero if a request failed or the steady state misses p95 < 300 ms, p99 < 1 s.
# Stops everything it started (server, worker, locust) and drops its throwaway database on any exit.
# See README.md.
#
#   bash bench/load/run.sh                                   # the full run (about 9 minutes)
#   REUSE_DB=mentora_perf bash bench/load/run.sh             # on a database already holding the demo
#   MENTEES=2000 MENTORS=500 DURATION=1m USERS=10 bash bench/load/run.sh   # a quick try
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PG=${PG:-postgres://postgres@127.0.0.1:5432}
REUSE_DB=${REUSE_DB:-}   # name of a database that already holds the demo: kept, not dropped
DB=${REUSE_DB:-mentora_load_$$}
# A free port unless PORT says which: never a server someone else left running on the usual one.
PORT=${PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-5m}
MENTEES=${MENTEES:-50000}
MENTORS=${MENTORS:-12000}
CORES=$(nproc)
WORKERS=${WORKERS:-$(( CORES * 2 + 1 ))}   # gunicorn processes
THREADS=${THREADS:-1}                      # threads per process: 1 is gunicorn's sync worker, as deploy/mentora-web.service
WORKER=${WORKER:-1}                        # 1: the background worker runs beside the web server, as in production
OUT=${OUT:-var/load}
[ -x "$VENV/bin/locust" ] || "$VENV/bin/pip" install --quiet "locust>=2.30"   # the bench extra of pyproject.toml
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
SERVER="" BACKGROUND="" LOCUST=""

export PYTHONPATH=src MENTORA_ENV=production SECRET_KEY="load-test-$(head -c 48 /dev/urandom | base64 | tr -d "=+/")" \
       ALLOWED_HOSTS=127.0.0.1,localhost MENTORA_SITE_URL="https://127.0.0.1:$PORT" DATABASE_URL="$PG/$DB" \
       MENTORA_VAR_DIR="$WORK" FORWARDED_ALLOW_IPS=127.0.0.1 MENTORA_TRUSTED_PROXY_COUNT=1 \
       MENTORA_MFA_REQUIRED_ROLES="" \
       EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
# (the demo people have no authenticator app; the worker's notification emails go nowhere: no mail server here)
stop() {  # stop() PID: SIGTERM, then SIGKILL after 20 s
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  set +e
  for pid in $LOCUST $BACKGROUND $SERVER; do stop "$pid"; done
  wait 2>/dev/null
  [ -n "$REUSE_DB" ] || "$PY" - <<PYEOF
import psycopg
with psycopg.connect("$PG/postgres", autocommit=True) as c:
    c.execute('DROP DATABASE IF EXISTS "$DB" WITH (FORCE)')
PYEOF
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $CORES cores"; }
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }  # busy and total jiffies

[ -n "$REUSE_DB" ] || "$PY" - <<PYEOF
import psycopg
with psycopg.connect("$PG/postgres", autocommit=True) as c:
    c.execute('CREATE DATABASE "$DB"')
PYEOF
echo "== migrate, cache table, static files"
"$PY" -m mentora.cli migrate -v0
"$PY" -m mentora.cli createcachetable
"$PY" -m mentora.cli collectstatic --no-input -v0
echo "== demo network: $MENTEES mentees, $MENTORS mentors ($(load))"
if [ -z "$REUSE_DB" ]; then
  # At 50,000 mentees the design's density too: two and a half years of meetings, fuller learning plans.
  DENSITY=""; [ "$MENTEES" = 50000 ] && DENSITY="--design-scale"
  /usr/bin/time -f "demo load: %e s wall, %U s user + %S s system CPU (the database server's CPU not counted)" \
    "$PY" -m mentora.cli demo --allow-production --no-progress --mentees "$MENTEES" --mentors "$MENTORS" $DENSITY
  load
else
  echo "(reusing the demo in $REUSE_DB)"
fi
"$PY" -m mentora.cli check --deploy --fail-level WARNING
"$PY" bench/load/prepare.py "$WORK/logins.json"
"$PY" - <<PYEOF   # fresh planner statistics, as autovacuum would have them on a live database
import psycopg
with psycopg.connect("$PG/$DB", autocommit=True) as c:
    c.execute("VACUUM ANALYZE")
PYEOF

echo "== mentora serve: gunicorn, $WORKERS processes x $THREADS threads on 127.0.0.1:$PORT"
# `mentora serve` execs gunicorn (so \$! is gunicorn's master); GUNICORN_CMD_ARGS adds the threads and logs.
GUNICORN_CMD_ARGS="--threads $THREADS --access-logfile $OUT/access.log --error-logfile $OUT/gunicorn.log \
--access-logformat '%(m)s %(U)s %(s)s %(M)s'" \
  "$PY" -m mentora.cli serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" &
SERVER=$!
if [ "$WORKER" = 1 ]; then
  nice -n 10 "$PY" -m mentora.cli worker > "$OUT/worker.log" 2>&1 &   # Nice=10 as deploy/mentora-worker.service
  BACKGROUND=$!
fi
for _ in $(seq 120); do
  curl -fsS -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { echo "the server stopped; see $OUT/gunicorn.log"; exit 1; }
  sleep 1
done

echo "== locust: $USERS people for $DURATION ($(load))"
read -r BUSY0 TOTAL0 < <(busy)
MENTORA_LOAD_LOGINS="$WORK/logins.json" MENTORA_LOAD_RAW="$OUT/requests.csv" "$VENV/bin/locust" \
  -f bench/load/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/result" --only-summary --stop-timeout 10 > "$OUT/locust.log" 2>&1 &
LOCUST=$!
wait "$LOCUST" || true
LOCUST=""
read -r BUSY1 TOTAL1 < <(busy)
echo "== results (raw: $OUT/requests.csv; server log: $OUT/gunicorn.log)"
echo "at the end: $(load); the whole machine was $(( 100 * (BUSY1 - BUSY0) / (TOTAL1 - TOTAL0 + 1) ))% busy during the run"
"$PY" - "$SERVER" <<'PYEOF' || true
import sys, psutil
master = psutil.Process(int(sys.argv[1]))
processes = [master, *master.children(recursive=True)]
cpu = sum(p.cpu_times().user + p.cpu_times().system for p in processes)
print(f"web server CPU: {cpu:.1f} s over {len(processes) - 1} processes")
PYEOF
"$PY" bench/load/summarize.py "$OUT/requests.csv"

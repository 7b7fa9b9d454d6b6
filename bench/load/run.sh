#!/usr/bin/env bash
# Load test: gunicorn + PostgreSQL + the design-scale demo, production settings behind a (simulated)
# TLS-terminating proxy, 50 logged-in people of every role for 5 minutes. See README.md.
#
#   bash bench/load/run.sh                      # full run: 50,000 mentees, 12,000 mentors, 5 minutes
#   MENTEES=2000 MENTORS=500 DURATION=1m bash bench/load/run.sh   # a quick try
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PG=${PG:-postgres://postgres@127.0.0.1:5432}
REUSE_DB=${REUSE_DB:-}   # name of a database that already holds the design-scale demo: kept, not dropped
DB=${REUSE_DB:-mentora_load_$$}
PORT=${PORT:-8765}
USERS=${USERS:-50}
DURATION=${DURATION:-5m}
MENTEES=${MENTEES:-50000}
MENTORS=${MENTORS:-12000}
WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
OUT=${OUT:-var/load}
[ -x "$VENV/bin/locust" ] || "$VENV/bin/pip" install --quiet -e '.[bench]'   # locust, the bench extra
mkdir -p "$OUT"
WORK=$(mktemp -d)

export PYTHONPATH=src MENTORA_ENV=production SECRET_KEY="load-test-$(head -c 48 /dev/urandom | base64 | tr -d "=+/")" \
       ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL="$PG/$DB" MENTORA_VAR_DIR="$WORK" \
       FORWARDED_ALLOW_IPS=127.0.0.1 MENTORA_TRUSTED_PROXY_COUNT=1 \
       MENTORA_MFA_REQUIRED_ROLES=""   # the demo people have no authenticator app
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "$REUSE_DB" ] || "$PY" - <<PYEOF || true
import psycopg
with psycopg.connect("$PG/postgres", autocommit=True) as c:
    c.execute('DROP DATABASE IF EXISTS "$DB" WITH (FORCE)')
PYEOF
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -n "$REUSE_DB" ] || "$PY" - <<PYEOF
import psycopg
with psycopg.connect("$PG/postgres", autocommit=True) as c:
    c.execute('CREATE DATABASE "$DB"')
PYEOF
echo "== migrate, cache table, static files"
"$PY" -m mentora.cli migrate -v0
"$PY" -m mentora.cli createcachetable
"$PY" -m mentora.cli collectstatic --no-input -v0
echo "== demo network: $MENTEES mentees, $MENTORS mentors"
if [ -z "$REUSE_DB" ]; then
  # At 50,000 mentees the design's density too: two and a half years of meetings, fuller learning plans.
  DENSITY=""; [ "$MENTEES" = 50000 ] && DENSITY="--design-scale"
  /usr/bin/time -f "demo load: %e s" "$PY" -m mentora.cli demo --allow-production --mentees "$MENTEES" \
    --mentors "$MENTORS" $DENSITY
else
  echo "(reusing the demo in $REUSE_DB)"
fi
"$PY" -m mentora.cli check --deploy --fail-level WARNING
"$PY" bench/load/prepare.py "$WORK/logins.json"

echo "== gunicorn with $WORKERS workers on 127.0.0.1:$PORT"
"$VENV/bin/gunicorn" mentora.config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --forwarded-allow-ips "$FORWARDED_ALLOW_IPS" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
SERVER=$!
for _ in $(seq 60); do curl -fsS -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && break; sleep 1; done

echo "== locust: $USERS people for $DURATION"
MENTORA_LOAD_LOGINS="$WORK/logins.json" "$VENV/bin/locust" -f bench/load/locustfile.py --headless \
  -u "$USERS" -r 5 -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/result" --only-summary \
  --stop-timeout 10 > "$OUT/locust.log" 2>&1 || true
echo "== results ($OUT/result_stats.csv)"
"$PY" bench/load/summarize.py "$OUT/result"

#!/usr/bin/env bash
# Measures a mailing: queued by the server's scheduler, delivered over SMTP to a local sink,
# while wrk loads the home page.
#
#   bench/mail.sh           build in release mode, seed, measure, print the figures and write
#                           them into bench/RESULTS.md (the "Mail" section; bench/run.sh keeps it)
#
# Environment: BENCH_BIN (binaries already built), BENCH_MAIL_SUPPORTERS (20000: every other one
# takes email news, so the mailing has 10,000 recipients), BENCH_MAIL_RATE (COMMONS_MAIL_RATE,
# default 10000), BENCH_DURATION (seconds of each wrk run, default 10), BENCH_CONNECTIONS (32),
# BENCH_PYTHON (a Python with aiosmtpd; otherwise one is made in a virtualenv).
# The app runs on core 0; wrk and the SMTP sink share core 1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
SUPPORTERS=${BENCH_MAIL_SUPPORTERS:-20000}
RATE=${BENCH_MAIL_RATE:-10000}
APP_PORT=18090
SMTP_PORT=18025
bench_need wrk taskset curl python3
bench_binaries commons bench-seed

WORK=$(mktemp -d /tmp/commons-mailbench.XXXXXX)
APP_PID=""
SINK_PID=""
cleanup() {
  [ -n "${BENCH_KEEP:-}" ] && cp "$WORK/app.log" /tmp/mailbench-app.log
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

PYTHON=${BENCH_PYTHON:-}
if [ -z "$PYTHON" ]; then
  python3 -m venv "$WORK/venv" >&2
  "$WORK/venv/bin/pip" install -q aiosmtpd >&2
  PYTHON=$WORK/venv/bin/python
fi

export COMMONS_DATA_DIR="$WORK/data" COMMONS_DEMO=1 COMMONS_FORM_RATE_LIMIT=0
export COMMONS_BASE_URL="http://127.0.0.1:$APP_PORT"
unset DATABASE_URL
# The mailing falls due once the app has started and the baseline run is over.
DUE_IN=$((DURATION + 25))
echo "bench: seeding $SUPPORTERS supporters and a mailing due in $DUE_IN s" >&2
LOG_LEVEL=warning "$BIN/bench-seed" 0 "$SUPPORTERS" "$DUE_IN" >&2
SEEDED=$(date +%s)
RECIPIENTS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from supporters where email_opt_in').fetchone()[0])" "$COMMONS_DATA_DIR/commons.sqlite")

taskset -c 1 "$PYTHON" -u bench/smtp-sink.py "$SMTP_PORT" "$WORK/sink.json" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 50); do grep -q ready "$WORK/sink.log" 2>/dev/null && break; sleep 0.1; done

COMMONS_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" COMMONS_MAIL_FROM="CEJ <news@example.org>" COMMONS_MAIL_RATE=$RATE LOG_LEVEL=notice \
  bench_start_app "$APP_PORT" "$WORK/app.log"

load() { taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${1}s" --latency -s bench/report.lua "http://127.0.0.1:$APP_PORT/" | grep '^RESULT'; }
sunk() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]] or 0)" "$WORK/sink.json" "$1"; }

load 2 >/dev/null # warm-up
read -r _ BASE_RPS _ BASE_P99 _ < <(load "$DURATION")
echo "bench: home page before the mailing: $BASE_RPS req/s, p99 $BASE_P99 ms" >&2
[ "$(sunk count)" -eq 0 ] || { echo "bench: the mailing started before the baseline run ended; raise DUE_IN" >&2; exit 1; }

for _ in $(seq 1 6000); do grep -q "Mail queued" "$WORK/app.log" && break; sleep 0.1; done
QUEUED_LINE=$(grep -m1 "Mail queued" "$WORK/app.log") || { echo "bench: the mailing was not queued" >&2; cat "$WORK/app.log" >&2; exit 1; }
QUEUE_TOOK=$(printf '%s\n' "$QUEUED_LINE" | sed -E 's/.*took=([0-9.e+-]+) seconds.*/\1/')
QUEUED=$(printf '%s\n' "$QUEUED_LINE" | sed -E 's/.*messages=([0-9]+).*/\1/')

read -r _ LOAD_RPS _ LOAD_P99 LOAD_ERRORS < <(load "$DURATION")
DURING=$(sunk count)
LOAD_ENDED=$(python3 -c "import time; print(time.time())")
echo "bench: home page during the mailing: $LOAD_RPS req/s, p99 $LOAD_P99 ms ($DURING messages delivered by then)" >&2

for _ in $(seq 1 6000); do [ "$(sunk count)" -ge "$QUEUED" ] && break; sleep 0.1; done
sleep 0.5
DELIVERED=$(sunk count)
FIRST=$(sunk first)
LAST=$(sunk last)
PEAK_RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
OVERALL=$(awk -v n="$DELIVERED" -v a="$FIRST" -v b="$LAST" 'BEGIN { printf "%.0f", (b > a ? (n - 1) / (b - a) : 0) }')
ALONE=$(awk -v n="$DELIVERED" -v d="$DURING" -v a="$LOAD_ENDED" -v b="$LAST" 'BEGIN { printf "%.0f", (b > a && n > d ? (n - d) / (b - a) : 0) }')
UNDER_LOAD=$(awk -v d="$DURING" -v a="$FIRST" -v b="$LOAD_ENDED" 'BEGIN { printf "%.0f", (b > a ? d / (b - a) : 0) }')
QUEUE_MS=$(awk -v s="$QUEUE_TOOK" 'BEGIN { printf "%.0f", s * 1000 }')

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT (with local changes)"
SECTION=$(
  echo "<!-- mail: written by bench/mail.sh; bench/run.sh keeps this section -->"
  echo "## Mail"
  echo
  echo "Written by \`bench/mail.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT; $(nproc) cores."
  echo "A mailing to every supporter who takes email news ($RECIPIENTS of $SUPPORTERS), queued by the"
  echo "server's scheduler and sent over one SMTP connection to a local aiosmtpd sink (core 1), with"
  echo "\`COMMONS_MAIL_RATE=$RATE\`; the app on core 0, SQLite with synchronous=FULL. During the"
  echo "second wrk run ($CONNECTIONS connections, ${DURATION} s, core 1) the mailing was going."
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| messages queued (composed, sealed and committed a thousand to a transaction) | $QUEUED |"
  echo "| time to queue them | $QUEUE_MS ms |"
  echo "| messages delivered | $DELIVERED |"
  echo "| delivery, messages/s while nothing else runs | $ALONE |"
  echo "| delivery, messages/s while wrk loads the home page | $UNDER_LOAD |"
  echo "| delivery, messages/s over the whole mailing | $OVERALL |"
  echo "| home page before the mailing: req/s, p99 ms | $BASE_RPS, $BASE_P99 |"
  echo "| home page during the mailing: req/s, p99 ms | $LOAD_RPS, $LOAD_P99 |"
  echo "| errors on the home page during the mailing | $LOAD_ERRORS |"
  echo "| peak RSS of the app (VmHWM) | $((PEAK_RSS_KB / 1024)) MB |"
  echo "<!-- /mail -->"
)
printf '%s\n' "$SECTION"
python3 bench/results-section.py mail "$SECTION"
[ "$DELIVERED" -eq "$QUEUED" ] || { echo "bench: $DELIVERED of $QUEUED messages delivered" >&2; exit 1; }

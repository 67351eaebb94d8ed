#!/usr/bin/env bash
# Measures what a crowd of slow connections does to everyone else:
#   1. fast clients alone (wrk, 32 connections, the home page);
#   2. the same while 1,000 slow readers (bench/slow-readers.py: spread over 50 loopback
#      addresses, each asking for the home page and reading 64 bytes a second through a 4 KB
#      window) hold connections open, with the app's resident memory sampled throughout, and
#      how many of them the server still held after its idle time;
#   3. wrk at 1,000 connections from one address, with the per-client limit lifted.
#
#   bench/crowd.sh          build in release mode, measure, print and write the "crowd" section
#                           of bench/RESULTS.md
#
# Environment: BENCH_BIN (binaries already built), BENCH_DURATION (10 s per wrk run),
# BENCH_CROWD (1000). The app is on core 0, wrk and the crowd on core 1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${BENCH_DURATION:-10}
CROWD=${BENCH_CROWD:-1000}
PORT=18092

bench_need wrk taskset curl python3
bench_binaries commons
WORK=$(mktemp -d /tmp/commons-crowd.XXXXXX)
APP_PID=""
CROWD_PID=""
cleanup() {
  [ -n "$CROWD_PID" ] && kill "$CROWD_PID" 2>/dev/null
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 20000 2>/dev/null || true
export COMMONS_DATA_DIR="$WORK/data" COMMONS_DEMO=1 LOG_LEVEL=warning COMMONS_BASE_URL="http://127.0.0.1:$PORT"
unset DATABASE_URL

start_app() {
  bench_start_app "$PORT" "$WORK/app.log"
  for _ in 1 2 3; do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/"; done
}
stop_app() { kill "$APP_PID" && wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }
# "RESULT rps p50 p99 errors" from bench/report.lua.
fast() { taskset -c 1 wrk -t1 -c"$1" -d"${DURATION}s" --latency -s bench/report.lua "http://127.0.0.1:$PORT/" | awk '/^RESULT/ { print $2, $3, $4, $5 }'; }
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$APP_PID/status"; }

start_app
read -r ALONE_RPS ALONE_P50 ALONE_P99 ALONE_ERR <<<"$(fast 32)"
RSS_BEFORE=$(rss)

# The crowd holds its connections for twice the run plus the server's 15 s idle time.
HOLD=$((DURATION * 2 + 20))
taskset -c 1 python3 bench/slow-readers.py "$PORT" / "$CROWD" "$HOLD" 20 >"$WORK/crowd.out" &
CROWD_PID=$!
CROWD_START=$SECONDS
sleep 3
OPEN=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
PEAK=$(rss)
( while kill -0 "$CROWD_PID" 2>/dev/null; do r=$(rss); [ "$r" -gt "$(cat "$WORK/peak" 2>/dev/null || echo 0)" ] && echo "$r" >"$WORK/peak"; sleep 0.5; done ) &
SAMPLER=$!
read -r CROWD_RPS CROWD_P50 CROWD_P99 CROWD_ERR <<<"$(fast 32)"
# Past the idle time, the server's side of each connection whose answer was written has closed
# (the crowd sees it only once it has read everything before it).
sleep $((HOLD - 3 - (SECONDS - CROWD_START)))
OPEN_LATE=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
wait "$CROWD_PID" || true
CROWD_PID=""
wait "$SAMPLER" 2>/dev/null || true
PEAK=$(cat "$WORK/peak" 2>/dev/null || echo "$PEAK")
CROWD_LINE=$(cat "$WORK/crowd.out")
stop_app

export COMMONS_MAX_CONNECTIONS_PER_CLIENT=0
start_app
read -r WIDE_RPS WIDE_P50 WIDE_P99 WIDE_ERR <<<"$(fast 1000)"
WIDE_RSS=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$APP_PID/status")
stop_app

SECTION=$(
  echo "<!-- crowd: written by bench/crowd.sh; bench/run.sh keeps this section -->"
  echo "## A crowd of slow connections"
  echo
  echo "Written by \`bench/crowd.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD); $(nproc) cores."
  echo "The home page (demo content, page cache on); the app (release build) on core 0, wrk (one thread, ${DURATION} s) and the crowd on core 1."
  echo "The crowd: $CROWD connections over $((CROWD / 20)) loopback addresses (20 each, under the per-client limit of 64), each asking for the home page"
  echo "and reading 64 bytes a second through a 4 KB receive window, held for ${HOLD} s. The server held $OPEN established connections 3 s in"
  echo "and $OPEN_LATE at $((HOLD - 3)) s (past its 15 s idle time it closes its side of a connection whose answer is written)."
  echo
  echo "| run | req/s | p50 ms | p99 ms | errors | app RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| 32 fast clients alone | $ALONE_RPS | $ALONE_P50 | $ALONE_P99 | $ALONE_ERR | $RSS_BEFORE |"
  echo "| 32 fast clients beside the crowd | $CROWD_RPS | $CROWD_P50 | $CROWD_P99 | $CROWD_ERR | $PEAK (peak) |"
  echo "| 1,000 fast connections from one address (limit lifted) | $WIDE_RPS | $WIDE_P50 | $WIDE_P99 | $WIDE_ERR | $WIDE_RSS (peak) |"
  echo
  echo "The crowd's own count: \`$CROWD_LINE\`."
  echo "<!-- /crowd -->"
)
echo "$SECTION"
python3 bench/results-section.py crowd "$SECTION"

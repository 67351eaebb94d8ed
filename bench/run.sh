#!/usr/bin/env bash
# Measures Commons side by side with nginx serving the same bytes, and the sign-up write path
# on SQLite and on PostgreSQL.
#
#   bench/run.sh            build in release mode, seed, measure, print the table and write bench/RESULTS.md
#
# Environment: BENCH_BIN (use binaries already built there instead of building), BENCH_DURATION (seconds per run, default 10), BENCH_CONNECTIONS (default 32),
# BENCH_POSTS (1000), BENCH_SUPPORTERS (10000). Each figure is the median of 3 runs. The app
# and nginx are pinned to core 0 and wrk to core 1 (taskset), one nginx worker, one wrk thread;
# pinned to one CPU the app runs one event loop (`EventLoops.matchAffinity`). Shared steps are
# in bench/lib.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
POSTS=${BENCH_POSTS:-1000}
SUPPORTERS=${BENCH_SUPPORTERS:-10000}
RUNS=3
APP_PORT=18080
NGINX_PORT=18081

bench_need nginx wrk taskset curl python3
bench_binaries commons bench-seed

WORK=$(mktemp -d /tmp/commons-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID=""
NGINX_PID=""
PG_APP_PID=""
PG_STARTED=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -n "$PG_APP_PID" ] && kill "$PG_APP_PID" 2>/dev/null && wait "$PG_APP_PID" 2>/dev/null
  [ -n "$PG_STARTED" ] && as_pg "'$PG_BIN/pg_ctl' -D '$WORK/pg/data' -m fast stop" >/dev/null 2>&1
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

export COMMONS_DATA_DIR="$WORK/data" COMMONS_DEMO=1 COMMONS_FORM_RATE_LIMIT=0 LOG_LEVEL=warning
export COMMONS_BASE_URL="http://127.0.0.1:$APP_PORT"
unset DATABASE_URL
echo "bench: seeding $POSTS posts and $SUPPORTERS supporters" >&2
"$BIN/bench-seed" "$POSTS" "$SUPPORTERS" >&2

bench_start_app "$APP_PORT" "$WORK/app.log"

# The same bytes for nginx: what the app answers for each page.
POST_PATH=/news/generated-update-$(( (POSTS + 1) / 2 ))
mkdir -p "$WORK/www"
curl -fsS "http://127.0.0.1:$APP_PORT/" -o "$WORK/www/home.html"
curl -fsS "http://127.0.0.1:$APP_PORT/news/page/3" -o "$WORK/www/news.html"
curl -fsS "http://127.0.0.1:$APP_PORT$POST_PATH" -o "$WORK/www/post.html"
curl -fsS "http://127.0.0.1:$APP_PORT/feed" -o "$WORK/www/feed.xml"
chmod -R a+rX "$WORK/www"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    types {}
    location = / { default_type "text/html; charset=utf-8"; try_files /home.html =404; }
    location = /news/page/3 { default_type "text/html; charset=utf-8"; try_files /news.html =404; }
    location = $POST_PATH { default_type "text/html; charset=utf-8"; try_files /post.html =404; }
    location = /feed { default_type "application/rss+xml; charset=utf-8"; try_files /feed.xml =404; }
  }
}
CONF
taskset -c 0 nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
bench_wait "http://127.0.0.1:$NGINX_PORT/" 50 || true
cmp -s "$WORK/www/home.html" <(curl -fsS "http://127.0.0.1:$NGINX_PORT/") || { echo "bench: nginx does not serve the same bytes" >&2; cat "$WORK/nginx-error.log" >&2; exit 1; }

# wrk on core 1, one thread; prints "RESULT rps p50 p99 errors".
load() { # URL SCRIPT SECONDS [SCRIPT-ARGUMENT]
  local url=$1 script=$2 seconds=$3
  if [ $# -ge 4 ]; then
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$script" "$url" -- "$4"
  else
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$script" "$url"
  fi
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A RPS P50 P99 P99WORST ERR
measure() { # NAME URL
  local name=$1 url=$2 lines=""
  load "$url" bench/report.lua 2 >/dev/null # warm-up
  for _ in $(seq 1 $RUNS); do
    lines+=$(load "$url" bench/report.lua "$DURATION" | grep '^RESULT')$'\n'
  done
  RPS[$name]=$(printf '%s' "$lines" | awk '{ print $2 }' | median)
  P50[$name]=$(printf '%s' "$lines" | awk '{ print $3 }' | median)
  P99[$name]=$(printf '%s' "$lines" | awk '{ print $4 }' | median)
  P99WORST[$name]=$(printf '%s' "$lines" | awk '{ print $4 }' | sort -g | tail -n 1)
  ERR[$name]=$(printf '%s' "$lines" | awk '{ s += $5 } END { print s }')
  echo "bench: $name ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms" >&2
}

PAGES=("home:/" "news:/news/page/3" "post:$POST_PATH" "feed:/feed")
for page in "${PAGES[@]}"; do
  name=${page%%:*} path=${page#*:}
  measure "app-$name" "http://127.0.0.1:$APP_PORT$path"
  measure "nginx-$name" "http://127.0.0.1:$NGINX_PORT$path"
done

# Sign-ups: fresh one-time tokens from the campaign page (for twice the run time, so a run
# lasts several seconds), then (after the form's minimum fill
# time) one sign-up per token, each a new supporter. Stored is counted in the database after.
count_sqlite_actions() {
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from actions').fetchone()[0])" "$COMMONS_DATA_DIR/commons.sqlite"
}
declare -A ACKED STORED REFUSED
signups() { # NAME PORT COUNT-FUNCTION
  local name=$1 url="http://127.0.0.1:$2/campaigns/sanctuary-schools" count=$3 lines="" before run tokens output acked refused
  ACKED[$name]=0
  REFUSED[$name]=0
  before=$($count)
  for run in $(seq 1 $RUNS); do
    tokens="$WORK/tokens-$name-$run.txt"
    : >"$tokens"
    load "$url" bench/harvest.lua "$((DURATION * 2))" "$tokens" >/dev/null
    sleep 3.5
    output=$(load "$url" bench/signup.lua "$DURATION" "$tokens")
    lines+=$(printf '%s\n' "$output" | grep '^RESULT')$'\n'
    read -r _ acked refused < <(printf '%s\n' "$output" | grep '^SIGNUPS')
    ACKED[$name]=$((ACKED[$name] + acked))
    REFUSED[$name]=$((REFUSED[$name] + refused))
    echo "bench: $name sign-up run $run: $(wc -l <"$tokens") tokens, $acked acknowledged, $refused refused" >&2
  done
  STORED[$name]=$(($($count) - before))
  RPS[$name]=$(printf '%s' "$lines" | awk '{ print $2 }' | median)
  P50[$name]=$(printf '%s' "$lines" | awk '{ print $3 }' | median)
  P99[$name]=$(printf '%s' "$lines" | awk '{ print $4 }' | median)
}
signups signup-sqlite "$APP_PORT" count_sqlite_actions

# The same on PostgreSQL: a throwaway cluster as .ci/run starts one, but durable as a
# production one is (fsync and synchronous_commit on, their defaults), and a second app on it.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/initdb" ] || { echo "bench: installing postgresql" >&2; apt-get install -y -qq postgresql >/dev/null; PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); }
PG_PORT=18082
PG_APP_PORT=18083
PG_USER=postgres
id "$PG_USER" >/dev/null 2>&1 || PG_USER=$(id -un)
as_pg() { if [ "$(id -u)" -eq 0 ]; then su "$PG_USER" -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
mkdir -p "$WORK/pg"
[ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$WORK/pg"
as_pg "'$PG_BIN/initdb' -D '$WORK/pg/data' -U commons --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
as_pg "taskset -c 0 '$PG_BIN/pg_ctl' -D '$WORK/pg/data' -l '$WORK/pg/server.log' -w -o \"-p $PG_PORT -k '$WORK/pg' -c listen_addresses=127.0.0.1 -c synchronous_commit=on\" start" >/dev/null
PG_STARTED=1
as_pg "'$PG_BIN/createdb' -h 127.0.0.1 -p $PG_PORT -U commons commons"
PG_URL="postgres://commons@127.0.0.1:$PG_PORT/commons"
COMMONS_DATA_DIR="$WORK/data-pg" DATABASE_URL="$PG_URL" taskset -c 0 "$BIN/commons" serve --port "$PG_APP_PORT" >"$WORK/app-pg.log" 2>&1 &
PG_APP_PID=$!
bench_wait "http://127.0.0.1:$PG_APP_PORT/healthz" 300
count_postgres_actions() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U commons -d commons -tAc 'select count(*) from actions'; }
signups signup-postgres "$PG_APP_PORT" count_postgres_actions
PG_PEAK_RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$PG_APP_PID/status")
PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')

PEAK_RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT (with local changes)"
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
MEMORY=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT."
  echo "Machine: $(nproc) cores ($CPU), $MEMORY; $(uname -sr); $(nginx -v 2>&1 | sed 's/.*: //')."
  echo "Data: demo content plus $POSTS posts and $SUPPORTERS supporters, SQLite with synchronous=FULL."
  echo "Load: wrk, 1 thread on core 1, $CONNECTIONS connections, ${DURATION} s per run; app and nginx (1 worker) on core 0."
  echo "Each figure is the median of $RUNS runs (\"worst run\": the highest of the $RUNS p99s); the app logs at \`warning\`, nginx without access log."
  echo
  echo "| page | Commons req/s | p50 ms | p99 ms | p99 ms, worst run | nginx req/s | p50 ms | p99 ms | Commons / nginx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for page in "${PAGES[@]}"; do
    name=${page%%:*} path=${page#*:}
    echo "| \`$path\` | ${RPS[app-$name]} | ${P50[app-$name]} | ${P99[app-$name]} | ${P99WORST[app-$name]} | ${RPS[nginx-$name]} | ${P50[nginx-$name]} | ${P99[nginx-$name]} | $(ratio "${RPS[app-$name]}" "${RPS[nginx-$name]}") |"
  done
  echo
  echo "| sign-ups to \`/campaigns/sanctuary-schools\` (POST, new supporter each) | acknowledged/s | p50 ms | p99 ms | acknowledged | stored | refused |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for engine in sqlite postgres; do
    name=signup-$engine
    label="SQLite, synchronous=FULL"
    [ "$engine" = postgres ] && label="PostgreSQL $PG_VERSION, fsync and synchronous_commit on"
    echo "| $label | ${RPS[$name]} | ${P50[$name]} | ${P99[$name]} | ${ACKED[$name]} | ${STORED[$name]} | ${REFUSED[$name]} |"
  done
  echo
  echo "Peak RSS of the app (VmHWM, whole run): $((PEAK_RSS_KB / 1024)) MB on SQLite, $((PG_PEAK_RSS_KB / 1024)) MB on PostgreSQL (sign-ups only)."
  errors=0
  for name in "${!ERR[@]}"; do errors=$((errors + ERR[$name])); done
  echo "Non-2xx/3xx answers or socket errors on the page runs: $errors."
} >"$WORK/results.md"
# The mail, scale and crowd sections, written by bench/mail.sh, bench/scale.sh and bench/crowd.sh, stay.
for section in mail scale crowd; do
  KEPT=$(sed -n "/^<!-- $section:/,/^<!-- \/$section -->/p" bench/RESULTS.md 2>/dev/null || true)
  [ -n "$KEPT" ] && printf '\n%s\n' "$KEPT" >>"$WORK/results.md"
done
tee bench/RESULTS.md <"$WORK/results.md"

#!/usr/bin/env bash
# Measures the staff side and the big pages at a coalition's size: 100,000 supporters and
# 10,000 posts (seeded through the same domain code as real sign-ups, so seeding takes minutes).
#
#   bench/scale.sh          build in release mode, seed, measure, print the figures and write
#                           them into bench/RESULTS.md (the "At a coalition's size" section)
#
# Environment: BENCH_BIN (binaries already built), BENCH_POSTS (10000), BENCH_SUPPORTERS (100000),
# BENCH_IMPORT_POSTS (5000: the WordPress export bench/wxr-generate.py writes and the import reads),
# BENCH_DATA (a data folder seeded before, kept between runs: seeding is skipped when it exists).
# Each time is the median of 5 requests (first requests, uncached, are reported apart). The
# server's peak resident memory is read from /proc (VmHWM) after the export.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
POSTS=${BENCH_POSTS:-10000}
SUPPORTERS=${BENCH_SUPPORTERS:-100000}
PORT=18090
PASSWORD="measuring-a-big-coalition-77"

bench_need taskset curl python3
bench_binaries commons bench-seed

WORK=$(mktemp -d /tmp/commons-scale.XXXXXX)
DATA=${BENCH_DATA:-$WORK/data}
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
# Admins need no second factor here: the script signs in with curl.
export COMMONS_DATA_DIR="$DATA" COMMONS_DEMO=1 COMMONS_FORM_RATE_LIMIT=0 LOG_LEVEL=warning COMMONS_REQUIRE_2FA=none
export COMMONS_BASE_URL="http://127.0.0.1:$PORT"
unset DATABASE_URL
if [ ! -f "$DATA/commons.sqlite" ]; then
  echo "scale: seeding $POSTS posts and $SUPPORTERS supporters" >&2
  "$BIN/bench-seed" "$POSTS" "$SUPPORTERS" >&2
fi
# The admin the script signs in as (already there when BENCH_DATA was seeded before).
echo "$PASSWORD" | "$BIN/commons" user add --email bench@example.org --role admin --password-stdin >/dev/null 2>&1 || true

bench_start_app "$PORT" "$WORK/app.log"
BASE="http://127.0.0.1:$PORT"
JAR="$WORK/cookies"
TOKEN=$(curl -fsS -c "$JAR" "$BASE/admin/login" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')
curl -fsS -b "$JAR" -c "$JAR" -o /dev/null -H "Origin: $BASE" \
  --data-urlencode "form_token=$TOKEN" --data-urlencode "email=bench@example.org" --data-urlencode "password=$PASSWORD" "$BASE/admin/login"

# Median of 5 requests, in milliseconds.
median() {
  local times=()
  for _ in 1 2 3 4 5; do times+=("$(curl -fsS -b "$JAR" -o /dev/null -w '%{time_total}' "$BASE$1")"); done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 * 1000 }'
}
first() { curl -fsS -b "$JAR" -o /dev/null -w '%{time_total}' "$BASE$1" | awk '{ printf "%.1f", $1 * 1000 }'; }

LIST=$(curl -fsS -b "$JAR" "$BASE/admin/supporters")
CAMPAIGN=$(echo "$LIST" | sed -n 's/.*<option value="\([0-9A-F-]\{36\}\)">Sanctuary.*/\1/p' | head -1)
TAG=$(echo "$LIST" | grep -o 'name="tag"[^§]*' | sed -n 's/.*<option value="\([a-z0-9-]\{2,\}\)".*/\1/p' | head -1)
SUMMARY=$(echo "$LIST" | grep -o '[0-9,]* supporters, page 1 of [0-9,]*' | head -1)
echo "scale: $SUMMARY; campaign $CAMPAIGN; tag ${TAG:-none}" >&2

# Each row goes to the terminal and to the table kept for bench/RESULTS.md.
row() { printf "$@" | tee -a "$WORK/table.md"; }
row '| measure | ms |\n|---|---:|\n'
row '| staff list, unfiltered (50 a page) | %s |\n' "$(median /admin/supporters)"
row '| staff list, page 1,000 | %s |\n' "$(median '/admin/supporters?page=1000')"
row '| staff list, by campaign | %s |\n' "$(median "/admin/supporters?campaign=$CAMPAIGN")"
[ -n "$TAG" ] && row '| staff list, by tag `%s` | %s |\n' "$TAG" "$(median "/admin/supporters?tag=$TAG")"
BEFORE=$(awk '/VmHWM/ { print $2 }' /proc/$APP_PID/status)
EXPORT_MS=$(first /admin/supporters/export.csv)
ROWS=$(curl -fsS -b "$JAR" "$BASE/admin/supporters/export.csv" | wc -l)
AFTER=$(awk '/VmHWM/ { print $2 }' /proc/$APP_PID/status)
row '| CSV export of everyone (%s lines) | %s |\n' "$ROWS" "$EXPORT_MS"
row '| server peak RSS before / after two exports (MB) | %s / %s |\n' "$((BEFORE / 1024))" "$((AFTER / 1024))"
row '| staff list, name search (name index, then its candidates opened) | %s |\n' "$(median '/admin/supporters?q=Number+99999')"
row '| server peak RSS after the name searches (MB) | %s |\n' "$(( $(awk '/VmHWM/ { print $2 }' /proc/$APP_PID/status) / 1024 ))"
row '| /sitemap.xml (index), first request | %s |\n' "$(first /sitemap.xml)"
row '| /sitemap-en.xml, first request (render) | %s |\n' "$(first /sitemap-en.xml)"
row '| /sitemap-en.xml, again (median of 5) | %s |\n' "$(median /sitemap-en.xml)"
row '| /news/page/500, first request (uncached) | %s |\n' "$(first /news/page/500)"
SEARCHES=()
for word in sanctuary parents schools budget union teachers funding bilingual reading mayor; do SEARCHES+=("$(first "/search?q=$word")"); done
row '| full-text search, first requests, median of 10 words | %s |\n' "$(printf '%s\n' "${SEARCHES[@]}" | sort -n | sed -n 5p)"

# A WordPress export of 5,000 posts and 500 attachments, imported into an empty site; the
# importer's peak resident memory is sampled from /proc every 0.2 s.
IMPORT_POSTS=${BENCH_IMPORT_POSTS:-5000}
python3 bench/wxr-generate.py "$WORK/export.xml" "$WORK/uploads" "$IMPORT_POSTS" 500
IMPORT_START=$(date +%s.%N)
COMMONS_DATA_DIR="$WORK/import-data" COMMONS_DEMO=0 taskset -c 0 "$BIN/commons" import wordpress "$WORK/export.xml" --uploads "$WORK/uploads" >"$WORK/import.log" 2>&1 &
IMPORT_PID=$!
PEAK=0
while kill -0 "$IMPORT_PID" 2>/dev/null; do
  RSS=$(awk '/VmRSS/ { print $2 }' "/proc/$IMPORT_PID/status" 2>/dev/null || echo 0)
  [ "${RSS:-0}" -gt "$PEAK" ] && PEAK=$RSS
  sleep 0.2
done
wait "$IMPORT_PID"
IMPORT_MS=$(python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f}')" "$IMPORT_START" "$(date +%s.%N)")
row '| WordPress import into an empty site: %s posts, 500 attachments, %s MB of XML | %s |\n' \
  "$IMPORT_POSTS" "$(($(stat -c %s "$WORK/export.xml") / 1048576))" "$IMPORT_MS"
row '| importer peak RSS (MB) | %s |\n' "$((PEAK / 1024))"

SECTION=$(
  echo "<!-- scale: written by bench/scale.sh; bench/run.sh keeps this section -->"
  echo "## At a coalition's size"
  echo
  echo "Written by \`bench/scale.sh\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD); $(nproc) cores."
  echo "$SUMMARY (every one signed the demo campaign), $POSTS generated posts; SQLite with synchronous=FULL;"
  echo "the app (release build) on core 0, requests one at a time with curl; each time is the median of 5 unless it says first request."
  echo
  cat "$WORK/table.md"
  echo "<!-- /scale -->"
)
python3 bench/results-section.py scale "$SECTION"

#!/usr/bin/env bash
# Builds each libFuzzer harness in fuzz/ with the very source files of the parser it checks
# (swiftc -sanitize=fuzzer,address) and runs it for a bounded time, starting from the
# committed corpus in fuzz/corpus/NAME. New interesting inputs go to a scratch folder, not the
# repository; a crash, a failed invariant or an input slower than the timeout stops the run,
# leaves the input in .build-fuzz/crashes/ and exits non-zero: make it a regression test.
#
#   fuzz/run.sh                 every target, FUZZ_SECONDS (default 60) each
#   fuzz/run.sh markdown wxr    just those
#   FUZZ_SEED=1 fuzz/run.sh     the same mutations every time (CI: a red run means this commit,
#                               not luck); unset or 0, a new random seed each run, for exploring
set -euo pipefail
cd "$(dirname "$0")/.."
# libFuzzer reports crashes itself; Swift's backtracer would only hold the run up.
export SWIFT_BACKTRACE=enable=no
# Leak checks stop the world with ptrace at exit, which can hang in a sandbox; leaks are not what these look for.
export ASAN_OPTIONS=detect_leaks=0

seconds="${FUZZ_SECONDS:-60}"
seed="${FUZZ_SEED:-0}"
out=".build-fuzz"
mkdir -p "$out/crashes"

# name | parser sources (their imports of our own modules are dropped: the files compile together)
targets=(
  "http-date|Sources/CommonsWeb/Site/HTTPDate.swift Sources/CommonsCore/InternetDate.swift"
  "form-fields|Sources/CommonsWeb/Site/FormFields.swift"
  "byte-range|Sources/CommonsWeb/Site/ByteRange.swift"
  "markdown|Sources/CommonsContent/Markdown/MarkdownRenderer.swift Sources/CommonsContent/Markdown/HTMLText.swift fuzz/Markup.swift"
  "svg-sanitizer|Sources/CommonsContent/Body/SVGSanitizer.swift Sources/CommonsCore/XMLText.swift fuzz/Markup.swift"
  "html-sanitizer|Sources/CommonsContent/Body/HTMLSanitizer.swift Sources/CommonsContent/Markdown/MarkdownRenderer.swift Sources/CommonsContent/Markdown/HTMLText.swift fuzz/Markup.swift"
  "wxr|Sources/CommonsImport/WXR.swift"
  "csv|Sources/CommonsOrganizing/Domain/CSVLine.swift Sources/CommonsCharts/CSVTable.swift Sources/CommonsCharts/Column.swift Sources/CommonsCharts/Chart.swift Sources/CommonsCharts/ChartSVG.swift Sources/CommonsCore/XMLText.swift"
  "geojson|Sources/CommonsCharts/AreaMap.swift Sources/CommonsCharts/MapSVG.swift Sources/CommonsCharts/ChartSVG.swift Sources/CommonsCharts/CSVTable.swift Sources/CommonsCharts/Column.swift Sources/CommonsCharts/Chart.swift Sources/CommonsCore/XMLText.swift"
  "normalization|Sources/CommonsOrganizing/Domain/Normalization.swift Sources/CommonsCore/EmailAddress.swift Sources/CommonsCore/PlainText.swift"
  "local-datetime|Sources/CommonsWeb/Site/LocalDateTime.swift"
  "trusted-proxies|Sources/CommonsWeb/Site/TrustedProxies.swift"
  "smtp-reply|Sources/CommonsSMTP/SMTPReply.swift Sources/CommonsSMTP/SMTPError.swift"
  "osdi-filter|Sources/CommonsWeb/Partners/OSDIFilter.swift"
  "request-head|Sources/CommonsWeb/Site/SimpleRequestHead.swift"
  "staff-input|Sources/CommonsWeb/Accounts/StaffInput.swift Sources/CommonsAccounts/Base32.swift Sources/CommonsAccounts/QRCode.swift"
)

wanted=("$@")
failed=0
for entry in "${targets[@]}"; do
  name="${entry%%|*}"
  sources="${entry#*|}"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then continue; fi
  work="$out/$name"
  # A fresh scratch corpus each run: what a run explores depends only on the committed seeds.
  rm -rf "$work/src" "$work/corpus"
  mkdir -p "$work/src" "$work/corpus" "fuzz/corpus/$name"
  for file in $sources; do
    sed -E '/^import (Commons[A-Za-z]*)$/d' "$file" > "$work/src/$(basename "$file")"
  done
  cp "fuzz/$name/Harness.swift" "$work/src/Harness.swift"
  printf '\n== fuzz %s: building\n' "$name"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name "Fuzz${name//-/}" \
    -I Sources/CCmarkGFM -I Sources/CLibXML2 $(pkg-config --cflags libxml-2.0) \
    "$work"/src/*.swift -o "$work/fuzzer" 2>&1 | grep -v "Cannot export local symbol" || true
  [ -x "$work/fuzzer" ] || { echo "fuzz $name: build failed"; failed=1; continue; }
  printf '== fuzz %s: %s s\n' "$name" "$seconds"
  if ! "$work/fuzzer" "$work/corpus" "fuzz/corpus/$name" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=4096 \
      -max_len=65536 -artifact_prefix="$out/crashes/$name-" -print_final_stats=1 2>"$work/log"; then
    tail -n 40 "$work/log"
    echo "fuzz $name: FAILED (input kept in $out/crashes/)"
    failed=1
  else
    grep -E "^stat::number_of_executed_units|^Done" "$work/log" | tr '\n' ' '
    echo
  fi
done
exit "$failed"

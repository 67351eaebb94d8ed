# Steps every bench script shares; sourced, not run. Each script sets `set -euo pipefail` and
# `cd`s to the repository first.
#
#   bench_need TOOL...          installs the missing ones with apt (nginx as nginx-light)
#   bench_binaries PRODUCT...   sets BIN: $BENCH_BIN when given (binaries built before), else
#                               builds the products in release mode and uses SwiftPM's folder
#   bench_start_app PORT LOG    starts `commons serve` on core 0, sets APP_PID, waits for /healthz
#   bench_wait URL [TRIES]      waits for URL to answer, TRIES times 0.1 s (100)

export PATH="$PATH:/usr/sbin:/sbin"

bench_need() {
  local missing=() tool
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bench: installing ${missing[*]} with apt" >&2
  local packages=()
  for tool in "${missing[@]}"; do
    case "$tool" in
      nginx) packages+=(nginx-light) ;;
      taskset) packages+=(util-linux) ;;
      *) packages+=("$tool") ;;
    esac
  done
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y "${packages[@]}" >/dev/null
}

bench_binaries() {
  if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
    return
  fi
  echo "bench: building in release mode" >&2
  local product
  for product in "$@"; do swift build -c release --product "$product" >&2; done
  BIN=$(swift build -c release --show-bin-path)
}

bench_wait() {
  local _
  for _ in $(seq 1 "${2:-100}"); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  curl -fsS "$1" >/dev/null
}

bench_start_app() {
  taskset -c 0 "$BIN/commons" serve --port "$1" >>"$2" 2>&1 &
  APP_PID=$!
  bench_wait "http://127.0.0.1:$1/healthz"
}

#!/usr/bin/env bash
# Runs the browser suite on its own: builds commons, sets up the suite, and runs it.
# Screenshots land in browser/screenshots/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
bash browser/setup.sh
exec browser/.venv/bin/pytest -q browser "$@"

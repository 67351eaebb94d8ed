#!/usr/bin/env bash
# Makes browser/.venv with the browser suite's Python packages, and installs Debian's Chromium
# when it is missing. Playwright drives that Chromium; it never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x .venv/bin/pytest ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
fi

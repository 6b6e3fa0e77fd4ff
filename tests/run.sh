#!/usr/bin/env bash
# Install the test tools and run every test: lint, analysis, app pages (AppTest) and the real browser.
# Usage (from anywhere): bash tests/run.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    # Debian's Chromium drives the browser tests and chart export; nothing is downloaded at run time.
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
  else
    echo "Browser tests need Debian's Chromium: sudo apt-get install -y chromium fonts-noto-core" >&2
    exit 1
  fi
fi

python -m pip install -q -r requirements-dev.txt
python -m ruff check .
python -m ruff format --check .
python -m pytest "$@"

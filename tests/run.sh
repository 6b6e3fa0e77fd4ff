#!/usr/bin/env bash
# Install the test tools and run every test: lint, analysis, app pages (AppTest) and the real browser.
# Usage (from anywhere): bash tests/run.sh [extra pytest args]. The steps are the Makefile's `ci` target.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v make >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null
fi
make --no-print-directory ci PYTEST_ARGS="$*"

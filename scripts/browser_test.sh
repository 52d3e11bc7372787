#!/usr/bin/env bash
# The browser tests: builds the binary, then runs tests/browser with pytest
# and Playwright driving Debian's Chromium. Screenshots go to
# target/screenshots/. Without Chromium or Playwright the suite is skipped
# with the reason, unless CI=true, when that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium="${LB_CHROMIUM:-/usr/bin/chromium}"
missing=""
[ -x "$chromium" ] || missing="$chromium (apt-get install chromium fonts-noto-cjk)"
python3 -c "import playwright.sync_api, pytest" 2>/dev/null || missing="${missing:+$missing, }playwright and pytest (pip install playwright pytest)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "browser tests: missing $missing and CI=true" >&2
    exit 1
  fi
  echo "browser tests skipped: missing $missing"
  exit 0
fi
cargo build --bin labour-bridge
export LB_BIN="${LB_BIN:-$PWD/target/debug/labour-bridge}"
exec python3 -m pytest -q -p no:cacheprovider tests/browser "$@"

#!/usr/bin/env bash
# Runs every test: domain-rule unit tests and the black-box HTTP tests, each
# of the latter on SQLite and on PostgreSQL (a fresh database per test on the
# server at LB_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres),
# then the browser tests (tests/browser: headless Chromium against a real
# `labour-bridge serve --demo`).
# With CI=true an unreachable PostgreSQL, or a missing Chromium or
# Playwright, fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --no-fail-fast "$@"
else
  cargo test --no-fail-fast "$@"
fi
# Extra arguments select Rust tests; the contract and browser runs go with a
# full run only.
if [ "$#" -gt 0 ]; then
  exit 0
fi
# Then the live service against its own OpenAPI document, on both backends.
scripts/schemathesis.sh
exec scripts/browser_test.sh

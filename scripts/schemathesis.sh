#!/usr/bin/env bash
# The API against its own OpenAPI document: a live `labour-bridge serve
# --demo` on SQLite and on PostgreSQL, probed by schemathesis (pinned; see
# .ci/run) with a fixed seed and a fixed number of examples per operation,
# checking that no answer is a server error and that every status, content
# type and body is the one the document describes. The coverage phase is
# left out: in schemathesis 4.1.4 it stops with "unhashable type: 'list'" on
# a nullable schema with a format, {"type": ["string", "null"], "format":
# "date"}, which OpenAPI 3.1 allows and utoipa writes. (Logout is left out: it
# would revoke the token the run uses; tests/api/auth.rs covers it.) One
# worker: with two, schemathesis 4.1.4's threads share one jsonschema
# RefResolver scope stack, and now and then a run ends in its own
# "IndexError: list index out of range" (in find_operation_by_label), or
# counts an operation as failed without printing any failure; concurrent
# writes are tested in tests/api/races.rs instead.
#
# Usage: scripts/schemathesis.sh [BINARY]   (default target/debug/labour-bridge)
# Env: LB_TEST_PG_URL (PostgreSQL server to create a database on),
#      LB_ST_EXAMPLES (examples per operation, default 10), CI.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/labour-bridge}
PG_ADMIN=${LB_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
EXAMPLES=${LB_ST_EXAMPLES:-10}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
[ -x "$BIN" ] || cargo build --quiet --bin labour-bridge

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

run_on() {
  local name=$1 url=$2 dir=$3
  local port smtp_port token
  port=$(free_port)
  smtp_port=$(free_port)
  mkdir -p "$dir/mail"
  python3 scripts/smtp_sink.py --port "$smtp_port" --dir "$dir/mail" >/dev/null &
  PIDS+=($!)
  LB_LOG=warn LB_SCHEDULER_SECS=0 LB_SMTP_URL="smtp://127.0.0.1:$smtp_port" \
    "$BIN" --data-dir "$dir" --database-url "$url" serve --demo --bind "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.2
  done
  token=$("$BIN" --data-dir "$dir" --database-url "$url" user add "schemathesis-$name" --role admin --expires 1 | tail -n 1)
  echo "== OpenAPI document ($name): openapi-spec-validator"
  curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" >"$dir/openapi.json"
  python3 -c 'import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print("valid")' "$dir/openapi.json"
  echo "== schemathesis on $name"
  schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks "$CHECKS" \
    --max-examples "$EXAMPLES" \
    --seed 2019 \
    --generation-deterministic \
    --phases examples,fuzzing \
    --workers 1 \
    --request-timeout 30 \
    --suppress-health-check all \
    --exclude-path /api/v1/auth/logout \
    --no-shrink
}

work=$(mktemp -d)
run_on sqlite "$work/sqlite/labour-bridge.sqlite3" "$work/sqlite"

db="lb_schemathesis_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $db" >/dev/null
trap 'cleanup; psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
run_on postgres "${PG_ADMIN%/*}/$db" "$work/postgres"

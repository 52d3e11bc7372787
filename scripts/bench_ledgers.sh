#!/usr/bin/env bash
# Ledger benchmark: a `gen` registry (default 1,000,000 labourers, about
# 3,000,000 placements) on SQLite and on PostgreSQL, then each ledger in
# json and the bundle in xlsx, timed with peak memory (/usr/bin/time -v).
#
#   scripts/bench_ledgers.sh [SCALE]        results: target/bench/ledgers.md
#
# Needs the local PostgreSQL (postgres://postgres@127.0.0.1:5432) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1000000}
OUT=target/bench
mkdir -p "$OUT"
REPORT="$OUT/ledgers.md"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

cargo build --release --quiet
BIN=target/release/labour-bridge
KINDS="new-transfers-east stable-east vocational-students-east graduates-employed job-fairs trainings summary"

measure() { # label, then the command; prints "| label | seconds | peak MiB |"
  local label=$1; shift
  local log="$OUT/time.log"
  /usr/bin/time -v "$@" 2>"$log" >/dev/null
  local wall peak
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "| $label | $wall | $peak |" | tee -a "$REPORT"
}

{
  echo "## Ledgers at scale $SCALE ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB)"
  echo
  echo "| step | wall (m:ss) | peak RSS (MiB) |"
  echo "|---|---|---|"
} > "$REPORT"

SQLITE_DIR="$OUT/sqlite-$SCALE"
PG_DB="lb_bench_$SCALE"
PG_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"

if [ ! -f "$SQLITE_DIR/labour-bridge.sqlite3" ]; then
  rm -rf "$SQLITE_DIR"
  measure "SQLite: gen --scale $SCALE" "$BIN" --data-dir "$SQLITE_DIR" gen --scale "$SCALE"
fi
if ! psql -q -U postgres -h 127.0.0.1 -d "$PG_DB" -c 'select 1' >/dev/null 2>&1; then
  psql -q -U postgres -h 127.0.0.1 -c "CREATE DATABASE $PG_DB" postgres
  measure "PostgreSQL: gen --scale $SCALE" "$BIN" --database-url "$PG_URL" gen --scale "$SCALE"
  psql -q -U postgres -h 127.0.0.1 -d "$PG_DB" -c 'VACUUM ANALYZE' >/dev/null
fi

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then ARGS=(--data-dir "$SQLITE_DIR"); else ARGS=(--database-url "$PG_URL"); fi
  for kind in $KINDS; do
    measure "$backend: ledger $kind (json)" "$BIN" "${ARGS[@]}" ledger "$kind" --year 2019 --as-of 2019-11-30 --format json --out /dev/null
  done
  measure "$backend: bundle (xlsx)" "$BIN" "${ARGS[@]}" ledger bundle --year 2019 --as-of 2019-11-30 --format xlsx --out "$OUT/bundle-$backend.xlsx"
done
echo
echo "report: $REPORT"

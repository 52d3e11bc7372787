#!/usr/bin/env bash
# Import benchmark: committing an N-row roster of labourers (default 100,000;
# .xlsx written by openpyxl) with `labour-bridge import` on SQLite and on
# PostgreSQL, timed with peak memory (GNU time), beside, in the same run:
#   - calamine alone streaming the same workbook (examples/read_roster.rs):
#     the floor for reading the file;
#   - SQLite's own bulk load: the same people inserted with Python's
#     sqlite3 executemany in one transaction into a migrated database;
#   - PostgreSQL's own bulk load: COPY (psql \copy) into a migrated database.
#
#   scripts/bench_import.sh [N]          report: target/bench/import.md
#   LB_BIN=path/to/labour-bridge LB_READER=path/to/read_roster scripts/bench_import.sh
#   LB_BASELINE_BIN=path/to/older/labour-bridge …   adds that build's commits
#     (SQLite and PostgreSQL) to the same run, to compare two builds.
#
# Needs GNU time, python3 with openpyxl, psql and the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=target/bench
mkdir -p "$OUT"
REPORT="$OUT/import.md"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
python3 -c 'import openpyxl' 2>/dev/null || { echo "needs openpyxl: pip install openpyxl" >&2; exit 1; }

if [[ -z "${LB_BIN:-}" || -z "${LB_READER:-}" ]]; then
  cargo build --release --quiet --bin labour-bridge --example read_roster
fi
BIN=${LB_BIN:-target/release/labour-bridge}
READER=${LB_READER:-target/release/examples/read_roster}

DATA="$OUT/import-data"
[[ -f "$DATA/labourers-$N.xlsx" ]] || python3 scripts/bench_import.py gen "$N" "$DATA"
XLSX="$DATA/labourers-$N.xlsx"
CSV="$(realpath "$DATA/labourers-$N.csv")"

measure() { # label, rows, then the command; prints a table row
  local label=$1 rows=$2; shift 2
  local log="$OUT/time.log"
  /usr/bin/time -v "$@" 2>"$log" >"$OUT/out.log" || { cat "$log" "$OUT/out.log" >&2; exit 1; }
  local secs peak
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  printf '| %s | %.2f s | %s | %s MiB |\n' "$label" "$secs" \
    "$(awk -v r="$rows" -v s="$secs" 'BEGIN { if (r > 0) printf "%\047d rows/s", r/s; else print "—" }')" "$peak" | tee -a "$REPORT"
}

reference() { # label, rows, seconds
  printf '| %s | %.2f s | %s | — |\n' "$1" "$3" "$(awk -v r="$2" -v s="$3" 'BEGIN { printf "%\047d rows/s", r/s }')" | tee -a "$REPORT"
}

{
  echo "## Import of $N labourers ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB)"
  echo
  echo "File: $(basename "$XLSX"), $(du -h "$XLSX" | cut -f1) (openpyxl, one sheet, title row, 9 columns)."
  echo
  echo "| step | wall | rate | peak RSS |"
  echo "|---|---|---|---|"
} > "$REPORT"

measure "calamine alone, streaming the workbook" 0 "$READER" "$XLSX"

# SQLite: labour-bridge, then the same rows with executemany into a fresh database.
SQ="$OUT/import-sqlite"; rm -rf "$SQ"; mkdir -p "$SQ"
"$BIN" --data-dir "$SQ" migrate >/dev/null
measure "SQLite: labour-bridge import (commit)" "$N" "$BIN" --data-dir "$SQ" import "$XLSX" --kind labourers --json
measure "SQLite: re-import of the same file (nothing changes)" "$N" "$BIN" --data-dir "$SQ" import "$XLSX" --kind labourers --json
if [[ -n "${LB_BASELINE_BIN:-}" ]]; then
  SQB="$OUT/import-sqlite-baseline"; rm -rf "$SQB"; mkdir -p "$SQB"
  "$LB_BASELINE_BIN" --data-dir "$SQB" migrate >/dev/null
  measure "SQLite: baseline build, import (commit)" "$N" "$LB_BASELINE_BIN" --data-dir "$SQB" import "$XLSX" --kind labourers --json
fi
SQREF="$OUT/import-sqlite-ref"; rm -rf "$SQREF"; mkdir -p "$SQREF"
"$BIN" --data-dir "$SQREF" migrate >/dev/null
reference "SQLite: executemany, one transaction (reference)" "$N" "$(python3 scripts/bench_import.py sqlite "$SQREF/labour-bridge.sqlite3" "$CSV")"

# PostgreSQL: labour-bridge, then COPY into a fresh database.
for db in lb_bench_import lb_bench_import_ref lb_bench_import_baseline; do
  psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
PG="postgres://postgres@127.0.0.1:5432/lb_bench_import"
PGREF="postgres://postgres@127.0.0.1:5432/lb_bench_import_ref"
PGDIR="$OUT/import-pg"; rm -rf "$PGDIR"; mkdir -p "$PGDIR"
"$BIN" --data-dir "$PGDIR" --database-url "$PG" migrate >/dev/null
measure "PostgreSQL: labour-bridge import (commit)" "$N" "$BIN" --data-dir "$PGDIR" --database-url "$PG" import "$XLSX" --kind labourers --json
if [[ -n "${LB_BASELINE_BIN:-}" ]]; then
  PGB="postgres://postgres@127.0.0.1:5432/lb_bench_import_baseline"
  PGBDIR="$OUT/import-pg-baseline"; rm -rf "$PGBDIR"; mkdir -p "$PGBDIR"
  "$LB_BASELINE_BIN" --data-dir "$PGBDIR" --database-url "$PGB" migrate >/dev/null
  measure "PostgreSQL: baseline build, import (commit)" "$N" "$LB_BASELINE_BIN" --data-dir "$PGBDIR" --database-url "$PGB" import "$XLSX" --kind labourers --json
fi
"$BIN" --data-dir "$PGDIR" --database-url "$PGREF" migrate >/dev/null
reference "PostgreSQL: COPY (reference)" "$N" "$(python3 scripts/bench_import.py pg "$PGREF" "$CSV")"

echo
echo "report: $REPORT"

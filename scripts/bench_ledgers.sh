#!/usr/bin/env bash
# Ledger benchmark: a `gen` registry (default 1,000,000 labourers, about
# 3,000,000 placements) on SQLite and on PostgreSQL, then each ledger in
# json and the bundle in xlsx, timed with peak memory (/usr/bin/time -v),
# side by side with a baseline on the same data and machine:
#
# - `LB_BASE_BIN=path`: an earlier release binary run with the same
#   commands (e.g. main's, to show a change's effect);
# - always: the database alone counting the rows the two placement ledgers
#   start from (east placements of counted people begun in the year, and
#   ongoing at D), with `substr(region_code, 1, 2)` as before the stored
#   province — what one plain SQL statement costs, without rules or output.
#
#   LB_BIN=path/to/labour-bridge [LB_BENCH_RUNS=5] scripts/bench_ledgers.sh [SCALE]
#   results: target/bench/ledgers.md
#
# Without LB_BIN the script builds the release binary itself. Needs the local
# PostgreSQL (postgres://postgres@127.0.0.1:5432), sqlite3, psql and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1000000}
OUT=target/bench
mkdir -p "$OUT"
REPORT="$OUT/ledgers.md"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

if [ -z "${LB_BIN:-}" ]; then
  cargo build --release --quiet
  LB_BIN=target/release/labour-bridge
fi
BIN=$LB_BIN
BASE=${LB_BASE_BIN:-}
KINDS="new-transfers-east stable-east vocational-students-east graduates-employed job-fairs trainings summary"
YEAR=2019
AS_OF=2019-11-30
EAST="'11','12','13','31','32','33','35','37','44','46'"
COUNTED="'registered_poor','lifted'"

# Each step runs LB_BENCH_RUNS times (default 1), ours and the baseline
# alternating, and is reported as the range of its runs: on a shared
# two-core machine single runs of one binary have varied by ±30 %.
RUNS=${LB_BENCH_RUNS:-1}

timed() { # log file, then the command; appends "wall peak" (seconds, KiB) to the log
  local log=$1; shift
  /usr/bin/time -f '%e %M' -a -o "$log" "$@" >/dev/null
}

range() { # log file; prints "wall | peak" as min–max over its runs
  awk 'NR == 1 || $1 < lo {lo = $1} NR == 1 || $1 > hi {hi = $1} $2 > peak {peak = $2}
    END {if (lo == hi) printf "%.2f s | %.0f MiB", lo, peak/1024;
         else printf "%.2f–%.2f s | %.0f MiB", lo, hi, peak/1024}' "$1"
}

once() { # the command, run once; prints "wall | peak"
  local log="$OUT/time-once.log"
  rm -f "$log"
  timed "$log" "$@"
  range "$log"
}

row() { # label, then the command; runs ours and, if given, the baseline
  local label=$1; shift
  local ours="$OUT/time-ours.log" base="$OUT/time-base.log"
  rm -f "$ours" "$base"
  for _ in $(seq 1 "$RUNS"); do
    timed "$ours" "$BIN" "$@"
    if [ -n "$BASE" ]; then timed "$base" "$BASE" "$@"; fi
  done
  echo "| $label | $(range "$ours") | $(if [ -n "$BASE" ]; then range "$base"; else echo "–"; fi) |" | tee -a "$REPORT"
}

sql_row() { # label, backend, sql
  local label=$1 backend=$2 sql=$3 t0 t1 n
  t0=$(date +%s.%N)
  if [ "$backend" = sqlite ]; then n=$(sqlite3 "$SQLITE_DIR/labour-bridge.sqlite3" "$sql")
  else n=$(psql -qAt -U postgres -h 127.0.0.1 -d "$PG_DB" -c "$sql"); fi
  t1=$(date +%s.%N)
  echo "| $label ($n rows) | $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f s", b - a}') | – |" | tee -a "$REPORT"
}

{
  echo "## Ledgers at scale $SCALE ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB)"
  echo
  echo "ours: $BIN; baseline: ${BASE:-none (plain SQL counts only)}; $RUNS run(s) of each, alternating, as min–max"
  echo
  echo "| step | ours: wall \| peak | baseline: wall \| peak |"
  echo "|---|---|---|"
} > "$REPORT"

SQLITE_DIR="$OUT/sqlite-$SCALE"
PG_DB="lb_bench_$SCALE"
PG_URL="postgres://postgres@127.0.0.1:5432/$PG_DB"

if [ ! -f "$SQLITE_DIR/labour-bridge.sqlite3" ]; then
  rm -rf "$SQLITE_DIR"
  echo "| SQLite: gen --scale $SCALE | $(once "$BIN" --data-dir "$SQLITE_DIR" gen --scale "$SCALE") | – |" | tee -a "$REPORT"
fi
if ! psql -q -U postgres -h 127.0.0.1 -d "$PG_DB" -c 'select 1' >/dev/null 2>&1; then
  psql -q -U postgres -h 127.0.0.1 -c "CREATE DATABASE $PG_DB" postgres
  echo "| PostgreSQL: gen --scale $SCALE | $(once "$BIN" --database-url "$PG_URL" gen --scale "$SCALE") | – |" | tee -a "$REPORT"
  psql -q -U postgres -h 127.0.0.1 -d "$PG_DB" -c 'VACUUM ANALYZE' >/dev/null
fi

# The year's targets, as a bureau sets them from the plan (gen writes none):
# the summary sheet then counts the ledgers they name, as it does in use.
TARGETS="(2019,'new-transfers-east',155),(2019,'stable-east',1000),(2019,'vocational-students-east',10),(2019,'graduates-employed',10),(2019,'job_fairs',1),(2019,'training_sessions',1)"
sqlite3 "$SQLITE_DIR/labour-bridge.sqlite3" "INSERT OR IGNORE INTO targets (year, metric, min_value, created_at, updated_at)
  SELECT column1, column2, column3, datetime('now'), datetime('now') FROM (VALUES $TARGETS)"
psql -q -U postgres -h 127.0.0.1 -d "$PG_DB" -c "INSERT INTO targets (year, metric, min_value, created_at, updated_at)
  SELECT y, m, v, now(), now() FROM (VALUES $TARGETS) AS t (y, m, v) ON CONFLICT DO NOTHING" >/dev/null

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then ARGS=(--data-dir "$SQLITE_DIR"); else ARGS=(--database-url "$PG_URL"); fi
  # Any pending migration (e.g. the stored province) runs before the timings.
  "$BIN" "${ARGS[@]}" ledger summary --year $YEAR --as-of $AS_OF --format json --out /dev/null
  for kind in $KINDS; do
    row "$backend: ledger $kind (json)" "${ARGS[@]}" ledger "$kind" --year $YEAR --as-of $AS_OF --format json --out /dev/null
  done
  row "$backend: bundle (xlsx)" "${ARGS[@]}" ledger bundle --year $YEAR --as-of $AS_OF --format xlsx --out "$OUT/bundle-$backend.xlsx"
  d=$(if [ "$backend" = sqlite ]; then echo "'$AS_OF'"; else echo "DATE '$AS_OF'"; fi)
  y0=$(if [ "$backend" = sqlite ]; then echo "'$YEAR-01-01'"; else echo "DATE '$YEAR-01-01'"; fi)
  join="FROM placements p JOIN labourers l ON l.id = p.labourer_id WHERE substr(p.region_code, 1, 2) IN ($EAST) AND l.poverty_status IN ($COUNTED)"
  sql_row "$backend: SQL count, east placements of counted people begun in $YEAR" "$backend" \
    "SELECT count(*) $join AND p.started_on BETWEEN $y0 AND $d"
  sql_row "$backend: SQL count, east placements of counted people ongoing at $AS_OF" "$backend" \
    "SELECT count(*) $join AND p.started_on <= $d AND (p.ended_on IS NULL OR p.ended_on >= $d)"
done

# Over HTTP (SQLite): the server's peak memory while one clerk downloads
# stable-east as JSON and then the bundle; a server that held a download
# whole would grow by its size (159 MB for stable-east's JSON). The index
# is built beforehand by its own process, so the server's peak is the
# downloads' (VmHWM from /proc after each).
[ -f "$SQLITE_DIR/index/CURRENT" ] || "$BIN" --data-dir "$SQLITE_DIR" reindex >/dev/null 2>&1
PORT=${LB_BENCH_PORT:-18182}
http_rows() { # label, binary
  local label=$1 bin=$2 pid token t0 t1 idle
  LB_LOG=warn LB_SCHEDULER_SECS=0 "$bin" --data-dir "$SQLITE_DIR" serve --bind "127.0.0.1:$PORT" &
  pid=$!
  for _ in $(seq 1 240); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
  token=$("$bin" --data-dir "$SQLITE_DIR" user add "bench-$label-$RANDOM" --role clerk 2>/dev/null | tail -n 1)
  idle=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  for what in "stable-east?year=$YEAR&as_of=$AS_OF&format=json" "bundle?year=$YEAR&as_of=$AS_OF"; do
    t0=$(date +%s.%N)
    curl -sf -H "Authorization: Bearer $token" "127.0.0.1:$PORT/api/v1/ledgers/$what" -o /dev/null
    t1=$(date +%s.%N)
    echo "| $label: HTTP GET /api/v1/ledgers/${what%%\?*} | $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f s", b - a}') | server peak $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status") (idle $idle MiB) |" | tee -a "$REPORT"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
http_rows ours "$BIN"
if [ -n "$BASE" ]; then http_rows baseline "$BASE"; fi
echo
echo "report: $REPORT"

#!/usr/bin/env bash
# Search benchmark on a `gen` registry (default 1,000,000 labourers and
# 200,000 postings, SQLite): indexing throughput (`reindex`), in-process
# search, match and candidate latency beside the peers on the same postings
# and queries — SQL LIKE, SQLite FTS5 and PostgreSQL pg_trgm with a GIN
# index — with the ratios (`cargo bench --bench search`), and HTTP search
# latency with 32 concurrent clients (wrk), with the result cache on and
# off. Figures only; nothing passes or fails.
#
#   scripts/bench_search.sh [SCALE]        report: target/bench/search.md
#
# Prebuilt binaries skip the build (a shared machine builds once):
#   LB_BIN=path/labour-bridge LB_BENCH_EXE=path/search-<hash> scripts/bench_search.sh
# LB_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# names the PostgreSQL server for the pg_trgm peer; LB_BENCH_PG_URL=none
# leaves it out. Needs wrk (apt-get install wrk) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1000000}
OUT=target/bench
mkdir -p "$OUT"
REPORT="$OUT/search.md"
PORT=${LB_BENCH_PORT:-18181}
for tool in wrk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk time)" >&2; exit 1; }
done

BIN=${LB_BIN:-}
BENCH=${LB_BENCH_EXE:-}
if [ -z "$BIN" ] || [ -z "$BENCH" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/labour-bridge
  BENCH=$(cargo bench --bench search --no-run --message-format json 2>/dev/null |
    python3 -c 'import json,sys; print([j["executable"] for j in map(json.loads, sys.stdin) if j.get("executable")][-1])')
fi
DIR=${LB_BENCH_DIR:-$OUT/sqlite-$SCALE}
PG_URL=${LB_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
[ "$PG_URL" = none ] && unset PG_URL
export LB_LOG=warn

{
  echo "## Search at scale $SCALE ($(date -u +%F), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, SQLite)"
  echo
} > "$REPORT"

if [ ! -f "$DIR/labour-bridge.sqlite3" ]; then
  rm -rf "$DIR"
  "$BIN" --data-dir "$DIR" gen --scale "$SCALE"
fi

echo "### Indexing (labour-bridge reindex)" >> "$REPORT"
rm -rf "$DIR/index"  # one generation only, measured alone
/usr/bin/time -v "$BIN" --data-dir "$DIR" reindex 2> "$OUT/reindex.log" >/dev/null
grep '^indexed' "$OUT/reindex.log" | tee -a "$REPORT"
awk -F': ' '/Elapsed \(wall clock\)/ {print "wall " $2} /Maximum resident set size/ {printf "peak RSS %.0f MiB\n", $2/1024}' \
  "$OUT/reindex.log" | tee -a "$REPORT"
du -sh "$DIR/index/$(cat "$DIR/index/CURRENT")" | awk '{print "index size " $1}' | tee -a "$REPORT"
echo >> "$REPORT"

echo "### In process, beside the peers (benches/search.rs)" >> "$REPORT"
[ -n "${PG_URL:-}" ] && export LB_BENCH_PG_URL="$PG_URL"
LB_BENCH_DATABASE_URL="$DIR/labour-bridge.sqlite3" LB_BENCH_DATA_DIR="$DIR" "$BENCH" --bench | tee -a "$REPORT"
echo >> "$REPORT"

SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT
serve() {  # serve CACHE: LB_SEARCH_CACHE=CACHE
  [ -n "$SERVER" ] && { kill $SERVER; wait $SERVER 2>/dev/null || true; }
  LB_SEARCH_CACHE=$1 LB_SCHEDULER_SECS=0 "$BIN" --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" &
  SERVER=$!
  for _ in $(seq 1 120); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
}
serve 1
python3 - "$OUT/queries.lua" <<'PY'
import sys, urllib.parse
qs = ["厨师", "粤菜师傅", "普工", "电子厂", "保安", "家政", "司机", "江门 厨师", "包吃住 普工", "深圳 普工",
      "叉车", "服务员", "保洁", "月嫂", "焊工", "仓管", "收银", "大厨", "门卫", "操作工"]
paths = ",".join('"/api/v1/postings/search?q=%s"' % urllib.parse.quote(q) for q in qs)
open(sys.argv[1], "w").write("""local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
""" % paths)
PY
wrk_run() {  # wrk_run TITLE LOG ARGS…
  local title=$1 log=$2
  shift 2
  echo "### Over HTTP, $title" >> "$REPORT"
  wrk "$@" --latency -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" | tee "$OUT/$log"
  {
    echo '```'
    grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx' "$OUT/$log"
    echo '```'
  } >> "$REPORT"
}
wrk -t2 -c32 -d5s -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
wrk_run "32 concurrent clients, result cache on (wrk -t2 -c32 -d30s)" wrk.log -t2 -c32 -d30s
wrk_run "one client at a time, result cache on (wrk -t1 -c1 -d10s)" wrk1.log -t1 -c1 -d10s
serve 0
wrk -t2 -c32 -d3s -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
wrk_run "32 concurrent clients, result cache off (LB_SEARCH_CACHE=0, wrk -t2 -c32 -d30s)" wrk-nocache.log -t2 -c32 -d30s
wrk_run "one client at a time, result cache off (wrk -t1 -c1 -d10s)" wrk1-nocache.log -t1 -c1 -d10s
echo
echo "report: $REPORT"

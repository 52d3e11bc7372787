#!/usr/bin/env bash
# Search benchmark on a `gen` registry (default 1,000,000 labourers and
# 200,000 postings, SQLite): indexing throughput (`reindex`), in-process
# search / match latency against the obvious SQL LIKE baseline
# (`cargo bench --bench search`), and HTTP search latency with 32
# concurrent clients (wrk). Figures only; nothing passes or fails.
#
#   scripts/bench_search.sh [SCALE]        report: target/bench/search.md
#
# Needs wrk (apt-get install wrk) and GNU time.
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

cargo build --release --quiet
BIN=target/release/labour-bridge
DIR="$OUT/sqlite-$SCALE"
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
/usr/bin/time -v "$BIN" --data-dir "$DIR" reindex 2> "$OUT/reindex.log" >/dev/null
grep '^indexed' "$OUT/reindex.log" | tee -a "$REPORT"
awk -F': ' '/Elapsed \(wall clock\)/ {print "wall " $2} /Maximum resident set size/ {printf "peak RSS %.0f MiB\n", $2/1024}' \
  "$OUT/reindex.log" | tee -a "$REPORT"
du -sh "$DIR/index" | awk '{print "index size " $1}' | tee -a "$REPORT"
echo >> "$REPORT"

echo "### In process (cargo bench --bench search)" >> "$REPORT"
LB_BENCH_DATABASE_URL="$DIR/labour-bridge.sqlite3" LB_BENCH_DATA_DIR="$DIR" \
  cargo bench --quiet --bench search 2>/dev/null | tee -a "$REPORT"
echo >> "$REPORT"

echo "### Over HTTP, 32 concurrent clients (wrk -t2 -c32 -d30s)" >> "$REPORT"
LB_SCHEDULER_SECS=0 "$BIN" --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
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
wrk -t2 -c32 -d5s -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
wrk -t2 -c32 -d30s --latency -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" | tee "$OUT/wrk.log"
{
  echo '```'
  grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx' "$OUT/wrk.log"
  echo '```'
} >> "$REPORT"
echo "### Over HTTP, one client at a time (wrk -t1 -c1 -d20s): the unloaded latency" >> "$REPORT"
wrk -t1 -c1 -d20s --latency -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" | tee "$OUT/wrk1.log"
{
  echo '```'
  grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx' "$OUT/wrk1.log"
  echo '```'
} >> "$REPORT"
echo
echo "report: $REPORT"

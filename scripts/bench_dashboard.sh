#!/usr/bin/env bash
# Dashboard benchmark: a clerk opening /dashboard?year=2019 on a `gen`
# registry (default 1,000,000 labourers, ~3,000,000 placements; SQLite),
# over HTTP on loopback, wall time at the client:
#
# - the first visit, which computes the figures (every visit did before the
#   figures were kept);
# - four more visits with nothing written in between (figures reused);
# - a visit after one write through the API (a placement's monthly income
#   changed), which computes them again;
# - first visits to three earlier years, each kept beside the others: the
#   server's resident memory after each (it grew with every year kept while
#   the figures held the transfer ledger's rows).
#
#   LB_BIN=path/to/labour-bridge scripts/bench_dashboard.sh [SCALE]
#   LB_BASE_BIN=path/to/an/older/labour-bridge   optional: the same visits on it
#   results: target/bench/dashboard.md
#
# Uses the registry scripts/bench_ledgers.sh makes (made here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1000000}
OUT=target/bench
DIR="$OUT/sqlite-$SCALE"
REPORT="$OUT/dashboard.md"
PORT=${LB_BENCH_PORT:-18183}
mkdir -p "$OUT"
if [ -z "${LB_BIN:-}" ]; then
  cargo build --release --quiet --bin labour-bridge
  LB_BIN=target/release/labour-bridge
fi
[ -f "$DIR/labour-bridge.sqlite3" ] || "$LB_BIN" --data-dir "$DIR" gen --scale "$SCALE"
[ -f "$DIR/index/CURRENT" ] || "$LB_BIN" --data-dir "$DIR" reindex >/dev/null 2>&1

{
  echo "## Dashboard at scale $SCALE ($(date -u +%F), $(nproc) cores, SQLite)"
  echo
  echo "| binary | visit | wall | server resident after |"
  echo "|---|---|---|---|"
} > "$REPORT"

SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT
visits() { # label, binary
  local label=$1 bin=$2 pid user="bench-dash-$RANDOM" password="bench-dashboard-pw"
  echo "$password" | "$bin" --data-dir "$DIR" user add "$user" --role clerk --password-stdin >/dev/null 2>&1
  LB_LOG=warn LB_SCHEDULER_SECS=0 "$bin" --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" &
  pid=$!
  SERVER=$pid
  for _ in $(seq 1 240); do curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
  python3 - "http://127.0.0.1:$PORT" "$user" "$password" "$label" "$pid" <<'PY' | tee -a "$REPORT"
import http.cookiejar, json, re, sys, time, urllib.parse, urllib.request
base, user, password, label, pid = sys.argv[1:6]
jar = http.cookiejar.CookieJar()
web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', web.open(base + "/login").read().decode()))
form.update({"username": user, "password": password})
web.open(urllib.request.Request(base + "/login", data=urllib.parse.urlencode(form).encode())).read()
token = json.load(urllib.request.urlopen(urllib.request.Request(
    base + "/api/v1/auth/login", data=json.dumps({"username": user, "password": password}).encode(),
    headers={"content-type": "application/json"})))["token"]

def resident():
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024

def visit(what, year=2019):
    t = time.perf_counter()
    with web.open(f"{base}/dashboard?year={year}") as r:
        r.read()
    print(f"| {label} | {what} | {time.perf_counter() - t:.3f} s | {resident()} MiB |", flush=True)

visit("first")
for i in range(4):
    visit(f"again ({i + 1})")
api = lambda method, path, body=None: json.load(urllib.request.urlopen(urllib.request.Request(
    base + path, method=method, data=body and json.dumps(body).encode(),
    headers={"authorization": "Bearer " + token, "content-type": "application/json"})))
p = api("GET", "/api/v1/placements?limit=1")["items"][0]
api("PATCH", f"/api/v1/placements/{p['id']}", {"monthly_income": (p.get("monthly_income") or 3000) + 1, "version": p["version"]})
visit("after one write")
visit("again")
for year in (2018, 2017, 2016):
    visit(f"first, {year}", year)
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
  SERVER=
}
visits ours "$LB_BIN"
if [ -n "${LB_BASE_BIN:-}" ]; then visits baseline "$LB_BASE_BIN"; fi
echo
echo "report: $REPORT"

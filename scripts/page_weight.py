#!/usr/bin/env python3
"""Page budget (DESIGN §9 pages): what a first visit transfers, and how long
the server takes per page, on `labour-bridge serve --demo`.

1. Weight: each page and every script and stylesheet it names, fetched
   with nothing cached, counting headers and body as they come over the
   wire: once with the encodings Chromium asks for (gzip, br, zstd) and once
   with `Accept-Encoding: identity` (the baseline: the same bytes
   uncompressed), side by side. (Playwright's per-request sizes were tried
   first: Chromium reports negative body sizes for brotli responses.)
2. Server time: N sequential GETs of each page over loopback with a signed-in
   session where the page needs one; p50 and p95 of the wall time.

    LB_BIN=target/release/labour-bridge python3 scripts/page_weight.py [N]

Writes target/bench/page-weight.md. Python's standard library only.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("LB_BIN", REPO / "target" / "release" / "labour-bridge"))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PASSWORD = "labour-bridge-demo"
# What Chromium sends.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start():
    data = tempfile.mkdtemp(prefix="lb-weight-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, LB_SCHEDULER_SECS="0", LB_PUBLIC_URL=base, LB_LOG="warn")
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([str(BIN), "--data-dir", data, "serve", "--bind", f"127.0.0.1:{port}", "--demo"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the service did not start")


def api(base, path, token=None, body=None):
    req = urllib.request.Request(base + path, method="POST" if body is not None else "GET",
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def pages(base):
    admin = api(base, "/api/v1/auth/login", body={"username": "demo-admin", "password": PASSWORD})["token"]
    posting = api(base, "/api/v1/postings/search?q=%E5%8E%A8%E5%B8%88&limit=1")["hits"][0]["id"]
    person = api(base, "/api/v1/labourers?limit=1", admin)["items"][0]
    fair = api(base, "/api/v1/fairs?limit=100", admin)["items"][0]["id"]
    q = urllib.parse.quote("厨师 包吃住")
    return [
        # (label, path, who signs in)
        ("岗位搜索（手机，首次打开）", "/", None),
        ("搜索结果（手机）", f"/?q={q}", None),
        ("岗位详情（手机）", f"/postings/{posting}", None),
        ("服务台查找", f"/desk?q={person['id_number']}", "demo-clerk"),
        ("人员页", f"/desk/labourers/{person['id']}", "demo-clerk"),
        ("招聘会签到台", f"/fairs/{fair}/desk", "demo-admin"),
        ("数据看板（含 ECharts）", "/dashboard", "demo-admin"),
    ]


def weigh(opener, base, path, encoding):
    """Bytes of the page and every asset it names, as sent over the wire
    (headers and body, compressed as `encoding` allows), with nothing cached."""
    def get(url):
        req = urllib.request.Request(url, headers={"accept-encoding": encoding})
        with opener.open(req) as r:
            body = r.read()
            head = sum(len(k) + len(v) + 4 for k, v in r.getheaders()) + 17
            return body, head
    body, head = get(base + path)
    total, n = len(body) + head, 1
    for asset in sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', body.decode()))):
        a_body, a_head = get(base + asset)
        total += len(a_body) + a_head
        n += 1
    return total, n


def session_opener(base, user):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if user:
        with opener.open(base + "/login") as r:
            html = r.read().decode()
        csrf = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = urllib.parse.urlencode({"csrf": csrf, "username": user, "password": PASSWORD}).encode()
        opener.open(urllib.request.Request(base + "/login", data=form)).read()
    return opener


def server_times(base, path, user):
    opener = session_opener(base, user)
    times = []
    for _ in range(N):
        t = time.perf_counter()
        with opener.open(base + path) as r:
            r.read()
            assert r.status == 200, (path, r.status)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    proc, base = start()
    rows = []
    try:
        for label, path, user in pages(base):
            opener = session_opener(base, user)
            compressed, n = weigh(opener, base, path, BROWSER_ENCODINGS)
            plain, _ = weigh(opener, base, path, "identity")
            p50, p95 = server_times(base, path, user)
            rows.append((label, path.split("?")[0], n, compressed, plain, p50, p95))
            print(f"{label}: {compressed / 1024:.1f} KB ({plain / 1024:.1f} KB uncompressed), "
                  f"{n} requests, p50 {p50:.2f} ms, p95 {p95:.2f} ms", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    out = REPO / "target" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    lines = ["| page | path | requests | first load transferred | same, uncompressed | server p50 | server p95 |",
             "|---|---|---|---|---|---|---|"]
    for label, path, n, c, u, p50, p95 in rows:
        lines.append(f"| {label} | `{path}` | {n} | {c / 1024:.1f} KB | {u / 1024:.1f} KB | {p50:.2f} ms | {p95:.2f} ms |")
    (out / "page-weight.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

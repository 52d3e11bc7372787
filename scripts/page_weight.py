#!/usr/bin/env python3
"""Page budget (DESIGN §9 pages): what a first visit transfers, and how long
the server takes per page, on `labour-bridge serve --demo`.

1. Weight: each page opened in a fresh headless Chromium (Debian's, driven
   by Playwright; nothing cached), summing every response's transferred
   body and headers as the browser reports them (`request.sizes()`), once
   as a browser asks (gzip, br) and once with `Accept-Encoding: identity`
   (the baseline: the same bytes uncompressed), side by side.
2. Server time: N sequential GETs of each page over loopback with a signed-in
   session where the page needs one; p50 and p95 of the wall time.

    LB_BIN=target/release/labour-bridge python3 scripts/page_weight.py [N]

Writes target/bench/page-weight.md. Needs playwright (Python) and chromium.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("LB_BIN", REPO / "target" / "release" / "labour-bridge"))
CHROMIUM = os.environ.get("LB_CHROMIUM", "/usr/bin/chromium")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PASSWORD = "labour-bridge-demo"
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
             locale="zh-CN")
DESK = dict(viewport={"width": 1280, "height": 900}, locale="zh-CN")


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
    posting = api(base, "/api/v1/postings/search?q=%E5%8E%A8%E5%B8%88&limit=1")["items"][0]["id"]
    person = api(base, "/api/v1/labourers?limit=1", admin)["items"][0]
    fair = api(base, "/api/v1/fairs?limit=100", admin)["items"][0]["id"]
    q = urllib.parse.quote("厨师 包吃住")
    return [
        # (label, path, who signs in, viewport)
        ("岗位搜索（手机，首次打开）", "/", None, PHONE),
        ("搜索结果（手机）", f"/?q={q}", None, PHONE),
        ("岗位详情（手机）", f"/postings/{posting}", None, PHONE),
        ("服务台查找", f"/desk?q={person['id_number']}", "demo-clerk", DESK),
        ("人员页", f"/desk/labourers/{person['id']}", "demo-clerk", DESK),
        ("招聘会签到台", f"/fairs/{fair}/desk", "demo-admin", DESK),
        ("数据看板（含 ECharts）", "/dashboard", "demo-admin", DESK),
    ]


def sign_in_page(page, base, user):
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def weigh(browser, base, path, user, viewport, identity):
    ctx = browser.new_context(**viewport, extra_http_headers={"accept-encoding": "identity"} if identity else {})
    page = ctx.new_page()
    if user:
        sign_in_page(page, base, user)
    responses = []
    page.on("requestfinished", lambda r: responses.append(r))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    total = 0
    for r in responses:
        s = r.sizes()
        total += s["responseBodySize"] + s["responseHeadersSize"]
    ctx.close()
    return total, len(responses)


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
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for label, path, user, viewport in pages(base):
                compressed, n = weigh(browser, base, path, user, viewport, identity=False)
                plain, _ = weigh(browser, base, path, user, viewport, identity=True)
                p50, p95 = server_times(base, path, user)
                rows.append((label, path.split("?")[0], n, compressed, plain, p50, p95))
                print(f"{label}: {compressed / 1024:.1f} KB ({plain / 1024:.1f} KB uncompressed), "
                      f"{n} requests, p50 {p50:.2f} ms, p95 {p95:.2f} ms", flush=True)
            browser.close()
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

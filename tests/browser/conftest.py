"""Fixtures of the browser suite: a real ``labour-bridge serve --demo`` on a
free loopback port with a temporary data directory, Debian's Chromium driven
by Playwright (never a downloaded browser), every request off loopback
aborted, axe-core injected from ``tests/browser/vendor/``.

Environment:
  LB_BIN             the binary (default target/debug/labour-bridge)
  LB_CHROMIUM        browser binary (default /usr/bin/chromium)
  LB_SCREENSHOTS     screenshot directory (default target/screenshots)
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "tests" / "browser" / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("LB_CHROMIUM", "/usr/bin/chromium")
BIN = Path(os.environ.get("LB_BIN", REPO / "target" / "debug" / "labour-bridge"))
SHOTS = Path(os.environ.get("LB_SCREENSHOTS", REPO / "target" / "screenshots"))
PASSWORD = "labour-bridge-demo"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
             has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
DESK = dict(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai",
            accept_downloads=True)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """``labour-bridge serve --demo`` on 127.0.0.1; yields its base URL."""
    if not BIN.exists():
        pytest.fail(f"{BIN} not found: build it first (cargo build)")
    data = tempfile.mkdtemp(prefix="lb-browser-")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, LB_SCHEDULER_SECS="0", LB_PUBLIC_URL=base, LB_LOG="warn")
    env.pop("DATABASE_URL", None)
    log = open(Path(data) / "server.log", "w")
    proc = subprocess.Popen([str(BIN), "--data-dir", data, "serve", "--bind", f"127.0.0.1:{port}", "--demo"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"server did not start: {(Path(data) / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (never `playwright install`)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        yield b
        b.close()


def _guarded(browser, options):
    context = browser.new_context(**options)
    p = context.new_page()
    p.offsite, p.errors = [], []

    def guard(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            p.offsite.append(url)
            route.abort()

    context.route("**/*", guard)
    p.on("console", lambda m: m.type == "error" and p.errors.append(m.text))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.set_default_timeout(15_000)
    return context, p


@pytest.fixture
def phone(browser):
    """A phone-sized page (390×844) whose requests may go to loopback only."""
    context, p = _guarded(browser, PHONE)
    yield p
    context.close()
    assert not p.offsite, f"requests left the machine: {p.offsite}"


@pytest.fixture
def desk(browser):
    """A desktop page (1280×900) whose requests may go to loopback only."""
    context, p = _guarded(browser, DESK)
    yield p
    context.close()
    assert not p.offsite, f"requests left the machine: {p.offsite}"


def sign_in(page, base, username, next_path=None):
    """Signs in through the form at /login (keyboard and clicks, as a person)."""
    page.goto(f"{base}/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def message_beside(page, selector):
    """The message a field's aria-describedby points at (the field must be marked invalid)."""
    field = page.locator(selector)
    assert field.get_attribute("aria-invalid") == "true", selector
    return page.locator(f"#{field.get_attribute('aria-describedby')}").inner_text()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def run_axe(page, impacts=("serious", "critical")):
    """axe-core's violations of ``impacts`` on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_accessible(page):
    bad = run_axe(page)
    lines = [f"{v['impact']} {v['id']}: {v['help']} — {n['target']}" for v in bad for n in v["nodes"]]
    assert not bad, "\n".join(lines)


def api_token(base, username):
    """A bearer token from the API's own login, for setting up test data."""
    req = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                 data=json.dumps({"username": username, "password": PASSWORD}).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["token"]


def api_get(base, token, path):
    req = urllib.request.Request(f"{base}{path}", headers={"authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def api_post(base, token, path, body):
    """POST JSON as the API's client would; (status, parsed body)."""
    req = urllib.request.Request(f"{base}{path}", method="POST", data=json.dumps(body).encode(),
                                 headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(birth="19950612", region="451424", seq=None, wrong_check=False):
    """A GB 11643 ID number (check character right unless ``wrong_check``)."""
    seq = seq if seq is not None else random.randint(100, 999)
    body = f"{region}{birth}{seq:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
    if wrong_check:
        check = "10X98765432"[(("10X98765432".index(check)) + 1) % 11]
    return body + check


def unregistered_id_number(base, token, **kw):
    """An ID number nobody in the registry has."""
    for _ in range(50):
        n = id_number(**kw)
        if not api_get(base, token, f"/api/v1/labourers?id_number={n}")["items"]:
            return n
    raise AssertionError("no free ID number found")

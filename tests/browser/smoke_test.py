"""Smoke test of the browser-test tooling, and the pattern the browser suite copies.

It proves, on this machine and in CI, that:

* Playwright for Python drives Debian's Chromium (``/usr/bin/chromium``,
  never a browser downloaded by ``playwright install``) headless;
* pages load the vendored htmx and ECharts from ``static/vendor/`` and
  nothing from any other host (every request off loopback is aborted and
  fails the test);
* Chinese text renders with a CJK font (fonts-noto-cjk), in HTML and in an
  ECharts canvas;
* axe-core (``tests/browser/vendor/axe.min.js``, injected, never served)
  runs, finds real violations on a bad page, and none that are serious or
  critical on a good one.

Run:  python3 -m pytest -q tests/browser/smoke_test.py
Environment:
  LB_CHROMIUM        browser binary (default /usr/bin/chromium)
  LB_BROWSER_OUT     directory for screenshots (default: pytest's tmp_path)

The fixtures here (``browser``, ``page``, ``static_site``) and ``run_axe``
are what the real suite should move into ``tests/browser/conftest.py``; the
real suite points ``page`` at ``labour-bridge serve`` on 127.0.0.1 instead
of the static server.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "tests" / "browser" / "vendor" / "axe.min.js"
VENDOR = REPO / "static" / "vendor"
CHROMIUM = os.environ.get("LB_CHROMIUM", "/usr/bin/chromium")

# The flags every browser test launches Chromium with. No network beyond
# what the page asks for: no QUIC, no component updates, no sync, no
# background fetches (they would try to leave the machine).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A phone, as the trainees use: 390×844 CSS pixels (iPhone 12–15 class).
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2,
             is_mobile=True, has_touch=True, locale="zh-CN",
             timezone_id="Asia/Shanghai")

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


# --------------------------------------------------------------------- axe --

def run_axe(page, *, impacts=("serious", "critical"), context=None, options=None):
    """Inject axe-core into ``page``, run it, return the violations whose
    impact is in ``impacts`` (each a dict: id, impact, help, nodes, …).

    ``page.run_axe_all`` is set to the full violation list for callers that
    want to print or inspect the minor/moderate ones too.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options || {})",
        [context, options or {"resultTypes": ["violations"]}],
    )
    violations = result["violations"]
    page.run_axe_all = violations  # type: ignore[attr-defined]
    return [v for v in violations if v.get("impact") in impacts]


def describe(violations):
    """One line per violation and node, for assertion messages."""
    lines = []
    for v in violations:
        for n in v["nodes"]:
            lines.append(f"{v['impact']:>8} {v['id']}: {v['help']} — {n['target']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- fixtures --

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def static_site(tmp_path_factory):
    """Serve a temporary directory on 127.0.0.1 (a free port) from a thread.

    Yields (root_dir, base_url). ``/static/vendor/`` is the repository's
    vendored files, as the application will serve them.
    """
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(VENDOR, root / "static" / "vendor")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ``browser`` comes from conftest.py: one Chromium (one Playwright loop)
# for the whole suite.


@pytest.fixture
def page(browser):
    """A fresh phone-sized page whose requests may go to loopback only.

    Any other request is aborted and recorded in ``page.offsite``; the
    fixture fails the test if there was one (no CDN, no beacons).
    Console errors and page errors are collected in ``page.errors``.
    """
    context = browser.new_context(**PHONE)
    p = context.new_page()
    p.offsite = []
    p.errors = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            p.offsite.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    p.on("console", lambda m: m.type == "error" and p.errors.append(m.text))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    yield p
    context.close()
    assert not p.offsite, f"requests left the machine: {p.offsite}"


@pytest.fixture
def out_dir(tmp_path):
    d = Path(os.environ.get("LB_BROWSER_OUT", tmp_path))
    d.mkdir(parents=True, exist_ok=True)
    return d


# ------------------------------------------------------------------- pages --

GOOD_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>东西部劳务协作 · 岗位搜索</title>
<style>
  body { margin: 0; font: 16px/1.6 system-ui, "Noto Sans CJK SC", sans-serif; color: #1a1a1a; background: #fff; }
  header, main, footer { padding: 12px 16px; }
  header { background: #0b4f8a; color: #fff; }
  h1 { font-size: 20px; margin: 0; }
  label { display: block; margin-top: 8px; }
  input { font: inherit; width: 100%; box-sizing: border-box; padding: 8px; }
  button { font: inherit; margin-top: 8px; padding: 8px 16px; background: #0b4f8a; color: #fff; border: 0; }
  #chart { width: 100%; height: 260px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #888; padding: 4px; text-align: left; }
</style>
<script src="/static/vendor/htmx.min.js"></script>
<script src="/static/vendor/echarts.min.js"></script>
</head>
<body>
<header><h1 id="title">大新县—江海区 劳务协作</h1></header>
<main>
  <form hx-get="/results.html" hx-target="#results" hx-swap="innerHTML">
    <label for="q">搜索岗位（例如：江门 厨师 包住）</label>
    <input id="q" name="q" type="search" value="粤菜师傅">
    <button type="submit">搜索</button>
  </form>
  <section id="results" aria-live="polite"></section>
  <h2>2019年向东转移就业人数</h2>
  <div id="chart" role="img" aria-label="2019年各镇向东转移就业人数柱状图"></div>
  <table>
    <caption>硕龙镇、下雷镇就业登记</caption>
    <thead><tr><th scope="col">镇</th><th scope="col">人数</th></tr></thead>
    <tbody><tr><td>硕龙镇</td><td>62</td></tr><tr><td>下雷镇</td><td>93</td></tr></tbody>
  </table>
</main>
<footer><p>身份证号：451424**********1X　台账截至 2019年11月15日</p></footer>
<script>
  const chart = echarts.init(document.getElementById('chart'));
  chart.setOption({
    animation: false,
    title: { text: '目标 155 人', left: 'center', textStyle: { fontSize: 14 } },
    xAxis: { type: 'category', data: ['硕龙镇', '下雷镇', '其他乡镇'] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [62, 93, 12], label: { show: true, position: 'top' } }]
  });
  window.chartReady = true;
</script>
</body>
</html>
"""

RESULTS_FRAGMENT = '<p id="hit">江门市江海区 · 粤菜厨师 · 包吃住 · 月薪 4500–6000 元</p>'

# Deliberately broken: no lang, an image without alt, an unlabelled input,
# unreadable contrast. axe must report serious/critical violations here.
BAD_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>坏页面</title></head>
<body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text">
<p style="color:#eee;background:#fff">看不清的文字</p>
</body></html>
"""


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def _platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium actually used for the text of ``selector`` (CDP)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        doc = cdp.send("DOM.getDocument")
        node = cdp.send("DOM.querySelector",
                        {"nodeId": doc["root"]["nodeId"], "selector": selector})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        return [f["familyName"] for f in fonts["fonts"]]
    finally:
        cdp.detach()


# ------------------------------------------------------------------- tests --

def test_phone_page_vendored_scripts_cjk_and_axe(page, static_site, out_dir):
    root, base = static_site
    _write(root, "index.html", GOOD_PAGE)
    _write(root, "results.html", RESULTS_FRAGMENT)

    page.goto(f"{base}/index.html")
    page.wait_for_function("window.chartReady === true")

    versions = page.evaluate("() => [htmx.version, echarts.version]")
    print(f"htmx {versions[0]}, echarts {versions[1]}")
    assert versions == ["2.0.11", "6.1.0"]

    # htmx: submit the form, the fragment is swapped in.
    page.get_by_role("button", name="搜索").click()
    page.locator("#hit").wait_for()
    assert "粤菜厨师" in page.locator("#hit").inner_text()

    # ECharts drew into a canvas.
    assert page.locator("#chart canvas").count() >= 1

    # Chinese text is drawn with a CJK font, not tofu.
    fonts = _platform_fonts(page, "#title")
    print(f"fonts used for the heading: {fonts}")
    assert any("CJK" in f for f in fonts), fonts

    shot = out_dir / "smoke-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    serious = run_axe(page)
    print(f"axe: {len(page.run_axe_all)} violations, {len(serious)} serious/critical "
          f"{[v['id'] for v in page.run_axe_all]}")
    assert serious == [], describe(serious)
    assert page.errors == [], page.errors


def test_axe_finds_violations_on_a_bad_page(page, static_site):
    root, base = static_site
    _write(root, "bad.html", BAD_PAGE)
    page.goto(f"{base}/bad.html")
    serious = run_axe(page)
    ids = sorted({v["id"] for v in serious})
    print(f"axe on the bad page: {len(page.run_axe_all)} violations, serious/critical: {ids}")
    assert {"image-alt", "label", "html-has-lang", "color-contrast"} <= set(ids), describe(serious)


def test_offsite_requests_are_blocked(browser, static_site):
    """The ``page`` fixture's guard: a CDN script never loads."""
    root, base = static_site
    _write(root, "cdn.html", '<!doctype html><html lang="zh-CN"><head><title>t</title>'
           '<script src="https://cdn.example.invalid/x.js"></script></head><body>页</body></html>')
    context = browser.new_context(**PHONE)
    seen = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            seen.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.goto(f"{base}/cdn.html")
    context.close()
    assert seen == ["https://cdn.example.invalid/x.js"]

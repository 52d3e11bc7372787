"""The dashboard: the 155 target and its progress, charts drawn, the bundle
downloaded."""

from conftest import assert_accessible, shot, sign_in


def test_dashboard_shows_targets_draws_charts_and_downloads_the_bundle(desk, server):
    page = desk
    sign_in(page, server, "demo-admin")
    page.goto(server + "/dashboard")
    assert "2019" in page.locator("h1").inner_text(), "opens on the latest year with targets"
    for control in [page.locator("label[for=year]"), page.get_by_role("button", name="查看")]:
        box = control.bounding_box()
        assert box["width"] > box["height"], f"{control.inner_text()} on one line, not a character a line: {box}"
    goals = page.locator("#goals-h + .grid")
    assert "155" in goals.inner_text()
    assert page.locator("[role=progressbar]").count() >= 1

    page.wait_for_function("window.chartsReady === true")
    charts = page.locator("[data-chart]")
    names = charts.evaluate_all("els => els.map(e => e.dataset.chart)")
    for wanted in ["transfers-by-month", "transfers-by-city", "transfers-by-channel", "fair-funnel", "training-funnel"]:
        assert wanted in names, names
    for name in names:
        drawn = page.evaluate(
            """(name) => {
                const c = document.querySelector(`[data-chart="${name}"] canvas`);
                if (!c || !c.width || !c.height) return false;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
                return false;
            }""", name)
        assert drawn, f"chart {name} drew nothing"
    shot(page, "dashboard")
    assert_accessible(page)

    link = page.locator("a[download]", has_text="下载")
    with page.expect_download() as info:
        link.first.click()
    path = info.value.path()
    data = open(path, "rb").read()
    assert data[:2] == b"PK" and len(data) > 1000, "an xlsx workbook"
    assert page.errors == [], page.errors


def test_the_dashboard_fits_a_phone(phone, server):
    """The leadership office opens it on a phone: nothing wider than the
    screen (a long button kept on one line once pushed the page sideways),
    the year's label and button each on one line."""
    page = phone
    sign_in(page, server, "demo-admin")
    page.goto(server + "/dashboard")
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    for control in [page.locator("label[for=year]"), page.get_by_role("button", name="查看")]:
        box = control.bounding_box()
        assert box["width"] > box["height"], f"{control.inner_text()} on one line: {box}"
    shot(page, "dashboard-phone")

"""Fair day: an organiser checks in three ID numbers by keyboard alone (one
a walk-in), records an intention and a hire, and prints the QR board."""

from conftest import api_get, api_token, assert_accessible, shot, sign_in, unregistered_id_number


def _focused_name(page):
    return page.evaluate("() => document.activeElement && document.activeElement.name")


def test_organiser_checks_in_three_by_keyboard_and_records_a_hire(desk, server):
    clerk = api_token(server, "demo-clerk")
    known = [(p["id_number"], p["name"]) for p in api_get(server, clerk, "/api/v1/labourers?limit=40")["items"]][-2:]
    walk_in = unregistered_id_number(server, clerk, birth="19980214")

    page = desk
    sign_in(page, server, "demo-organiser")
    page.wait_for_url("**/fairs")
    # The fair held today: check-ins are taken only around a fair's day.
    page.locator("li", has_text="江海区人力资源市场").locator("a[href$='/desk']").click()
    page.wait_for_url("**/fairs/*/desk")
    assert _focused_name(page) == "id_number", "the box has the focus on load"
    assert_accessible(page)
    status = page.locator("#checkin-status")

    # An organiser sees ID numbers masked, so the box asks everyone for name
    # and phone: whether a number was registered before is not told by the
    # questions asked or by the answer. Tab moves on; Enter submits.
    def check_in(number, name, phone, pasted=False):
        before = page.locator("#attendees tbody tr").count()
        if pasted:
            page.keyboard.insert_text(number)
        else:
            page.keyboard.type(number)
        page.keyboard.press("Tab")
        assert _focused_name(page) == "name"
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        assert _focused_name(page) == "phone"
        page.keyboard.type(phone)
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#checkin-status').textContent.includes('签到成功')")
        assert name in status.inner_text()
        assert "待核实" not in status.inner_text(), "the answer does not tell a new number from a registered one"
        page.wait_for_function(f"document.querySelectorAll('#attendees tbody tr').length >= {before}")
        assert page.locator("input[name=id_number]").input_value() == ""
        # The focus comes back as the swap settles, within htmx's settle delay.
        page.wait_for_function("document.activeElement && document.activeElement.name === 'id_number'", timeout=2000)
        page.evaluate("document.querySelector('#checkin-status').textContent = ''")

    for i, (n, name) in enumerate(known):
        # The first as a chat app pastes it: a zero-width space before, a
        # space inside (the box once cut it to 17 digits).
        number = f"\u200b{n[:6]} {n[6:]}" if i == 0 else n
        check_in(number, name, f"1387710556{i}", pasted=i == 0)
    check_in(walk_in, "韦小燕", "13877105566")
    assert page.locator("#attendees", has_text="韦小燕").count() == 1
    registered = api_get(server, clerk, f"/api/v1/labourers?id_number={walk_in}")["items"]
    assert [p["poverty_status"] for p in registered] == ["unverified"], "a walk-in is registered as unverified"
    shot(page, "fair-desk")

    # An intention, then the hire.
    row = page.locator("#attendees tbody tr", has_text="韦小燕")
    row.get_by_role("button", name="登记意向").click()
    page.wait_for_url("**/desk#intentions")
    line = page.locator("#intentions tbody tr", has_text="韦小燕")
    line.get_by_role("button", name="录用").click()
    page.wait_for_load_state()
    error = page.locator("p.error")
    assert error.count() == 0, error.first.inner_text()
    assert "已录用" in page.locator("#intentions tbody tr", has_text="韦小燕").inner_text()
    assert_accessible(page)
    assert page.errors == [], page.errors


def test_the_board_has_a_qr_code_per_posting(desk, server):
    page = desk
    sign_in(page, server, "demo-organiser")
    page.locator("a[href$='/board']").first.click()
    cards = page.locator(".board .card")
    cards.first.wait_for()
    assert cards.count() >= 1
    assert page.locator(".board .card svg").count() == cards.count()
    href = cards.first.locator("a").get_attribute("href")
    assert "/postings/" in href
    shot(page, "fair-board")
    assert_accessible(page)


def test_a_fair_desk_fits_a_phone(phone, server):
    """A clerk at the door with a phone: the attendee list (a select of
    postings with their employers in every row) once pushed the page 24 px
    sideways and wrapped names a character a line."""
    page = phone
    sign_in(page, server, "demo-clerk")
    page.goto(server + "/fairs?year=2019")
    page.locator("main a[href^='/fairs/'][href$='/desk']").first.click()
    page.wait_for_url("**/fairs/*/desk")
    assert page.locator("#attendees tbody tr").count() > 0, "a past fair with people checked in"
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    lines = page.evaluate("""() => {
        const name = document.querySelector('#attendees tbody td').firstChild;
        const range = document.createRange();
        range.selectNodeContents(name);
        return range.getClientRects().length;
    }""")
    assert lines == 1, f"a name on one line, not {lines}"
    assert "现在不能签到" in page.locator("#checkin-status").inner_text(), "a past fair says it takes no check-ins"
    shot(page, "fair-desk-phone")
    assert_accessible(page)

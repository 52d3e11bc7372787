"""Fair day: an organiser checks in three ID numbers by keyboard alone (one
a walk-in), records an intention and a hire, and prints the QR board."""

from conftest import api_get, api_token, assert_accessible, shot, sign_in, unregistered_id_number


def _focused_name(page):
    return page.evaluate("() => document.activeElement && document.activeElement.name")


def _check_in(page, number):
    page.keyboard.type(number)
    page.keyboard.press("Enter")


def test_organiser_checks_in_three_by_keyboard_and_records_a_hire(desk, server):
    clerk = api_token(server, "demo-clerk")
    known = [p["id_number"] for p in api_get(server, clerk, "/api/v1/labourers?limit=40")["items"]][-2:]
    walk_in = unregistered_id_number(server, clerk, birth="19980214")

    page = desk
    sign_in(page, server, "demo-organiser")
    page.wait_for_url("**/fairs")
    page.locator("a[href$='/desk']").first.click()
    page.wait_for_url("**/fairs/*/desk")
    assert _focused_name(page) == "id_number", "the box has the focus on load"
    assert_accessible(page)
    status = page.locator("#checkin-status")

    for n in known:
        before = page.locator("#attendees tbody tr").count()
        _check_in(page, n)
        page.wait_for_function("document.querySelector('#checkin-status').textContent.includes('签到')")
        page.wait_for_function(f"document.querySelectorAll('#attendees tbody tr').length >= {before}")
        assert page.locator("input[name=id_number]").input_value() == ""
        assert _focused_name(page) == "id_number"
        page.evaluate("document.querySelector('#checkin-status').textContent = ''")

    # A walk-in: the box reveals name and phone; Tab moves to them; Enter submits.
    _check_in(page, walk_in)
    page.locator("input[name=name]").wait_for()
    assert _focused_name(page) == "id_number"
    page.keyboard.press("Tab")
    assert _focused_name(page) == "name"
    page.keyboard.type("韦小燕")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "phone"
    page.keyboard.type("13877105566")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#checkin-status').textContent.includes('待核实')")
    assert page.locator("input[name=id_number]").input_value() == ""
    assert _focused_name(page) == "id_number"
    assert page.locator("#attendees", has_text="韦小燕").count() == 1
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

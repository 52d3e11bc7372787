"""The clerk's desk beyond registering: reviewing likely duplicates (a
merge refused with its reason, a pair dismissed, a pair merged), a person's
trainings and fair visits, and submitting the ledgers from the dashboard."""

from datetime import datetime, timedelta, timezone

from conftest import api_get, api_post, api_token, assert_accessible, message_beside, shot, sign_in, unregistered_id_number


def _person(server, clerk, name, birth):
    number = unregistered_id_number(server, clerk, birth=birth)
    status, body = api_post(server, clerk, "/api/v1/labourers",
                            {"id_number": number, "name": name, "poverty_status": "registered_poor"})
    assert status == 201, body
    return body


def _placement(server, clerk, who, started_on):
    status, body = api_post(server, clerk, "/api/v1/placements", {
        "labourer_id": who["id"], "region_code": "440704", "started_on": started_on,
        "employer_name": "江门市江海区某电子厂", "occupation": "普工", "channel": "referral"})
    assert status == 201, body
    return body


def _row(page, a, b):
    return page.locator(f"tr[data-pair='{a}-{b}']")


def test_clerk_reviews_duplicates_refused_dismissed_and_merged(desk, server):
    clerk = api_token(server, "demo-clerk")
    # Two records of one person, registered twice (same name and birth date).
    first = _person(server, clerk, "蒙丽娟", "19870214")
    second = _person(server, clerk, "蒙丽娟", "19870214")
    _placement(server, clerk, second, "2019-03-01")
    # Two records whose full-time jobs overlap: they cannot be one person.
    x = _person(server, clerk, "韦金凤", "19910707")
    y = _person(server, clerk, "韦金凤", "19910707")
    _placement(server, clerk, x, "2019-02-01")
    _placement(server, clerk, y, "2019-04-01")

    page = desk
    sign_in(page, server, "demo-clerk")
    page.get_by_role("link", name="疑似重复核对").click()
    page.wait_for_url("**/desk/duplicates")
    assert _row(page, first["id"], second["id"]).count() == 1
    row = _row(page, x["id"], y["id"])
    why = row.inner_text()
    assert any(r in why for r in ("同名且出生日期相同", "身份证号仅第", "位相邻颠倒")), why
    assert x["id_number"] not in page.content(), "ID numbers are masked in the review"
    assert_accessible(page)

    # A merge is confirmed on a page of its own that sets the two side by
    # side; the overlap refuses it, in words, and nothing changes.
    row.get_by_role("link", name=f"合并，保留记录 {x['id']}").click()
    page.wait_for_url(f"**/desk/duplicates/{x['id']}/{y['id']}/merge?keep={x['id']}")
    table = page.locator("table").inner_text()
    assert "就业登记" in table and "1 条" in table and "删除" in table, table
    assert "【" in table, "the numbers in full, where they differ marked: " + table
    assert_accessible(page)
    shot(page, "desk-duplicates-confirm")
    page.get_by_role("button", name=f"确认合并，保留记录 {x['id']}").click()
    alert = page.get_by_role("alert")
    assert "不能合并" in alert.inner_text(), alert.inner_text()
    shot(page, "desk-duplicates-refused")
    assert _row(page, x["id"], y["id"]).count() == 1
    # They are two people: dismissed, no longer listed.
    _row(page, x["id"], y["id"]).get_by_role("button", name="不是同一人").click()
    page.wait_for_url("**dismissed=1")
    assert "不同的人" in page.get_by_role("status").inner_text()
    assert _row(page, x["id"], y["id"]).count() == 0

    # The twin is merged into the first record, with the second's job.
    _row(page, first["id"], second["id"]).get_by_role("link", name=f"合并，保留记录 {first['id']}").click()
    page.get_by_role("button", name=f"确认合并，保留记录 {first['id']}").click()
    page.wait_for_url(f"**merged={first['id']}")
    assert _row(page, first["id"], second["id"]).count() == 0
    page.goto(f"{server}/desk/labourers/{first['id']}")
    assert "2019-03-01" in page.locator("#placements table").inner_text()
    gone = page.goto(f"{server}/desk/labourers/{second['id']}")
    assert gone.status == 404


def test_a_person_page_lists_trainings_and_fair_visits(desk, server):
    clerk = api_token(server, "demo-clerk")
    organiser = api_token(server, "demo-organiser")
    who = _person(server, clerk, "覃美玲", "19960301")
    sessions = api_get(server, clerk, "/api/v1/training/sessions?limit=100")["items"]
    enrolled = None
    for s in sessions:
        status, _ = api_post(server, clerk, f"/api/v1/training/sessions/{s['id']}/enrolments", {"labourer_id": who["id"]})
        if status == 201:
            enrolled = s
            break
    assert enrolled, "a demo class takes one more trainee"
    # The service's today is the date in China (UTC+8), not this machine's.
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    fairs = [f for f in api_get(server, organiser, "/api/v1/fairs?limit=100")["items"] if f["held_on"] == today]
    assert fairs, "the demo holds a fair today"
    status, body = api_post(server, organiser, f"/api/v1/fairs/{fairs[0]['id']}/check-ins",
                            {"id_number": who["id_number"], "name": who["name"], "phone": "13977101234"})
    assert status in (200, 201), body

    page = desk
    sign_in(page, server, "demo-clerk")
    page.goto(f"{server}/desk/labourers/{who['id']}")
    trainings = page.locator("#trainings").inner_text()
    assert enrolled["starts_on"] in trainings, trainings
    visits = page.locator("#visits").inner_text()
    assert fairs[0]["name"] in visits and today in visits, visits
    assert_accessible(page)


def test_ledgers_are_submitted_from_the_dashboard_and_a_failure_can_be_retried(desk, server):
    page = desk
    sign_in(page, server, "demo-admin")
    page.goto(server + "/dashboard?year=2019")
    page.get_by_role("button", name="报送2019年全部台账").click()
    page.wait_for_url("**/dashboard?year=2019&*#submissions")
    # The browser suite's server has no mail server: the submission is kept
    # as failed, says why, and offers a retry.
    alert = page.get_by_role("alert")
    assert "已保存" in alert.inner_text(), alert.inner_text()
    row = page.locator("tr[data-submission]").first
    text = row.inner_text()
    assert "发送失败" in text and "1" in text, text
    shot(page, "dashboard-submission-failed")
    assert_accessible(page)
    sid = row.get_attribute("data-submission")
    row.get_by_role("button", name=f"重发报送记录 {sid}").click()
    page.wait_for_url(f"**failed={sid}#submissions")
    again = page.locator(f"tr[data-submission='{sid}']").inner_text()
    assert "发送失败" in again, again
    cells = page.locator(f"tr[data-submission='{sid}'] td").all_inner_texts()
    assert cells[5] == "2", f"two attempts: {cells}"


def test_clerk_edits_a_person_and_a_broken_rule_is_named_beside_its_field(desk, server):
    clerk = api_token(server, "demo-clerk")
    who = _person(server, clerk, "陆春燕", "19950505")
    page = desk
    sign_in(page, server, "demo-clerk")
    page.goto(f"{server}/desk/labourers/{who['id']}")
    page.get_by_role("link", name="修改信息").click()
    assert page.locator("input[name=name]").input_value() == "陆春燕", "the form holds the record"
    page.fill("input[name=phone]", "1397710")
    page.fill("input[name=hukou_village]", "那坡村")
    page.get_by_role("button", name="保存").click()
    field = page.locator("input[name=phone]")
    message = message_beside(page, "input[name=phone]")
    assert "手机" in message, message
    assert page.locator("input[name=hukou_village]").input_value() == "那坡村", "what was typed stays"
    assert_accessible(page)
    field.fill("13977105566")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/desk/labourers/{who['id']}?saved=1")
    card = page.locator("dl").inner_text()
    assert "13977105566" in card and "那坡村" in card, card
    assert api_get(server, clerk, f"/api/v1/labourers/{who['id']}")["phone"] == "13977105566"

"""The clerk's desk: find by ID number, register (a wrong check character
shows the message beside the field), add a placement, import a roster."""

from playwright.sync_api import expect

from conftest import (DESK, _guarded, api_get, api_post, api_token, assert_accessible, id_number, message_beside, shot, sign_in,
                      unregistered_id_number)


def test_clerk_finds_registers_places_and_imports(desk, server, tmp_path):
    clerk = api_token(server, "demo-clerk")
    someone = api_get(server, clerk, "/api/v1/labourers?limit=1")["items"][0]

    page = desk
    sign_in(page, server, "demo-clerk")
    page.wait_for_url("**/desk")
    page.fill("input[name=q]", someone["id_number"])
    page.keyboard.press("Enter")
    page.get_by_role("link", name=someone["name"]).click()
    assert someone["id_number"] in page.locator("dl").inner_text(), "clerks see the full ID number"
    assert_accessible(page)

    # Register: a wrong check character is named beside the field.
    good = unregistered_id_number(server, clerk, birth="19930405")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.goto(server + "/desk/labourers/new")
    page.fill("input[name=id_number]", bad)
    page.fill("input[name=name]", "黄春梅")
    page.fill("input[name=phone]", "13977106677")
    page.get_by_role("button", name="保存").click()
    field = page.locator("input[name=id_number]")
    message = message_beside(page, "input[name=id_number]")
    assert "校验" in message or "身份证" in message, message
    assert page.locator("input[name=name]").input_value() == "黄春梅", "what was typed stays"
    shot(page, "desk-register-error")
    assert_accessible(page)

    field.fill(good)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/desk/labourers/*?registered=1")
    assert "黄春梅" in page.locator("h1").inner_text()

    # A placement, its employer found by typing part of its name (a
    # province registers more employers than the list holds).
    status, employer = api_post(server, clerk, "/api/v1/employers",
                                {"name": "江门市江海区星辉照明测试有限公司", "region_code": "440704", "industry": "制造业"})
    assert status == 201, employer
    page.fill("#f-employer_id-find", "星辉照明测试")
    expect(page.locator("select[name=employer_id]")).to_have_value(str(employer["id"]))
    assert "找到 1 家" in page.locator("select[name=employer_id] option").first.inner_text()
    page.fill("input[name=region_code]", "440704")
    page.fill("input[name=occupation]", "中式烹调师")
    page.fill("input[name=started_on]", "2019-10-08")
    page.fill("input[name=monthly_income]", "4200")
    page.select_option("select[name=channel]", index=1)
    page.get_by_role("button", name="添加就业登记").click()
    page.wait_for_url("**placed=1*")
    jobs = page.locator("#placements table").inner_text()
    assert "中式烹调师" in jobs and "江门市江海区星辉照明测试有限公司" in jobs, jobs
    assert "2019-10-08 至今" in jobs, jobs
    shot(page, "desk-person")

    # The job ends: a day before it began is refused in its row, then the
    # right day is recorded and the row says so.
    row = page.locator("#placements tbody tr", has_text="星辉照明测试")
    row.locator("input[name=ended_on]").fill("2019-10-01")
    row.get_by_role("button", name="登记离职").click()
    row = page.locator("#placements tbody tr", has_text="星辉照明测试")
    assert "离职时间" in row.locator(".field-error").inner_text(), row.inner_text()
    row.locator("input[name=ended_on]").fill("2019-12-31")
    row.get_by_role("button", name="登记离职").click()
    page.wait_for_url("**ended=1*")
    jobs = page.locator("#placements table").inner_text()
    assert "2019-10-08 至 2019-12-31" in jobs, jobs
    assert page.get_by_role("button", name="更正离职时间").count() == 1, "an ended job offers to correct its end"
    assert_accessible(page)

    # Import: upload → dry-run report → commit → rejected rows.
    rows = [unregistered_id_number(server, clerk, birth="19900101"), id_number(birth="19900102")]
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "name,id_number,phone,hukou_region_code,poverty_status\n"
        f"陆秀芳,{rows[0]},13877101234,451424,registered_poor\n"
        f"农志强,{rows[1][:-1]}{'0' if rows[1][-1] != '0' else '1'},13877104321,451424,registered_poor\n",
        encoding="utf-8")
    page.goto(server + "/desk/imports")
    page.select_option("select[name=kind]", "labourers")
    page.set_input_files("input[name=file]", str(csv))
    page.get_by_role("button", name="上传并检查").click()
    report = page.locator("#rep-h")
    assert "检查结果" in report.inner_text()
    assert "被拒绝 1 行" in page.locator("section.card").inner_text()
    assert_accessible(page)
    page.check("input[name=accept_partial]")
    page.get_by_role("button", name="确认导入").click()
    assert "导入结果" in page.locator("#rep-h").inner_text()
    assert "新增 1" in page.locator("section.card").inner_text()
    with page.expect_download() as info:
        page.locator("a[download]", has_text="被拒绝的行").click()
    assert open(info.value.path(), "rb").read()[:2] == b"PK"
    shot(page, "desk-import")
    # The form answered 422 with the messages (as it should); nothing else failed.
    errors = [e for e in page.errors if "status of 422" not in e]
    assert errors == [], errors


def test_a_placement_without_javascript_takes_the_employer_typed_in_the_search_box(browser, server):
    """With scripts off, the employer search box cannot swap the list: the
    text typed goes with the form, several found come back to choose from,
    and the job is saved for the one chosen."""
    clerk = api_token(server, "demo-clerk")
    for name in ("台山市无脚本测试酒楼", "台山市无脚本测试饭店"):
        status, body = api_post(server, clerk, "/api/v1/employers", {"name": name, "region_code": "440781"})
        assert status == 201, body
    status, person = api_post(server, clerk, "/api/v1/labourers", {
        "id_number": unregistered_id_number(server, clerk, birth="19920304"), "name": "覃丽娟",
        "poverty_status": "registered_poor"})
    assert status == 201, person

    context, page = _guarded(browser, dict(DESK, java_script_enabled=False))
    try:
        sign_in(page, server, "demo-clerk")
        page.goto(f"{server}/desk/labourers/{person['id']}")
        page.fill("#f-employer_id-find", "无脚本测试")
        page.fill("input[name=region_code]", "440781")
        page.fill("input[name=started_on]", "2019-09-02")
        page.select_option("select[name=channel]", index=1)
        page.get_by_role("button", name="添加就业登记").click()
        message = message_beside(page, "select[name=employer_id]")
        assert "有 2 家" in message, message
        assert page.locator("#f-employer_id-find").input_value() == "无脚本测试", "what was typed stays"
        shot(page, "desk-person-no-script-choose")
        page.select_option("select[name=employer_id]", label="台山市无脚本测试饭店")
        page.get_by_role("button", name="添加就业登记").click()
        page.wait_for_url("**placed=1*")
        assert "台山市无脚本测试饭店" in page.locator("#placements table").inner_text()
        shot(page, "desk-person-no-script")
    finally:
        context.close()
    assert not page.offsite, f"requests left the machine: {page.offsite}"

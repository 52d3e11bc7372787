"""Employers and postings at the clerk's desk: register an employer (a
malformed USCC is named beside its field, what was typed stays), publish a
posting (pay out of order is named beside the field), change it and see
the change on the employer's page."""

import random

from conftest import api_get, api_token, assert_accessible, message_beside, shot, sign_in

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(first17):
    """A GB 32100 code: ``first17`` and its check character (weights 3^i mod 31)."""
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def test_uscc_check_character_agrees_with_the_rust_unit_tests():
    # src/domain/uscc.rs: a made-up code, and Huawei's and Tencent's licences.
    for code in ["91440704MA4UJ5X3AL", "914403001922038216", "91440300708461136T"]:
        assert uscc(code[:17]) == code


def unregistered_uscc(base, token):
    for _ in range(50):
        code = uscc("91440704MA" + "".join(random.choice(USCC_ALPHABET) for _ in range(7)))
        if not api_get(base, token, f"/api/v1/employers?uscc={code}")["items"]:
            return code
    raise AssertionError("no free USCC found")


def test_clerk_registers_an_employer_and_publishes_a_posting(desk, server):
    clerk = api_token(server, "demo-clerk")
    good = unregistered_uscc(server, clerk)
    name = f"江门市江海区测试电子有限公司{random.randint(1000, 9999)}"

    page = desk
    sign_in(page, server, "demo-clerk")
    page.wait_for_url("**/desk")
    page.get_by_role("link", name="用人单位与岗位").click()
    page.wait_for_url("**/desk/employers")
    assert page.locator("table tbody tr").count() > 0, "the demo's employers are listed"
    assert_accessible(page)

    # Register: a malformed USCC is named beside its field; what was typed stays.
    page.get_by_role("link", name="登记用人单位").first.click()
    page.wait_for_url("**/desk/employers/new")
    assert_accessible(page)
    page.fill("input[name=name]", name)
    page.fill("input[name=uscc]", good[:10] + "O" + good[11:])
    page.fill("input[name=region_code]", "440704")
    page.fill("input[name=contact_name]", "李小姐")
    page.fill("input[name=contact_phone]", "13800138000")
    page.select_option("select[name=is_poverty_workshop]", "true")
    page.get_by_role("button", name="保存").click()
    message = message_beside(page, "input[name=uscc]")
    assert "统一社会信用代码" in message and "“O”" in message, message
    assert page.locator("input[name=name]").input_value() == name, "what was typed stays"
    assert page.locator("input[name=contact_name]").input_value() == "李小姐"
    assert page.locator("select[name=is_poverty_workshop]").input_value() == "true"
    shot(page, "desk-employer-error")
    assert_accessible(page)

    page.fill("input[name=uscc]", good)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/desk/employers/*?registered=1")
    assert page.locator("h1").inner_text() == name
    record = page.locator("dl").inner_text()
    assert good in record and "李小姐" in record and "江海区" in record, record
    assert "校验不通过" not in record, "the computed check character adds up"
    assert "暂无岗位" in page.locator("#postings").inner_text()
    employer_id = page.url.split("/desk/employers/")[1].split("?")[0]
    stored = api_get(server, clerk, f"/api/v1/employers/{employer_id}")
    assert stored["uscc"] == good and stored["is_poverty_workshop"] is True, stored

    # The list finds it by part of its name.
    page.goto(f"{server}/desk/employers")
    page.fill("input[name=q]", name[-8:])
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk/employers?q=*")
    assert page.locator("table tbody tr").count() == 1
    page.get_by_role("link", name=name).click()
    page.wait_for_url(f"**/desk/employers/{employer_id}")

    # Publish: the employer and its place are filled in; pay out of order
    # is named beside the field, and nothing typed is lost.
    page.get_by_role("link", name="发布岗位").first.click()
    page.wait_for_url(f"**/desk/postings/new?employer_id={employer_id}")
    assert page.locator("select[name=employer_id]").input_value() == employer_id
    assert page.locator("input[name=region_code]").input_value() == "440704"
    assert_accessible(page)
    page.fill("input[name=title]", "SMT贴片操作工")
    page.fill("input[name=occupation]", "电子设备装接工")
    page.fill("textarea[name=description]", "两班倒，包吃包住。")
    page.fill("input[name=headcount]", "5")
    page.fill("input[name=salary_min]", "6000")
    page.fill("input[name=salary_max]", "4500")
    page.fill("input[name=min_age]", "18")
    page.fill("input[name=max_age]", "45")
    page.check("input[name=benefits][value=housing]")
    page.check("input[name=benefits][value=meals]")
    page.get_by_role("button", name="保存").click()
    message = message_beside(page, "input[name=salary_max]")
    assert "最高月薪" in message and "最低月薪" in message, message
    assert page.locator("input[name=title]").input_value() == "SMT贴片操作工"
    assert page.locator("input[name=benefits][value=meals]").is_checked()
    assert not page.locator("input[name=benefits][value=transport]").is_checked()
    shot(page, "desk-posting-error")
    assert_accessible(page)

    page.fill("input[name=salary_max]", "7500")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/desk/employers/{employer_id}?posted=1*")
    row = page.locator("#postings tbody tr", has_text="SMT贴片操作工")
    assert "6000–7500 元/月" in row.inner_text()
    assert "5 人" in row.inner_text()
    assert "正在接受报名" in row.inner_text()
    assert_accessible(page)

    # Change the posting: more places, the meals box unticked.
    row.get_by_role("link", name="修改").click()
    page.wait_for_url("**/desk/postings/*/edit")
    assert page.locator("input[name=headcount]").input_value() == "5"
    assert page.locator("input[name=benefits][value=housing]").is_checked()
    assert_accessible(page)
    page.fill("input[name=headcount]", "12")
    page.uncheck("input[name=benefits][value=meals]")
    page.fill("input[name=min_age]", "")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/desk/employers/{employer_id}?posting_saved=1*")
    row = page.locator("#postings tbody tr", has_text="SMT贴片操作工")
    assert "12 人" in row.inner_text(), row.inner_text()
    shot(page, "desk-employer")
    posting = api_get(server, clerk, f"/api/v1/postings?employer_id={employer_id}")["items"][0]
    assert posting["headcount"] == 12 and posting["benefits"] == ["housing"], posting
    assert posting["min_age"] is None and posting["max_age"] == 45, "a blank field is cleared"

    # Delete: the employer is refused while its posting remains; the
    # posting goes after a page that asks, then the employer.
    page.get_by_role("link", name="删除该单位").click()
    page.wait_for_url(f"**/desk/employers/{employer_id}/delete")
    assert_accessible(page)
    page.get_by_role("button", name="确认删除").click()
    assert "仍被 1 条岗位 引用" in page.locator("main").inner_text()
    page.goto(f"{server}/desk/employers/{employer_id}")
    page.locator("#postings tbody tr", has_text="SMT贴片操作工").get_by_role("link", name="删除").click()
    page.wait_for_url("**/desk/postings/*/delete")
    assert "确定要删除岗位“SMT贴片操作工”吗？" in page.locator("main form").inner_text()
    shot(page, "desk-posting-delete")
    assert_accessible(page)
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url(f"**/desk/employers/{employer_id}?posting_deleted=1*")
    assert "岗位已删除。" in page.get_by_role("status").inner_text()
    assert "暂无岗位" in page.locator("#postings").inner_text()
    page.get_by_role("link", name="删除该单位").click()
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url("**/desk/employers?deleted=1")
    assert "已删除该用人单位。" in page.get_by_role("status").inner_text()

    # The forms answered 422 with the messages, and the refused deletion
    # 409 (as they should); nothing else failed.
    errors = [e for e in page.errors if "status of 422" not in e and "status of 409" not in e]
    assert errors == [], errors

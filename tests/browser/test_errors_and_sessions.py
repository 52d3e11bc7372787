"""Errors as pages, sign-in redirects, CSRF and the API unchanged."""

import json

from conftest import assert_accessible, shot, sign_in


def test_missing_page_is_a_chinese_page_but_the_api_keeps_problem_json(desk, server):
    page = desk
    r = page.goto(server + "/no-such-page")
    assert r.status == 404
    assert "页面不存在" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert_accessible(page)
    api = page.request.get(server + "/api/v1/labourers/999999", headers={"accept": "text/html"})
    assert api.status == 401
    assert api.headers["content-type"].startswith("application/problem+json")
    json.loads(api.text())


def test_a_page_that_needs_sign_in_redirects_to_login(desk, server):
    page = desk
    page.goto(server + "/desk")
    assert "/login?next=%2Fdesk" in page.url
    assert page.locator("form input[name=username]").count() == 1
    page.fill("input[name=username]", "demo-clerk")
    page.fill("input[name=password]", "wrong password")
    page.get_by_role("button", name="登录").click()
    assert page.locator("#username").get_attribute("aria-invalid") == "true"
    assert "不正确" in page.locator("#login-error").inner_text()
    page.fill("input[name=password]", "labour-bridge-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/desk")
    cookie = next(c for c in page.context.cookies() if c["name"] == "lb_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "lb_" not in page.url and cookie["value"] not in page.url


def test_a_post_without_its_csrf_token_is_refused(desk, server):
    page = desk
    sign_in(page, server, "demo-clerk")
    r = page.request.post(server + "/logout", form={"x": "1"}, headers={"accept": "text/html"})
    assert r.status == 403
    assert "表单已过期" in r.text()
    # The real sign-out form works and ends the session.
    page.goto(server + "/desk")
    page.get_by_role("button", name="退出").click()
    page.goto(server + "/desk")
    assert "/login" in page.url


def test_a_trainee_may_not_open_the_desk(desk, server):
    page = desk
    sign_in(page, server, "demo-trainee")
    r = page.goto(server + "/desk")
    assert r.status == 403
    assert "无权访问" in page.locator("h1").inner_text()
    shot(page, "forbidden")

//! The pages over plain HTTP: assets with a content hash and a long cache,
//! errors as Chinese pages for browsers (problem+json for the API), sign-in
//! redirects, CSRF, and the session cookie's attributes.

use labour_bridge::auth::Role;

use crate::helpers::TestApp;

crate::on_both_backends!(
    assets_carry_their_hash_and_a_long_cache,
    browsers_get_chinese_error_pages_and_the_api_keeps_problems,
    signing_in_sets_a_safe_cookie_and_posts_need_the_csrf_token,
    a_roster_left_waiting_after_its_dry_run_is_deleted_the_next_day,
    a_common_name_at_the_desk_says_more_people_have_it_than_are_listed,
    the_roster_check_lists_its_warnings_and_says_in_words_what_was_written,
    the_desk_finds_a_person_by_a_full_width_or_grouped_id_number,
    a_search_of_common_words_alone_says_it_lists_every_posting,
);

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = browser().get(app.url(path)).header("accept", "text/html").send().await.unwrap();
    let (s, h) = (r.status().as_u16(), r.headers().clone());
    (s, h, r.text().await.unwrap())
}

async fn assets_carry_their_hash_and_a_long_cache(app: TestApp) {
    let (s, _, html) = page(&app, "/").await;
    assert_eq!(s, 200);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("name=\"viewport\""));
    assert!(!html.contains("echarts"), "ECharts loads on the dashboard only");
    let css = html.split("href=\"/static/app.").nth(1).and_then(|t| t.split('"').next()).unwrap();
    let r = browser().get(app.url(&format!("/static/app.{css}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let (s, _, _) = page(&app, "/static/app.0000000000.css").await;
    assert_eq!(s, 404, "a stale hash is not served");
    // Assets are compressed for a browser that asks; pages, which carry a
    // CSRF token beside typed text, are not.
    let gz = |path: String| browser().get(app.url(&path)).header("accept-encoding", "gzip").send();
    let r = gz(format!("/static/app.{css}")).await.unwrap();
    assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    let r = gz("/login".to_string()).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("content-encoding").is_none(), "pages are not compressed");
}

async fn browsers_get_chinese_error_pages_and_the_api_keeps_problems(app: TestApp) {
    let (s, h, html) = page(&app, "/no-such-page").await;
    assert_eq!(s, 404);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(html.contains("页面不存在"));
    let (s, _) = app.call("GET", "/no-such-page", None, None).await;
    assert_eq!(s, 404, "a client that does not ask for HTML keeps problem+json");
    let (s, h, _) = page(&app, "/api/v1/labourers/1").await;
    assert_eq!(s, 401);
    assert!(h["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    let (s, h, _) = page(&app, "/desk?q=1").await;
    assert_eq!(s, 303);
    assert_eq!(h["location"], "/login?next=%2Fdesk%3Fq%3D1");
    // Signed in and refused, or a record not found: the page is framed for
    // the person signed in (it showed 登录, as if they had been signed out),
    // and the role is named in words, not as its code.
    let (s, html) = app.page_as(&app.organiser, "/desk").await;
    assert_eq!(s, 403);
    assert!(html.contains("招聘会组织方无权") && html.contains("只有管理员、经办人员可以"), "{html}");
    assert!(html.contains("退出") && !html.contains(">登录</a>"), "{html}");
    let (s, html) = app.page_as(&app.clerk, "/desk/labourers/999999").await;
    assert_eq!(s, 404);
    assert!(html.contains("退出") && html.contains("服务台</a>"), "{html}");
}

fn cookie(h: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    h.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).find(|c| c.starts_with(&format!("{name}=")))
}

async fn signing_in_sets_a_safe_cookie_and_posts_need_the_csrf_token(app: TestApp) {
    app.add_password_user("desk-clerk", Role::Clerk, "a-long-password");
    let (s, h, html) = page(&app, "/login").await;
    assert_eq!(s, 200);
    let csrf_cookie = cookie(&h, "lb_csrf").unwrap();
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    let token = csrf_cookie.split(';').next().unwrap().trim_start_matches("lb_csrf=").to_string();
    assert!(html.contains(&format!("name=\"csrf\" value=\"{token}\"")));

    let form = |csrf: &str| format!("csrf={csrf}&username=desk-clerk&password=a-long-password&next=%2Fdesk");
    let post = |body: String| {
        browser()
            .post(app.url("/login"))
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("lb_csrf={token}"))
            .body(body)
            .send()
    };
    let r = post(form("not-the-token-not-the-token-not-the-token")).await.unwrap();
    assert_eq!(r.status(), 403, "a post without its CSRF token is refused");
    // A `next` with a tab or a line break (browsers drop a tab, so
    // /<tab>/evil.example was another site; a line break was a 500 after
    // the sign-in) is no place to go: the role's landing page.
    for next in ["%2F%09%2Fevil.example%2Fphish", "%2F%0A%2Fx"] {
        let body = format!("csrf={token}&username=desk-clerk&password=a-long-password&next={next}");
        let r = post(body).await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/desk"), "{next}");
    }
    let r = post(form(&token)).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/desk");
    // No page can be framed by another site; no API answer is kept.
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert_eq!(r.headers()["content-security-policy"], "frame-ancestors 'none'");
    let api = browser()
        .get(app.url("/api/v1/labourers"))
        .header("authorization", format!("Bearer {}", app.clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    // Error pages too (the middleware making them once dropped the headers).
    let missing = browser().get(app.url("/no-such-page")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["x-frame-options"], "DENY");
    let session = cookie(r.headers(), "lb_session").unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"));
    assert!(!session.contains("Secure"), "plain http on loopback");
    let value = session.split(';').next().unwrap().to_string();
    let r =
        browser().get(app.url("/desk")).header("accept", "text/html").header("cookie", &value).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("desk-clerk"));

    // Behind an https proxy the cookie is Secure.
    let r = post(form(&token)).await.unwrap();
    assert!(!cookie(r.headers(), "lb_session").unwrap().contains("Secure"));
    let r = browser()
        .post(app.url("/login"))
        .header("accept", "text/html")
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("lb_csrf={token}"))
        .body(form(&token))
        .send()
        .await
        .unwrap();
    assert!(cookie(r.headers(), "lb_session").unwrap().contains("Secure"));
}

/// Signs `user` in through the form; the session and CSRF cookies to send.
async fn signed_in(app: &TestApp, user: &str, password: &str) -> (String, String) {
    let (_, h, _) = page(app, "/login").await;
    let csrf = cookie(&h, "lb_csrf").unwrap().split(';').next().unwrap().trim_start_matches("lb_csrf=").to_string();
    let r = browser()
        .post(app.url("/login"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("lb_csrf={csrf}"))
        .body(format!("csrf={csrf}&username={user}&password={password}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = cookie(r.headers(), "lb_session").unwrap().split(';').next().unwrap().to_string();
    (format!("{session}; lb_csrf={csrf}"), csrf)
}

/// The import page's check of `roster` (a CSV's text) as a signed-in
/// clerk's browser uploads it (`session`: cookies and CSRF token): its HTML.
async fn roster_checked(app: &TestApp, session: (&str, &str), kind: &str, file_name: &str, roster: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.1.to_string())
        .text("kind", kind.to_string())
        .part("file", reqwest::multipart::Part::bytes(roster.as_bytes().to_vec()).file_name(file_name.to_string()));
    let r = browser()
        .post(app.url("/desk/imports"))
        .header("accept", "text/html")
        .header("cookie", session.0)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn a_roster_left_waiting_after_its_dry_run_is_deleted_the_next_day(app: TestApp) {
    app.add_password_user("desk-clerk", Role::Clerk, "a-long-password");
    let (cookies, csrf) = signed_in(&app, "desk-clerk", "a-long-password").await;
    let roster = format!("姓名,身份证号\n韦小燕,{}\n", crate::helpers::id_number("451424", "19940404", 44));
    let dry_run = || async {
        let html = roster_checked(&app, (&cookies, &csrf), "labourers", "花名册.csv", &roster).await;
        html.split("name=\"token\" value=\"").nth(1).and_then(|t| t.split('"').next()).unwrap().to_string()
    };
    let dir = app.settings.data_dir.join("page-imports");
    let first = dry_run().await;
    let waiting: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(waiting.len(), 1, "the file waits for its commit");
    // It holds full ID numbers: only the service's own user may read it.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&waiting[0]), 0o600);
    assert_eq!(mode(&dir), 0o700);
    if app.database_url.starts_with("sqlite") || !app.database_url.contains("://") {
        assert_eq!(mode(&app.settings.data_dir), 0o700, "the registry's directory");
    }
    // A day and a bit later nobody has committed it.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(25 * 3600);
    std::fs::File::options().write(true).open(&waiting[0]).unwrap().set_modified(old).unwrap();
    let second = dry_run().await;
    let left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left.len(), 1, "the next upload deleted the stale roster: {left:?}");
    assert!(left[0].ends_with(&second));
    // Its commit now says the upload expired, and writes nothing.
    let r = browser()
        .post(app.url("/desk/imports/commit"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &cookies)
        .body(format!("csrf={csrf}&token={first}&kind=labourers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("导入已失效"));
    assert_eq!(app.count("labourers"), 0);
}

/// A common name is shared by hundreds in a province's registry: the desk
/// lists the first 50 and says there are more, and how to find the one
/// meant, instead of a list that looks complete.
async fn a_common_name_at_the_desk_says_more_people_have_it_than_are_listed(app: TestApp) {
    app.people(60, "CASE WHEN i <= 55 THEN '黄秀英' ELSE '黄秀兰' END");
    let (_, html) = app.page_as(&app.clerk, "/desk?q=%E9%BB%84%E7%A7%80%E8%8B%B1").await;
    assert!(html.contains("查找结果（超过 50 人）") && html.contains("同名的人较多"), "{html}");
    assert_eq!(html.matches("<tr><td><a href=\"/desk/labourers/").count(), 50);
    let (_, html) = app.page_as(&app.clerk, "/desk?q=%E9%BB%84%E7%A7%80%E5%85%B0").await;
    assert!(html.contains("查找结果（5 人）") && !html.contains("同名的人较多"), "{html}");
}

/// A roster's check page: a row whose 姓名 differs from the person its ID
/// number belongs to is listed to look at (it once showed as a plain new
/// row, and the API alone said so), each column by its Chinese name, and
/// what became of the file in words instead of `dry_run` or `refused`.
async fn the_roster_check_lists_its_warnings_and_says_in_words_what_was_written(app: TestApp) {
    let idn = crate::helpers::id_number("451424", "19940404", 45);
    app.labourer(serde_json::json!({"id_number": idn, "name": "韦导入十"})).await;
    app.add_password_user("desk-clerk", Role::Clerk, "a-long-password");
    let (cookies, csrf) = signed_in(&app, "desk-clerk", "a-long-password").await;
    let roster = format!(
        "姓名,身份证号,就业单位,就业地,就业时间,就业渠道,联系电话\n错名字,{idn},江门某厂,440704,2019-03-01,劳务协作推荐,\n\
         韦导入十,{idn},江门某厂,火星,2019-05-01,劳务协作推荐,\n"
    );
    let html = roster_checked(&app, (&cookies, &csrf), "placements", "就业台账.csv", &roster).await;
    let warnings = html.split("请核对（这些行会导入，但可能有误）").nth(1).expect("the warnings' table");
    assert!(warnings.contains("<td>2</td><td>姓名</td>") && warnings.contains("韦导入十"), "{html}");
    let rejected = html.split("被拒绝的行</h3>").nth(1).expect("the rejected rows' table");
    assert!(rejected.contains("<td>3</td><td>"), "{html}");
    assert!(html.contains("只做了检查，尚未写入任何记录"), "{html}");
    for raw in ["dry_run", "状态：", "<td>region_code</td>", "<td>name</td>"] {
        assert!(!html.contains(raw), "{raw} on the page: {html}");
    }
    assert_eq!(app.count("placements"), 0);
    // A name with a character lost in an export only warns while checking
    // and is refused on commit: the check says so instead of "会导入".
    let lost = crate::helpers::id_number("451424", "19940404", 47);
    let people = format!("姓名,身份证号,贫困户属性\n韦?英,{lost},建档立卡贫困户\n");
    let html = roster_checked(&app, (&cookies, &csrf), "labourers", "花名册.csv", &people).await;
    let refused = html.split("确认导入时会被拒绝的行").nth(1).expect("the rows the commit refuses");
    assert!(refused.contains("<td>2</td><td>姓名</td>") && refused.contains("韦?英"), "{html}");
    assert!(!html.contains("这些行会导入"), "not among the rows that will be written: {html}");
    assert!(html.contains("另有 1 行检查时算作新增或更新，确认导入时会被拒绝"), "the counts say it too: {html}");
    assert!(html.contains("name=\"accept_partial\""), "and the commit can skip it: {html}");
}

/// An input method's full-width digits, or the number grouped as forms
/// print it: the desk finds the person (a full-width number was once taken
/// for a name, and the clerk told nobody had it).
async fn the_desk_finds_a_person_by_a_full_width_or_grouped_id_number(app: TestApp) {
    let idn = crate::helpers::id_number("451424", "19850612", 47);
    app.labourer(serde_json::json!({"id_number": idn, "name": "全角查"})).await;
    let full_width: String =
        idn.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0xFF10 + d).unwrap())).collect();
    let grouped = format!("{} {} {}", &idn[..6], &idn[6..14], &idn[14..]);
    for typed in [full_width, grouped] {
        let (s, html) = app.page_as(&app.clerk, &format!("/desk?q={}", crate::helpers::urlencode(&typed))).await;
        assert_eq!(s, 200);
        assert!(html.contains("查找结果（1 人）") && html.contains("全角查"), "{typed}: {html}");
    }
}

/// A search of nothing but common words (找工作, 招聘) once listed every
/// posting as if they had matched: the page now says that no word chose
/// them; a search with a word that does choose says nothing of it.
async fn a_search_of_common_words_alone_says_it_lists_every_posting(app: TestApp) {
    let notice = "没有按它筛选，下面是全部岗位";
    for q in ["找工作", "招聘 岗位", "高薪诚聘"] {
        let (s, _, html) = page(&app, &format!("/search/results?q={}", crate::helpers::urlencode(q))).await;
        assert_eq!(s, 200);
        assert!(html.contains(notice), "{q}: {html}");
    }
    for q in ["厨师工作", "江门"] {
        let (_, _, html) = page(&app, &format!("/search/results?q={}", crate::helpers::urlencode(q))).await;
        assert!(!html.contains(notice), "{q}: {html}");
        // Nothing found (no posting is registered here): what to try next.
        assert!(html.contains("没有找到符合条件的岗位。可以试试"), "{q}: {html}");
    }
    // A bad filter is named by its label (应在 0 到 1000000 之间 named nothing).
    let (_, _, html) = page(&app, "/search/results?q=%E5%8E%A8%E5%B8%88&salary_min=9999999").await;
    assert!(html.contains("“月薪可达”应在 0 到 1000000 之间"), "{html}");
    let (_, _, html) = page(&app, "/search/results?q=%E5%8E%A8%E5%B8%88&salary_min=lots").await;
    assert!(html.contains("“月薪可达”") && !html.contains("最低月薪"), "{html}");
    // An emoji has no word at all: not told it is a common one.
    let (_, _, html) = page(&app, &format!("/search/results?q={}", crate::helpers::urlencode("😀"))).await;
    assert!(html.contains("里没有可以搜索的字词") && !html.contains("常用词"), "{html}");
}

//! The pages over plain HTTP: assets with a content hash and a long cache,
//! errors as Chinese pages for browsers (problem+json for the API), sign-in
//! redirects, CSRF, and the session cookie's attributes.

use labour_bridge::auth::Role;

use crate::helpers::TestApp;

crate::on_both_backends!(
    assets_carry_their_hash_and_a_long_cache,
    browsers_get_chinese_error_pages_and_the_api_keeps_problems,
    signing_in_sets_a_safe_cookie_and_posts_need_the_csrf_token,
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
    let r = post(form(&token)).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/desk");
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

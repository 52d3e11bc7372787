use serde_json::json;

use crate::helpers::TestApp;
use labour_bridge::auth::Role;

crate::on_both_backends!(
    a_request_without_a_token_is_401_problem_json,
    an_unknown_token_is_401,
    a_password_login_gives_a_token_that_works,
    repeated_failed_logins_lock_the_account,
);

async fn a_request_without_a_token_is_401_problem_json(app: TestApp) {
    for path in [
        "/api/v1/labourers",
        "/api/v1/employers",
        "/api/v1/postings",
        "/api/v1/placements",
        "/api/v1/audit",
        "/api/v1/auth/me",
    ] {
        let (s, ctype, b) = app.call_raw("GET", path, None, None).await;
        assert_eq!(s, 401, "{path}");
        assert!(ctype.starts_with("application/problem+json"));
        assert_eq!(b["status"], 401);
    }
    let (s, _) = app.call("GET", "/healthz", None, None).await;
    assert_eq!(s, 200);
    let (s, _) = app.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, 200);
}

async fn an_unknown_token_is_401(app: TestApp) {
    let (s, b) = app.get("/api/v1/employers", "lb_0000").await;
    assert_eq!(s, 401, "{b}");
    let (s, _, _) = {
        let r = app.client.get(app.url("/api/v1/employers")).header("authorization", "Basic abc").send().await.unwrap();
        (r.status().as_u16(), (), ())
    };
    assert_eq!(s, 401);
}

async fn a_password_login_gives_a_token_that_works(app: TestApp) {
    app.add_password_user("liu", Role::Clerk, "粤桂协作2019!");
    let (s, b) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "liu", "password": "粤桂协作2019!"})))
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["expires_at"].as_str().unwrap() > "2026");
    let token = b["token"].as_str().unwrap();
    let (s, me) = app.get("/api/v1/auth/me", token).await;
    assert_eq!(s, 200);
    assert_eq!(me["role"], "clerk");
    let (s, _) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "nobody", "password": "粤桂协作2019!"})))
        .await;
    assert_eq!(s, 401);
    let (s, b) = app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": "liu"}))).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "password");
}

async fn repeated_failed_logins_lock_the_account(app: TestApp) {
    // The test service locks after 3 failures.
    app.add_password_user("wang", Role::Clerk, "correct horse");
    for _ in 0..3 {
        let (s, _) =
            app.call("POST", "/api/v1/auth/login", None, Some(json!({"username": "wang", "password": "wrong"}))).await;
        assert_eq!(s, 401);
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "wang", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429, "locked even with the right password");
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0);
}

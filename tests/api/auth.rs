use serde_json::json;

use crate::helpers::TestApp;
use labour_bridge::auth::Role;

crate::on_both_backends!(
    a_request_without_a_token_is_401_problem_json,
    an_unknown_token_is_401,
    a_password_login_gives_a_token_that_works,
    repeated_failed_logins_lock_the_account,
    thirty_parallel_wrong_passwords_check_at_most_the_limit,
    logout_revokes_the_token,
);

/// Behind a load balancer (trusted), the per-address limit keys on each
/// client its X-Forwarded-For names, not on the balancer: one client's
/// guesses once locked every client out; the page's sign-in counts too.
mod behind_a_balancer_one_client_s_guesses_lock_out_only_that_client {
    use serde_json::json;

    use crate::helpers::{Backend, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let Some(app) = TestApp::spawn_with(Backend::Sqlite, |s| {
            s.login_address_max_failures = 3;
            s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        })
        .await
        else {
            return;
        };
        app.add_password_user("zhao", labour_bridge::auth::Role::Clerk, "correct horse");
        let login = |client: &'static str, user: &str, password: &str| {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", client)
                .json(&json!({"username": user, "password": password}))
                .send()
        };
        for i in 0..3 {
            let r = login("203.0.113.9", &format!("nobody{i}"), "guess").await.unwrap();
            assert_eq!(r.status().as_u16(), 401);
        }
        assert_eq!(login("203.0.113.9", "zhao", "correct horse").await.unwrap().status().as_u16(), 429);
        assert_eq!(
            login("198.51.100.7", "zhao", "correct horse").await.unwrap().status().as_u16(),
            200,
            "another client"
        );
        // The page's form is limited by the same count.
        let page = app
            .client
            .post(app.url("/login"))
            .header("x-forwarded-for", "203.0.113.9")
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("lb_csrf={}", crate::bulk::CSRF))
            .body(format!("csrf={}&username=zhao&password=correct+horse", crate::bulk::CSRF))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 429);
        assert!(page.text().await.unwrap().contains("尝试登录的次数过多"));
    }
}

/// Runs the per-address test with a limit of 5 on both backends.
mod failures_from_one_address_across_accounts_are_slowed {
    use crate::helpers::{Backend, TestApp};

    async fn run(backend: Backend) {
        if let Some(app) = TestApp::spawn_with(backend, |s| s.login_address_max_failures = 5).await {
            super::failures_from_one_address_across_accounts_are_slowed(app).await;
        }
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await;
    }
}

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

/// Sends `n` logins at once; the statuses.
async fn parallel_logins(app: &TestApp, n: usize, username: &str, password: &str) -> Vec<u16> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (client, url) = (app.client.clone(), app.url("/api/v1/auth/login"));
        let body = json!({"username": username, "password": password});
        tasks.push(tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

async fn thirty_parallel_wrong_passwords_check_at_most_the_limit(app: TestApp) {
    // The test service locks an account after 3 failures.
    app.add_password_user("huang", Role::Clerk, "correct horse");
    let statuses = parallel_logins(&app, 30, "huang", "wrong").await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (3, 27), "{statuses:?}");
    assert_eq!(app.count_where("audit_log", "action = 'login_failed'"), 3);
    let (s, _) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "huang", "password": "correct horse"})))
        .await;
    assert_eq!(s, 429, "the account stays locked, even for the right password");
    assert_eq!(app.count_where("users", "username = 'huang' AND locked_until IS NOT NULL AND failed_logins = 3"), 1);
}

async fn logout_revokes_the_token(app: TestApp) {
    app.add_password_user("li", Role::Clerk, "粤桂协作2019!");
    let (s, b) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "li", "password": "粤桂协作2019!"})))
        .await;
    assert_eq!(s, 200, "{b}");
    let token = b["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/auth/me", &token).await.0, 200);
    let (s, _) = app.call("POST", "/api/v1/auth/logout", Some(&token), None).await;
    assert_eq!(s, 204);
    let (s, b) = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(s, 401, "{b}");
    let (s, _) = app.call("POST", "/api/v1/auth/logout", Some(&token), None).await;
    assert_eq!(s, 401, "a revoked token cannot sign out again");
    // Another user's token is untouched.
    assert_eq!(app.get("/api/v1/auth/me", &app.clerk).await.0, 200);
    assert_eq!(app.count_where("audit_log", "action = 'logout'"), 1);
}

async fn failures_from_one_address_across_accounts_are_slowed(app: TestApp) {
    // Each account here fails only once, below its own lock of 3.
    app.add_password_user("zhao", Role::Clerk, "correct horse");
    let limit = app.settings.login_address_max_failures as usize;
    for i in 0..limit {
        let body = json!({"username": format!("user{i}"), "password": "guess"});
        let (s, _) = app.call("POST", "/api/v1/auth/login", None, Some(body)).await;
        assert_eq!(s, 401);
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "zhao", "password": "guess"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    // zhao's own account was never tried, so it is not locked.
    assert_eq!(app.count_where("users", "username = 'zhao' AND failed_logins = 0"), 1);
}

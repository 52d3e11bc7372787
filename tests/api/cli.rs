//! The binary itself: `user add`, `migrate`, `seed-demo`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{fresh_pg_database, Backend, TestApp};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labour-bridge"));
    c.env_remove("DATABASE_URL").env_remove("LB_DATA_DIR").env("LB_LOG", "warn");
    c
}

crate::on_both_backends!(
    user_add_prints_a_token_alone_on_the_last_line_that_the_service_accepts,
    user_add_tokens_expire_unless_told_otherwise,
    the_request_log_carries_no_id_number_password_or_token,
);

async fn the_request_log_carries_no_id_number_password_or_token(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log_path = dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = bin()
        .env("LB_LOG", "info")
        .env("LB_SCHEDULER_SECS", "0")
        .args(["--data-dir", dir.path().to_str().unwrap(), "--database-url", &app.database_url, "serve"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..100 {
        if app.client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "serve did not come up: {}", std::fs::read_to_string(&log_path).unwrap_or_default());
    let idn = crate::helpers::id_number("451424", "19900307", 123);
    let c = &app.client;
    // Refused (organisers may not search the registry), bad, good, and a 404 path.
    let url = format!("{base}/api/v1/labourers?id_number={idn}");
    assert_eq!(c.get(&url).bearer_auth(&app.organiser).send().await.unwrap().status(), 403);
    let url = format!("{base}/api/v1/labourers?id_number={idn}&limit=0");
    assert_eq!(c.get(&url).bearer_auth(&app.clerk).send().await.unwrap().status(), 400);
    let url = format!("{base}/api/v1/labourers?id_number={idn}");
    assert_eq!(c.get(&url).bearer_auth(&app.clerk).send().await.unwrap().status(), 200);
    let url = format!("{base}/api/v1/nothing/{idn}");
    assert_eq!(c.get(&url).bearer_auth(&app.clerk).send().await.unwrap().status(), 404);
    let body = serde_json::json!({"id_number": idn, "name": "农秀英", "phone": "1380013", "notes": 5});
    let r = c.post(format!("{base}/api/v1/labourers")).bearer_auth(&app.clerk).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let body = serde_json::json!({"username": "admin", "password": "秘密-Secret-2019"});
    assert_eq!(c.post(format!("{base}/api/v1/auth/login")).json(&body).send().await.unwrap().status(), 401);
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(text.contains("request refused"), "the refusals are logged: {text}");
    for secret in [idn.as_str(), &idn[6..14], "1380013", "秘密-Secret-2019", &app.clerk, &app.organiser] {
        assert!(!text.contains(secret), "`{secret}` in the log:\n{text}");
    }
}

async fn user_add_tokens_expire_unless_told_otherwise(app: TestApp) {
    let add = |name: &str, expires: Option<&str>| {
        let mut args = vec!["--database-url", &app.database_url, "user", "add", name, "--role", "clerk"];
        if let Some(e) = expires {
            args.extend(["--expires", e]);
        }
        let out = bin().args(&args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = add("sun", None);
    assert!(printed.contains("valid until"), "{printed}");
    add("qian", Some("never"));
    add("wu", Some("30"));
    let expiring = |name: &str| {
        app.count_where(
            "api_tokens",
            &format!("expires_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE username = '{name}')"),
        )
    };
    assert_eq!((expiring("sun"), expiring("qian"), expiring("wu")), (1, 0, 1));
    let out = bin()
        .args(["--database-url", &app.database_url, "user", "add", "x", "--role", "clerk", "--expires", "soon"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

async fn user_add_prints_a_token_alone_on_the_last_line_that_the_service_accepts(app: TestApp) {
    let mut child = bin()
        .args([
            "--database-url",
            &app.database_url,
            "user",
            "add",
            "zhou",
            "--role",
            "clerk",
            "--unit",
            "江海区人社局",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("江海-大新 2019\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap();
    assert!(token.starts_with("lb_") && !token.contains(' '), "{stdout}");
    let (s, me) = app.get("/api/v1/auth/me", token).await;
    assert_eq!(s, 200);
    assert_eq!(me["username"], "zhou");
    assert_eq!(me["unit"], "江海区人社局");
    let (s, _) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"username": "zhou", "password": "江海-大新 2019"})),
        )
        .await;
    assert_eq!(s, 200);
    // A trainee needs their labourer record.
    let out =
        bin().args(["--database-url", &app.database_url, "user", "add", "t", "--role", "trainee"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--labourer-id"));
    // The API's password rule (10 characters; the command took 8), and no
    // token that has expired before it is shown.
    let add = |name: &str, extra: &[&str], password: &str| {
        let mut child = bin()
            .args(["--database-url", &app.database_url, "user", "add", name, "--role", "clerk", "--password-stdin"])
            .args(extra)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, said) = add("short", &[], "12345678\n");
    assert!(!ok && said.contains("at least 10"), "{said}");
    let (ok, said) = add("expired", &["--expires", "2020-01-01"], "江海-大新 2019\n");
    assert!(!ok && said.contains("already past"), "{said}");
}

fn migrations_run_back_and_forth(url: &str, dir: &std::path::Path) {
    let out = bin()
        .args(["--data-dir", dir.to_str().unwrap(), "--database-url", url, "migrate", "--check-reversible"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn migrations_are_reversible_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("x.sqlite3");
    migrations_run_back_and_forth(url.to_str().unwrap(), dir.path());
}

#[test]
fn migrations_are_reversible_on_postgres() {
    let Some((url, name)) = fresh_pg_database() else { return };
    let _dropped = crate::helpers::DroppedAtEnd(name);
    let dir = tempfile::tempdir().unwrap();
    migrations_run_back_and_forth(&url, dir.path());
}

#[test]
fn an_unreachable_postgres_is_reported_as_such() {
    let out = bin().args(["--database-url", "postgres://postgres@127.0.0.1:1/none", "migrate"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the database") && err.contains("127.0.0.1:1"), "{err}");
}

crate::on_both_backends!(the_demo_data_is_the_plans_places_and_is_deterministic,);

async fn the_demo_data_is_the_plans_places_and_is_deterministic(app: TestApp) {
    let out = bin().args(["--database-url", &app.database_url, "seed-demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(app.count("labourers"), 245, "200 labourers, 15 vocational students, 30 looking for work today");
    assert_eq!(app.count("employers"), 30);
    assert_eq!(app.count("postings"), 90, "60 from 2019, 30 open today");
    assert!(app.count("placements") >= 120);
    assert_eq!(app.count("job_fairs"), 2, "the 2019 joint fair and one held the day the demo is loaded");
    assert_eq!(app.count("training_sessions"), 1);
    assert!(app.count("job_fair_attendees") >= 40);
    assert!(app.count("enrolments") >= 25);
    assert!(app.count("vocational_enrolments") >= 10);
    let progress = app.get_ok("/api/v1/targets/progress?year=2019", &app.clerk).await;
    let items = progress["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{progress}");
    let actual = |m: &str| items.iter().find(|i| i["metric"] == m).unwrap()["actual"].as_i64().unwrap();
    assert_eq!(actual("job_fairs"), 1, "{progress}");
    assert_eq!(actual("training_sessions"), 1, "{progress}");
    assert!(actual("new-transfers-east") > 30, "the demo's 2019 transfers show on the ledger: {progress}");
    // Loading twice is refused rather than doubling the registry.
    let again = bin().args(["--database-url", &app.database_url, "seed-demo"]).output().unwrap();
    assert!(!again.status.success());

    let page = app.get_ok("/api/v1/labourers?limit=500", &app.clerk).await;
    let people = page["items"].as_array().unwrap();
    let today = chrono::Utc::now().date_naive();
    for p in people {
        let n = p["id_number"].as_str().unwrap();
        assert!(labour_bridge::domain::IdNumber::parse(n, today).is_ok(), "{n}");
    }
    let townships: std::collections::BTreeSet<&str> =
        people.iter().map(|p| p["hukou_township"].as_str().unwrap()).collect();
    assert!(townships.contains("硕龙镇") && townships.contains("下雷镇"));
    let placements = app.get_ok("/api/v1/placements?limit=500", &app.clerk).await;
    let years: std::collections::BTreeSet<&str> =
        placements["items"].as_array().unwrap().iter().map(|p| &p["started_on"].as_str().unwrap()[..4]).collect();
    assert!(years.contains("2018") && years.contains("2019"), "{years:?}");

    // The same seed on a fresh SQLite file gives the same people.
    let other = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let out = bin().args(["--database-url", &other.database_url, "seed-demo"]).output().unwrap();
    assert!(out.status.success());
    let again = other.get_ok("/api/v1/labourers?limit=500", &other.clerk).await;
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|p| format!("{}{}", p["id_number"], p["name"])).collect()
    };
    assert_eq!(ids(&page), ids(&again));

    // The demo lives today: the demo trainee, signed in, gets matches, and
    // anyone searching finds postings taking applications now.
    let login = serde_json::json!({"username": "demo-trainee", "password": "labour-bridge-demo"});
    let (s, session) = app.call("POST", "/api/v1/auth/login", None, Some(login)).await;
    assert_eq!(s, 200, "{session}");
    let token = session["token"].as_str().unwrap();
    let me = app.get_ok("/api/v1/auth/me", token).await;
    let mine = format!("/api/v1/labourers/{}/matches", me["labourer_id"]);
    let started = std::time::Instant::now();
    let matches = loop {
        let m = app.get_ok(&mine, token).await;
        if !m["hits"].as_array().unwrap().is_empty() || started.elapsed() > std::time::Duration::from_secs(20) {
            break m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let hits = matches["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "the demo trainee sees matches: {matches}");
    let today = labour_bridge::clock::today().to_string();
    assert!(
        hits.iter().all(|h| h["closes_on"].as_str().is_none_or(|c| c >= today.as_str())),
        "only postings taking applications: {matches}"
    );
    let found = app.call("GET", "/api/v1/postings/search?q=%E5%8E%A8%E5%B8%88", None, None).await.1;
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
}

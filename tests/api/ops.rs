//! Operations: `/readyz` and `/metrics`.

use serde_json::json;

use crate::helpers::{Backend, TestApp};

/// An app whose indexer never runs on its own (the test applies the outbox
/// when it chooses) and whose readiness allows no lag at all.
async fn strict(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |s| {
        s.index_interval_ms = 0;
        s.ready_max_lag_entries = 0;
        s.ready_max_lag_secs = 3600;
    })
    .await
}

macro_rules! strict_on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = super::strict(crate::helpers::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = super::strict(crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

strict_on_both!(
    readyz_names_a_lagging_search_index_until_it_catches_up,
    an_index_stopped_before_pruned_outbox_entries_rebuilds_and_finds_them,
);

async fn readyz_names_a_lagging_search_index_until_it_catches_up(app: TestApp) {
    let (s, ready) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(s, 200, "{ready}");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["search_index"]["entries"], 0);

    // A write the index has not taken in yet: not ready, and it says why.
    let e = app.employer("江门市江海区明阳灯饰厂").await;
    app.post_created(
        "/api/v1/postings",
        &app.clerk,
        json!({"employer_id": e, "title": "灯饰装配工", "headcount": 2, "region_code": "440704"}),
    )
    .await;
    let (s, ctype, problem) = app.call_raw("GET", "/readyz", None, None).await;
    assert_eq!(s, 503, "{problem}");
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!(errors[0]["field"], "search_index");
    assert_eq!(errors[0]["code"], "lagging");
    assert!(errors[0]["message"].as_str().unwrap().contains("搜索索引落后 1 条"), "{problem}");
    let (_, english) = app.call_en("GET", "/readyz", None, None).await;
    assert!(english["errors"][0]["message"].as_str().unwrap().contains("1 change(s) behind"), "{english}");

    // Once the indexer has applied the outbox, ready again.
    while app.search.sync(&app.db).unwrap() > 0 {}
    let (s, ready) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(s, 200, "{ready}");
    // Liveness never depended on the index.
    let (s, _) = app.call("GET", "/healthz", None, None).await;
    assert_eq!(s, 200);
}

crate::on_both_backends!(metrics_are_prometheus_text_for_admins_and_count_requests_by_route,);

/// A sample: its metric name, its labels (name, value) and its value.
type Sample = (String, Vec<(String, String)>, f64);

/// One sample line: its name, labels and value. Panics on a line that
/// breaks the text format's grammar (`name{label="value",…} number`).
fn parse_sample(line: &str) -> Sample {
    let is_name = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
    assert!(is_name(&name), "bad metric name: {line}");
    let mut rest = &line[name.len()..];
    let mut labels = Vec::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut chars = inner.char_indices();
        let mut key = String::new();
        loop {
            let (i, c) = chars.next().unwrap_or_else(|| panic!("unclosed labels: {line}"));
            match c {
                '}' if key.is_empty() => {
                    rest = &inner[i + 1..];
                    break;
                }
                ',' if key.is_empty() => {}
                '=' => {
                    assert!(is_name(&key), "bad label name in {line}");
                    assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "unquoted label value: {line}");
                    let mut value = String::new();
                    loop {
                        match chars.next().unwrap_or_else(|| panic!("unclosed label value: {line}")).1 {
                            '\\' => match chars.next().map(|(_, c)| c) {
                                Some('n') => value.push('\n'),
                                Some(c @ ('\\' | '"')) => value.push(c),
                                other => panic!("bad escape {other:?} in {line}"),
                            },
                            '"' => break,
                            c => value.push(c),
                        }
                    }
                    labels.push((std::mem::take(&mut key), value));
                }
                c => key.push(c),
            }
        }
    }
    let value = rest.strip_prefix(' ').unwrap_or_else(|| panic!("no value: {line}"));
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        v => v.parse().unwrap_or_else(|_| panic!("bad value: {line}")),
    };
    (name, labels, value)
}

/// Checks the page against the text format (0.0.4): `# HELP` and `# TYPE`
/// lines, samples by the grammar, every sample's family typed; returns the
/// samples.
fn parse_page(page: &str) -> Vec<Sample> {
    let mut typed = std::collections::BTreeSet::new();
    let mut samples = Vec::new();
    for line in page.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind), "{line}");
            typed.insert(name.to_string());
        } else if !line.starts_with("# HELP ") {
            let sample = parse_sample(line);
            let name = sample.0.as_str();
            let family = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
            assert!(typed.contains(name) || typed.contains(family), "no # TYPE before {line}");
            samples.push(sample);
        }
    }
    samples
}

/// The value of the sample `name` whose labels include all of `labels`.
fn sample(page: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    parse_page(page)
        .into_iter()
        .find(|(n, ls, _)| n == name && labels.iter().all(|(k, v)| ls.iter().any(|(lk, lv)| lk == k && lv == v)))
        .map(|(_, _, v)| v)
}

async fn metrics_page(app: &TestApp, token: Option<&str>) -> (u16, String, String) {
    let mut req = app.client.get(app.url("/metrics"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ctype = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ctype, resp.text().await.unwrap())
}

async fn metrics_are_prometheus_text_for_admins_and_count_requests_by_route(app: TestApp) {
    // Not for anonymous callers, nor for clerks.
    assert_eq!(metrics_page(&app, None).await.0, 401);
    assert_eq!(metrics_page(&app, Some(&app.clerk)).await.0, 403);

    let route = [("method", "GET"), ("route", "/api/v1/labourers/{id}"), ("status", "200")];
    let (s, ctype, before) = metrics_page(&app, Some(&app.admin)).await;
    assert_eq!(s, 200, "{before}");
    assert!(ctype.starts_with("text/plain") && ctype.contains("version=0.0.4"), "{ctype}");
    let counted_before = sample(&before, "labour_bridge_http_requests_total", &route).unwrap_or(0.0);

    let id_number = crate::helpers::id_number("451424", "19900101", 11);
    let person = app.labourer(json!({"id_number": id_number, "name": "黄志强"})).await;
    app.get_ok(&format!("/api/v1/labourers/{}", person["id"]), &app.clerk).await;
    app.get_ok(&format!("/api/v1/labourers/{}", person["id"]), &app.clerk).await;

    let (_, _, page) = metrics_page(&app, Some(&app.admin)).await;
    let counted = sample(&page, "labour_bridge_http_requests_total", &route).unwrap();
    assert_eq!(counted - counted_before, 2.0, "{page}");
    let latency = [("method", "GET"), ("route", "/api/v1/labourers/{id}")];
    assert!(sample(&page, "labour_bridge_http_request_duration_seconds_count", &latency).unwrap() >= 2.0, "{page}");
    // Routes are patterns: neither the record's id nor its ID number shows.
    assert!(!page.contains(&format!("/api/v1/labourers/{}\"", person["id"])), "{page}");
    assert!(!page.contains(&id_number), "{page}");
    for name in [
        "labour_bridge_outbox_depth",
        "labour_bridge_search_index_lag_seconds",
        "labour_bridge_db_pool_connections_in_use",
        "labour_bridge_mails_sent_total",
        "labour_bridge_mails_failed_total",
    ] {
        assert!(sample(&page, name, &[]).is_some(), "{name} missing:\n{page}");
    }
    assert_eq!(sample(&page, "labour_bridge_database_up", &[]), Some(1.0), "{page}");
    // A request to no route is counted under one label, whatever its path.
    app.call("GET", "/api/v1/labourers-451424199001010111", None, None).await;
    let (_, _, page) = metrics_page(&app, Some(&app.admin)).await;
    assert!(sample(&page, "labour_bridge_http_requests_total", &[("route", "unmatched")]).is_some(), "{page}");
    assert!(!page.contains("451424199001010111"), "{page}");
}

/// Total hits of a public search for `q` (closed postings included).
async fn found(app: &TestApp, q: &str) -> u64 {
    let path = format!("/api/v1/postings/search?q={}&open_only=false&limit=1", crate::helpers::urlencode(q));
    let (s, b) = app.call("GET", &path, None, None).await;
    assert_eq!(s, 200, "{b}");
    b["total"].as_u64().unwrap()
}

/// The scheduler prunes outbox entries older than `outbox_keep_days`; an
/// index that had not taken them in (its instance was down) must not skip
/// the writes they stood for: it rebuilds from the registry.
async fn an_index_stopped_before_pruned_outbox_entries_rebuilds_and_finds_them(app: TestApp) {
    use diesel::prelude::*;
    use labour_bridge::db::schema::outbox;
    use labour_bridge::mail::scheduler::run_once;

    let e = app.employer("江门市江海区明阳灯饰厂").await;
    for title in ["灯饰装配工", "注塑机操作工"] {
        app.post_created(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": title, "headcount": 2, "region_code": "440704"}),
        )
        .await;
    }
    // Written ten days ago, and this instance's index never saw them.
    let ten_days_ago = labour_bridge::db::models::now() - chrono::TimeDelta::days(10);
    {
        let mut c = app.db.get().unwrap();
        diesel::update(outbox::table).set(outbox::at.eq(ten_days_ago)).execute(&mut *c).unwrap();
    }
    app.post_created(
        "/api/v1/postings",
        &app.clerk,
        json!({"employer_id": e, "title": "仓库叉车司机", "headcount": 1, "region_code": "440704"}),
    )
    .await;
    assert_eq!(app.count("outbox"), 3);
    let today = labour_bridge::clock::today();

    // Keeping every entry (0) prunes nothing.
    let mut keep_all = app.settings.clone();
    keep_all.outbox_keep_days = 0;
    assert_eq!(run_once(&app.db, &keep_all, "instance-a", today).await.unwrap().outbox_pruned, 0);
    assert_eq!(app.count("outbox"), 3);

    // A week: the two old entries go, today's stays.
    let mut week = app.settings.clone();
    week.outbox_keep_days = 7;
    assert_eq!(run_once(&app.db, &week, "instance-a", today).await.unwrap().outbox_pruned, 2);
    assert_eq!(run_once(&app.db, &week, "instance-b", today).await.unwrap().outbox_pruned, 0, "idempotent");
    assert_eq!(app.count("outbox"), 1);

    assert_eq!(found(&app, "灯饰装配").await, 0, "not yet indexed");
    while app.search.sync(&app.db).unwrap() > 0 {}
    assert_eq!(found(&app, "灯饰装配").await, 1, "a pruned write was skipped by the index");
    assert_eq!(found(&app, "注塑机").await, 1);
    assert_eq!(found(&app, "叉车").await, 1);
    let (s, ready) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(s, 200, "{ready}");
}

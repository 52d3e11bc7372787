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

strict_on_both!(readyz_names_a_lagging_search_index_until_it_catches_up,);

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

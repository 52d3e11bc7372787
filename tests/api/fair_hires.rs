//! Hires at a fair: each makes one placement from its posting under the
//! headcount guard, even when two desks hire at once; a hire registered in
//! error is undone by deleting its placement; a posting keeps at least as
//! many places as it has hired.

use serde_json::{json, Value};

use crate::fairs::{fair_with_posting, walk_in};
use crate::helpers::TestApp;

crate::on_both_backends!(
    a_hire_creates_exactly_one_placement_from_the_posting,
    a_posting_whose_headcount_is_used_up_answers_409,
    two_concurrent_hires_for_the_last_place_end_in_one_hire_and_one_409,
);

async fn hire(app: &TestApp, f: i64, posting: i64, serial: u32) -> (i64, String) {
    let person = walk_in(app, f, serial).await;
    let (s, i) = app
        .post(
            &format!("/api/v1/fairs/{f}/intentions"),
            &app.clerk,
            json!({"labourer_id": person["labourer_id"], "posting_id": posting}),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    (i["id"].as_i64().unwrap(), format!("/api/v1/fairs/{f}/intentions/{}", i["id"]))
}

async fn a_hire_creates_exactly_one_placement_from_the_posting(app: TestApp) {
    let (f, p) = fair_with_posting(&app, 3).await;
    let (_, url) = hire(&app, f, p, 1).await;
    let (s, b) = app.patch(&url, &app.clerk, json!({"status": "hired"})).await;
    assert_eq!(s, 422, "a hire needs its first day: {b}");
    assert_eq!(b["errors"][0]["field"], "started_on");
    let (s, b) = app.patch(&url, &app.clerk, json!({"status": "hired", "started_on": "2019-03-18"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "hired");
    let placement = &b["placement"];
    assert_eq!(placement["channel"], "job_fair");
    assert_eq!(placement["job_fair_id"], f);
    assert_eq!(placement["posting_id"], p);
    assert_eq!(placement["region_code"], "440704");
    assert_eq!(placement["occupation"], "中式烹调师");
    assert_eq!(placement["started_on"], "2019-03-18");
    assert_eq!(b["placement_id"], placement["id"]);
    assert_eq!(app.count("placements"), 1);
    // Hiring again is refused and adds nothing.
    let (s, _) = app.patch(&url, &app.clerk, json!({"status": "hired", "started_on": "2019-03-18"})).await;
    assert_eq!(s, 409);
    assert_eq!(app.count("placements"), 1);
    // The same intention twice is a conflict naming the first.
    let (s, b) = app
        .post(
            &format!("/api/v1/fairs/{f}/intentions"),
            &app.clerk,
            json!({"labourer_id": placement["labourer_id"], "posting_id": p}),
        )
        .await;
    assert_eq!(s, 409);
    assert!(b["existing_id"].is_number());
    // A hire registered in error: its job is deleted (it was refused with
    // words naming no cause), and the intention is 有意向 again, audited.
    let (s, b) = app.delete(&format!("/api/v1/placements/{}", placement["id"]), &app.clerk).await;
    assert_eq!(s, 204, "{b}");
    let list = app.get_ok(&format!("/api/v1/fairs/{f}/intentions"), &app.clerk).await;
    let i = &list["items"][0];
    assert_eq!((i["status"].clone(), i["placement_id"].clone()), (json!("intended"), Value::Null), "{list}");
    assert_eq!(app.count_where("audit_log", "resource = 'job_fair_intention' AND action = 'update'"), 2);
    assert_eq!(app.count("placements"), 0);
}

async fn a_posting_whose_headcount_is_used_up_answers_409(app: TestApp) {
    let (f, p) = fair_with_posting(&app, 1).await;
    let (_, first) = hire(&app, f, p, 1).await;
    let (_, second) = hire(&app, f, p, 2).await;
    let (s, _) = app.patch(&first, &app.clerk, json!({"status": "hired", "started_on": "2019-03-18"})).await;
    assert_eq!(s, 200);
    let (s, b) = app
        .call_en("PATCH", &second, Some(&app.clerk), Some(json!({"status": "hired", "started_on": "2019-03-18"})))
        .await;
    assert_eq!(s, 409, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("1 of 1"), "{b}");
    let posting = app.get_ok(&format!("/api/v1/postings/{p}"), &app.clerk).await;
    assert_eq!(posting["headcount"], 1, "nothing is decremented silently");
    assert_eq!(app.count("placements"), 1);
    let (s, b) = app.patch(&second, &app.clerk, json!({"status": "declined"})).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "declined");
    // Two places, then one hired and one more place taken away is fine;
    // fewer places than people hired is refused (1 place, 2 hired was saved).
    let (s, b) = app
        .patch(&format!("/api/v1/postings/{p}"), &app.clerk, json!({"version": posting["version"], "headcount": 2}))
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, _) = app.patch(&second, &app.clerk, json!({"status": "hired", "started_on": "2019-03-18"})).await;
    assert_eq!(s, 200);
    let current = app.get_ok(&format!("/api/v1/postings/{p}"), &app.clerk).await;
    let (s, b) = app
        .patch(&format!("/api/v1/postings/{p}"), &app.clerk, json!({"version": current["version"], "headcount": 1}))
        .await;
    assert_eq!((s, &b["errors"][0]["code"]), (422, &json!("below_hired")), "{b}");
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("录用 2 人"), "{b}");
}

async fn two_concurrent_hires_for_the_last_place_end_in_one_hire_and_one_409(app: TestApp) {
    let (f, p) = fair_with_posting(&app, 1).await;
    let (_, a) = hire(&app, f, p, 1).await;
    let (_, b) = hire(&app, f, p, 2).await;
    let tasks: Vec<_> = [a, b]
        .into_iter()
        .map(|url| {
            let req = app
                .client
                .patch(app.url(&url))
                .bearer_auth(&app.clerk)
                .json(&json!({"status": "hired", "started_on": "2019-03-18"}));
            tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap().unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(app.count("placements"), 1);
}

//! Duplicate review (DESIGN §8): which pairs are listed, merging a pair
//! into one record with its whole history, refusing a merge that would
//! make an impossible history, dismissing a pair, and who may do it.

use serde_json::{json, Value};

use crate::bulk::send;
use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    pairs_are_same_name_and_birth_date_or_a_typing_slip_of_the_number,
    a_merge_moves_the_whole_history_onto_the_kept_record,
    a_merge_that_would_make_two_jobs_overlap_is_409_and_changes_nothing,
    a_dismissed_pair_is_no_longer_listed_and_the_dismissal_is_audited,
    only_the_registry_roles_review_and_bad_requests_name_the_field,
    the_desk_says_where_the_numbers_differ_and_confirms_a_merge_side_by_side,
);

async fn person(app: &TestApp, birth: &str, serial: u32, name: &str) -> i64 {
    app.labourer(
        json!({"id_number": id_number("451424", birth, serial), "name": name, "poverty_status": "registered_poor"}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn pairs(app: &TestApp) -> Vec<Value> {
    app.get_ok("/api/v1/labourers/duplicates", &app.clerk).await["items"].as_array().unwrap().clone()
}

async fn placement(app: &TestApp, labourer: i64, employer: i64, started: &str, ended: Option<&str>) -> (u16, Value) {
    let mut body = json!({"labourer_id": labourer, "employer_id": employer, "region_code": "440704",
                          "started_on": started, "channel": "referral"});
    if let Some(e) = ended {
        body["ended_on"] = json!(e);
    }
    app.post("/api/v1/placements", &app.clerk, body).await
}

async fn pairs_are_same_name_and_birth_date_or_a_typing_slip_of_the_number(app: TestApp) {
    // Same name and birth date, unrelated serials.
    let a = person(&app, "19790406", 31, "谭海运").await;
    let b = person(&app, "19790406", 57, "谭海运").await;
    // Same name; the birth dates differ in one digit (a slip of the desk).
    let c = person(&app, "19880312", 5, "黄丽").await;
    let d = person(&app, "19880313", 5, "黄丽").await;
    // Same name; two neighbouring digits swapped (12 → 21).
    let e = person(&app, "19850312", 7, "农志坚").await;
    let f = person(&app, "19850321", 7, "农志坚").await;
    // Not pairs: other names with one birth date; one name, unrelated numbers.
    person(&app, "19790406", 40, "梁小红").await;
    person(&app, "19700101", 50, "黄丽").await;
    let got = pairs(&app).await;
    let summary: Vec<(i64, i64, &str)> = got
        .iter()
        .map(|p| (p["a"].as_i64().unwrap(), p["b"].as_i64().unwrap(), p["likeness"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, [(a, b, "same_birth_date"), (c, d, "one_character"), (e, f, "transposition")], "{got:?}");
    assert_eq!(got[1]["name"], "黄丽");
    assert_eq!(got[1]["differs_at"][0], 14, "the day's last digit, then the check character: {}", got[1]);
    for p in &got {
        for side in ["a_id_number", "b_id_number"] {
            let shown = p[side].as_str().unwrap();
            assert_eq!(shown.chars().count(), 18);
            assert!(shown.contains('*'), "ID numbers in the list are masked: {shown}");
        }
    }
    // Paging by cursor walks the same pairs.
    let first = app.get_ok("/api/v1/labourers/duplicates?limit=2", &app.clerk).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = first["next_cursor"].as_str().unwrap();
    let rest = app.get_ok(&format!("/api/v1/labourers/duplicates?limit=2&cursor={next}"), &app.clerk).await;
    assert_eq!(rest["items"][0]["a"], e);
    assert!(rest["next_cursor"].is_null());
}

async fn a_merge_moves_the_whole_history_onto_the_kept_record(app: TestApp) {
    let keep = person(&app, "19790406", 31, "谭海运").await;
    let other = person(&app, "19790406", 13, "谭海运").await;
    let employer = app.employer("江门市江海区新能电子有限公司").await;
    assert_eq!(placement(&app, keep, employer, "2019-07-01", None).await.0, 201);
    assert_eq!(placement(&app, other, employer, "2019-03-01", Some("2019-06-30")).await.0, 201);
    let (s, p) = app
        .post("/api/v1/training/programmes", &app.clerk, json!({"name": "粤菜师傅", "occupation": "中式烹调师",
            "provider": "台山市广东厨艺技工学校", "provider_region_code": "440781", "free": true, "certificate_name": "中式烹调师"}))
        .await;
    assert_eq!(s, 201, "{p}");
    let session = app
        .post_created(
            "/api/v1/training/sessions",
            &app.clerk,
            json!({"programme_id": p["id"], "starts_on": "2019-05-06",
            "ends_on": "2019-06-14", "capacity": 40, "location": "台城校区"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let (s, _) = app
        .post(&format!("/api/v1/training/sessions/{session}/enrolments"), &app.clerk, json!({"labourer_id": other}))
        .await;
    assert_eq!(s, 201);
    let audits_before = app.count("audit_log");

    let (s, merged) = app
        .post(&format!("/api/v1/labourers/duplicates/{keep}/{other}/merge"), &app.clerk, json!({"keep": keep}))
        .await;
    assert_eq!(s, 200, "{merged}");
    assert_eq!(merged["kept"], keep);
    assert_eq!(merged["removed"], other);
    assert_eq!(merged["moved"]["placements"], 1);
    assert_eq!(merged["moved"]["enrolments"], 1);

    let (s, _) = app.get(&format!("/api/v1/labourers/{other}"), &app.clerk).await;
    assert_eq!(s, 404, "the other record is gone");
    let jobs = app.get_ok(&format!("/api/v1/placements?labourer_id={keep}"), &app.clerk).await;
    assert_eq!(jobs["items"].as_array().unwrap().len(), 2, "{jobs}");
    assert_eq!(app.count_where("placements", &format!("labourer_id = {other}")), 0);
    assert_eq!(app.count_where("enrolments", &format!("labourer_id = {keep}")), 1);
    assert_eq!(app.count_where("audit_log", &format!("action = 'merge' AND resource_id = {keep}")), 1);
    assert_eq!(app.count_where("audit_log", &format!("action = 'delete' AND resource_id = {other}")), 1);
    assert_eq!(app.count("audit_log"), audits_before + 2, "both records audited, nothing else");
    assert!(pairs(&app).await.is_empty(), "a merged pair is no longer a pair");
}

async fn a_merge_that_would_make_two_jobs_overlap_is_409_and_changes_nothing(app: TestApp) {
    let a = person(&app, "19790406", 31, "谭海运").await;
    let b = person(&app, "19790406", 13, "谭海运").await;
    let employer = app.employer("江门市江海区新能电子有限公司").await;
    assert_eq!(placement(&app, a, employer, "2019-03-01", Some("2019-08-31")).await.0, 201);
    assert_eq!(placement(&app, b, employer, "2019-06-01", None).await.0, 201);
    let audits_before = app.count("audit_log");
    for keep in [a, b] {
        let (s, body) =
            app.post(&format!("/api/v1/labourers/duplicates/{a}/{b}/merge"), &app.clerk, json!({"keep": keep})).await;
        assert_eq!(s, 409, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("重叠"), "the reason is given: {body}");
    }
    assert_eq!(app.count("labourers"), 2);
    assert_eq!(app.count_where("placements", &format!("labourer_id = {a}")), 1);
    assert_eq!(app.count_where("placements", &format!("labourer_id = {b}")), 1);
    assert_eq!(app.count("audit_log"), audits_before);
    assert_eq!(pairs(&app).await.len(), 1, "still listed for review");
}

async fn a_dismissed_pair_is_no_longer_listed_and_the_dismissal_is_audited(app: TestApp) {
    let a = person(&app, "19790406", 31, "谭海运").await;
    let b = person(&app, "19790406", 13, "谭海运").await;
    let c = person(&app, "19880312", 5, "黄丽").await;
    let d = person(&app, "19880313", 5, "黄丽").await;
    assert_eq!(pairs(&app).await.len(), 2);
    // Either order names the same pair; twice is no error.
    for path in [format!("{b}/{a}"), format!("{a}/{b}")] {
        let (s, body) = app.post(&format!("/api/v1/labourers/duplicates/{path}/dismiss"), &app.clerk, json!({})).await;
        assert_eq!(s, 204, "{body}");
    }
    let left = pairs(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!((left[0]["a"].as_i64(), left[0]["b"].as_i64()), (Some(c), Some(d)));
    assert_eq!(app.count_where("audit_log", "action = 'dismiss_duplicate'"), 1);
    assert_eq!(app.count("labourers"), 4, "dismissing deletes nothing");
}

async fn only_the_registry_roles_review_and_bad_requests_name_the_field(app: TestApp) {
    let a = person(&app, "19790406", 31, "谭海运").await;
    let b = person(&app, "19790406", 13, "谭海运").await;
    let merge = format!("/api/v1/labourers/duplicates/{a}/{b}/merge");
    let dismiss = format!("/api/v1/labourers/duplicates/{a}/{b}/dismiss");
    assert_eq!(app.get("/api/v1/labourers/duplicates", &app.organiser).await.0, 403);
    assert_eq!(app.post(&merge, &app.organiser, json!({"keep": a})).await.0, 403);
    assert_eq!(app.post(&dismiss, &app.organiser, json!({})).await.0, 403);
    assert_eq!(app.call("GET", "/api/v1/labourers/duplicates", None, None).await.0, 401);

    let (s, body) = app.post(&merge, &app.clerk, json!({"keep": 999_999})).await;
    assert_eq!(s, 422);
    assert_eq!(body["errors"][0]["field"], "keep");
    let (s, body) = app.post(&merge, &app.clerk, json!({})).await;
    assert_eq!(s, 422);
    assert_eq!(body["errors"][0]["field"], "keep");
    let (s, _) =
        app.post(&format!("/api/v1/labourers/duplicates/{a}/999999/merge"), &app.clerk, json!({"keep": a})).await;
    assert_eq!(s, 404);
    let (s, body) = app.post(&format!("/api/v1/labourers/duplicates/{a}/{a}/dismiss"), &app.clerk, json!({})).await;
    assert_eq!(s, 422, "{body}");
    let (s, body) = app.get("/api/v1/labourers/duplicates?cursor=x", &app.clerk).await;
    assert_eq!(s, 400);
    assert_eq!(body["errors"][0]["field"], "cursor");
    assert_eq!(app.count("labourers"), 2);
}

/// The review page tells the slip apart from the check digit that follows
/// it, and a merge is first a page that sets both records side by side —
/// what each holds, which one is deleted — before anything moves.
async fn the_desk_says_where_the_numbers_differ_and_confirms_a_merge_side_by_side(app: TestApp) {
    let c = person(&app, "19880312", 5, "黄丽").await;
    let d = person(&app, "19880313", 5, "黄丽").await;
    let e = person(&app, "19850312", 7, "农志坚").await;
    let f = person(&app, "19850321", 7, "农志坚").await;
    let employer = app.employer("江门市江海区某电子厂").await;
    assert_eq!(placement(&app, d, employer, "2019-03-01", None).await.0, 201);
    let list = send(&app, &app.clerk, "/desk/duplicates", None).await;
    assert!(list.body.contains("身份证号仅第 14 位不同（第 18 位是校验码，随之不同）"), "{}", list.body);
    assert!(list.body.contains("身份证号第 13、14 位相邻颠倒"), "{}", list.body);
    assert!(!list.body.contains("仅一位不同（第"), "{}", list.body);
    let _ = f;

    let confirm = send(&app, &app.clerk, &format!("/desk/duplicates/{c}/{d}/merge?keep={c}"), None).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains(&format!("删除记录 {d}，不能恢复")), "{}", confirm.body);
    let jobs = confirm.body.split("<th scope=\"row\">就业登记</th>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(jobs.contains("0 条") && jobs.contains("1 条"), "the job the deleted record holds: {jobs}");
    // In full, the differing digit marked (masked, it hid the digit to
    // decide by), and audited as any full view.
    assert!(confirm.body.contains("4514241988031【2】"), "{}", confirm.body);
    assert!(confirm.body.contains("4514241988031【3】"), "{}", confirm.body);
    assert_eq!(app.count_where("audit_log", "action = 'view_unmasked' AND resource = 'labourer'"), 2);
    assert_eq!(app.count_where("labourers", &format!("id IN ({c}, {d})")), 2, "nothing merged by looking");
    let wrong = send(&app, &app.clerk, &format!("/desk/duplicates/{c}/{d}/merge?keep={e}"), None).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    // Two records the review would not list (another name, numbers not a
    // slip apart): no confirm page and no merge — it once took any two ids.
    let (s, b) = app.post(&format!("/api/v1/labourers/duplicates/{c}/{e}/merge"), &app.clerk, json!({"keep": c})).await;
    assert_eq!((s, b["errors"][0]["code"].as_str()), (422, Some("not_a_pair")), "{b}");
    let page = send(&app, &app.clerk, &format!("/desk/duplicates/{c}/{e}/merge?keep={c}"), None).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(app.count_where("labourers", &format!("id IN ({c}, {e})")), 2);

    let done =
        send(&app, &app.clerk, &format!("/desk/duplicates/{c}/{d}/merge"), Some(&[("keep", &c.to_string())])).await;
    assert_eq!((done.status, done.location.as_str()), (303, format!("/desk/duplicates?merged={c}").as_str()));
    assert_eq!(app.count_where("placements", &format!("labourer_id = {c}")), 1);
}

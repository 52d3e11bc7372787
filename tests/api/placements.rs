use serde_json::json;

use crate::helpers::{id_number, TestApp};
use labour_bridge::auth::Role;

crate::on_both_backends!(
    a_placement_ending_before_it_starts_is_422,
    full_time_placements_of_one_person_may_not_overlap,
    concurrent_overlapping_placements_end_in_one_placement,
    a_posting_fills_in_the_employer_and_occupation,
    a_trainee_sees_only_their_own_placements,
    a_job_begun_before_its_worker_was_born_is_a_mistyped_year,
    a_child_s_job_a_school_before_birth_and_a_number_that_moves_the_birth_are_refused,
);

async fn setup(app: &TestApp) -> (i64, i64) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19920202", 21), "name": "赵家宝", "poverty_status": "registered_poor"})).await;
    let e = app.employer("江门市江海区新能电子有限公司").await;
    (l["id"].as_i64().unwrap(), e)
}

async fn a_placement_ending_before_it_starts_is_422(app: TestApp) {
    let (l, e) = setup(&app).await;
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l, "employer_id": e, "region_code": "440704",
            "started_on": "2019-05-01", "ended_on": "2019-04-30", "channel": "referral"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "ended_on");
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l, "employer_id": e, "started_on": "2019-05-01", "channel": "walked"}),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["channel", "region_code"]);
    let (s, b) = app.post("/api/v1/placements", &app.clerk, json!({"labourer_id": 999, "employer_id": e, "region_code": "440704", "started_on": "2019-05-01", "channel": "referral"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "labourer_id");
    assert_eq!(app.count("placements"), 0);
}

async fn full_time_placements_of_one_person_may_not_overlap(app: TestApp) {
    let (l, e) = setup(&app).await;
    let base = json!({"labourer_id": l, "employer_id": e, "region_code": "440704", "channel": "job_fair"});
    let with = |extra: serde_json::Value| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let (s, first) = app
        .post("/api/v1/placements", &app.clerk, with(json!({"started_on": "2019-03-01", "ended_on": "2019-06-30"})))
        .await;
    assert_eq!(s, 201, "{first}");
    let (s, b) = app.post("/api/v1/placements", &app.clerk, with(json!({"started_on": "2019-06-30"}))).await;
    assert_eq!(s, 409, "same last day overlaps: {b}");
    assert_eq!(b["existing_id"], first["id"]);
    let (s, _) =
        app.post("/api/v1/placements", &app.clerk, with(json!({"started_on": "2019-05-01", "part_time": true}))).await;
    assert_eq!(s, 201, "part-time work may overlap");
    let (s, second) = app.post("/api/v1/placements", &app.clerk, with(json!({"started_on": "2019-07-01"}))).await;
    assert_eq!(s, 201);
    // Stretching the first into the second is refused too.
    let (s, _) = app
        .patch(&format!("/api/v1/placements/{}", first["id"]), &app.clerk, json!({"version": 1, "ended_on": null}))
        .await;
    assert_eq!(s, 409);
    let (s, b) = app
        .patch(
            &format!("/api/v1/placements/{}", second["id"]),
            &app.clerk,
            json!({"version": 1, "ended_on": "2019-12-31", "monthly_income": 4300}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["monthly_income"], 4300);
}

async fn concurrent_overlapping_placements_end_in_one_placement(app: TestApp) {
    let (l, e) = setup(&app).await;
    let body = json!({"labourer_id": l, "employer_id": e, "region_code": "440704", "started_on": "2019-03-01", "channel": "referral"});
    // Spawned tasks start at once, so the requests race for the same person.
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let req = app.client.post(app.url("/api/v1/placements")).bearer_auth(&app.clerk).json(&body);
            tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap().unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409]);
    assert_eq!(app.count("placements"), 1);
}

async fn a_posting_fills_in_the_employer_and_occupation(app: TestApp) {
    let (l, e) = setup(&app).await;
    let p = app.post_created("/api/v1/postings", &app.clerk, json!({"employer_id": e, "title": "电子厂普工", "occupation": "电子设备装配工", "headcount": 10, "region_code": "440704"})).await;
    let (s, b) = app.post("/api/v1/placements", &app.clerk, json!({"labourer_id": l, "posting_id": p["id"], "region_code": "440704", "started_on": "2019-04-01", "channel": "public_service"})).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["employer_id"], e);
    assert_eq!(b["occupation"], "电子设备装配工");
    let other = app.employer("别的公司").await;
    let (s, b) = app.post("/api/v1/placements", &app.clerk, json!({"labourer_id": l, "posting_id": p["id"], "employer_id": other, "region_code": "440704", "started_on": "2020-04-01", "channel": "public_service"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["code"], "mismatch");
}

async fn a_trainee_sees_only_their_own_placements(app: TestApp) {
    let (l, e) = setup(&app).await;
    let other = app.labourer(json!({"id_number": id_number("451424", "19920202", 23), "name": "赵家财"})).await;
    let mine = app.post_created("/api/v1/placements", &app.clerk, json!({"labourer_id": l, "employer_id": e, "region_code": "440704", "started_on": "2019-04-01", "channel": "referral"})).await;
    let theirs = app.post_created("/api/v1/placements", &app.clerk, json!({"labourer_id": other["id"], "employer_name": "个体餐馆", "region_code": "451424", "started_on": "2019-04-01", "channel": "self_found"})).await;
    let token = app.add_user("jiabao", Role::Trainee, None, Some(l));
    let (s, b) = app.get("/api/v1/placements", &token).await;
    assert_eq!(s, 200);
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    assert_eq!(b["items"][0]["id"], mine["id"]);
    let (s, _) = app.get(&format!("/api/v1/placements/{}", theirs["id"]), &token).await;
    assert_eq!(s, 403);
    let (s, _) = app.get(&format!("/api/v1/placements?labourer_id={}", other["id"]), &token).await;
    assert_eq!(s, 403);
    let (s, _) = app.post("/api/v1/placements", &token, json!({})).await;
    assert_eq!(s, 403);
}

/// 1800-01-01 for a person born in 1992 was once saved, and every real
/// job of theirs then overlapped it; on a change too.
async fn a_job_begun_before_its_worker_was_born_is_a_mistyped_year(app: TestApp) {
    let (l, e) = setup(&app).await;
    let job = |started_on: &str| json!({"labourer_id": l, "employer_id": e, "region_code": "440704", "started_on": started_on, "channel": "referral"});
    for day in ["1800-01-01", "1992-02-01"] {
        let (s, b) = app.post("/api/v1/placements", &app.clerk, job(day)).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!((&b["errors"][0]["field"], &b["errors"][0]["code"]), (&json!("started_on"), &json!("before_birth")));
        assert!(b["errors"][0]["message"].as_str().unwrap().contains("早于本人的出生日期（1992-02-02）"), "{b}");
    }
    assert_eq!(app.count("placements"), 0);
    let p = app.post_created("/api/v1/placements", &app.clerk, job("2019-03-01")).await;
    let (s, b) = app
        .patch(
            &format!("/api/v1/placements/{}", p["id"]),
            &app.clerk,
            json!({"version": p["version"], "started_on": "1900-03-01"}),
        )
        .await;
    assert_eq!((s, &b["errors"][0]["field"]), (422, &json!("started_on")), "{b}");
}

/// A five-year-old was counted as a new transfer east; a school begun
/// before its student was born was taken; and a changed ID number moved a
/// birth after the person's own job. A job before working age (劳动法 §15:
/// 16), any record before the birth, and such a number are refused.
async fn a_child_s_job_a_school_before_birth_and_a_number_that_moves_the_birth_are_refused(app: TestApp) {
    let (l, e) = setup(&app).await;
    let job = |started_on: &str| json!({"labourer_id": l, "employer_id": e, "region_code": "440704", "started_on": started_on, "channel": "referral"});
    let (s, b) = app.post("/api/v1/placements", &app.clerk, job("2008-02-01")).await;
    assert_eq!((s, &b["errors"][0]["code"]), (422, &json!("under_working_age")), "{b}");
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("未满 16 周岁"), "{b}");
    // Born 1992-02-02: from the 16th birthday on, a job is taken.
    let first = app.post_created("/api/v1/placements", &app.clerk, job("2008-02-02")).await;

    let child = app.labourer(json!({"id_number": id_number("451424", "20150303", 25), "name": "赵小宝"})).await;
    let school = json!({"labourer_id": child["id"], "school_name": "江门市技师学院", "school_region_code": "440703",
        "enrolled_on": "2014-09-01"});
    let (s, b) = app.post("/api/v1/vocational-enrolments", &app.clerk, school).await;
    assert_eq!(
        (s, &b["errors"][0]["field"], &b["errors"][0]["code"]),
        (422, &json!("enrolled_on"), &json!("before_birth")),
        "{b}"
    );

    // A number born in 2010 for the person whose job began in 2008.
    let person = app.get_ok(&format!("/api/v1/labourers/{l}"), &app.clerk).await;
    let moved = json!({"version": person["version"], "id_number": id_number("451424", "20100101", 27)});
    let (s, b) = app.patch(&format!("/api/v1/labourers/{l}"), &app.clerk, moved).await;
    assert_eq!(
        (s, &b["errors"][0]["field"], &b["errors"][0]["code"]),
        (422, &json!("id_number"), &json!("birth_after_records")),
        "{b}"
    );
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("从 2008-02-02 开始"), "{b}");
    let after = app.get_ok(&format!("/api/v1/labourers/{l}"), &app.clerk).await;
    assert_eq!(after["birth_date"], "1992-02-02", "nothing written");
    assert_eq!(app.count("placements"), 1, "{first}");
}

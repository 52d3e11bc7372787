use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    a_completed_enrolment_with_a_certificate_appears_on_the_labourer,
    enrolling_past_capacity_is_409,
    session_and_outcome_rules_answer_422,
    a_placement_can_point_at_the_enrolment_that_led_to_it,
);

async fn session(app: &TestApp, capacity: i32) -> i64 {
    let (s, p) = app
        .post("/api/v1/training/programmes", &app.clerk, json!({"name": "粤菜师傅", "occupation": "中式烹调师",
            "provider": "台山市广东厨艺技工学校", "provider_region_code": "440781", "free": true, "certificate_name": "中式烹调师"}))
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["provider_region_name"], "广东省江门市台山市");
    let (s, b) = app
        .post(
            "/api/v1/training/sessions",
            &app.clerk,
            json!({"programme_id": p["id"], "starts_on": "2019-05-06",
            "ends_on": "2019-06-14", "capacity": capacity, "location": "台城校区"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

async fn person(app: &TestApp, serial: u32) -> i64 {
    app.labourer(json!({"id_number": id_number("451424", "19920304", serial), "name": format!("学员{serial}"), "poverty_status": "registered_poor"}))
        .await["id"]
        .as_i64()
        .unwrap()
}

async fn a_completed_enrolment_with_a_certificate_appears_on_the_labourer(app: TestApp) {
    let s_id = session(&app, 40).await;
    let l = person(&app, 1).await;
    let (s, e) =
        app.post(&format!("/api/v1/training/sessions/{s_id}/enrolments"), &app.clerk, json!({"labourer_id": l})).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["status"], "enrolled");
    let before = app.get_ok(&format!("/api/v1/labourers/{l}"), &app.clerk).await;
    assert_eq!(before["certificates"], json!([]));
    let (s, done) = app
        .patch(&format!("/api/v1/training/sessions/{s_id}/enrolments/{}", e["id"]), &app.clerk,
               json!({"version": 1, "status": "completed", "completed_on": "2019-06-14", "certificate_no": "1944078100000120",
                      "certificate_kind": "qualification", "certificate_level": "五级/初级工", "certified_on": "2019-06-28"}))
        .await;
    assert_eq!(s, 200, "{done}");
    let after = app.get_ok(&format!("/api/v1/labourers/{l}"), &app.clerk).await;
    assert_eq!(after["certificates"][0]["certificate_no"], "1944078100000120");
    assert_eq!(after["certificates"][0]["name"], "中式烹调师");
    assert_eq!(after["certificates"][0]["level"], "五级/初级工");
    assert_eq!(after["certificates"][0]["kind"], "qualification");

    // Another trainee: the same certificate number, a completion typed
    // 2030 for 2019, a certificate issued before the course ended — each
    // was once saved.
    let other = person(&app, 2).await;
    let (_, e2) = app
        .post(&format!("/api/v1/training/sessions/{s_id}/enrolments"), &app.clerk, json!({"labourer_id": other}))
        .await;
    let url = format!("/api/v1/training/sessions/{s_id}/enrolments/{}", e2["id"]);
    let outcome = |extra: serde_json::Value| {
        let mut body = json!({"version": 1, "status": "completed", "completed_on": "2019-06-14",
            "certificate_no": "1944078100000121", "certified_on": "2019-06-28"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    for (extra, status, field, code) in [
        (json!({"certificate_no": "1944078100000120"}), 409, "certificate_no", "duplicate"),
        (json!({"completed_on": "2030-06-14", "certified_on": "2030-06-20"}), 422, "completed_on", "future"),
        (json!({"certified_on": "2018-12-01"}), 422, "certified_on", "date_order"),
    ] {
        let (s, b) = app.patch(&url, &app.clerk, outcome(extra.clone())).await;
        assert_eq!(
            (s, &b["errors"][0]["field"], &b["errors"][0]["code"]),
            (status, &json!(field), &json!(code)),
            "{extra}: {b}"
        );
    }
    let (s, b) = app.patch(&url, &app.clerk, outcome(json!({}))).await;
    assert_eq!(s, 200, "{b}");
}

async fn enrolling_past_capacity_is_409(app: TestApp) {
    let s_id = session(&app, 2).await;
    let url = format!("/api/v1/training/sessions/{s_id}/enrolments");
    let (a, b, c) = (person(&app, 1).await, person(&app, 2).await, person(&app, 3).await);
    assert_eq!(app.post(&url, &app.clerk, json!({"labourer_id": a})).await.0, 201);
    let (s, dup) = app.post(&url, &app.clerk, json!({"labourer_id": a})).await;
    assert_eq!(s, 409, "enrolled twice: {dup}");
    assert_eq!(app.post(&url, &app.clerk, json!({"labourer_id": b})).await.0, 201);
    let (s, full) = app.call_en("POST", &url, Some(&app.clerk), Some(json!({"labourer_id": c}))).await;
    assert_eq!(s, 409);
    assert!(full["detail"].as_str().unwrap().contains("full"), "{full}");
    assert_eq!(app.count("enrolments"), 2);
    // A drop-out frees the place.
    let list = app.get_ok(&url, &app.clerk).await;
    let first = &list["items"][0];
    let (s, _) =
        app.patch(&format!("{url}/{}", first["id"]), &app.clerk, json!({"version": 1, "status": "dropped"})).await;
    assert_eq!(s, 200);
    assert_eq!(app.post(&url, &app.clerk, json!({"labourer_id": c})).await.0, 201);
    // Capacity may not drop below those enrolled.
    let (s, _) =
        app.patch(&format!("/api/v1/training/sessions/{s_id}"), &app.clerk, json!({"version": 1, "capacity": 1})).await;
    assert_eq!(s, 409);
}

async fn session_and_outcome_rules_answer_422(app: TestApp) {
    let p = app
        .post_created(
            "/api/v1/training/programmes",
            &app.clerk,
            json!({"name": "粤菜师傅", "provider": "台山市广东厨艺技工学校"}),
        )
        .await;
    let (s, b) = app
        .post(
            "/api/v1/training/sessions",
            &app.clerk,
            json!({"programme_id": p["id"], "starts_on": "2019-06-14", "ends_on": "2019-05-06", "capacity": 0}),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["capacity", "ends_on"]);
    let (s, b) = app
        .post(
            "/api/v1/training/sessions",
            &app.clerk,
            json!({"programme_id": 999, "starts_on": "2019-05-06", "ends_on": "2019-06-14", "capacity": 5}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "programme_id");
    let s_id = session(&app, 5).await;
    let l = person(&app, 1).await;
    let e = app
        .post_created(&format!("/api/v1/training/sessions/{s_id}/enrolments"), &app.clerk, json!({"labourer_id": l}))
        .await;
    let url = format!("/api/v1/training/sessions/{s_id}/enrolments/{}", e["id"]);
    let (s, b) =
        app.patch(&url, &app.clerk, json!({"version": 1, "status": "completed", "certificate_kind": "diploma"})).await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["certificate_kind", "completed_on"]);
    let (s, b) = app
        .patch(
            &url,
            &app.clerk,
            json!({"version": 1, "status": "enrolled", "certificate_no": "X1", "certified_on": "2019-06-28"}),
        )
        .await;
    assert_eq!(s, 422, "a certificate without completion: {b}");
    let (s, _) = app
        .post(&format!("/api/v1/training/sessions/{s_id}/enrolments"), &app.organiser, json!({"labourer_id": l}))
        .await;
    assert_eq!(s, 403);
}

async fn a_placement_can_point_at_the_enrolment_that_led_to_it(app: TestApp) {
    let s_id = session(&app, 5).await;
    let l = person(&app, 1).await;
    let other = person(&app, 2).await;
    let e = app
        .post_created(&format!("/api/v1/training/sessions/{s_id}/enrolments"), &app.clerk, json!({"labourer_id": l}))
        .await;
    let employer = app.employer("台山市广海湾餐饮管理有限公司").await;
    let (s, p) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l, "employer_id": employer, "region_code": "440781",
            "started_on": "2019-07-01", "channel": "training", "enrolment_id": e["id"]}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["enrolment_id"], e["id"]);
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": other, "employer_id": employer, "region_code": "440781",
            "started_on": "2019-07-01", "channel": "training", "enrolment_id": e["id"]}),
        )
        .await;
    assert_eq!(s, 422, "another person's enrolment: {b}");
    assert_eq!(b["errors"][0]["code"], "mismatch");
}

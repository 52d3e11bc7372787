use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    targets_are_set_by_admins_and_progress_counts_fairs_and_sessions,
    deadlines_default_to_the_plans_mailbox,
    progress_is_counted_to_a_day_asked_for_and_says_how_in_chinese,
);

async fn targets_are_set_by_admins_and_progress_counts_fairs_and_sessions(app: TestApp) {
    let (s, _) =
        app.post("/api/v1/targets", &app.clerk, json!({"year": 2019, "metric": "job_fairs", "min_value": 1})).await;
    assert_eq!(s, 403, "clerks read targets, admins set them");
    for (metric, v) in [("new-transfers-east", 155), ("job_fairs", 1), ("training_sessions", 2)] {
        let (s, b) =
            app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": metric, "min_value": v})).await;
        assert_eq!(s, 201, "{b}");
    }
    let (s, b) =
        app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "job_fairs", "min_value": 2})).await;
    assert_eq!(s, 409, "{b}");
    // The same measure by its other code (the job-fairs ledger, the
    // training ledger): the summary once listed it twice with two targets.
    for metric in ["job-fairs", "trainings"] {
        let (s, b) =
            app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": metric, "min_value": 2})).await;
        assert_eq!((s, &b["errors"][0]["code"]), (409, &json!("duplicate")), "{metric}: {b}");
    }
    let (s, b) =
        app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "happiness", "min_value": -1})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"].as_array().unwrap().len(), 2);

    let (s, _) = app
        .post(
            "/api/v1/fairs",
            &app.clerk,
            json!({"name": "招聘会", "held_on": "2019-03-08", "region_code": "451424", "organisers": ["大新县人社局"]}),
        )
        .await;
    assert_eq!(s, 201);
    app.post_created(
        "/api/v1/fairs",
        &app.clerk,
        json!({"name": "上一年", "held_on": "2018-03-08", "region_code": "451424", "organisers": ["大新县人社局"]}),
    )
    .await;
    let p = app
        .post_created(
            "/api/v1/training/programmes",
            &app.clerk,
            json!({"name": "粤菜师傅", "provider": "台山市广东厨艺技工学校"}),
        )
        .await;
    app.post_created(
        "/api/v1/training/sessions",
        &app.clerk,
        json!({"programme_id": p["id"], "starts_on": "2019-05-06", "ends_on": "2019-06-14", "capacity": 40}),
    )
    .await;

    let (s, b) = app.get("/api/v1/targets/progress?year=2019", &app.clerk).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["as_of"], "2019-12-31");
    let item = |m: &str| b["items"].as_array().unwrap().iter().find(|i| i["metric"] == m).unwrap().clone();
    assert_eq!(item("job_fairs")["actual"], 1);
    assert_eq!(item("job_fairs")["met"], true);
    assert_eq!(item("training_sessions")["actual"], 1);
    assert_eq!(item("training_sessions")["met"], false);
    assert_eq!(item("new-transfers-east")["actual"], 0, "counted by its ledger");
    assert_eq!(item("new-transfers-east")["met"], false);
    let (s, _) = app.get("/api/v1/targets/progress", &app.clerk).await;
    assert_eq!(s, 400);
    let (s, _) = app.get("/api/v1/targets/progress?year=2019", &app.organiser).await;
    assert_eq!(s, 403);
    // One report, not pages: the document offers the year and the day to
    // count to (it once listed limit and cursor, which did nothing).
    let (_, doc) = app.call("GET", "/api/v1/openapi.json", None, None).await;
    let offered: Vec<&str> = doc["paths"]["/api/v1/targets/progress"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["year", "as_of"]);
}

async fn deadlines_default_to_the_plans_mailbox(app: TestApp) {
    let (s, d) = app
        .post(
            "/api/v1/deadlines",
            &app.admin,
            json!({"name": "台账报送", "due_on": "2019-11-15", "what": "ledgers", "remind_days_before": [1, 7, 3]}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["recipients"], json!(["dxfp010@163.com"]));
    assert_eq!(d["remind_days_before"], json!([7, 3, 1]));
    let (s, b) = app
        .post("/api/v1/deadlines", &app.admin, json!({"name": "总结", "due_on": "2019-11-30", "what": "report", "recipients": ["not an address"], "remind_days_before": [-1]}))
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["recipients[0]", "remind_days_before[0]", "what"]);
    let (s, list) = app.get("/api/v1/deadlines", &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (s, _) =
        app.patch(&format!("/api/v1/deadlines/{}", d["id"]), &app.clerk, json!({"version": 1, "name": "x"})).await;
    assert_eq!(s, 403);
}

/// Progress as at a past day of the year (a reviewer checking a quarterly
/// figure), by the ledgers' rule for `as_of`; its basis in Chinese.
async fn progress_is_counted_to_a_day_asked_for_and_says_how_in_chinese(app: TestApp) {
    app.post_created(
        "/api/v1/targets",
        &app.admin,
        json!({"year": 2019, "metric": "new-transfers-east", "min_value": 2}),
    )
    .await;
    for (serial, started) in [(61, "2019-03-01"), (62, "2019-09-01")] {
        let l = app
            .labourer(json!({"id_number": crate::helpers::id_number("451424", "19900101", serial),
                "name": format!("进度{serial}"), "poverty_status": "registered_poor"}))
            .await;
        app.post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": l["id"], "employer_name": "江门某厂", "region_code": "440703",
                "started_on": started, "channel": "referral"}),
        )
        .await;
    }
    let actual = |b: &serde_json::Value| b["items"][0]["actual"].as_i64().unwrap();
    let whole = app.get_ok("/api/v1/targets/progress?year=2019", &app.clerk).await;
    assert_eq!((actual(&whole), whole["as_of"].as_str()), (2, Some("2019-12-31")));
    assert_eq!(whole["items"][0]["met"], true);
    let june = app.get_ok("/api/v1/targets/progress?year=2019&as_of=2019-06-30", &app.clerk).await;
    assert_eq!((actual(&june), june["as_of"].as_str()), (1, Some("2019-06-30")));
    assert_eq!(june["items"][0]["met"], false);
    assert_eq!(june["items"][0]["basis"], "按《新增转移到东部地区就业贫困人口》台账统计，2019-01-01 至 2019-06-30");
    let ledger = app.get_ok("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-06-30", &app.clerk).await;
    assert_eq!(ledger["rows"].as_array().map(Vec::len), Some(1), "the ledger of that day agrees: {ledger}");
    for (asked, code) in [("2020-01-01", "as_of"), ("2019-02-30", "as_of"), ("2019-13-01", "as_of")] {
        let (s, b) = app.get(&format!("/api/v1/targets/progress?year=2019&as_of={asked}"), &app.clerk).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (400, Some(code)), "{asked}: {b}");
    }
}

use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    a_posting_is_created_and_changed_with_its_version,
    posting_rules_are_checked_across_fields,
    a_posting_for_a_missing_employer_is_422,
);

async fn a_posting_is_created_and_changed_with_its_version(app: TestApp) {
    let e = app.employer("江门市江海区粤味酒家").await;
    let (s, p) = app
        .post("/api/v1/postings", &app.clerk, json!({"employer_id": e, "title": "粤菜厨师", "occupation": "中式烹调师",
            "headcount": 3, "salary_min": 4500, "salary_max": 7000, "region_code": "440704", "benefits": ["housing", "meals", "housing"],
            "education_min": "junior_high", "max_age": 45}))
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["benefits"], json!(["housing", "meals"]));
    assert_eq!(p["status"], "open");
    assert_eq!(p["gender_requirement"], "any");
    let path = format!("/api/v1/postings/{}", p["id"]);
    let (s, b) = app.patch(&path, &app.clerk, json!({"version": 1, "status": "closed"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "closed");
    assert_eq!(b["title"], "粤菜厨师", "untouched fields stay");
    let (s, _) = app.patch(&path, &app.clerk, json!({"version": 1, "status": "open"})).await;
    assert_eq!(s, 409);
    let (s, b) = app.get("/api/v1/postings?status=closed", &app.organiser).await;
    assert_eq!(s, 200);
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.count("outbox"), 2, "create and update are queued for search");
    let (s, _) = app.delete(&path, &app.clerk).await;
    assert_eq!(s, 204);
    assert_eq!(app.count("outbox"), 3);
}

async fn posting_rules_are_checked_across_fields(app: TestApp) {
    let e = app.employer("江门市江海区粤味酒家").await;
    let (s, b) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": "普工", "headcount": 0, "salary_min": 6000, "salary_max": 4000,
            "region_code": "440704", "gender_requirement": "robot", "benefits": ["yacht"], "min_age": 50, "max_age": 30,
            "opens_on": "2019-05-01", "closes_on": "2019-04-01"}),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["benefits[0]", "closes_on", "gender_requirement", "headcount", "max_age", "salary_max"]);
    assert_eq!(app.count("postings"), 0);
    let (s, p) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": "普工", "headcount": 5, "salary_min": 3500, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, b) = app
        .patch(&format!("/api/v1/postings/{}", p["id"]), &app.clerk, json!({"version": 1, "salary_max": 3000}))
        .await;
    assert_eq!(s, 422, "the stored salary_min counts: {b}");
}

async fn a_posting_for_a_missing_employer_is_422(app: TestApp) {
    let (s, b) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": 4242, "title": "保安", "headcount": 1, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "employer_id");
    assert_eq!(app.count("postings"), 0);
    assert_eq!(app.count("outbox"), 0);
}

use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    a_uscc_with_a_wrong_check_character_is_accepted_with_a_warning,
    a_malformed_uscc_is_rejected_and_a_duplicate_is_409,
    an_employer_with_postings_cannot_be_deleted,
    everyone_reads_employers_but_only_the_registry_writes,
);

fn uscc(first17: &str) -> String {
    format!("{first17}{}", labour_bridge::domain::uscc::check_char(first17).unwrap())
}

async fn a_uscc_with_a_wrong_check_character_is_accepted_with_a_warning(app: TestApp) {
    let good = uscc("91440704MA4UJ5X3A");
    let (s, b) = app
        .post(
            "/api/v1/employers",
            &app.clerk,
            json!({"name": "江门市江海区新能电子有限公司", "uscc": good, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["warnings"], json!([]));
    assert_eq!(b["region_name"], "广东省江门市江海区");
    let wrong_check = if good.ends_with('0') { "1" } else { "0" };
    let bad = format!("{}{wrong_check}", &uscc("91440703MA4UJ5X3B")[..17]);
    let (s, b) = app
        .post("/api/v1/employers", &app.clerk, json!({"name": "试点企业", "uscc": bad, "region_code": "440703"}))
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["warnings"][0]["field"], "uscc");
    assert_eq!(b["warnings"][0]["code"], "checksum");
    assert_eq!(b["uscc"], bad);
}

async fn a_malformed_uscc_is_rejected_and_a_duplicate_is_409(app: TestApp) {
    for (code, why) in [("9144070", "length"), ("91440704MA4UJ5X3AI", "charset")] {
        let (s, b) = app
            .post("/api/v1/employers", &app.clerk, json!({"name": "x", "uscc": code, "region_code": "440704"}))
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(b["errors"][0]["field"], "uscc");
        assert_eq!(b["errors"][0]["code"], why);
    }
    let (s, b) = app.post("/api/v1/employers", &app.clerk, json!({"name": "x"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "region_code");
    let code = uscc("91440704MA4UJ5X3A");
    let (s, first) =
        app.post("/api/v1/employers", &app.clerk, json!({"name": "甲", "uscc": code, "region_code": "440704"})).await;
    assert_eq!(s, 201);
    let (s, b) = app
        .post(
            "/api/v1/employers",
            &app.clerk,
            json!({"name": "乙", "uscc": code.to_lowercase(), "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(b["existing_id"], first["id"]);
    // An individual business without a code is fine, twice.
    for n in ["个体户甲", "个体户乙"] {
        let (s, _) =
            app.post("/api/v1/employers", &app.clerk, json!({"name": n, "region_code": "451424", "uscc": ""})).await;
        assert_eq!(s, 201);
    }
}

async fn an_employer_with_postings_cannot_be_deleted(app: TestApp) {
    let e = app.employer("台山市粤厨餐饮管理有限公司").await;
    let spare = app.employer("空壳公司").await;
    let (s, _) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": "粤菜厨师", "headcount": 2, "region_code": "440781"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, b) = app.delete(&format!("/api/v1/employers/{e}"), &app.clerk).await;
    assert_eq!(s, 409, "{b}");
    let (s, _) = app.delete(&format!("/api/v1/employers/{spare}"), &app.clerk).await;
    assert_eq!(s, 204);
}

async fn everyone_reads_employers_but_only_the_registry_writes(app: TestApp) {
    let e = app.employer("江门市礼乐物业管理有限公司").await;
    let (s, b) = app.get(&format!("/api/v1/employers/{e}"), &app.organiser).await;
    assert_eq!(s, 200);
    let (s, _) = app
        .patch(&format!("/api/v1/employers/{e}"), &app.organiser, json!({"version": b["version"], "name": "y"}))
        .await;
    assert_eq!(s, 403);
    let (s, b) = app
        .patch(&format!("/api/v1/employers/{e}"), &app.clerk, json!({"version": 1, "is_poverty_workshop": true}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["is_poverty_workshop"], true);
    let (s, b) = app.get("/api/v1/employers?is_poverty_workshop=true&name=礼乐", &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    let (s, _) = app.get("/api/v1/employers?is_poverty_workshop=maybe", &app.clerk).await;
    assert_eq!(s, 400);
}

use serde_json::json;

use crate::helpers::{id_number, TestApp};
use labour_bridge::auth::Role;

crate::on_both_backends!(
    creating_a_labourer_derives_gender_and_birth_date,
    a_lower_case_x_is_stored_upper_case,
    a_second_registration_of_an_id_number_is_409_with_the_existing_id,
    a_name_and_birth_date_twin_is_created_with_possible_duplicates,
    every_failing_field_is_listed_and_nothing_is_written,
    an_old_15_digit_number_is_rejected_with_its_own_message,
    a_stale_version_is_409_and_the_current_one_is_accepted,
    the_desk_finds_a_person_by_exact_id_number,
    lists_page_with_a_cursor,
    a_trainee_reads_and_edits_only_their_own_record_masked,
    an_organiser_cannot_read_the_registry,
    a_labourer_with_placements_cannot_be_deleted,
    a_clerks_unmasked_view_is_audited,
    an_id_number_of_no_known_region_is_registered_with_a_remark_everywhere,
);

async fn creating_a_labourer_derives_gender_and_birth_date(app: TestApp) {
    let idn = id_number("451424", "19900307", 123);
    let b = app
        .labourer(json!({"id_number": idn, "name": "农秀英", "phone": "13800138000", "poverty_status": "registered_poor",
                         "hukou_township": "硕龙镇", "hukou_village": "义宁村", "skills": ["炒菜"], "education": "junior_high"}))
        .await;
    assert_eq!(b["gender"], "male");
    assert_eq!(b["birth_date"], "1990-03-07");
    assert_eq!(b["hukou_region_code"], "451424", "defaults to the ID number's region");
    assert_eq!(b["hukou_region_name"], "广西壮族自治区崇左市大新县");
    assert_eq!(b["id_number"], idn, "a clerk sees the full number");
    assert_eq!(b["version"], 1);
    assert_eq!(b["possible_duplicates"], json!([]));
    let (s, got) = app.get(&format!("/api/v1/labourers/{}", b["id"]), &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(got["skills"], json!(["炒菜"]));
    assert_eq!(got["education"], "junior_high");
    assert_eq!(app.count("outbox"), 1, "the write is queued for the search index");
}

async fn a_lower_case_x_is_stored_upper_case(app: TestApp) {
    // Find a serial whose check character is X.
    let idn = (0..1000).map(|s| id_number("440704", "19851231", s)).find(|n| n.ends_with('X')).unwrap();
    let b = app.labourer(json!({"id_number": idn.to_lowercase(), "name": "梁志强"})).await;
    assert_eq!(b["id_number"], idn);
    assert_eq!(b["poverty_status"], "unverified", "unconfirmed until a clerk says otherwise");
}

async fn a_second_registration_of_an_id_number_is_409_with_the_existing_id(app: TestApp) {
    let idn = id_number("451424", "19880101", 222);
    let first = app.labourer(json!({"id_number": idn, "name": "黄丽"})).await;
    let (s, b) = app.post("/api/v1/labourers", &app.clerk, json!({"id_number": idn, "name": "黄丽"})).await;
    assert_eq!(s, 409);
    assert_eq!(b["existing_id"], first["id"]);
    assert_eq!(b["errors"][0]["field"], "id_number");
    // Beside the field as well (a page shows only that): which record.
    let told = b["errors"][0]["message"].as_str().unwrap();
    assert!(told.contains(&format!("见劳动力编号 {}", first["id"])), "{b}");
    assert_eq!(app.count("labourers"), 1);
}

async fn a_name_and_birth_date_twin_is_created_with_possible_duplicates(app: TestApp) {
    let a = app.labourer(json!({"id_number": id_number("451424", "19790406", 31), "name": "谭海运"})).await;
    let b = app.labourer(json!({"id_number": id_number("451424", "19790406", 13), "name": "谭海运"})).await;
    assert_eq!(b["possible_duplicates"], json!([a["id"]]));
    let (s, pairs) = app.get("/api/v1/labourers/duplicates", &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!((&pairs["items"][0]["a"], &pairs["items"][0]["b"]), (&a["id"], &b["id"]));
    assert_eq!(pairs["items"].as_array().unwrap().len(), 1);
}

async fn every_failing_field_is_listed_and_nothing_is_written(app: TestApp) {
    let (s, ctype, b) = app
        .call_raw(
            "POST",
            "/api/v1/labourers",
            Some(&app.clerk),
            Some(json!({"id_number": "45142419900230123X", "name": 7, "phone": "1234", "poverty_status": "rich",
                        "birth_date": "1990-01-01", "education": "phd", "desired_region_codes": ["999999"], "nickname": "x"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "birth_date",
            "desired_region_codes[0]",
            "education",
            "id_number",
            "name",
            "nickname",
            "phone",
            "poverty_status"
        ]
    );
    let code = |f: &str| b["errors"].as_array().unwrap().iter().find(|e| e["field"] == f).unwrap()["code"].clone();
    assert_eq!(code("id_number"), "birth_date", "February 30th is not a date");
    assert_eq!(code("birth_date"), "derived");
    assert_eq!(code("nickname"), "unknown_field");
    assert_eq!(code("desired_region_codes[0]"), "unknown_region");
    assert_eq!(app.count("labourers"), 0);
    assert_eq!(app.count("audit_log"), 0);
}

async fn an_old_15_digit_number_is_rejected_with_its_own_message(app: TestApp) {
    let (s, b) =
        app.post("/api/v1/labourers", &app.clerk, json!({"id_number": "451424900307123", "name": "农秀英"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["code"], "old_format");
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("15"), "{b}");
}

async fn a_stale_version_is_409_and_the_current_one_is_accepted(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19950505", 44), "name": "韦美玲"})).await;
    let path = format!("/api/v1/labourers/{}", l["id"]);
    let (s, b) =
        app.patch(&path, &app.clerk, json!({"version": 1, "poverty_status": "lifted", "phone": "13912345678"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["version"], 2);
    assert_eq!(b["poverty_status"], "lifted");
    let (s, b) = app.patch(&path, &app.clerk, json!({"version": 1, "phone": null})).await;
    assert_eq!(s, 409);
    assert_eq!(b["errors"][0]["field"], "version");
    let (s, b) = app.patch(&path, &app.clerk, json!({"phone": null})).await;
    assert_eq!(s, 422, "version is required: {b}");
    let (s, b) = app.patch(&path, &app.clerk, json!({"version": 2, "phone": null})).await;
    assert_eq!(s, 200);
    assert_eq!(b["phone"], serde_json::Value::Null, "null clears the phone");
    let (s, _) = app.patch("/api/v1/labourers/999999", &app.clerk, json!({"version": 1})).await;
    assert_eq!(s, 404);
}

async fn the_desk_finds_a_person_by_exact_id_number(app: TestApp) {
    let idn = (0..1000).map(|s| id_number("451424", "19700101", s)).find(|n| n.ends_with('X')).unwrap();
    app.labourer(json!({"id_number": id_number("451424", "19700101", 1), "name": "甲"})).await;
    let target = app.labourer(json!({"id_number": idn, "name": "乙"})).await;
    let (s, b) = app.get(&format!("/api/v1/labourers?id_number={}", idn.to_lowercase()), &app.clerk).await;
    assert_eq!(s, 200);
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    assert_eq!(b["items"][0]["id"], target["id"]);
    let (s, b) = app.get("/api/v1/labourers?id_number=12345", &app.clerk).await;
    assert_eq!(s, 400);
    assert_eq!(b["errors"][0]["field"], "id_number");
}

async fn lists_page_with_a_cursor(app: TestApp) {
    for i in 0..5 {
        app.labourer(json!({"id_number": id_number("451424", "19800101", i), "name": format!("人{i}")})).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/labourers?limit=2".to_string();
    loop {
        let (s, b) = app.get(&path, &app.clerk).await;
        assert_eq!(s, 200);
        for item in b["items"].as_array().unwrap() {
            seen.push(item["name"].as_str().unwrap().to_string());
        }
        match b["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/labourers?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["人0", "人1", "人2", "人3", "人4"]);
    for bad in ["limit=0", "limit=501", "limit=abc", "cursor=xyz"] {
        let (s, b) = app.get(&format!("/api/v1/labourers?{bad}"), &app.clerk).await;
        assert_eq!(s, 400, "{bad}: {b}");
    }
}

async fn a_trainee_reads_and_edits_only_their_own_record_masked(app: TestApp) {
    let me = app.labourer(json!({"id_number": id_number("451424", "19990909", 88), "name": "马小红"})).await;
    let other = app.labourer(json!({"id_number": id_number("451424", "19990909", 77), "name": "马小兰"})).await;
    let token = app.add_user("xiaohong", Role::Trainee, None, me["id"].as_i64());
    let (s, b) = app.get(&format!("/api/v1/labourers/{}", me["id"]), &token).await;
    assert_eq!(s, 200);
    let masked = b["id_number"].as_str().unwrap();
    assert_eq!(masked.len(), 18);
    assert_eq!(&masked[..6], "451424");
    assert_eq!(&masked[6..16], "**********");
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", other["id"]), &token).await;
    assert_eq!(s, 403);
    let (s, _) = app.get("/api/v1/labourers", &token).await;
    assert_eq!(s, 403);
    let path = format!("/api/v1/labourers/{}", me["id"]);
    let (s, b) = app.patch(&path, &token, json!({"version": 1, "desired_occupations": ["中式烹调师"]})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["desired_occupations"], json!(["中式烹调师"]));
    let (s, b) = app.patch(&path, &token, json!({"version": 2, "poverty_status": "none"})).await;
    assert_eq!(s, 403);
    assert!(b["detail"].as_str().unwrap().contains("poverty_status"));
    let (s, _) = app.patch(&format!("/api/v1/labourers/{}", other["id"]), &token, json!({"version": 1})).await;
    assert_eq!(s, 403);
}

async fn an_organiser_cannot_read_the_registry(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19990909", 88), "name": "马小红"})).await;
    let (s, b) = app.get(&format!("/api/v1/labourers/{}", l["id"]), &app.organiser).await;
    assert_eq!(s, 403, "{b}");
    let (s, _) = app.get("/api/v1/labourers", &app.organiser).await;
    assert_eq!(s, 403);
    let (s, _) = app
        .post(
            "/api/v1/labourers",
            &app.organiser,
            json!({"id_number": id_number("451424", "19990909", 66), "name": "x"}),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(app.count("labourers"), 1);
}

async fn a_labourer_with_placements_cannot_be_deleted(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19870606", 55), "name": "凌志"})).await;
    let free = app.labourer(json!({"id_number": id_number("451424", "19870606", 57), "name": "凌云"})).await;
    let e = app.employer("江门市江海区粤味酒家").await;
    let (s, _) = app
        .post("/api/v1/placements", &app.clerk,
              json!({"labourer_id": l["id"], "employer_id": e, "region_code": "440704", "started_on": "2019-03-01", "channel": "referral"}))
        .await;
    assert_eq!(s, 201);
    let (s, b) = app.call_en("DELETE", &format!("/api/v1/labourers/{}", l["id"]), Some(&app.clerk), None).await;
    assert_eq!(s, 409);
    assert!(b["detail"].as_str().unwrap().contains("placement"));
    let (s, _) = app.delete(&format!("/api/v1/labourers/{}", free["id"]), &app.clerk).await;
    assert_eq!(s, 204);
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", free["id"]), &app.clerk).await;
    assert_eq!(s, 404);
}

async fn a_clerks_unmasked_view_is_audited(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19870606", 55), "name": "凌志"})).await;
    app.get_ok(&format!("/api/v1/labourers/{}", l["id"]), &app.clerk).await;
    let (s, b) = app.get(&format!("/api/v1/audit?resource=labourer&resource_id={}", l["id"]), &app.admin).await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = b["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["view_unmasked", "create"], "newest first");
    assert_eq!(b["items"][0]["actor"], "clerk");
}

/// An ID number whose first six digits are no region code, current or
/// historical, is accepted (a number of a region our tables lack must not
/// be refused) but said: no 户籍地 came from it, so the person counts in no
/// county's ledger until one is given — at the API, on the person's page
/// and in a roster's check.
async fn an_id_number_of_no_known_region_is_registered_with_a_remark_everywhere(app: TestApp) {
    let odd = id_number("990101", "19900101", 17);
    let b = app.labourer(json!({"id_number": odd, "name": "韦明"})).await;
    assert!(b["hukou_region_code"].is_null(), "{b}");
    assert_eq!(b["warnings"][0]["code"], "unknown_region", "{b}");
    assert_eq!(b["warnings"][0]["field"], "id_number", "{b}");
    assert!(b["warnings"][0]["message"].as_str().unwrap().contains("990101"), "{b}");
    let (_, page) = app.page_as(&app.clerk, &format!("/desk/labourers/{}", b["id"])).await;
    assert!(page.contains("身份证号前 6 位 990101 不是现行或历史上的行政区划代码"), "{page}");
    // With a 户籍地 given, or a known region, nothing is said.
    let given = app
        .labourer(
            json!({"id_number": id_number("990101", "19900101", 27), "name": "韦亮", "hukou_region_code": "451424"}),
        )
        .await;
    assert_eq!(given["warnings"], json!([]), "{given}");
    let known = app.labourer(json!({"id_number": id_number("451424", "19900101", 37), "name": "韦光"})).await;
    assert_eq!(known["warnings"], json!([]), "{known}");
    let roster = format!("姓名,身份证号\n韦强,{}\n", id_number("990101", "19910101", 47));
    let (s, checked) =
        app.upload("/api/v1/imports?kind=labourers&mode=dry_run", &app.clerk, "roster.csv", roster.into_bytes()).await;
    assert_eq!(s, 200, "{checked}");
    let warned: Vec<&str> = checked["warnings"].as_array().unwrap().iter().filter_map(|w| w["code"].as_str()).collect();
    assert!(warned.contains(&"unknown_region"), "{checked}");
}

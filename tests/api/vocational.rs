use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    vocational_dates_and_one_school_at_a_time,
    a_study_s_dates_go_with_its_status_or_it_would_be_two_things_in_two_ledgers,
);

async fn vocational_dates_and_one_school_at_a_time(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "20010203", 11), "name": "黄俊杰", "poverty_status": "registered_poor"})).await;
    let url = "/api/v1/vocational-enrolments";
    let (s, b) = app
        .post(
            url,
            &app.clerk,
            json!({"labourer_id": l["id"], "school_name": "江门市技师学院", "school_region_code": "440703",
            "enrolled_on": "2016-09-01", "graduated_on": "2016-06-30", "left_on": "2015-01-01"}),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["graduated_on", "left_on"]);
    let (s, first) = app
        .post(
            url,
            &app.clerk,
            json!({"labourer_id": l["id"], "school_name": "江门市技师学院", "school_region_code": "440703",
            "major": "数控技术应用", "enrolled_on": "2016-09-01"}),
        )
        .await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["status"], "studying");
    assert_eq!(first["school_region_name"], "广东省江门市蓬江区");
    let (s, b) = app
        .post(url, &app.clerk, json!({"labourer_id": l["id"], "school_name": "江门职业技术学院", "school_region_code": "440703", "enrolled_on": "2017-09-01"}))
        .await;
    assert_eq!(s, 409, "two schools at once: {b}");
    assert_eq!(b["existing_id"], first["id"]);
    let path = format!("{url}/{}", first["id"]);
    let (s, b) = app.patch(&path, &app.clerk, json!({"version": 1, "status": "graduated"})).await;
    assert_eq!(s, 422, "graduation needs its date: {b}");
    let (s, b) =
        app.patch(&path, &app.clerk, json!({"version": 1, "status": "graduated", "graduated_on": "2019-06-30"})).await;
    assert_eq!(s, 200, "{b}");
    let (s, _) = app
        .post(url, &app.clerk, json!({"labourer_id": l["id"], "school_name": "江门职业技术学院", "school_region_code": "440703", "enrolled_on": "2019-09-01"}))
        .await;
    assert_eq!(s, 201, "after graduating, a new enrolment is fine");
    let (s, _) = app.get(url, &app.organiser).await;
    assert_eq!(s, 403);
}

/// 在读 with a graduation day was once saved, and then shown as 在读 in
/// vocational-students-east and as graduated in graduates-employed.
async fn a_study_s_dates_go_with_its_status_or_it_would_be_two_things_in_two_ledgers(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "20010203", 13), "name": "黄两样", "poverty_status": "registered_poor"})).await;
    let url = "/api/v1/vocational-enrolments";
    let base = json!({"labourer_id": l["id"], "school_name": "江门市技师学院", "school_region_code": "440703",
        "enrolled_on": "2019-09-01"});
    for (status, field, day) in [
        ("studying", "graduated_on", "2019-12-01"),
        ("studying", "left_on", "2019-12-01"),
        ("graduated", "left_on", "2019-12-01"),
        ("left", "graduated_on", "2019-12-01"),
    ] {
        let mut body = base.clone();
        body["status"] = json!(status);
        body[field] = json!(day);
        body[if field == "graduated_on" { "left_on" } else { "graduated_on" }] =
            if status == "studying" { json!(null) } else { json!("2019-11-30") };
        let (s, b) = app.post(url, &app.clerk, body).await;
        assert_eq!(s, 422, "{status} with {field}: {b}");
        let e = b["errors"].as_array().unwrap().iter().find(|e| e["field"] == field).expect("names the date");
        assert!(e["message"].as_str().unwrap().contains("只有就读状态为"), "{b}");
    }
    assert_eq!(app.count("vocational_enrolments"), 0, "nothing saved");
    let study = app.post_created(url, &app.clerk, base.clone()).await;
    let (s, b) = app
        .patch(
            &format!("{url}/{}", study["id"]),
            &app.clerk,
            json!({"version": study["version"], "graduated_on": "2019-12-01"}),
        )
        .await;
    assert_eq!((s, &b["errors"][0]["field"]), (422, &json!("graduated_on")), "a change too: {b}");
    // A roster: without a status the day says it (graduated); 在读 with a
    // graduation day is refused, naming the day.
    let csv = format!(
        "身份证号,学校名称,学校所在地,入学时间,就读状态,毕业时间\n{0},江门市技师学院,440703,2016-09-01,,2019-06-30\n{0},江门职业技术学院,440703,2019-09-01,在读,2020-06-30\n",
        l["id_number"].as_str().unwrap()
    );
    let (s, summary) = app
        .upload("/api/v1/imports?kind=vocational_enrolments&mode=dry_run", &app.clerk, "就读.csv", csv.into_bytes())
        .await;
    assert_eq!(s, 200, "{summary}");
    let rejected = summary["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{summary}");
    assert_eq!((rejected[0]["row"].as_i64(), &rejected[0]["field"]), (Some(3), &json!("graduated_on")), "{summary}");
    assert_eq!(summary["inserted"], 1, "the row without a status would go in: {summary}");
}

use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(vocational_dates_and_one_school_at_a_time,);

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

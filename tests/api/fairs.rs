use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    a_walk_in_is_registered_and_checked_in_in_one_step,
    a_failed_walk_in_leaves_neither_a_person_nor_a_check_in,
    checking_in_twice_adds_nothing,
    a_registered_person_checks_in_with_the_id_number_alone,
    an_organiser_manages_only_their_units_fairs_and_sees_masked_ids,
    fair_input_is_checked,
    check_ins_are_taken_only_while_the_fair_is_open,
    an_organiser_cannot_tell_a_registered_number_from_an_unknown_one,
    check_ins_are_rate_limited_per_user,
);

pub(crate) const OWN_UNIT: &str = "江海区就业服务中心";

/// A fair held today (check-ins are taken only around its day).
pub(crate) async fn fair(app: &TestApp, organisers: &[&str]) -> i64 {
    fair_on(app, organisers, &labour_bridge::clock::today().to_string()).await
}

pub(crate) async fn fair_on(app: &TestApp, organisers: &[&str], held_on: &str) -> i64 {
    let (s, b) = app
        .post(
            "/api/v1/fairs",
            &app.clerk,
            json!({"name": "粤桂扶贫协作招聘会", "held_on": held_on,
            "venue": "大新县人民广场", "region_code": "451424", "organisers": organisers}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

/// A fair with one employer bringing one posting of `headcount` places.
pub(crate) async fn fair_with_posting(app: &TestApp, headcount: i32) -> (i64, i64) {
    let f = fair(app, &[OWN_UNIT]).await;
    let e = app.employer("江门市江海区粤厨轩餐饮有限公司").await;
    let (s, _) = app.post(&format!("/api/v1/fairs/{f}/employers"), &app.clerk, json!({"employer_id": e})).await;
    assert_eq!(s, 201);
    let (s, p) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            json!({"employer_id": e, "title": "粤菜厨师", "occupation": "中式烹调师",
            "headcount": headcount, "region_code": "440704", "job_fair_id": f}),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    (f, p["id"].as_i64().unwrap())
}

pub(crate) async fn walk_in(app: &TestApp, f: i64, serial: u32) -> Value {
    let (s, b) = app
        .post(&format!("/api/v1/fairs/{f}/check-ins"), &app.clerk,
              json!({"id_number": id_number("451424", "19900101", serial), "name": format!("来宾{serial}"), "phone": "13800138000"}))
        .await;
    assert!(s == 201 || s == 200, "{b}");
    b
}

async fn a_walk_in_is_registered_and_checked_in_in_one_step(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let idn = id_number("451424", "19960718", 42);
    let (s, b) = app
        .post(
            &format!("/api/v1/fairs/{f}/check-ins"),
            &app.clerk,
            json!({"id_number": idn, "name": "韦小宝", "phone": "13977112233"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["newly_registered"], true);
    assert_eq!(b["already_checked_in"], false);
    let person = app.get_ok(&format!("/api/v1/labourers/{}", b["labourer_id"]), &app.clerk).await;
    assert_eq!(person["poverty_status"], "unverified", "a clerk must confirm the status");
    assert_eq!(person["id_number"], idn);
    assert_eq!(person["birth_date"], "1996-07-18");
    let list = app.get_ok(&format!("/api/v1/fairs/{f}/attendees"), &app.clerk).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["name"], "韦小宝");
    // The check-in keeps the person in the registry.
    let path = format!("/api/v1/labourers/{}", person["id"]);
    let (s, b) = app.call_en("DELETE", &path, Some(&app.clerk), None).await;
    assert_eq!(s, 409);
    assert!(b["detail"].as_str().unwrap().contains("1 job-fair check-in(s)"), "{b}");
    let (_, b) = app.delete(&path, &app.clerk).await;
    assert!(b["detail"].as_str().unwrap().contains("1 条招聘会签到"), "Chinese by default: {b}");
}

async fn a_failed_walk_in_leaves_neither_a_person_nor_a_check_in(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let url = format!("/api/v1/fairs/{f}/check-ins");
    // Not registered, and no phone: nothing is written.
    let (s, b) =
        app.post(&url, &app.clerk, json!({"id_number": id_number("451424", "19960718", 42), "name": "韦小宝"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "phone");
    // An invalid ID number names the field.
    let (s, b) = app
        .post(&url, &app.clerk, json!({"id_number": "451424199607181234", "name": "韦小宝", "phone": "13977112233"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "id_number");
    // A fair that does not exist: the person is not registered either.
    let (s, _) = app
        .post(
            "/api/v1/fairs/9999/check-ins",
            &app.clerk,
            json!({"id_number": id_number("451424", "19960718", 42), "name": "韦小宝", "phone": "13977112233"}),
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(app.count("labourers"), 0);
    assert_eq!(app.count("job_fair_attendees"), 0);
}

async fn checking_in_twice_adds_nothing(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let first = walk_in(&app, f, 7).await;
    let audit_rows = app.count("audit_log");
    let (s, again) = app
        .post(
            &format!("/api/v1/fairs/{f}/check-ins"),
            &app.clerk,
            json!({"id_number": id_number("451424", "19900101", 7)}),
        )
        .await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["already_checked_in"], true);
    assert_eq!(again["checked_in_at"], first["checked_in_at"]);
    assert_eq!(app.count("job_fair_attendees"), 1);
    assert_eq!(app.count("labourers"), 1);
    assert_eq!(app.count("audit_log"), audit_rows + 1, "nothing new is written, but the look is audited");
    assert_eq!(app.count_where("audit_log", "action = 'check_in_repeat'"), 1);
}

async fn a_registered_person_checks_in_with_the_id_number_alone(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let l = app.labourer(json!({"id_number": id_number("451424", "19880808", 5), "name": "农秀英", "poverty_status": "registered_poor"})).await;
    let (s, b) = app
        .post(
            &format!("/api/v1/fairs/{f}/check-ins"),
            &app.clerk,
            json!({"id_number": id_number("451424", "19880808", 5), "name": "农秀芳"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["labourer_id"], l["id"]);
    assert_eq!(b["newly_registered"], false);
    assert_eq!(b["warnings"][0]["code"], "mismatch", "a different name is flagged, not silently accepted");
}

async fn an_organiser_manages_only_their_units_fairs_and_sees_masked_ids(app: TestApp) {
    let own = fair(&app, &[OWN_UNIT, "大新县人社局"]).await;
    let other = fair(&app, &["别的单位"]).await;
    let idn = id_number("451424", "19960718", 42);
    let (s, b) = app
        .post(
            &format!("/api/v1/fairs/{own}/check-ins"),
            &app.organiser,
            json!({"id_number": idn, "name": "韦小宝", "phone": "13977112233"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_ne!(b["id_number"], idn);
    assert_eq!(b["id_number"].as_str().unwrap(), format!("451424**********{}", &idn[16..]));
    let (s, list) = app.get(&format!("/api/v1/fairs/{own}/attendees"), &app.organiser).await;
    assert_eq!(s, 200);
    assert!(list["items"][0]["id_number"].as_str().unwrap().contains("**********"));
    // The organiser sees the attendee's record, masked, and nobody else's.
    let (s, person) = app.get(&format!("/api/v1/labourers/{}", b["labourer_id"]), &app.organiser).await;
    assert_eq!(s, 200);
    assert!(person["id_number"].as_str().unwrap().contains("**********"));
    assert!(person["birth_date"].is_null(), "with the masked number it would narrow the number down: {person}");
    assert!(person["birth_year"].is_null(), "nor the year (a check-in then tried the few thousand left): {person}");
    let stranger = app.labourer(json!({"id_number": id_number("451424", "19960718", 44), "name": "陌生人"})).await;
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", stranger["id"]), &app.organiser).await;
    assert_eq!(s, 403);
    // Checking the stranger in under a made-up name does not open their
    // record (it once did), nor say whose the number is; and a bad phone
    // is refused for a registered number as for a new one.
    let at_door = |name: &str, phone: &str| json!({"id_number": stranger["id_number"], "name": name, "phone": phone});
    let (s, b) =
        app.post(&format!("/api/v1/fairs/{own}/check-ins"), &app.organiser, at_door("随便", "13000000000")).await;
    assert_eq!(
        (s, b["errors"][0]["field"].as_str(), b["errors"][0]["code"].as_str()),
        (422, Some("name"), Some("mismatch")),
        "{b}"
    );
    assert!(!b.to_string().contains("陌生人"), "{b}");
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", stranger["id"]), &app.organiser).await;
    assert_eq!(s, 403);
    let unregistered = json!({"id_number": id_number("451424", "19960718", 46), "name": "某人", "phone": "1"});
    for body in [at_door("陌生人", "1"), unregistered] {
        let (s, b) = app.post(&format!("/api/v1/fairs/{own}/check-ins"), &app.organiser, body).await;
        assert_eq!((s, b["errors"][0]["field"].as_str()), (422, Some("phone")), "{b}");
    }
    // Another unit's fair: no reading, changing, checking in or listing.
    let (s, _) = app.get(&format!("/api/v1/fairs/{other}"), &app.organiser).await;
    assert_eq!(s, 403);
    let (s, _) =
        app.patch(&format!("/api/v1/fairs/{other}"), &app.organiser, json!({"version": 1, "venue": "x"})).await;
    assert_eq!(s, 403);
    let (s, _) = app.post(&format!("/api/v1/fairs/{other}/check-ins"), &app.organiser, json!({"id_number": idn})).await;
    assert_eq!(s, 403);
    let (s, _) = app.get(&format!("/api/v1/fairs/{other}/attendees"), &app.organiser).await;
    assert_eq!(s, 403);
    let mine = app.get_ok("/api/v1/fairs", &app.organiser).await;
    let ids: Vec<i64> = mine["items"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [own]);
    // Nor may an organiser create a fair for someone else.
    let (s, _) = app
        .post(
            "/api/v1/fairs",
            &app.organiser,
            json!({"name": "x", "held_on": "2019-05-01", "region_code": "440704", "organisers": ["别的单位"]}),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(app.count("job_fair_attendees"), 1);
}

async fn fair_input_is_checked(app: TestApp) {
    let (s, b) = app
        .post(
            "/api/v1/fairs",
            &app.clerk,
            json!({"name": "", "held_on": "2019-02-30", "region_code": "000000", "organisers": []}),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields: Vec<&str> = b["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["held_on", "name", "organisers", "region_code"]);
    let (f, p) = fair_with_posting(&app, 2).await;
    // An intention for someone not checked in, or a posting not at the fair.
    let l = app.labourer(json!({"id_number": id_number("451424", "19880808", 5), "name": "农秀英"})).await;
    let (s, b) = app
        .post(&format!("/api/v1/fairs/{f}/intentions"), &app.clerk, json!({"labourer_id": l["id"], "posting_id": p}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["code"], "not_checked_in");
    let (s, _) = app.delete(&format!("/api/v1/fairs/{f}"), &app.clerk).await;
    assert_eq!(s, 409, "a fair with postings is not deleted");
}

async fn check_ins_are_taken_only_while_the_fair_is_open(app: TestApp) {
    let today = labour_bridge::clock::today();
    let old = fair_on(&app, &[OWN_UNIT], "2019-03-08").await;
    let later = fair_on(&app, &[OWN_UNIT], &(today + chrono::Days::new(5)).to_string()).await;
    let yesterday = fair_on(&app, &[OWN_UNIT], &(today - chrono::Days::new(1)).to_string()).await;
    let l = app.labourer(json!({"id_number": id_number("451424", "19880808", 5), "name": "农秀英"})).await;
    let body = json!({"id_number": id_number("451424", "19880808", 5), "name": "农秀英", "phone": "13977112233"});
    for f in [old, later] {
        for token in [&app.organiser, &app.clerk] {
            let (s, b) = app.post(&format!("/api/v1/fairs/{f}/check-ins"), token, body.clone()).await;
            assert_eq!(s, 409, "{b}");
            assert_eq!(b["errors"][0]["code"], "not_open");
        }
    }
    assert_eq!(app.count("job_fair_attendees"), 0);
    // Within the margin (one day by default) it is open.
    let (s, b) = app.post(&format!("/api/v1/fairs/{yesterday}/check-ins"), &app.organiser, body).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["labourer_id"], l["id"]);
}

async fn an_organiser_cannot_tell_a_registered_number_from_an_unknown_one(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let url = format!("/api/v1/fairs/{f}/check-ins");
    let known = id_number("451424", "19880808", 5);
    let unknown = id_number("451424", "19880808", 7);
    app.labourer(json!({"id_number": known, "name": "农秀英", "phone": "13800138000"})).await;
    // The number alone: the same questions whether registered or not.
    let (s1, b1) = app.post(&url, &app.organiser, json!({"id_number": known})).await;
    let (s2, b2) = app.post(&url, &app.organiser, json!({"id_number": unknown})).await;
    assert_eq!((s1, s2), (422, 422));
    assert_eq!(b1, b2, "the same answer for a registered and an unknown number");
    // With a name and phone: the same shape, the name as given, no hint.
    // (A name other than the registered one is refused: it would check a
    // stranger in and open their record; see the organiser's test.)
    let (s1, b1) =
        app.post(&url, &app.organiser, json!({"id_number": known, "name": "农秀英", "phone": "13977112233"})).await;
    let (s2, b2) =
        app.post(&url, &app.organiser, json!({"id_number": unknown, "name": "李四", "phone": "13977112234"})).await;
    assert_eq!((s1, s2), (201, 201), "{b1} {b2}");
    let keys = |b: &Value| {
        let mut k: Vec<String> = b.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&b1), keys(&b2));
    assert!(b1.get("newly_registered").is_none(), "{b1}");
    assert_eq!(b1["name"], "农秀英", "the name as given");
    assert_eq!(b1["warnings"], json!([]));
    assert_eq!(b2["warnings"], json!([]));
    // Every check-in is audited.
    assert_eq!(app.count_where("audit_log", "action = 'check_in'"), 2);
    // A clerk, who sees full numbers anyway, is told.
    let (s, b) = app.post(&url, &app.clerk, json!({"id_number": known})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["newly_registered"], false);
    assert_eq!(b["name"], "农秀英");
}

async fn check_ins_are_rate_limited_per_user(app: TestApp) {
    let f = fair(&app, &[OWN_UNIT]).await;
    let url = format!("/api/v1/fairs/{f}/check-ins");
    let per_minute = app.settings.check_ins_per_minute;
    for _ in 0..per_minute {
        let (s, _) = app.post(&url, &app.organiser, json!({"id_number": "1"})).await;
        assert_eq!(s, 422);
    }
    let r = app
        .client
        .post(app.url(&url))
        .bearer_auth(&app.organiser)
        .json(&json!({"id_number": "1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    // Another user's desk is not held up.
    let (s, _) = app.post(&url, &app.clerk, json!({"id_number": "1"})).await;
    assert_eq!(s, 422);
}

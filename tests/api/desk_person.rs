//! A person's page at the desk: a job's end (离职时间) recorded from its
//! row by the registry's change of a placement — the version the page read,
//! the same date rules, audited — and only on that job's own person's page;
//! a form refused as a duplicate links to the record already registered.

use serde_json::json;

use crate::bulk::send;
use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    a_job_s_end_is_recorded_from_its_row_by_the_registry_s_rules,
    a_duplicate_on_a_form_links_to_the_record_already_registered,
    a_form_saved_over_by_someone_else_keeps_what_was_typed_and_shows_what_is_there_now,
    a_place_is_written_as_its_name_or_taken_from_the_employer_and_a_second_job_may_be_part_time,
);

async fn a_job_s_end_is_recorded_from_its_row_by_the_registry_s_rules(app: TestApp) {
    let person = |serial, name: &str| {
        let body = json!({"id_number": id_number("451424", "19900101", serial), "name": name});
        let app = &app;
        async move { app.labourer(body).await["id"].as_i64().unwrap() }
    };
    let (worker, other) = (person(91, "离职测试").await, person(93, "另一人").await);
    let job = app
        .post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": worker, "employer_name": "江门某厂", "region_code": "440703",
                "started_on": "2019-03-01", "channel": "referral"}),
        )
        .await;
    let (id, version) = (job["id"].as_i64().unwrap(), job["version"].to_string());
    let end = |who: i64| format!("/desk/labourers/{who}/placements/{id}/end");
    let page = send(&app, &app.clerk, &format!("/desk/labourers/{worker}"), None).await;
    assert!(page.body.contains("2019-03-01 至今"), "{}", page.body);
    assert!(page.body.contains("<dd>广西壮族自治区崇左市大新县 451424"), "the 户籍 by name: {}", page.body);
    assert!(
        page.body.contains(&format!("action=\"{}#job-{id}\"", end(worker))),
        "the job offers its end: {}",
        page.body
    );

    // A day before the start, and no day: refused in the job's row.
    for (day, said) in [("2019-02-01", "“离职时间”不能早于“就业时间”"), ("", "请填写“离职时间”")]
    {
        let a = send(&app, &app.clerk, &end(worker), Some(&[("version", &version), ("ended_on", day)])).await;
        assert_eq!(a.status, 422, "{day}: {}", a.body);
        let row = a.body.split(&format!("id=\"end-{id}-error\" class=\"field-error\">")).nth(1).expect("in the row");
        assert!(row.starts_with(said), "{day}: {row}");
    }
    // Not through another person's page, nor by an organiser.
    let day = [("version", version.as_str()), ("ended_on", "2019-08-31")];
    assert_eq!(send(&app, &app.clerk, &end(other), Some(&day)).await.status, 404);
    assert_eq!(send(&app, &app.organiser, &end(worker), Some(&day)).await.status, 403);
    assert_eq!(
        app.count_where("audit_log", &format!("resource = 'placement' AND resource_id = {id} AND action = 'update'")),
        0
    );

    let a = send(&app, &app.clerk, &end(worker), Some(&day)).await;
    assert_eq!((a.status, a.location.as_str()), (303, format!("/desk/labourers/{worker}?ended=1#placements").as_str()));
    let now = app.get_ok(&format!("/api/v1/placements/{id}"), &app.clerk).await;
    assert_eq!(now["ended_on"], "2019-08-31");
    assert_eq!(
        app.count_where("audit_log", &format!("resource = 'placement' AND resource_id = {id} AND action = 'update'")),
        1
    );
    let page = send(&app, &app.clerk, &format!("/desk/labourers/{worker}?ended=1"), None).await;
    assert!(page.body.contains("已登记离职") && page.body.contains("2019-03-01 至 2019-08-31"), "{}", page.body);
    assert!(page.body.contains("更正离职时间</button>"), "an ended job's end can be corrected: {}", page.body);
    // The form read before the change is stale: told in words, not written.
    let a = send(&app, &app.clerk, &end(worker), Some(&[("version", &version), ("ended_on", "2019-09-30")])).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("该记录已被他人修改"), "{}", a.body);
    let now = app.get_ok(&format!("/api/v1/placements/{id}"), &app.clerk).await;
    assert_eq!(now["ended_on"], "2019-08-31");
    // An end can be corrected from the row (a typo once meant deleting
    // the job); a day still to come is refused (2027 for 2021 was kept).
    let current = now["version"].to_string();
    let future = send(&app, &app.clerk, &end(worker), Some(&[("version", &current), ("ended_on", "2999-01-01")])).await;
    assert_eq!(future.status, 422, "{}", future.body);
    assert!(future.body.contains("晚于今天"), "{}", future.body);
    let a = send(&app, &app.clerk, &end(worker), Some(&[("version", &current), ("ended_on", "2019-07-31")])).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let now = app.get_ok(&format!("/api/v1/placements/{id}"), &app.clerk).await;
    assert_eq!(now["ended_on"], "2019-07-31");

    // A job at an employer not registered: the name, as the rule's message
    // says (the form had no such field, and its message asked for one).
    let next = [
        ("employer_name", "那隆村种养合作社"),
        ("region_code", "451424"),
        ("started_on", "2019-10-01"),
        ("channel", "referral"),
    ];
    let a = send(&app, &app.clerk, &format!("/desk/labourers/{worker}/placements"), Some(&next)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = send(&app, &app.clerk, &format!("/desk/labourers/{worker}"), None).await;
    assert!(page.body.contains("那隆村种养合作社") && page.body.contains("2019-10-01 至今"), "{}", page.body);
    // A registered employer's name typed there is linked to it, as a
    // roster's is (the desk once saved it unlinked).
    let registered = app.employer("江门市江海区恒通五金制品有限公司").await;
    let by_name = [
        ("employer_name", "江门市江海区恒通五金制品有限公司"),
        ("region_code", "440704"),
        ("started_on", "2018-01-01"),
        ("ended_on", "2018-12-31"),
        ("channel", "referral"),
    ];
    let a = send(&app, &app.clerk, &format!("/desk/labourers/{worker}/placements"), Some(&by_name)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let jobs = app.get_ok(&format!("/api/v1/placements?labourer_id={worker}"), &app.clerk).await;
    let linked = jobs["items"].as_array().unwrap().iter().find(|j| j["started_on"] == "2018-01-01").unwrap().clone();
    assert_eq!(
        (linked["employer_id"].clone(), linked["employer_name"].clone()),
        (json!(registered), serde_json::Value::Null)
    );

    // A job registered in error is deleted after a page that asks, only
    // through its own person's page; the deletion is audited.
    let delete = |who: i64| format!("/desk/labourers/{who}/placements/{id}/delete");
    let ask = send(&app, &app.clerk, &delete(worker), None).await;
    assert!(
        ask.status == 200 && ask.body.contains("确认删除") && ask.body.contains("登记离职时间，不要删除"),
        "{}",
        ask.body
    );
    assert_eq!(send(&app, &app.clerk, &delete(other), Some(&[])).await.status, 404);
    assert_eq!(send(&app, &app.organiser, &delete(worker), Some(&[])).await.status, 403);
    let a = send(&app, &app.clerk, &delete(worker), Some(&[])).await;
    assert_eq!(
        (a.status, a.location.as_str()),
        (303, format!("/desk/labourers/{worker}?job_deleted=1#placements").as_str())
    );
    let (s, _) = app.get(&format!("/api/v1/placements/{id}"), &app.clerk).await;
    assert_eq!(s, 404);
    assert_eq!(
        app.count_where("audit_log", &format!("resource = 'placement' AND resource_id = {id} AND action = 'delete'")),
        1
    );
}

/// A person or an employer registered twice at the desk: the form is sent
/// back with the message beside the ID number or USCC, and a link that
/// opens the record already registered (the message named its number only).
async fn a_duplicate_on_a_form_links_to_the_record_already_registered(app: TestApp) {
    let idn = id_number("451424", "19900101", 95);
    let first = app.labourer(json!({"id_number": idn, "name": "重复登记"})).await["id"].as_i64().unwrap();
    let again = [("id_number", idn.as_str()), ("name", "重复登记"), ("poverty_status", "registered_poor")];
    let a = send(&app, &app.clerk, "/desk/labourers/new", Some(&again)).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(&format!("<a href=\"/desk/labourers/{first}\">打开已登记的记录</a>")), "{}", a.body);
    assert_eq!(app.count("labourers"), 1);
    // Another number, the same name and birth day: registered, and the
    // person's page names the one who may be the same person (the API said
    // possible_duplicates; the desk said only 已登记).
    let twin = id_number("451424", "19900101", 97);
    let form = [("id_number", twin.as_str()), ("name", "重复登记"), ("poverty_status", "registered_poor")];
    let a = send(&app, &app.clerk, "/desk/labourers/new", Some(&form)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(a.location.ends_with(&format!("?registered=1&similar={first}")), "{}", a.location);
    let page = send(&app, &app.clerk, &a.location, None).await;
    assert!(
        page.body.contains(&format!("<a href=\"/desk/labourers/{first}\">劳动力编号 {first}</a>与此人同名")),
        "{}",
        page.body
    );
    // Changed at the desk into another of that name and birth day: named
    // too (an edit once gave no notice).
    let third = app.labourer(json!({"id_number": id_number("451424", "19900101", 99), "name": "另一个人"})).await;
    let edit = [
        ("version", "1"),
        ("id_number", third["id_number"].as_str().unwrap()),
        ("name", "重复登记"),
        ("poverty_status", "registered_poor"),
    ];
    let a = send(&app, &app.clerk, &format!("/desk/labourers/{}/edit", third["id"]), Some(&edit)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(a.location.contains("?saved=1&similar=") && a.location.contains(&first.to_string()), "{}", a.location);
    // Their schools are on their pages: a merge refused for two studies
    // 在读 named them by number, which no page showed.
    let school = app
        .post_created(
            "/api/v1/vocational-enrolments",
            &app.clerk,
            json!({"labourer_id": first, "school_name": "江门市技师学院", "school_region_code": "440703", "enrolled_on": "2008-09-01"}),
        )
        .await;
    let page = send(&app, &app.clerk, &format!("/desk/labourers/{first}"), None).await;
    let row = format!("<tr><td>{}</td><td>江门市技师学院</td>", school["id"]);
    assert!(page.body.contains(&row) && page.body.contains("在读"), "{}", page.body);

    let code = "91440704MA4UJ5X3A";
    let code = format!("{code}{}", labour_bridge::domain::uscc::check_char(code).unwrap());
    let (s, b) = app
        .post("/api/v1/employers", &app.clerk, json!({"name": "江门某厂", "uscc": code, "region_code": "440704"}))
        .await;
    assert_eq!(s, 201, "{b}");
    let again = [("name", "江门某厂（重复）"), ("uscc", code.as_str()), ("region_code", "440704")];
    let a = send(&app, &app.clerk, "/desk/employers/new", Some(&again)).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(&format!("<a href=\"/desk/employers/{}\">打开已登记的记录</a>", b["id"])), "{}", a.body);
    // A refusal that is no duplicate has no such link.
    let a = send(&app, &app.clerk, "/desk/employers/new", Some(&[("name", "某厂")])).await;
    assert_eq!(a.status, 422);
    assert!(!a.body.contains("打开已登记的记录"), "{}", a.body);
}

/// Two clerks edit one person: the second one's form, read before the
/// first one saved, is refused (409) but not lost — what they changed
/// stays, what they did not change takes the colleague's value (saving
/// again once undid it), each such field is marked, and the form carries
/// the current version, so that saving again is accepted and keeps both.
async fn a_form_saved_over_by_someone_else_keeps_what_was_typed_and_shows_what_is_there_now(app: TestApp) {
    let number = id_number("451424", "19910303", 57);
    let person = app.labourer(json!({"id_number": number, "name": "陆小燕", "phone": "13800000001"})).await;
    let id = person["id"].as_i64().unwrap();
    let form = send(&app, &app.clerk, &format!("/desk/labourers/{id}/edit"), None).await;
    assert!(form.body.contains(&format!("<a href=\"/desk/labourers/{id}\">取消</a>")), "取消 goes back to the person");
    let hidden = |html: &str, name: &str| -> String {
        let at = format!("name=\"{name}\" value=\"");
        html.split(&at).nth(1).map(|t| t.split('"').next().unwrap().to_string()).unwrap_or_default()
    };
    let read = hidden(&form.body, "version");
    // Meanwhile another clerk corrects the village.
    let v = person["version"].as_i64().unwrap();
    app.patch_ok(&format!("/api/v1/labourers/{id}"), &app.clerk, json!({"version": v, "hukou_village": "那隆村"}))
        .await;
    // This clerk changes the phone only; the form sends back what it read.
    let fields = [
        "id_number",
        "name",
        "phone",
        "hukou_region_code",
        "hukou_township",
        "hukou_village",
        "poverty_status",
        "education",
        "notes",
    ];
    let mut typed: Vec<(String, String)> = vec![("version".into(), read.clone())];
    for f in fields {
        let was = hidden(&form.body, &format!("was.{f}"));
        typed.push((format!("was.{f}"), was.clone()));
        typed.push((f.to_string(), if f == "phone" { "13900000002".into() } else { was }));
    }
    let pairs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let path = format!("/desk/labourers/{id}/edit");
    let a = send(&app, &app.clerk, &path, Some(&pairs)).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("别人修改并保存了这条记录"), "{}", a.body);
    assert!(a.body.contains("value=\"13900000002\""), "what was changed is kept: {}", a.body);
    assert!(a.body.contains("value=\"那隆村\""), "what was not changed takes the colleague's value: {}", a.body);
    assert!(a.body.contains("别人保存的现值：那隆村（您没有改这一项"), "and says so: {}", a.body);
    assert!(!a.body.contains("别人保存的现值：13800000001"), "the phone was only this clerk's change: {}", a.body);
    let now = app.get_ok(&format!("/api/v1/labourers/{id}"), &app.clerk).await;
    assert_eq!((now["phone"].as_str(), now["hukou_village"].as_str()), (Some("13800000001"), Some("那隆村")));
    assert_eq!(hidden(&a.body, "version"), now["version"].to_string());
    // Saved again as shown: both changes are kept.
    let mut again: Vec<(String, String)> = vec![("version".into(), hidden(&a.body, "version"))];
    for f in fields {
        again.push((format!("was.{f}"), hidden(&a.body, &format!("was.{f}"))));
        let shown = if f == "phone" {
            "13900000002".to_string()
        } else if f == "hukou_village" {
            "那隆村".into()
        } else {
            hidden(&a.body, &format!("was.{f}"))
        };
        again.push((f.to_string(), shown));
    }
    let pairs: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let a = send(&app, &app.clerk, &path, Some(&pairs)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let now = app.get_ok(&format!("/api/v1/labourers/{id}"), &app.clerk).await;
    assert_eq!((now["phone"].as_str(), now["hukou_village"].as_str()), (Some("13900000002"), Some("那隆村")));
}

/// Clerks write places as names (江门市江海区), as rosters do: every form
/// and the API take a name or a code; a job at a registered employer is
/// where the employer is unless said otherwise; and the overlap message's
/// advice (mark one part-time) can be followed on the form.
async fn a_place_is_written_as_its_name_or_taken_from_the_employer_and_a_second_job_may_be_part_time(app: TestApp) {
    let who = app.labourer(json!({"id_number": id_number("451424", "19920404", 71), "name": "地名测试"})).await;
    let id = who["id"].as_i64().unwrap();
    let e = app
        .post_created(
            "/api/v1/employers",
            &app.clerk,
            json!({"name": "江门市江海区名称测试厂", "region_code": "江门市江海区"}),
        )
        .await;
    assert_eq!(e["region_code"], "440704", "{e}");
    let (s, b) = app.post("/api/v1/employers", &app.clerk, json!({"name": "某厂", "region_code": "城关区"})).await;
    assert_eq!((s, b["errors"][0]["code"].as_str()), (422, Some("ambiguous_region")), "{b}");
    let path = format!("/desk/labourers/{id}/placements");
    let employer = e["id"].to_string();
    let first = [("employer_id", employer.as_str()), ("started_on", "2019-03-01"), ("channel", "referral")];
    let a = send(&app, &app.clerk, &path, Some(&first)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let second = [
        ("employer_name", "江门某餐馆"),
        ("region_code", "广东省江门市蓬江区"),
        ("started_on", "2019-05-01"),
        ("channel", "referral"),
    ];
    let a = send(&app, &app.clerk, &path, Some(&second)).await;
    assert_eq!(a.status, 422, "a second full-time job at the same time: {}", a.body);
    let a = send(&app, &app.clerk, &path, Some(&[&second[..], &[("part_time", "true")]].concat())).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let jobs = app.get_ok(&format!("/api/v1/placements?labourer_id={id}"), &app.clerk).await;
    let mut got: Vec<(String, bool)> = jobs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| (j["region_code"].as_str().unwrap().to_string(), j["part_time"].as_bool().unwrap()))
        .collect();
    got.sort();
    assert_eq!(got, [("440703".to_string(), true), ("440704".to_string(), false)]);
}

//! The desk's employer and posting forms over plain HTTP: what only the
//! pages do between a form and the registry — a 是/否 choice read as a
//! bool, blank fields and unticked boxes clearing what was stored, a rule's
//! message beside its field, a stale form refused in words — and the API's
//! roles.

use serde_json::Value;

use crate::bulk::send;
use crate::helpers::TestApp;

crate::on_both_backends!(
    desk_forms_write_employers_and_postings_by_the_registry_rules,
    a_registry_larger_than_the_forms_lists_still_names_and_offers_every_employer,
    the_desk_deletes_a_posting_and_its_employer_after_asking_and_refuses_in_words_while_referred_to,
    an_employer_s_page_counts_all_its_postings_and_lists_the_latest_first,
    a_form_sent_without_javascript_takes_the_one_employer_its_search_box_finds,
);

fn uscc(first17: &str) -> String {
    format!("{first17}{}", labour_bridge::domain::uscc::check_char(first17).unwrap())
}

/// The message shown beside `field` (the form marks the field invalid).
fn beside(body: &str, field: &str) -> String {
    assert!(body.contains(&format!("aria-describedby=\"f-{field}-error\"")), "{field} is not marked: {body}");
    let tail = body.split(&format!("id=\"f-{field}-error\" class=\"field-error\">")).nth(1).unwrap();
    tail.split("</p>").next().unwrap().to_string()
}

async fn desk_forms_write_employers_and_postings_by_the_registry_rules(app: TestApp) {
    // An organiser has no desk: the same roles as the API.
    let refused = send(&app, &app.organiser, "/desk/employers", None).await;
    assert_eq!(refused.status, 403);
    let refused = send(&app, &app.organiser, "/desk/employers/new", Some(&[("name", "某厂")])).await;
    assert_eq!(refused.status, 403);
    assert_eq!(app.count("employers"), 0);

    // A malformed code and a missing place, each beside its field.
    let good = uscc("91440704MA4UJ5X3A");
    let a =
        send(&app, &app.clerk, "/desk/employers/new", Some(&[("name", "江海测试电子厂"), ("uscc", &good[..17])])).await;
    assert_eq!(a.status, 422);
    assert!(beside(&a.body, "uscc").contains("18位"), "{}", a.body);
    assert!(beside(&a.body, "region_code").contains("请填写"), "{}", a.body);
    assert!(a.body.contains("value=\"江海测试电子厂\""), "what was typed stays");

    // 是 is stored as true.
    let fields = [
        ("name", "江海测试电子厂"),
        ("uscc", good.as_str()),
        ("region_code", "440704"),
        ("contact_name", "李小姐"),
        ("is_poverty_workshop", "true"),
    ];
    let a = send(&app, &app.clerk, "/desk/employers/new", Some(&fields)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let id: i64 = a.location.trim_start_matches("/desk/employers/").split('?').next().unwrap().parse().unwrap();
    let e = app.get_ok(&format!("/api/v1/employers/{id}"), &app.clerk).await;
    assert_eq!((e["is_poverty_workshop"].clone(), e["contact_name"].clone()), (Value::Bool(true), "李小姐".into()));

    // A change: 否 is false, a blank contact is cleared.
    let version = e["version"].to_string();
    let fields =
        [("version", version.as_str()), ("name", "江海测试电子厂"), ("uscc", good.as_str()), ("region_code", "440704")];
    let a = send(
        &app,
        &app.clerk,
        &format!("/desk/employers/{id}/edit"),
        Some(&[&fields[..], &[("is_poverty_workshop", "false")]].concat()),
    )
    .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let e = app.get_ok(&format!("/api/v1/employers/{id}"), &app.clerk).await;
    assert_eq!((e["is_poverty_workshop"].clone(), e["contact_name"].clone()), (Value::Bool(false), Value::Null));
    assert_eq!(e["uscc"], good, "what the form sent again is kept");

    // The same stale form again is refused in words, not by a field name.
    // Now the form keeps what was typed and marks what reads otherwise now.
    let a = send(&app, &app.clerk, &format!("/desk/employers/{id}/edit"), Some(&fields)).await;
    assert_eq!(a.status, 409);
    assert!(a.body.contains("别人修改并保存了这条记录") && !a.body.contains("version："), "{}", a.body);
    assert!(a.body.contains("别人保存的现值：否"), "is_poverty_workshop is 否 now: {}", a.body);
    assert!(!a.body.contains("别人保存的现值：江海测试电子厂"), "the name is the same: {}", a.body);

    // A posting: pay out of order beside the higher end; nothing written.
    let employer = id.to_string();
    let posting = [
        ("employer_id", employer.as_str()),
        ("title", "SMT贴片操作工"),
        ("headcount", "5"),
        ("region_code", "440704"),
        ("salary_min", "6000"),
        ("benefits", "housing"),
        ("benefits", "meals"),
        ("gender_requirement", "any"),
        ("status", "open"),
    ];
    let a =
        send(&app, &app.clerk, "/desk/postings/new", Some(&[&posting[..], &[("salary_max", "4500")]].concat())).await;
    assert_eq!(a.status, 422);
    assert!(beside(&a.body, "salary_max").contains("最低月薪"), "{}", a.body);
    assert!(a.body.contains("value=\"meals\" checked"), "ticked boxes stay ticked");
    assert_eq!(app.count("postings"), 0);

    let a =
        send(&app, &app.clerk, "/desk/postings/new", Some(&[&posting[..], &[("salary_max", "7500")]].concat())).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.location, format!("/desk/employers/{id}?posted=1#postings"));
    let p = &app.get_ok(&format!("/api/v1/postings?employer_id={id}"), &app.clerk).await["items"][0];
    assert_eq!(p["benefits"], serde_json::json!(["housing", "meals"]));
    assert_eq!((p["salary_max"].as_i64(), p["headcount"].as_i64()), (Some(7500), Some(5)));

    // A change: no box ticked clears the benefits, a blank top of the pay clears it.
    let (pid, version) = (p["id"].to_string(), p["version"].to_string());
    let mut change: Vec<(&str, &str)> =
        posting.iter().filter(|(k, _)| *k != "benefits" && *k != "headcount").copied().collect();
    change.extend([("version", version.as_str()), ("headcount", "12"), ("salary_max", "")]);
    let a = send(&app, &app.clerk, &format!("/desk/postings/{pid}/edit"), Some(&change)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let p = app.get_ok(&format!("/api/v1/postings/{pid}"), &app.clerk).await;
    assert_eq!((p["headcount"].as_i64(), p["salary_max"].clone()), (Some(12), Value::Null));
    assert_eq!(p["benefits"], serde_json::json!([]));

    // The employer's page lists it, taking applications.
    let a = send(&app, &app.clerk, &format!("/desk/employers/{id}"), None).await;
    assert_eq!(a.status, 200);
    assert!(
        a.body.contains("SMT贴片操作工") && a.body.contains("12 人") && a.body.contains("正在接受报名"),
        "{}",
        a.body
    );
}

/// A province registers more employers than a form's choice list holds
/// (the first 200). An employer registered after them is still offered
/// where a record or a link names it — publishing from its page, changing
/// its posting, a placement form sent back with a mistake — and a person's
/// page names it on their jobs; the list says it is not all of them.
async fn a_registry_larger_than_the_forms_lists_still_names_and_offers_every_employer(app: TestApp) {
    app.insert_n(
        300,
        "employers",
        "name, region_code, is_poverty_workshop, created_at, updated_at, version",
        "'批量登记单位' || i, '440704', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1",
    );
    let late = app.employer("江门市江海区星辉照明有限公司").await;
    let offered = format!("<option value=\"{late}\" selected>江门市江海区星辉照明有限公司</option>");

    let a = send(&app, &app.clerk, &format!("/desk/postings/new?employer_id={late}"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains(&offered), "the employer the link names is chosen: {}", a.body);
    assert!(a.body.contains("只列出最先登记的 200 家"), "the list says it is not all");
    let late_id = late.to_string();
    let posting = [
        ("employer_id", late_id.as_str()),
        ("title", "灯饰装配工"),
        ("headcount", "3"),
        ("region_code", "440704"),
        ("gender_requirement", "any"),
        ("status", "open"),
    ];
    let a = send(&app, &app.clerk, "/desk/postings/new", Some(&posting)).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let pid = app.get_ok(&format!("/api/v1/postings?employer_id={late}"), &app.clerk).await["items"][0]["id"].clone();
    let a = send(&app, &app.clerk, &format!("/desk/postings/{pid}/edit"), None).await;
    assert!(a.body.contains(&offered), "its posting's form keeps it: {}", a.body);

    let person = app
        .labourer(serde_json::json!({"id_number": crate::helpers::id_number("451424", "19900101", 1),
            "name": "测试1", "poverty_status": "registered_poor"}))
        .await["id"]
        .clone();
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            serde_json::json!({"labourer_id": person, "employer_id": late, "region_code": "440704",
                "started_on": "2019-03-01", "channel": "referral"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let a = send(&app, &app.clerk, &format!("/desk/labourers/{person}"), None).await;
    assert_eq!(a.status, 200);
    assert!(!a.body.contains(&format!("value=\"{late}\"")), "not among the form's first 200");
    assert!(a.body.contains("江门市江海区星辉照明有限公司"), "the job names its employer: {}", a.body);
    // The box above each list finds any employer by part of its name or
    // by its 统一社会信用代码, the one chosen so far kept.
    let find = |q: &str| format!("/desk/employers/options?find={}&employer_id=", crate::helpers::urlencode(q));
    let a = send(&app, &app.clerk, &find("星辉照明"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("找到 1 家") && a.body.contains(&offered), "one found is chosen: {}", a.body);
    let a = send(&app, &app.clerk, &find("批量登记单位21"), None).await;
    assert!(a.body.contains("找到 11 家") && a.body.contains(">批量登记单位219<"), "{}", a.body);
    let a = send(&app, &app.clerk, &format!("{}{late}", find("批量登记单位21")), None).await;
    assert!(a.body.contains(&offered), "the one chosen stays: {}", a.body);
    let a = send(&app, &app.clerk, &find("批量"), None).await;
    assert!(a.body.contains("超过 50 家") && a.body.matches("<option").count() == 51, "{}", a.body);
    let a = send(&app, &app.clerk, &find("没有这家"), None).await;
    assert!(a.body.contains("没有名称含“没有这家”的单位"), "{}", a.body);
    let code = uscc("91440704MA4UJ5X3A");
    let (s, b) = app
        .post(
            "/api/v1/employers",
            &app.clerk,
            serde_json::json!({"name": "江门市某科技有限公司", "uscc": code, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let a = send(&app, &app.clerk, &find(&code), None).await;
    assert!(a.body.contains(&format!("<option value=\"{}\" selected>江门市某科技有限公司", b["id"])), "{}", a.body);
    assert_eq!(send(&app, &app.organiser, &find("星辉"), None).await.status, 403);

    let placement = [("employer_id", late_id.as_str()), ("region_code", "440704"), ("channel", "referral")];
    let a = send(&app, &app.clerk, &format!("/desk/labourers/{person}/placements"), Some(&placement)).await;
    assert_eq!(a.status, 422, "no start day");
    assert!(a.body.contains(&offered), "the form sent back keeps the employer: {}", a.body);
}

/// A clerk deletes a posting, then its employer, each after a page that
/// asks to confirm; the employer is refused in words while its posting
/// remains; both deletions are audited; an organiser may do neither.
async fn the_desk_deletes_a_posting_and_its_employer_after_asking_and_refuses_in_words_while_referred_to(app: TestApp) {
    let employer = app.employer("江门市江海区海悦酒楼有限公司").await;
    let (s, b) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            serde_json::json!({"employer_id": employer, "title": "海鲜酒楼砧板", "headcount": 2, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let posting = b["id"].as_i64().unwrap();

    let a = send(&app, &app.clerk, &format!("/desk/employers/{employer}"), None).await;
    assert!(a.body.contains(&format!("href=\"/desk/postings/{posting}/delete\"")), "{}", a.body);
    let a = send(&app, &app.clerk, &format!("/desk/postings/{posting}/delete"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("确定要删除岗位“海鲜酒楼砧板”吗？"), "{}", a.body);
    for (method_form, path) in [
        (None, format!("/desk/postings/{posting}/delete")),
        (Some(&[][..]), format!("/desk/postings/{posting}/delete")),
        (Some(&[][..]), format!("/desk/employers/{employer}/delete")),
    ] {
        assert_eq!(send(&app, &app.organiser, &path, method_form).await.status, 403, "{path}");
    }

    // The employer first: refused in words, nothing deleted.
    let a = send(&app, &app.clerk, &format!("/desk/employers/{employer}/delete"), Some(&[])).await;
    assert_eq!(a.status, 409);
    assert!(a.body.contains("仍被 1 条岗位 引用，请先处理这些记录"), "{}", a.body);
    // On the confirm page, with what to do and the way back to the employer
    // (a bare error page offered only 返回首页).
    assert!(a.body.contains("没有删除：") && a.body.contains("请先处理这些记录"), "{}", a.body);
    assert!(a.body.contains(&format!("<a href=\"/desk/employers/{employer}\">返回</a>")), "{}", a.body);
    assert_eq!((app.count("employers"), app.count("postings")), (1, 1));

    let a = send(&app, &app.clerk, &format!("/desk/postings/{posting}/delete"), Some(&[])).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.location, format!("/desk/employers/{employer}?posting_deleted=1#postings"));
    assert_eq!(app.count("postings"), 0);
    let a = send(&app, &app.clerk, &a.location, None).await;
    assert!(a.body.contains("岗位已删除。") && a.body.contains("暂无岗位"), "{}", a.body);

    let a = send(&app, &app.clerk, &format!("/desk/employers/{employer}/delete"), None).await;
    assert!(a.body.contains("确定要删除用人单位“江门市江海区海悦酒楼有限公司”吗？"), "{}", a.body);
    let a = send(&app, &app.clerk, &format!("/desk/employers/{employer}/delete"), Some(&[])).await;
    assert_eq!((a.status, a.location.as_str()), (303, "/desk/employers?deleted=1"), "{}", a.body);
    assert_eq!(app.count("employers"), 0);
    assert!(send(&app, &app.clerk, "/desk/employers?deleted=1", None).await.body.contains("已删除该用人单位。"));
    assert_eq!(app.count_where("audit_log", "action = 'delete' AND resource IN ('employer', 'posting')"), 2);
}

/// An employer that has published for years: its page counts every
/// posting and lists the latest first (it listed the first 1,000 ever and
/// counted those).
async fn an_employer_s_page_counts_all_its_postings_and_lists_the_latest_first(app: TestApp) {
    let employer = app.employer("江门市江海区海悦酒楼有限公司").await;
    app.closed_postings(employer, 320);
    let (s, b) = app
        .post(
            "/api/v1/postings",
            &app.clerk,
            serde_json::json!({"employer_id": employer, "title": "海鲜砧板工", "headcount": 2, "region_code": "440704"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let a = send(&app, &app.clerk, &format!("/desk/employers/{employer}"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("岗位（321 个）") && a.body.contains("下面列出最近发布的 300 个"), "{}", a.body);
    let (latest, older) = (a.body.find("海鲜砧板工").unwrap(), a.body.find(">往年岗位320<").unwrap());
    assert!(latest < older, "the latest first");
    assert!(!a.body.contains(">往年岗位1<"), "the earliest beyond the list");
}

/// Without JavaScript the search box's text comes with the form instead of
/// a choice: the one employer it finds is the record's; none or several
/// bring the form back with those found to choose from (the text kept in
/// the box) and nothing is saved; a choice made wins over the text.
async fn a_form_sent_without_javascript_takes_the_one_employer_its_search_box_finds(app: TestApp) {
    // The two found are registered after the form's first 200.
    app.insert_n(
        250,
        "employers",
        "name, region_code, is_poverty_workshop, created_at, updated_at, version",
        "'批量登记单位' || i, '440704', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1",
    );
    let hotel = app.employer("江门市江海区海悦酒楼有限公司").await;
    let factory = app.employer("江门市蓬江区海悦食品厂").await;
    let person = app
        .labourer(serde_json::json!({"id_number": crate::helpers::id_number("451424", "19900101", 3),
            "name": "测试3", "poverty_status": "registered_poor"}))
        .await["id"]
        .clone();
    let path = format!("/desk/labourers/{person}/placements");
    let page = send(&app, &app.clerk, &format!("/desk/labourers/{person}"), None).await;
    assert!(!page.body.contains(&format!("value=\"{hotel}\"")), "not among the form's first 200");
    let jobs = format!("/api/v1/placements?labourer_id={person}");
    let placement = |chosen: &'static str, find: &'static str| {
        [
            ("employer_id", chosen),
            ("find", find),
            ("region_code", "440704"),
            ("started_on", "2019-03-01"),
            ("channel", "referral"),
        ]
    };
    let a = send(&app, &app.clerk, &path, Some(&placement("", "海悦"))).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(beside(&a.body, "employer_id").contains("名称含“海悦”的单位有 2 家"), "{}", a.body);
    for id in [hotel, factory] {
        assert!(a.body.contains(&format!("<option value=\"{id}\"")), "those found are offered: {}", a.body);
    }
    assert!(a.body.contains("value=\"海悦\""), "the text stays in the box");
    let code = uscc("91440704MA4UJ5X3B");
    let long = "海".repeat(300);
    for (typed, says) in [
        ("没有这家".to_string(), "没有名称含“没有这家”的单位".to_string()),
        ("海%".to_string(), "没有名称含“海%”的单位".to_string()),
        (code.clone(), format!("没有统一社会信用代码为 {code} 的单位")),
        (long, "过长".to_string()),
    ] {
        let form = [
            ("find", typed.as_str()),
            ("region_code", "440704"),
            ("started_on", "2019-03-01"),
            ("channel", "referral"),
        ];
        let a = send(&app, &app.clerk, &path, Some(&form)).await;
        assert_eq!(a.status, 422, "{typed}");
        assert!(beside(&a.body, "employer_id").contains(&says), "{typed}: {}", a.body);
    }
    let a = send(&app, &app.clerk, &format!("/desk/employers/options?find={}", "%E6%B5%B7".repeat(300)), None).await;
    assert!(a.status == 200 && a.body.contains("过长"), "the live search too: {}", a.body);
    assert_eq!(app.get_ok(&jobs, &app.clerk).await["items"].as_array().unwrap().len(), 0, "nothing saved");

    let a = send(&app, &app.clerk, &path, Some(&placement("", "海悦酒楼"))).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(app.get_ok(&jobs, &app.clerk).await["items"][0]["employer_id"], hotel);
    assert_eq!(send(&app, &app.organiser, &path, Some(&placement("", "海悦酒楼"))).await.status, 403);

    fn posting<'a>(chosen: &'a str, find: &'a str) -> [(&'a str, &'a str); 7] {
        [
            ("employer_id", chosen),
            ("find", find),
            ("title", "点心师傅"),
            ("headcount", "2"),
            ("region_code", "440704"),
            ("gender_requirement", "any"),
            ("status", "open"),
        ]
    }
    let a = send(&app, &app.clerk, "/desk/postings/new", Some(&posting("", "海悦酒楼"))).await;
    assert_eq!((a.status, a.location.as_str()), (303, format!("/desk/employers/{hotel}?posted=1#postings").as_str()));
    // A choice made (the box only narrowed the list) is the one used.
    let factory_id = factory.to_string();
    let a = send(&app, &app.clerk, "/desk/postings/new", Some(&posting(&factory_id, "海悦酒楼"))).await;
    assert_eq!(a.location, format!("/desk/employers/{factory}?posted=1#postings"));
}

//! Rows that collide — with another row of the same file, or with what a
//! clerk registered since the last import — and cells that carry control
//! characters: each is caught at its own row, naming the field, before
//! anything is written, and a re-import finds the records it wrote.

use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};

fn uscc(first17: &str) -> String {
    format!("{first17}{}", labour_bridge::domain::uscc::check_char(first17).unwrap())
}
use crate::on_both_backends;

async fn upload(app: &TestApp, kind: &str, mode: &str, text: &str) -> (u16, Value) {
    let path = format!("/api/v1/imports?kind={kind}&mode={mode}");
    app.upload(&path, &app.clerk, "roster.csv", text.as_bytes().to_vec()).await
}

async fn csv(app: &TestApp, kind: &str, mode: &str, text: &str) -> Value {
    let (status, s) = upload(app, kind, mode, text).await;
    assert_eq!(status, 200, "{s}");
    s
}

fn rejected(s: &Value, row: u64) -> Vec<(String, String, String)> {
    s["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["row"] == row)
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (text("field"), text("code"), text("message"))
        })
        .collect()
}

async fn rows_of_one_file_that_repeat_or_collide_are_refused_at_their_row(app: TestApp) {
    let a = id_number("451424", "19900303", 31);
    let b = id_number("451424", "19920404", 41);
    app.labourer(json!({"id_number": a, "name": "黄秋菊", "poverty_status": "registered_poor"})).await;
    app.labourer(json!({"id_number": b, "name": "罗志明", "poverty_status": "registered_poor"})).await;
    // The same part-time job twice, and the same full-time job twice.
    let jobs = format!(
        "姓名,身份证号,就业单位,就业地,就业时间,就业渠道,是否灵活就业\n\
         黄秋菊,{a},江海区某餐馆,440704,2019-03-01,自主就业,是\n\
         黄秋菊,{a},江海区某餐馆,440704,2019-03-01,自主就业,是\n\
         罗志明,{b},江海区某电子厂,440704,2019-04-01,劳务协作推荐,否\n\
         罗志明,{b},江海区某电子厂,440704,2019-04-01,劳务协作推荐,否\n"
    );
    let s = csv(&app, "placements", "dry_run", &jobs).await;
    for (row, first) in [(3, "2"), (5, "4")] {
        let found = rejected(&s, row);
        assert_eq!(found.len(), 1, "row {row}: {s}");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("started_on", "duplicate_in_file"), "{s}");
        assert!(found[0].2.contains(&format!("第{first}行")), "{s}");
    }
    let s = csv(&app, "placements", "commit&accept_partial=true", &jobs).await;
    assert_eq!(s["inserted"], 2, "{s}");
    assert_eq!(app.count("placements"), 2);

    // Two schools at once for one student; and a 姓名 that is not the person's.
    let schools = format!(
        "学生姓名,身份证号,学校名称,学校所在地,入学时间,在读状态\n\
         黄秋菊,{a},江门市技师学院,440703,2018-09-01,在读\n\
         黄秋菊,{a},江门市第一职业高级中学,440703,2019-09-01,在读\n\
         罗志强,{b},江门市技师学院,440703,2018-09-01,在读\n"
    );
    let s = csv(&app, "vocational_enrolments", "dry_run", &schools).await;
    let found = rejected(&s, 3);
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("status", "two_schools_in_file"), "{s}");
    assert!(found[0].2.contains("第2行"), "{s}");
    let warned: Vec<&Value> = s["warnings"].as_array().unwrap().iter().filter(|w| w["row"] == 4).collect();
    assert_eq!(warned.len(), 1, "{s}");
    assert_eq!((warned[0]["field"].as_str(), warned[0]["code"].as_str()), (Some("name"), Some("name_mismatch")));
    let s = csv(&app, "vocational_enrolments", "commit&accept_partial=true", &schools).await;
    assert_eq!((s["status"].as_str(), s["inserted"].as_u64()), (Some("applied"), Some(2)), "{s}");
}

async fn a_job_filed_by_employer_name_is_found_again_once_the_employer_is_registered(app: TestApp) {
    let a = id_number("451424", "19890505", 51);
    app.labourer(json!({"id_number": a, "name": "潘玉兰", "poverty_status": "registered_poor"})).await;
    let jobs = format!(
        "姓名,身份证号,就业单位,就业地,就业时间,就业渠道\n\
         潘玉兰,{a},江门市江海区华美制衣有限公司,440704,2019-05-06,劳务协作推荐\n"
    );
    assert_eq!(csv(&app, "placements", "commit", &jobs).await["inserted"], 1);
    app.employer("江门市江海区华美制衣有限公司").await;
    let s = csv(&app, "placements", "commit", &jobs).await;
    assert_eq!((s["inserted"].as_u64(), s["rejected"].as_array().map(Vec::len)), (Some(0), Some(0)), "{s}");
    assert_eq!(app.count("placements"), 1, "the same job, not a second one: {s}");
}

async fn control_characters_in_any_kind_of_roster_reject_the_row_naming_the_field(app: TestApp) {
    let a = id_number("451424", "19930606", 61);
    let cases = [
        ("labourers", format!("姓名,身份证号\n李\u{7}明,{a}\n"), "name"),
        ("employers", "单位名称,所在地\n江海区\u{1f}某厂,440704\n".to_string(), "name"),
        (
            "placements",
            format!("姓名,身份证号,就业单位,就业地,岗位,就业时间,就业渠道\n李明,{a},某厂,440704,普\u{1b}工,2019-01-02,自主就业\n"),
            "occupation",
        ),
    ];
    for (kind, text, field) in cases {
        let (status, s) = upload(&app, kind, "commit", &text).await;
        assert_eq!((status, s["outcome"].as_str()), (422, Some("refused")), "{kind}: nothing written: {s}");
        let found = rejected(&s, 2);
        assert!(
            found.iter().any(|(f, code, m)| f == field && code == "control_character" && !m.is_empty()),
            "{kind}: {s}"
        );
    }
    assert_eq!(app.count("labourers"), 0);
    assert_eq!(app.count("employers"), 0);
}

/// A place no table knows (火星) once hid the row's other faults: the
/// clerk fixed it, uploaded again, and only then heard of the phone. Every
/// failing field of the row is named at once, in a person roster and in a
/// jobs roster, and nothing about the fields found from the failed ones.
async fn a_row_with_a_place_nobody_knows_is_told_every_other_fault_too(app: TestApp) {
    let idn = id_number("451424", "19900101", 71);
    let people = format!("姓名,身份证号,手机号码,户籍所在地,贫困户属性\n韦火星,{idn},12345,火星,困难户\n");
    let s = csv(&app, "labourers", "dry_run", &people).await;
    let mut fields: Vec<String> = rejected(&s, 2).into_iter().map(|(f, _, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["hukou_region_code", "phone", "poverty_status"], "{s}");
    app.labourer(json!({"id_number": idn, "name": "韦火星"})).await;
    let jobs = format!("姓名,身份证号,就业单位,就业地,就业时间,就业渠道\n韦火星,{idn},江门某厂,火星,2019-03-01,乱写\n");
    let s = csv(&app, "placements", "dry_run", &jobs).await;
    let mut fields: Vec<String> = rejected(&s, 2).into_iter().map(|(f, _, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["channel", "region_code"], "{s}");
    // An unknown person: the ID number alone, not the person it would find.
    let stranger = id_number("451424", "19900101", 73);
    let s = csv(&app, "placements", "dry_run", &jobs.replace(&idn, &stranger)).await;
    let mut fields: Vec<String> = rejected(&s, 2).into_iter().map(|(f, _, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["channel", "id_number", "region_code"], "{s}");
}

/// A postings roster is told every fault of a row at once too: an employer
/// not on file beside a nameless post and a place nobody knows; a bad
/// salary beside a bad sex requirement — and nothing about the salary's
/// two bounds, which come from the failed column.
async fn a_posting_row_with_an_unknown_employer_is_told_its_other_faults_too(app: TestApp) {
    app.employer("江门市粤菜餐饮有限公司").await;
    let rows = "招聘单位,岗位名称,招聘人数,工作地点,薪资待遇,性别要求\n\
                无名公司,,3,火星,4000-6000,男\n\
                江门市粤菜餐饮有限公司,帮厨,2,江门市蓬江区,面议多少,男女都要\n";
    let s = csv(&app, "postings", "dry_run", rows).await;
    let fields = |row| {
        let mut fields: Vec<String> = rejected(&s, row).into_iter().map(|(f, _, _)| f).collect();
        fields.sort();
        fields
    };
    assert_eq!(fields(2), ["employer", "region_code", "title"], "{s}");
    assert_eq!(fields(3), ["gender_requirement", "salary"], "{s}");
    assert_eq!(app.count("postings"), 0);
}

on_both_backends!(
    rows_of_one_file_that_repeat_or_collide_are_refused_at_their_row,
    a_posting_row_with_an_unknown_employer_is_told_its_other_faults_too,
    an_employer_named_twice_is_one_row_and_a_shared_name_finds_no_one_employer,
    a_job_filed_by_employer_name_is_found_again_once_the_employer_is_registered,
    control_characters_in_any_kind_of_roster_reject_the_row_naming_the_field,
    a_row_with_a_place_nobody_knows_is_told_every_other_fault_too,
);

/// An employers roster naming one employer on two rows, once with its USCC
/// and once without, once made two employers of one name, and each
/// re-import then moved the phone of one to the other's (never 未变). The
/// second row is a repeat of the first; and where two employers on file do
/// share a name, a roster naming it without a USCC finds neither of them
/// silently: a posting is refused until the USCC says which, and a job is
/// kept under the name typed, with a warning.
async fn an_employer_named_twice_is_one_row_and_a_shared_name_finds_no_one_employer(app: TestApp) {
    let code = uscc("91440704MA4UXX001");
    let roster = format!(
        "单位名称,统一社会信用代码,所在地区,联系电话\n\
         江门市江海区新华电子有限公司,{code},440704,0750-3861234\n\
         江门市江海区新华电子有限公司,,440704,13800138000\n"
    );
    let s = csv(&app, "employers", "commit&accept_partial=true", &roster).await;
    assert_eq!(s["inserted"], 1, "{s}");
    assert_eq!(rejected(&s, 3), [("name".into(), "duplicate_in_file".into(), "与第2行重复".into())], "{s}");
    let s = csv(&app, "employers", "commit&accept_partial=true", &roster).await;
    assert_eq!((s["unchanged"].as_u64(), s["updated"].as_u64()), (Some(1), Some(0)), "{s}");
    let e = app.get_ok("/api/v1/employers?name=新华电子", &app.clerk).await;
    assert_eq!(e["items"].as_array().unwrap().len(), 1, "{e}");
    assert_eq!(e["items"][0]["contact_phone"], "0750-3861234", "{e}");

    // A second employer of that name, registered at the desk without a code.
    let (st, b) = app
        .post("/api/v1/employers", &app.clerk, json!({"name": "江门市江海区新华电子有限公司", "region_code": "440703"}))
        .await;
    assert_eq!(st, 201, "{b}");
    // Registered, with a word that one of that name is on file (it was
    // silent), and the desk tells the two apart by their codes.
    assert_eq!(b["warnings"][0]["code"], "same_name", "{b}");
    let (_, page) = app.page_as(&app.clerk, &format!("/desk/employers/{}", b["id"])).await;
    assert!(page.contains("还登记了同名的单位") && page.contains(&code), "{page}");
    let (_, options) = app
        .page_as(&app.clerk, &format!("/desk/employers/options?find={}", crate::helpers::urlencode("新华电子")))
        .await;
    assert!(options.contains(&format!("江门市江海区新华电子有限公司（统一社会信用代码 {code}）")), "{options}");
    assert!(options.contains("未填代码"), "{options}");
    // The employers' list finds one by its USCC, and by its name typed with a space.
    for typed in [code.as_str(), "新华 电子"] {
        let (_, list) =
            app.page_as(&app.clerk, &format!("/desk/employers?q={}", crate::helpers::urlencode(typed))).await;
        assert!(list.contains("江门市江海区新华电子有限公司"), "{typed}: {list}");
    }
    let postings = "招聘单位,统一社会信用代码,岗位名称,招聘人数,工作地点\n\
                    江门市江海区新华电子有限公司,,普工,3,440704\n";
    let s = csv(&app, "postings", "dry_run", postings).await;
    let refused = rejected(&s, 2);
    assert_eq!((refused[0].0.as_str(), refused[0].1.as_str()), ("employer", "ambiguous"), "{s}");
    assert!(refused[0].2.contains(&code) && refused[0].2.contains("未填代码"), "{s}");
    let s = csv(&app, "postings", "dry_run", &postings.replace(",,普工", &format!(",{code},普工"))).await;
    assert_eq!(s["inserted"], 1, "the USCC says which: {s}");

    let idn = id_number("451424", "19900101", 75);
    app.labourer(json!({"id_number": idn, "name": "韦新华"})).await;
    let jobs = format!("姓名,身份证号,就业单位,就业地,就业时间,就业渠道\n韦新华,{idn},江门市江海区新华电子有限公司,440704,2019-03-01,劳务协作推荐\n");
    let s = csv(&app, "placements", "commit", &jobs).await;
    assert_eq!(s["inserted"], 1, "{s}");
    assert_eq!(s["warnings"][0]["code"], "ambiguous", "{s}");
    let job = &app.get_ok("/api/v1/placements", &app.clerk).await["items"][0];
    assert_eq!(
        (job["employer_id"].clone(), job["employer_name"].clone()),
        (Value::Null, "江门市江海区新华电子有限公司".into())
    );
}

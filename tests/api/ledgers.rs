//! Ledgers through HTTP: the rules of DESIGN §5 on real data, every format
//! read back with a real reader, and the same answer on both backends.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::{id_number, Backend, TestApp};

crate::on_both_backends!(
    new_transfers_follow_the_rules,
    stable_east_counts_spells,
    students_and_graduates_are_counted,
    the_xlsx_ledger_has_title_headers_text_ids_total_and_signature,
    the_csv_ledger_has_a_bom_and_a_row_per_person,
    a_spreadsheet_opening_the_csv_keeps_every_digit,
    id_numbers_are_masked_unless_asked_and_unmasked_views_are_audited,
    bad_ledger_parameters_are_4xx,
);

/// Registers a person and their placements; `status` is the poverty status.
pub(crate) async fn person(app: &TestApp, serial: u32, status: &str, jobs: &[(&str, &str, Option<&str>)]) -> i64 {
    let l = app
        .labourer(json!({"id_number": id_number("451424", "19900101", serial), "name": format!("测试{serial}"),
            "poverty_status": status, "hukou_township": "硕龙镇", "hukou_village": "义宁村", "phone": "13800138000"}))
        .await;
    let id = l["id"].as_i64().unwrap();
    for (region, from, to) in jobs {
        let (s, b) = app
            .post("/api/v1/placements", &app.clerk, json!({"labourer_id": id, "employer_name": "江门某厂",
                "region_code": region, "started_on": from, "ended_on": to, "channel": "referral", "monthly_income": 4000}))
            .await;
        assert_eq!(s, 201, "{b}");
    }
    id
}

pub(crate) fn ids(ledger: &Value) -> Vec<i64> {
    ledger["rows"].as_array().unwrap().iter().map(|r| r["labourer_id"].as_i64().unwrap()).collect()
}

/// The same registry on any backend: covers each rule of the new-transfers ledger.
pub(crate) async fn transfers_fixture(app: &TestApp) -> Vec<i64> {
    vec![
        person(app, 1, "registered_poor", &[("440704", "2019-01-01", None)]).await, // first day: new
        person(app, 3, "lifted", &[("440704", "2019-11-15", None)]).await,          // on D: new
        person(
            app,
            5,
            "registered_poor",
            &[("440704", "2018-06-01", Some("2019-03-31")), ("320500", "2019-04-01", None)],
        )
        .await, // across New Year: not new
        person(app, 7, "monitored", &[("440704", "2019-05-01", None)]).await,       // not counted
        person(app, 9, "unverified", &[("440704", "2019-05-01", None)]).await,      // not counted
        person(app, 11, "registered_poor", &[("451424", "2019-05-01", None)]).await, // west: not east
        person(
            app,
            13,
            "registered_poor",
            &[("330100", "2019-02-01", Some("2019-03-31")), ("440704", "2019-06-01", None)],
        )
        .await, // two: earliest
        person(app, 15, "registered_poor", &[("440704", "2019-11-16", None)]).await, // after D
    ]
}

async fn new_transfers_follow_the_rules(app: TestApp) {
    let p = transfers_fixture(&app).await;
    let (s, l) = app.get("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15", &app.clerk).await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(l["kind"], "new-transfers-east");
    assert_eq!(l["year"], 2019);
    assert_eq!(l["as_of"], "2019-11-15");
    assert_eq!(l["rules"]["stable_months"], 3);
    assert_eq!(l["count"], 3);
    assert_eq!(ids(&l), [p[0], p[1], p[6]]);
    let row = &l["rows"][2];
    assert_eq!(row["started_on"], "2019-02-01", "the earliest qualifying placement");
    assert_eq!(row["work_place"], "浙江省杭州市");
    assert_eq!(row["hukou"], "广西壮族自治区崇左市大新县");
    assert_eq!(row["poverty_status"], "建档立卡贫困户");
    assert_eq!(row["channel"], "劳务协作推荐");
    // A county filter keeps only people registered there.
    let other =
        app.get_ok("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&county=440704", &app.clerk).await;
    assert_eq!(other["count"], 0);
}

async fn stable_east_counts_spells(app: TestApp) {
    // Begun on 31 August: three months by the plan's 30 November deadline.
    let on_cutoff = person(&app, 1, "registered_poor", &[("440704", "2019-08-31", None)]).await;
    let _day_late = person(&app, 3, "registered_poor", &[("440704", "2019-09-01", None)]).await;
    let gap31 =
        person(&app, 5, "lifted", &[("440704", "2019-03-01", Some("2019-05-31")), ("330100", "2019-07-01", None)])
            .await;
    let _gap32 =
        person(&app, 7, "lifted", &[("440704", "2019-03-01", Some("2019-08-31")), ("330100", "2019-10-02", None)])
            .await;
    // Ended since D: ongoing at D all the same.
    let ends_after = person(&app, 9, "registered_poor", &[("440704", "2019-06-01", Some("2019-12-31"))]).await;
    // Registered in another county (by hukou, not by ID number).
    let elsewhere = app
        .labourer(json!({"id_number": id_number("451424", "19900101", 11), "name": "测试11",
            "poverty_status": "registered_poor", "hukou_region_code": "451421"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let (s, b) = app
        .post(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": elsewhere, "employer_name": "江门某厂",
            "region_code": "440704", "started_on": "2019-02-01", "channel": "referral"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, l) = app.get("/api/v1/ledgers/stable-east?year=2019&as_of=2019-11-30", &app.clerk).await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(ids(&l), [on_cutoff, gap31, ends_after, elsewhere]);
    assert_eq!(l["rows"][1]["spell_started_on"], "2019-03-01");
    assert_eq!(l["rows"][1]["started_on"], "2019-07-01", "the current placement is shown");
    // A county keeps its own people, from open and ended placements alike.
    let county = |c: &str| format!("/api/v1/ledgers/stable-east?year=2019&as_of=2019-11-30&county={c}");
    assert_eq!(ids(&app.get_ok(&county("451424"), &app.clerk).await), [on_cutoff, gap31, ends_after]);
    assert_eq!(ids(&app.get_ok(&county("451421"), &app.clerk).await), [elsewhere]);
    assert_eq!(app.get_ok(&county("440704"), &app.clerk).await["count"], 0);
}

async fn students_and_graduates_are_counted(app: TestApp) {
    let studying = person(&app, 1, "registered_poor", &[]).await;
    let employed = person(&app, 3, "registered_poor", &[("440704", "2019-03-01", None)]).await;
    let job_ended = person(&app, 5, "lifted", &[("440704", "2019-03-01", Some("2019-06-29"))]).await;
    let west = person(&app, 7, "registered_poor", &[]).await;
    let enrol = |who: i64, region: &str, graduated: Option<&str>| {
        let mut b = json!({"labourer_id": who, "school_name": "江门市技师学院", "school_region_code": region, "enrolled_on": "2016-09-01"});
        if let Some(g) = graduated {
            b["status"] = json!("graduated");
            b["graduated_on"] = json!(g);
        }
        b
    };
    for body in [
        enrol(studying, "440703", None),
        enrol(employed, "440703", Some("2019-06-30")),
        enrol(job_ended, "440703", Some("2019-06-30")),
        enrol(west, "451402", None),
    ] {
        let (s, b) = app.post("/api/v1/vocational-enrolments", &app.clerk, body).await;
        assert_eq!(s, 201, "{b}");
    }
    let v = app.get_ok("/api/v1/ledgers/vocational-students-east?year=2019&as_of=2019-11-15", &app.clerk).await;
    assert_eq!(ids(&v), [studying, employed, job_ended]);
    let g = app.get_ok("/api/v1/ledgers/graduates-employed?year=2019&as_of=2019-11-15", &app.clerk).await;
    assert_eq!(g["graduates"], 2);
    assert_eq!(g["count"], 1);
    let flags: Vec<(i64, bool)> = g["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["labourer_id"].as_i64().unwrap(), r["employed"].as_bool().unwrap()))
        .collect();
    assert_eq!(flags, [(employed, true), (job_ended, false)]);
}

pub(crate) fn sheet_rows(bytes: &[u8], sheet: usize) -> (String, Vec<Vec<Data>>) {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[sheet].clone();
    let range = wb.worksheet_range(&name).unwrap();
    (name, range.rows().map(|r| r.to_vec()).collect())
}

pub(crate) fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

async fn the_xlsx_ledger_has_title_headers_text_ids_total_and_signature(app: TestApp) {
    transfers_fixture(&app).await;
    let (s, ctype, bytes) = app
        .bytes("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&format=xlsx&unmasked=true", &app.clerk)
        .await;
    assert_eq!(s, 200);
    assert!(ctype.contains("spreadsheetml"), "{ctype}");
    let (_, rows) = sheet_rows(&bytes, 0);
    let all: Vec<String> = rows.iter().map(|r| r.iter().map(text).collect::<Vec<_>>().join("|")).collect();
    assert_eq!(text(&rows[0][0]), "2019年新增转移到东部地区就业贫困人口台账");
    assert!(all[1].contains("2019-11-15"), "{}", all[1]);
    let header: Vec<String> = rows[2].iter().map(text).collect();
    for h in [
        "序号",
        "姓名",
        "性别",
        "身份证号",
        "户籍地",
        "贫困户属性",
        "就业单位",
        "就业地",
        "岗位",
        "就业时间",
        "月收入（元）",
        "就业渠道",
        "联系电话",
        "备注",
    ] {
        assert!(header.iter().any(|x| x == h), "{h} missing from {header:?}");
    }
    let id_col = header.iter().position(|h| h == "身份证号").unwrap();
    let date_col = header.iter().position(|h| h == "就业时间").unwrap();
    let body = &rows[3..6];
    let expected =
        [id_number("451424", "19900101", 1), id_number("451424", "19900101", 3), id_number("451424", "19900101", 13)];
    for (row, want) in body.iter().zip(expected) {
        assert_eq!(row[id_col], Data::String(want.clone()), "ID numbers stay text");
        assert!(matches!(row[date_col], Data::DateTime(_)), "dates are real dates: {:?}", row[date_col]);
    }
    assert_eq!(text(&rows[6][0]), "合计");
    assert!(text(&rows[6][1]).contains('3'), "{:?}", rows[6]);
    assert!(all.iter().any(|r| r.contains("填报单位（盖章）") && r.contains("审核人")), "signature line");
}

/// LibreOffice (a real spreadsheet program) opens the unmasked CSV ledger
/// with its default CSV settings (comma, double quote, UTF-8) and saves it
/// as a workbook; every ID number and phone is still all there, as text.
async fn a_spreadsheet_opening_the_csv_keeps_every_digit(app: TestApp) {
    use calamine::{open_workbook_auto, Data, Reader};
    let Some(soffice) = crate::soffice::soffice() else { return };
    transfers_fixture(&app).await;
    let (s, _, csv) = app
        .bytes("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&format=csv&unmasked=true", &app.clerk)
        .await;
    assert_eq!(s, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.csv");
    std::fs::write(&path, &csv).unwrap();
    let out = crate::soffice::soffice_to_xlsx(soffice, dir.path(), &path, "CSV:44,34,76,1");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let mut book = open_workbook_auto(dir.path().join("ledger.xlsx")).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows[0][3], "身份证号");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        ids,
        [id_number("451424", "19900101", 1), id_number("451424", "19900101", 3), id_number("451424", "19900101", 13)]
    );
    let phone = rows[0].iter().position(|h| h == "联系电话").unwrap();
    assert!(rows[1..].iter().all(|r| r[phone] == "13800138000"), "{rows:?}");
}

async fn the_csv_ledger_has_a_bom_and_a_row_per_person(app: TestApp) {
    transfers_fixture(&app).await;
    let (s, ctype, bytes) =
        app.bytes("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&format=csv", &app.clerk).await;
    assert_eq!(s, 200);
    assert!(ctype.starts_with("text/csv"));
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..4], ["序号", "姓名", "性别", "身份证号"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3, "one row per person, no title or total");
    let names: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(names, ["测试1", "测试3", "测试13"]);
    for r in &rows {
        assert!(r[3].starts_with("451424**********") && r[3].len() == 18, "masked by default: {:?}", r);
    }
    let (_, _, full) = app
        .bytes("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&format=csv&unmasked=true", &app.clerk)
        .await;
    let mut reader = csv::Reader::from_reader(&full[3..]);
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[3].to_string()).collect();
    let expected =
        [id_number("451424", "19900101", 1), id_number("451424", "19900101", 3), id_number("451424", "19900101", 13)];
    let as_text: Vec<String> = expected.iter().map(|n| format!("=\"{n}\"")).collect();
    assert_eq!(ids, as_text, "written so spreadsheets keep them as text");
    let (s, _, html) =
        app.bytes("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&format=html", &app.clerk).await;
    assert_eq!(s, 200);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("2019年新增转移到东部地区就业贫困人口台账") && html.contains("A4 landscape"));
}

async fn id_numbers_are_masked_unless_asked_and_unmasked_views_are_audited(app: TestApp) {
    let who = person(&app, 1, "registered_poor", &[("440704", "2019-03-01", None)]).await;
    let full = id_number("451424", "19900101", 1);
    let l = app.get_ok("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15", &app.clerk).await;
    assert_eq!(l["rows"][0]["id_number"], format!("451424**********{}", &full[16..]));
    let before = app.count("audit_log");
    let l = app.get_ok("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&unmasked=true", &app.clerk).await;
    assert_eq!(l["rows"][0]["id_number"], full);
    assert_eq!(app.count("audit_log"), before + 1);
    let trail = app.get_ok("/api/v1/audit?resource=ledger", &app.admin).await;
    assert_eq!(trail["items"][0]["action"], "export_unmasked");
    assert_eq!(trail["items"][0]["actor"], "clerk");
    assert_eq!(trail["items"][0]["after"]["labourer_ids"], json!([who]));
    let (s, _) = app.get("/api/v1/ledgers/new-transfers-east?year=2019", &app.organiser).await;
    assert_eq!(s, 403);
}

async fn bad_ledger_parameters_are_4xx(app: TestApp) {
    for (path, status, field) in [
        ("/api/v1/ledgers/new-transfers-east", 400, "year"),
        ("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2020-01-05", 400, "as_of"),
        ("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-02-30", 400, "as_of"),
        ("/api/v1/ledgers/new-transfers-east?year=2019&format=pdf", 400, "format"),
        ("/api/v1/ledgers/new-transfers-east?year=2019&county=999999", 400, "county"),
        ("/api/v1/ledgers/bundle?year=abc", 400, "year"),
        // The bundle is one masked xlsx of the whole cooperation: a single
        // ledger's options are refused by name, not quietly dropped.
        ("/api/v1/ledgers/bundle?year=2019&format=csv", 400, "format"),
        ("/api/v1/ledgers/bundle?year=2019&county=451424", 400, "county"),
        ("/api/v1/ledgers/bundle?year=2019&unmasked=true", 400, "unmasked"),
    ] {
        let (s, ctype, b) = app.call_raw("GET", path, Some(&app.clerk), None).await;
        assert_eq!(s, status, "{path}: {b}");
        assert!(ctype.starts_with("application/problem+json"));
        assert_eq!(b["errors"][0]["field"], field, "{path}");
    }
    let (s, _) = app.get("/api/v1/ledgers/happiness?year=2019", &app.clerk).await;
    assert_eq!(s, 404);
    // Each fault by its own code and words (all were `invalid`, 无效, or
    // the query parser's English for a repeat).
    for (query, field, code, said) in [
        ("year=2019&year=2020", "year", "duplicate", "只能给一个值"),
        ("year=2019&county=451400", "county", "not_county", "不是县级"),
        ("year=2019&county=440711", "county", "split_region", "已撤销并分属"),
        ("year=2019&as_of=2019-02-30", "as_of", "format", "不是有效的日期"),
        ("year=2019&as_of=2019/06/01", "as_of", "format", "写作 年-月-日"),
        ("year=2019&format=pdf", "format", "invalid", "json、csv、xlsx 或 html"),
        ("year=2019&unmasked=yes", "unmasked", "invalid", "true 或 false"),
    ] {
        let (s, b) = app.get(&format!("/api/v1/ledgers/stable-east?{query}"), &app.clerk).await;
        assert_eq!(s, 400, "{query}: {b}");
        let e = &b["errors"][0];
        assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some(field), Some(code)), "{query}: {b}");
        assert!(e["message"].as_str().unwrap().contains(said), "{query}: {b}");
    }
    // Full-width digits, as an input method types them, and TRUE as typed.
    let (s, b) =
        app.get("/api/v1/ledgers/job-fairs?year=２０１９&as_of=２０１９-06-01&unmasked=TRUE", &app.clerk).await;
    assert_eq!((s, b["year"].clone(), b["as_of"].clone()), (200, json!(2019), json!("2019-06-01")), "{b}");
    // What the bundle does take still gives the workbook.
    let (s, _, bytes) = app.bytes("/api/v1/ledgers/bundle?year=2019&format=xlsx&unmasked=false", &app.clerk).await;
    assert_eq!(s, 200);
    assert!(bytes.starts_with(b"PK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_give_the_same_ledgers_for_the_same_data() {
    let Some(pg) = TestApp::spawn(Backend::Postgres).await else { return };
    let lite = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let mut answers = Vec::new();
    for app in [&lite, &pg] {
        transfers_fixture(app).await;
        let mut kinds = Vec::new();
        for kind in [
            "new-transfers-east",
            "stable-east",
            "vocational-students-east",
            "graduates-employed",
            "job-fairs",
            "trainings",
            "summary",
        ] {
            let (s, mut l) =
                app.get(&format!("/api/v1/ledgers/{kind}?year=2019&as_of=2019-11-30&unmasked=true"), &app.clerk).await;
            assert_eq!(s, 200, "{kind}: {l}");
            l.as_object_mut().unwrap().remove("generated_at");
            kinds.push(l);
        }
        answers.push(kinds);
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0][0]["count"].as_i64().unwrap() > 0);
}

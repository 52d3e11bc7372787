//! Bulk import (DESIGN §8) over HTTP with rosters written by openpyxl,
//! LibreOffice and Python's csv module (tests/fixtures/imports), checked
//! row by row against tests/fixtures/imports/expected.json.

use serde_json::{json, Value};

use crate::helpers::{fixture, TestApp};
use crate::on_both_backends;

fn expected() -> Value {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

fn kind_of(file: &str) -> String {
    expected()["files"][file]["kind"].as_str().unwrap().to_string()
}

async fn import(app: &TestApp, file: &str, query: &str) -> (u16, Value) {
    let path = format!("/api/v1/imports?kind={}&{query}", kind_of(file));
    app.upload(&path, &app.clerk, file, fixture(file)).await
}

fn has(list: &Value, row: u64, field: &str, code: &str) -> bool {
    list.as_array().unwrap().iter().any(|i| i["row"] == row && i["field"] == field && i["code"] == code)
}

/// A dry run reports every row as expected.json says.
async fn check_dry_run(app: &TestApp, file: &str) {
    let want = &expected()["files"][file];
    let (status, s) = import(app, file, "mode=dry_run").await;
    assert_eq!(status, 200, "{file}: {s}");
    assert_eq!(s["status"], "dry_run");
    assert_eq!(s["header_row"], want["header_row"], "{file}");
    assert_eq!(s["unknown_columns"], want["unknown_columns"], "{file}");
    let rows = want["rows"].as_array().unwrap();
    assert_eq!(s["rows"], rows.len(), "{file}: every data row read, no blank, title or total row: {s}");
    for r in rows {
        let (row, field, code) =
            (r["row"].as_u64().unwrap(), r["field"].as_str().unwrap_or(""), r["code"].as_str().unwrap_or(""));
        match r["outcome"].as_str().unwrap() {
            "rejected" => assert!(
                has(&s["rejected"], row, field, code),
                "{file} row {row} should be rejected {field}/{code}: {}",
                s["rejected"]
            ),
            "warning" => assert!(
                has(&s["warnings"], row, field, code),
                "{file} row {row} should warn {field}/{code}: {}",
                s["warnings"]
            ),
            _ => assert!(
                !s["rejected"].as_array().unwrap().iter().any(|i| i["row"] == row),
                "{file} row {row} should be taken: {}",
                s["rejected"]
            ),
        }
    }
    let messages_are_chinese = s["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["message"].as_str().unwrap().chars().any(|c| c > '\u{2E80}'));
    assert!(messages_are_chinese, "{}", s["rejected"]);
}

/// After a partial commit, every taken row's values are on file: the
/// audit entries of the import hold the records as stored.
async fn check_values(app: &TestApp, file: &str, import_id: i64) {
    let want = &expected()["files"][file];
    let resource = match want["kind"].as_str().unwrap() {
        "labourers" => "labourer",
        "employers" => "employer",
        "postings" => "posting",
        "placements" => "placement",
        _ => "vocational_enrolment",
    };
    let trail = app.get_ok(&format!("/api/v1/audit?resource={resource}&limit=500&unmasked=true"), &app.admin).await;
    let stored: Vec<&Value> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["import_id"] == import_id && e["action"] == "create")
        .map(|e| &e["after"])
        .collect();
    // Rows with only a warning are taken too, but for a lost character,
    // which a commit rejects.
    let taken: Vec<&Value> = want["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "ok" || (r["outcome"] == "warning" && r["code"] != "lost_character"))
        .collect();
    assert_eq!(stored.len(), taken.len(), "{file}: one audited create per taken row");
    for r in taken {
        let values = r["values"].as_object().unwrap();
        let found = stored.iter().any(|rec| {
            values.iter().all(|(k, v)| match rec.get(k) {
                Some(got) => got == v || (v.is_null() && got.as_array().is_some_and(|a| a.is_empty())),
                None => true,
            })
        });
        assert!(found, "{file} row {}: no stored record has {}", r["row"], r["values"]);
    }
}

async fn commit_partial(app: &TestApp, file: &str) -> Value {
    let (status, s) = import(app, file, "mode=commit&accept_partial=true").await;
    assert_eq!(status, 200, "{file}: {s}");
    assert_eq!(s["status"], "applied");
    s
}

async fn fixtures_import_as_their_expectations_say(app: TestApp) {
    for file in [
        "labourers_office.xlsx",
        "labourers_libreoffice.xls",
        "labourers_bom.csv",
        "labourers_plain.csv",
        "employers_office.xlsx",
        "postings_office.xlsx",
        "placements_office.xlsx",
        "vocational_enrolments_office.xlsx",
    ] {
        check_dry_run(&app, file).await;
        let s = commit_partial(&app, file).await;
        check_values(&app, file, s["import_id"].as_i64().unwrap()).await;
    }
    // The GBK file: its `?` name is a warning on a dry run and a rejection
    // on commit (DESIGN §8).
    check_dry_run(&app, "labourers_gbk.csv").await;
    let s = commit_partial(&app, "labourers_gbk.csv").await;
    assert!(has(&s["rejected"], 3, "name", "lost_character"), "{}", s["rejected"]);
    assert_eq!(s["inserted"], 3, "{s}");
    let rare = app.get_ok("/api/v1/labourers?id_number=451424198909085063", &app.clerk).await;
    assert_eq!(rare["items"][0]["name"], "莫𠮷芳", "a GB18030 four-byte character survives");

    // The same file again changes nothing.
    let again = commit_partial(&app, "labourers_office.xlsx").await;
    assert_eq!(
        (again["inserted"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(13)),
        "{again}"
    );
    let placements = commit_partial(&app, "placements_office.xlsx").await;
    assert_eq!(placements["unchanged"], 7, "{placements}");
    assert_eq!(app.count("placements"), 7);
}

async fn a_commit_with_rejected_rows_writes_nothing_and_the_rows_come_back(app: TestApp) {
    let (status, body) = import(&app, "labourers_office.xlsx", "mode=commit").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["outcome"], "refused");
    assert_eq!((body["rows"].as_u64(), body["inserted"].as_u64()), (Some(15), Some(0)), "{body}");
    assert!(body["detail"].as_str().unwrap().contains("未写入"), "{body}");
    assert!(has(&body["rejected"], 6, "id_number", "spreadsheet_number"));
    assert!(body["rejected"][0]["message"].as_str().unwrap().contains("4.51424199001012E+17"), "{body}");
    assert_eq!(app.count("labourers"), 0, "all or nothing");
    let id = body["import_id"].as_i64().unwrap();
    assert_eq!(app.get_ok(&format!("/api/v1/imports/{id}"), &app.clerk).await["status"], "refused");
    // Another clerk cannot read it; an admin can.
    let other = app.add_user("other-clerk", labour_bridge::auth::Role::Clerk, None, None);
    assert_eq!(app.get(&format!("/api/v1/imports/{id}"), &other).await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/imports/{id}"), &app.admin).await.0, 200);

    let (status, ctype, bytes) = app.bytes(&format!("/api/v1/imports/{id}/rejected.xlsx"), &app.clerk).await;
    assert_eq!(status, 200);
    assert!(ctype.contains("spreadsheetml"), "{ctype}");
    let rows = read_xlsx(&bytes);
    let header = &rows[0];
    let reason_col = header.iter().position(|h| h == "错误原因").expect("a 错误原因 column");
    assert!(header.contains(&"公民身份号码（必填）".to_string()), "the header as the file had it: {header:?}");
    assert_eq!(rows.len(), 3, "two rejected rows under the header: {rows:?}");
    assert!(rows[1][reason_col].contains("身份证号") && rows[1][reason_col].contains("丢失"), "{:?}", rows[1]);
    assert!(rows[2][reason_col].contains("校验"), "{:?}", rows[2]);
    assert!(red_font_in(&bytes), "the reasons are in red");
    assert_eq!(app.count_where("audit_log", &format!("action = 'view_unmasked' AND resource_id = {id}")), 1);

    // Uploaded again unfixed, the same rows fail for the same reasons.
    let (status, again) = app.upload("/api/v1/imports?kind=labourers", &app.clerk, "rejected.xlsx", bytes).await;
    assert_eq!(status, 200, "{again}");
    assert!(has(&again["rejected"], 2, "id_number", "spreadsheet_number"), "{again}");
    assert!(has(&again["rejected"], 3, "id_number", "checksum"), "{again}");
}

/// Every cell of the first sheet as text, read with calamine.
pub fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
    s
}

fn red_font_in(bytes: &[u8]) -> bool {
    zip_entry(bytes, "xl/styles.xml").contains("FFFF0000")
}

async fn templates_offer_lists_keep_id_numbers_as_text_and_import_back_empty(app: TestApp) {
    for kind in ["labourers", "employers", "postings", "placements", "vocational_enrolments"] {
        let (status, _, bytes) = app.bytes(&format!("/api/v1/imports/templates/{kind}.xlsx"), &app.clerk).await;
        assert_eq!(status, 200, "{kind}");
        let rows = read_xlsx(&bytes);
        assert_eq!(rows.len(), 2, "{kind}: header and one example row");
        let (status, s) =
            app.upload(&format!("/api/v1/imports?kind={kind}"), &app.clerk, "t.xlsx", bytes.clone()).await;
        assert_eq!((status, s["rows"].as_u64()), (200, Some(0)), "{kind}: the example row is not data: {s}");
    }
    let (_, _, bytes) = app.bytes("/api/v1/imports/templates/labourers.xlsx", &app.clerk).await;
    let header = &read_xlsx(&bytes)[0];
    assert!(header.contains(&"身份证号（必填）".to_string()), "{header:?}");
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidation") && sheet.contains("建档立卡贫困户"), "a drop-down of poverty statuses");
    let id_col = header.iter().position(|h| h.starts_with("身份证号")).unwrap() + 1;
    let col = sheet
        .split("<col ")
        .find(|c| c.starts_with(&format!("min=\"{id_col}\" max=\"{id_col}\"")))
        .expect("the ID column is set");
    let style: usize = col
        .split("style=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("with a style");
    let styles = zip_entry(&bytes, "xl/styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let fmt = xf.split("numFmtId=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    assert!(
        styles.contains(&format!("numFmtId=\"{fmt}\" formatCode=\"@\"")),
        "the ID column is formatted as text: {styles}"
    );
    assert_eq!(app.bytes("/api/v1/imports/templates/nothing.xlsx", &app.clerk).await.0, 404);
}

async fn rosters_that_cannot_be_read_are_refused_whole(app: TestApp) {
    let (status, body) = import(&app, "not_really.xlsx", "mode=commit").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["code"], "not_xlsx", "{body}");
    assert_eq!(app.count("imports"), 0, "a file refused whole leaves no import behind");
    let csv = |s: &str| s.as_bytes().to_vec();
    let (status, body) = app.upload("/api/v1/imports?kind=labourers", &app.clerk, "a.csv", csv("甲,乙\n1,2\n")).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("no_header")), "{body}");
    let (status, body) =
        app.upload("/api/v1/imports?kind=labourers", &app.clerk, "a.csv", csv("姓名,电话\n张三,13800138000\n")).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("missing_columns")), "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("身份证号"), "{body}");
    let (status, body) = app.upload("/api/v1/imports", &app.clerk, "a.csv", csv("姓名\n")).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (400, Some("kind")), "{body}");
    let (status, _) = app.upload("/api/v1/imports?kind=people", &app.clerk, "a.csv", csv("姓名\n")).await;
    assert_eq!(status, 400);
    let (status, _) = app.upload("/api/v1/imports?kind=labourers&mode=write", &app.clerk, "a.csv", csv("姓名\n")).await;
    assert_eq!(status, 400);
    let (status, _) = app.upload("/api/v1/imports?kind=labourers", &app.organiser, "a.csv", csv("姓名\n")).await;
    assert_eq!(status, 403);
    let (status, body) = app.post("/api/v1/imports?kind=labourers", &app.clerk, json!({"file": "x"})).await;
    assert_eq!(status, 400, "a JSON body is not an upload: {body}");
    assert_eq!(app.count("labourers"), 0);
}

async fn an_upload_over_the_limit_is_413(app: TestApp) {
    let big = vec![b'a'; 200 * 1024];
    let (status, body) = app.upload("/api/v1/imports?kind=labourers", &app.clerk, "big.csv", big).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["status"], 413);
}

async fn changed_rows_update_and_blank_cells_erase_nothing(app: TestApp) {
    let a = crate::helpers::id_number("451424", "19900101", 11);
    let b = crate::helpers::id_number("451424", "19910202", 22);
    let book = |phone: &str, education: &str| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (i, h) in ["姓名", "身份证号", "手机号码", "文化程度"].iter().enumerate() {
            ws.write_string(0, i as u16, *h).unwrap();
        }
        for (r, (name, id)) in [("甲一", &a), ("乙二", &b)].iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, *name).unwrap();
            ws.write_string(r, 1, id.as_str()).unwrap();
            ws.write_string(r, 2, if r == 1 { phone } else { "13900000002" }).unwrap();
            if !education.is_empty() {
                ws.write_string(r, 3, education).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    let (status, s) = app
        .upload("/api/v1/imports?kind=labourers&mode=commit", &app.clerk, "r.xlsx", book("13900000001", "初中"))
        .await;
    assert_eq!((status, s["inserted"].as_u64()), (200, Some(2)), "{s}");
    let (status, s) =
        app.upload("/api/v1/imports?kind=labourers&mode=commit", &app.clerk, "r.xlsx", book("13700000009", "")).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!((s["updated"].as_u64(), s["unchanged"].as_u64()), (Some(1), Some(1)), "{s}");
    let person = &app.get_ok(&format!("/api/v1/labourers?id_number={a}"), &app.clerk).await["items"][0];
    assert_eq!(person["phone"], "13700000009");
    assert_eq!(person["education"], "junior_high", "a blank cell erased nothing");
    let id = s["import_id"].as_i64().unwrap();
    assert_eq!(app.count_where("audit_log", &format!("action = 'update' AND import_id = {id}")), 1);
}

async fn a_ledger_workbook_reads_back_as_placements(app: TestApp) {
    let id = crate::helpers::id_number("451424", "19880312", 182);
    let person = app
        .labourer(json!({"id_number": id, "name": "农秀英", "poverty_status": "registered_poor",
                         "notes": "家有老人，需照顾"}))
        .await;
    let employer = app.employer("江门市江海区宏达电子有限公司").await;
    let job = app
        .post_created(
            "/api/v1/placements",
            &app.clerk,
            json!({"labourer_id": person["id"], "employer_id": employer, "region_code": "440704",
                   "started_on": "2019-03-01", "monthly_income": 4800, "channel": "referral", "occupation": "普工",
                   "notes": "+劳务协作站推荐"}),
        )
        .await;
    // The row shows the job (渠道 written 劳务协作推荐), and its 备注 is the job's.
    let rows = app.get_ok("/api/v1/ledgers/new-transfers-east?year=2019", &app.clerk).await;
    assert_eq!(rows["rows"][0]["notes"], "+劳务协作站推荐", "{rows}");
    // As a workbook and as CSV, where the ID number is written ="…" and a
    // note that a spreadsheet would run gets a leading ' (both once read
    // back as they were written: every row refused, or the note changed).
    for format in ["xlsx", "csv"] {
        let path = format!("/api/v1/ledgers/new-transfers-east?year=2019&format={format}&unmasked=true");
        let (status, _, ledger) = app.bytes(&path, &app.clerk).await;
        assert_eq!(status, 200);
        let name = format!("台账.{format}");
        let (status, s) = app.upload("/api/v1/imports?kind=placements&mode=commit", &app.clerk, &name, ledger).await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(
            (s["rows"].as_u64(), s["unchanged"].as_u64()),
            (Some(1), Some(1)),
            "{format}: the ledger's own row is on file, 备注 included: {s}"
        );
        let (_, after) = app.get(&format!("/api/v1/placements/{}", job["id"]), &app.clerk).await;
        assert_eq!(after["notes"], "+劳务协作站推荐", "the person's notes were not copied into the job: {after}");
        assert!(s["unknown_columns"].as_array().unwrap().is_empty(), "{s}");
    }
    let (_, _, masked) = app.bytes("/api/v1/ledgers/new-transfers-east?year=2019&format=xlsx", &app.clerk).await;
    let (status, s) = app.upload("/api/v1/imports?kind=placements", &app.clerk, "台账.xlsx", masked).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["rejected"][0]["code"], "charset", "{s}");
    assert!(s["rejected"][0]["message"].as_str().unwrap().contains("遮挡"), "{s}");
}

on_both_backends!(
    fixtures_import_as_their_expectations_say,
    a_commit_with_rejected_rows_writes_nothing_and_the_rows_come_back,
    templates_offer_lists_keep_id_numbers_as_text_and_import_back_empty,
    rosters_that_cannot_be_read_are_refused_whole,
    changed_rows_update_and_blank_cells_erase_nothing,
    a_ledger_workbook_reads_back_as_placements,
);

mod over_the_limit {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app =
            crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, |s| s.max_upload_bytes = 100 * 1024)
                .await
                .unwrap();
        super::an_upload_over_the_limit_is_413(app).await;
    }
}

//! Rosters as county bureaus keep them: headers worded their own way,
//! 序号 numbered ahead on empty rows, a note under the table, the columns a
//! rejected rows' workbook adds — and what a roster would change on people
//! already registered, told before anything is written.

use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    a_bureau_s_roster_is_read_as_written_and_its_changes_are_told_first,
    the_import_page_lists_the_headers_it_reads_and_gives_each_template,
    a_workbook_s_other_sheets_are_named_not_silently_left,
);

async fn check(app: &TestApp, kind: &str, text: &str) -> Value {
    let path = format!("/api/v1/imports?kind={kind}&mode=dry_run");
    let (s, b) = app.upload(&path, &app.clerk, "roster.csv", text.as_bytes().to_vec()).await;
    assert_eq!(s, 200, "{b}");
    b
}

fn codes(report: &Value, list: &str) -> Vec<(u64, String, String)> {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap_or(0),
                w["field"].as_str().unwrap_or("").into(),
                w["code"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

async fn a_bureau_s_roster_is_read_as_written_and_its_changes_are_told_first(app: TestApp) {
    let (pan, ma, new) =
        (id_number("451424", "19850505", 11), id_number("451424", "19860606", 13), id_number("451424", "19870707", 15));
    app.labourer(json!({"id_number": pan, "name": "潘志刚", "notes": "换号"})).await;
    app.labourer(json!({"id_number": ma, "name": "马英", "poverty_status": "lifted"})).await;
    let roster = format!(
        "序号,姓名,身份证号,户属性,备注,错误原因,原行号\n\
         1,潘智刚,{pan},,已返乡,,\n\
         2,马英,{ma},脱贫户,,,\n\
         3,韦丽,{new},脱贫不稳定户,,,\n\
         4,,,,,,\n\
         5,,,,,,\n\
         填表人：黄丽娟  联系电话：0771-3622123,,,,,,\n"
    );
    let r = check(&app, "labourers", &roster).await;
    assert_eq!(r["rejected"], json!([]), "序号-only rows and the note are not rows: {r}");
    let warned = codes(&r, "warnings");
    assert!(!warned.iter().any(|w| w.2 == "unknown_column"), "错误原因 and 原行号 are the service's own: {r}");
    assert!(warned.contains(&(2, "name".into(), "name_changes".into())), "{r}");
    assert!(warned.contains(&(2, "notes".into(), "will_change".into())), "{r}");
    assert!(warned.contains(&(4, "poverty_status".into(), "not_counted".into())), "{r}");
    assert!(!warned.iter().any(|w| w.0 == 3), "马英's row changes nothing: {r}");
    let told = r.to_string();
    assert!(told.contains("已登记的姓名“潘志刚”将改为“潘智刚”"), "{told}");
    assert!(told.contains("备注将由“换号”改为“已返乡”"), "{told}");

    // A placements ledger with 外出务工时间, 外出务工地点 and 外出务工单位.
    // A place written with its township, or without 省/市; a month without
    // its day is taken as the 1st and said.
    let jobs = format!(
        "姓名,身份证号,外出务工单位,外出务工地点,外出务工时间,就业渠道\n\
         马英,{ma},江门某厂,广东江门江海区,2019.3.1,自主外出\n\
         潘志刚,{pan},江门某店,江门市蓬江区,2019年3月,亲友介绍\n"
    );
    let r = check(&app, "placements", &jobs).await;
    assert_eq!(r["rejected"], json!([]), "{r}");
    let warned = codes(&r, "warnings");
    assert!(warned.contains(&(3, "started_on".into(), "month_only".into())), "{r}");
    assert!(!warned.iter().any(|w| w.0 == 2), "a full date and a place are no remark: {r}");
}

/// The page said a template could be compared and linked none (the API's
/// address answered a browser with 401): each kind's headers are listed,
/// every wording read, and its template downloads with the session.
async fn the_import_page_lists_the_headers_it_reads_and_gives_each_template(app: TestApp) {
    let page = crate::bulk::send(&app, &app.clerk, "/desk/imports", None).await;
    assert_eq!(page.status, 200);
    for words in ["表头怎么写", "外出务工时间", "公民身份号码", "/desk/imports/templates/placements.xlsx"]
    {
        assert!(page.body.contains(words), "{words}: {}", page.body);
    }
    let r = reqwest::Client::new()
        .get(app.url("/desk/imports/templates/labourers.xlsx"))
        .header("cookie", format!("lb_session={}", app.clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx");
    let refused = crate::bulk::send(&app, &app.organiser, "/desk/imports/templates/labourers.xlsx", None).await;
    assert_eq!(refused.status, 403);
    let missing = crate::bulk::send(&app, &app.clerk, "/desk/imports/templates/nothing.xlsx", None).await;
    assert_eq!(missing.status, 404);
}

/// A workbook of two sheets of people imported only the first and said
/// nothing of the second (three people never registered); an instructions
/// sheet first gave only "no header". Both now name the sheets.
async fn a_workbook_s_other_sheets_are_named_not_silently_left(app: TestApp) {
    let book = |sheets: &[(&str, bool)]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (k, (name, roster)) in sheets.iter().enumerate() {
            let ws = wb.add_worksheet().set_name(*name).unwrap();
            if *roster {
                ws.write_string(0, 0, "姓名").unwrap();
                ws.write_string(0, 1, "身份证号").unwrap();
                ws.write_string(1, 0, format!("补录{k}")).unwrap();
                ws.write_string(1, 1, id_number("451424", "19900202", 60 + k as u32)).unwrap();
            } else {
                ws.write_string(0, 0, "请按下一个工作表填写，身份证号写成文本。").unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    let path = "/api/v1/imports?kind=labourers&mode=dry_run";
    let (s, r) = app.upload(path, &app.clerk, "花名册.xlsx", book(&[("花名册", true), ("下雷镇（补录）", true)])).await;
    assert_eq!(s, 200, "{r}");
    let other: Vec<&Value> = r["warnings"].as_array().unwrap().iter().filter(|w| w["code"] == "other_sheets").collect();
    assert_eq!(other.len(), 1, "{r}");
    assert_eq!(other[0]["row"], 0, "the whole file: {r}");
    assert!(other[0]["message"].as_str().unwrap().contains("工作表“下雷镇（补录）”没有读取"), "{r}");
    let (s, r) = app.upload(path, &app.clerk, "花名册.xlsx", book(&[("填表说明", false), ("花名册", true)])).await;
    assert_eq!(s, 422, "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("它是“填表说明”；名册若在“花名册”里"), "{r}");
}

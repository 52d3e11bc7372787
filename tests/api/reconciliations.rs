//! Reconciliation of a ledger with the partner side's roster (DESIGN §8).

use serde_json::{json, Value};

use crate::helpers::{id_number, TestApp};
use crate::imports::read_xlsx;
use crate::on_both_backends;

async fn placed(app: &TestApp, id: &str, name: &str, employer: i64, started: &str) {
    let person = app.labourer(json!({"id_number": id, "name": name, "poverty_status": "registered_poor"})).await;
    app.post_created(
        "/api/v1/placements",
        &app.clerk,
        json!({"labourer_id": person["id"], "employer_id": employer, "region_code": "440704",
               "started_on": started, "channel": "job_fair"}),
    )
    .await;
}

fn partner_roster(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "江门市江海区接收大新县劳动力名册").unwrap();
    for (i, h) in ["姓名", "性别", "身份证号码", "户籍地址", "用工单位", "入职时间"].iter().enumerate()
    {
        ws.write_string(1, i as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 2, i as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn a_ledger_and_the_partners_roster_are_compared_by_id_number(app: TestApp) {
    let hongda = app.employer("江门市江海区宏达电子有限公司").await;
    let (a, b, d) = (
        id_number("451424", "19880312", 182),
        id_number("451424", "19900101", 11),
        id_number("451424", "19920202", 22),
    );
    let c = id_number("451424", "19930303", 33);
    placed(&app, &a, "农秀英", hongda, "2019-03-01").await;
    placed(&app, &b, "黄文明", hongda, "2019-04-01").await;
    placed(&app, &d, "陆志强", hongda, "2019-05-01").await;
    let roster = partner_roster(&[
        ["农秀英", "女", &a, "广西壮族自治区崇左市大新县", "江门市江海区宏达电子有限公司", "2019年3月1日"],
        ["黄文明", "男", &b, "大新县", "江门市江海区金信五金制品有限公司", "2019/4/15"],
        ["马少军", "男", &c, "大新县", "江门市江海区宏达电子有限公司", "2019-06-01"],
        ["冯国强", "男", "451424**********55", "大新县", "", ""],
    ]);
    let path = "/api/v1/reconciliations?kind=new-transfers-east&year=2019&as_of=2019-11-15";
    let (status, r) = app.upload(path, &app.clerk, "江海区名册.xlsx", roster.clone()).await;
    assert_eq!(status, 200, "{r}");
    let ids = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|p| p["id_number"].as_str().unwrap().to_string()).collect()
    };
    let masked = |id: &str| format!("{}**********{}", &id[..6], &id[16..]);
    assert_eq!(ids(&r["matched"]), vec![masked(&a), masked(&b)], "{r}");
    assert_eq!(ids(&r["only_ours"]), vec![masked(&d)]);
    assert_eq!(ids(&r["only_theirs"]), vec![masked(&c)]);
    assert_eq!(r["only_theirs"][0]["row"], 5, "their row as the clerk sees it");
    let conflicts: Vec<(String, String)> = r["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id_number"].as_str().unwrap().to_string(), c["field"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        conflicts,
        vec![(masked(&b), "employer".to_string()), (masked(&b), "started_on".to_string())],
        "the same hukou written as a name and dates written differently are no conflict: {r}"
    );
    assert_eq!(r["unreadable"][0]["row"], 6);
    assert_eq!(app.count_where("audit_log", "resource = 'reconciliation'"), 0, "masked answers are not views");

    let (status, full) = app.upload(&format!("{path}&unmasked=true"), &app.clerk, "名册.xlsx", roster.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(full["matched"][0]["id_number"], a.as_str());
    assert_eq!(app.count_where("audit_log", "resource = 'reconciliation' AND action = 'view_unmasked'"), 1);

    let resp = app
        .client
        .post(app.url(&format!("{path}&format=xlsx")))
        .bearer_auth(&app.clerk)
        .multipart(
            reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(roster).file_name("r.xlsx")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let bytes = resp.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["一致（双方都有）", "仅我方台账有", "仅对方名册有", "不一致"]);
    let conflicts = book.worksheet_range("不一致").unwrap();
    assert_eq!(conflicts.height(), 3, "header and two differing fields");
    assert_eq!(read_xlsx(&bytes)[1][0], masked(&a));

    let (status, _) = app.upload(path, &app.organiser, "r.xlsx", partner_roster(&[])).await;
    assert_eq!(status, 403);
    let (status, _) =
        app.upload("/api/v1/reconciliations?kind=job-fairs&year=2019", &app.clerk, "r.xlsx", partner_roster(&[])).await;
    assert_eq!(status, 400, "only ledgers of people can be reconciled");
}

on_both_backends!(a_ledger_and_the_partners_roster_are_compared_by_id_number);

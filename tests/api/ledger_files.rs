//! Ledgers as files: the bundle workbook read back with a real reader, and
//! the command line writing the same bytes as the API.

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use serde_json::json;
use std::io::Cursor;

use crate::helpers::TestApp;
use crate::ledgers::{sheet_rows, text, transfers_fixture};

crate::on_both_backends!(
    the_bundle_has_a_sheet_per_ledger_summary_first,
    the_cli_writes_the_same_bytes_as_the_api,
    every_ledger_counts_as_many_as_it_lists,
);

async fn the_bundle_has_a_sheet_per_ledger_summary_first(app: TestApp) {
    transfers_fixture(&app).await;
    let (s, _) = app
        .post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "new-transfers-east", "min_value": 155}))
        .await;
    assert_eq!(s, 201);
    let (s, _, bytes) = app.bytes("/api/v1/ledgers/bundle?year=2019&as_of=2019-11-15", &app.clerk).await;
    assert_eq!(s, 200);
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["目标完成情况", "新增转移东部就业", "东部稳定就业", "东部职校就读", "毕业生就业", "招聘会", "职业技能培训"]
    );
    let (_, summary) = sheet_rows(&bytes, 0);
    assert_eq!(text(&summary[0][0]), "2019年目标完成情况台账");
    let row: Vec<String> = summary[3].iter().map(text).collect();
    assert!(row.iter().any(|c| c.contains("新增转移到东部地区就业")), "{row:?}");
    assert!(
        summary[3].iter().any(|c| matches!(c, Data::Float(f) if *f == 3.0) || matches!(c, Data::Int(3))),
        "{row:?}"
    );
    let progress = app.get_ok("/api/v1/targets/progress?year=2019", &app.clerk).await;
    // Progress counts up to the year's end, so the start on 2019-11-16 counts too.
    assert_eq!(progress["items"][0]["actual"], 4, "progress reports the ledger count: {progress}");
    // The summary counts the placement ledgers its targets name and their
    // sheets are laid out from that count: each sheet is the ledger alone.
    let (s, _) =
        app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "stable-east", "min_value": 1})).await;
    assert_eq!(s, 201);
    let (_, _, bundle) = app.bytes("/api/v1/ledgers/bundle?year=2019&as_of=2019-11-15", &app.clerk).await;
    for (sheet, kind, count) in [(1, "new-transfers-east", 3), (2, "stable-east", 3)] {
        let (_, _, alone) =
            app.bytes(&format!("/api/v1/ledgers/{kind}?year=2019&as_of=2019-11-15&format=xlsx"), &app.clerk).await;
        let (_, in_bundle) = sheet_rows(&bundle, sheet);
        assert_eq!(in_bundle, sheet_rows(&alone, 0).1, "{kind}");
        // Title, subtitle, header, the rows, the total, a blank line, the signature.
        assert_eq!(in_bundle.len(), count + 6, "{kind}: {in_bundle:?}");
    }
    let (_, summary) = sheet_rows(&bundle, 0);
    let stable: Vec<String> = summary[4].iter().map(text).collect();
    assert!(stable.iter().any(|c| c.contains("稳定就业")), "{stable:?}");
    assert!(
        summary[4].iter().any(|c| matches!(c, Data::Float(f) if *f == 3.0) || matches!(c, Data::Int(3))),
        "{stable:?}"
    );
}

async fn the_cli_writes_the_same_bytes_as_the_api(app: TestApp) {
    transfers_fixture(&app).await;
    let cases =
        [("new-transfers-east", "csv"), ("new-transfers-east", "xlsx"), ("stable-east", "html"), ("bundle", "xlsx")];
    for (kind, format) in cases {
        let path = if kind == "bundle" {
            "/api/v1/ledgers/bundle?year=2019&as_of=2019-11-15".to_string()
        } else {
            format!("/api/v1/ledgers/{kind}?year=2019&as_of=2019-11-15&format={format}")
        };
        let (_, _, api) = app.bytes(&path, &app.clerk).await;
        let out = app._data_dir.path().join(format!("ledger.{format}"));
        // The API names the caller's unit; the CLI is told the same one.
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
            .env("LB_LOG", "warn")
            .args(["--database-url", &app.database_url, "ledger", kind, "--year", "2019", "--as-of", "2019-11-15"])
            .args(["--format", format, "--unit", "大新县人社局", "--out"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(std::fs::read(&out).unwrap() == api, "{kind} {format} differs");
    }
    // With a pool of one connection the bundle cannot compute the other
    // ledgers while it writes stable-east's sheet: it does one step after
    // another, and the workbook is the same.
    let settings = app._data_dir.path().join("one-connection.toml");
    std::fs::write(&settings, "pool_size = 1\n").unwrap();
    let (_, _, api) = app.bytes("/api/v1/ledgers/bundle?year=2019&as_of=2019-11-15", &app.clerk).await;
    let out = app._data_dir.path().join("bundle-one-connection.xlsx");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
        .env("LB_LOG", "warn")
        .arg("--config")
        .arg(&settings)
        .args(["--database-url", &app.database_url, "ledger", "bundle", "--year", "2019", "--as-of", "2019-11-15"])
        .args(["--unit", "大新县人社局", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::read(&out).unwrap() == api, "the bundle on one connection differs");
}

/// Every ledger's count, as the dashboard and the summary take it without
/// laying out a row, is the count of the ledger computed whole.
async fn every_ledger_counts_as_many_as_it_lists(app: TestApp) {
    use labour_bridge::ledger::build::{compute, Counted, Request};
    transfers_fixture(&app).await;
    let (s, _) =
        app.post("/api/v1/targets", &app.admin, json!({"year": 2019, "metric": "stable-east", "min_value": 1})).await;
    assert_eq!(s, 201);
    let db = labour_bridge::db::Db::connect(&app.database_url, 2).unwrap();
    let mut c = db.get().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap();
    let mut counted = Counted::default();
    // As the bundle counts: in one snapshot, on a second connection too.
    labour_bridge::db::read_as_one(&mut c, Some(&db), |c, shared| {
        for kind in labour_bridge::ledger::Kind::ALL {
            let r = Request {
                kind,
                year: 2019,
                as_of,
                county: None,
                unmasked: false,
                rules: Default::default(),
                helper: shared.cloned(),
            };
            let whole = compute(c, &r).unwrap().count;
            assert_eq!(counted.count(c, &r, kind).unwrap(), whole, "{}", kind.as_str());
        }
        Ok(())
    })
    .unwrap();
}

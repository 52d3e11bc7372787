//! The promises of a commit under stress, with the real binary: a kill -9
//! anywhere leaves all of an import's rows or none; other writers are not
//! held up while a big file is read (DESIGN §8).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{id_number, TestApp};
use crate::on_both_backends;

/// A roster of `n` distinct people, as an office would type it.
pub fn roster(n: u32) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 5, "大新县建档立卡贫困劳动力花名册", &rust_xlsxwriter::Format::new()).unwrap();
    for (i, h) in ["序号", "姓名", "身份证号", "手机号码", "户籍所在地", "贫困户属性"].iter().enumerate()
    {
        ws.write_string(1, i as u16, *h).unwrap();
    }
    for k in 0..n {
        let r = k + 2;
        // A day per thousand people, a serial per person that day: distinct.
        let day = chrono::NaiveDate::from_ymd_opt(1965, 1, 1).unwrap() + chrono::Days::new(u64::from(k / 1000) * 7);
        let birth = day.format("%Y%m%d").to_string();
        ws.write_number(r, 0, f64::from(k + 1)).unwrap();
        ws.write_string(r, 1, format!("劳动力{k}")).unwrap();
        ws.write_string(r, 2, id_number("451424", &birth, k % 1000)).unwrap();
        ws.write_string(r, 3, format!("138{:08}", k)).unwrap();
        ws.write_string(r, 4, "大新县").unwrap();
        ws.write_string(r, 5, "建档立卡贫困户").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn import_cmd(app: &TestApp, file: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
        .env_remove("DATABASE_URL")
        .env("LB_LOG", "warn")
        .args(["--database-url", &app.database_url, "import"])
        .arg(file)
        .args(["--kind", "labourers"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `ready` holds (polling the database), then kills the
/// process with SIGKILL; whether it had ended by itself.
fn kill_when(mut child: Child, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        if ready() {
            child.kill().unwrap();
            child.wait().unwrap();
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the import neither finished nor reached the point to kill it");
}

async fn a_killed_commit_leaves_all_of_its_rows_or_none(app: TestApp) {
    let n: i64 = 4000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("花名册.xlsx");
    std::fs::write(&file, roster(n as u32)).unwrap();

    // Killed while rows are being read and staged: nothing is written.
    let ended = kill_when(import_cmd(&app, &file), || app.count("import_rows") > 0);
    assert!(!ended, "killed while staging");
    assert_eq!(app.count("labourers"), 0, "a commit killed while staging writes nothing");

    // Killed once every row is staged, i.e. in the final step or at its
    // very end: all rows or none, never part.
    let staged = || app.count_where("import_rows", "import_id = (SELECT MAX(id) FROM imports)") >= n;
    kill_when(import_cmd(&app, &file), staged);
    let after_kill = app.count("labourers");
    assert!(after_kill == 0 || after_kill == n, "all or none, got {after_kill} of {n}");
    assert_eq!(app.count_where("audit_log", "action = 'create' AND resource = 'labourer'"), after_kill);

    // Run to the end, it leaves every row once.
    let out = Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
        .env_remove("DATABASE_URL")
        .env("LB_LOG", "warn")
        .args(["--database-url", &app.database_url, "import"])
        .arg(&file)
        .args(["--kind", "labourers"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(app.count("labourers"), n);
}

async fn other_writers_go_on_while_a_big_file_is_read(app: TestApp) {
    let bytes = roster(4000);
    let (address, clerk) = (app.address.clone(), app.clerk.clone());
    let upload = tokio::spawn(async move {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("花名册.xlsx");
        let form = reqwest::multipart::Form::new().part("file", part);
        reqwest::Client::new()
            .post(format!("{address}/api/v1/imports?kind=labourers&mode=commit"))
            .bearer_auth(clerk)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    while app.count("import_rows") == 0 {
        assert!(Instant::now() < deadline, "the import never started staging");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // While the file is being read, a clerk registers someone at the desk.
    let person = app.labourer(json!({"id_number": id_number("451424", "20000101", 1), "name": "柜台登记"})).await;
    let still_reading = app.count_where("imports", "status = 'staging'") == 1;
    assert_eq!(upload.await.unwrap(), 200);
    assert!(person["id"].as_i64().is_some());
    assert!(still_reading, "the desk's write went through before the import had finished reading");
    assert_eq!(app.count("labourers"), 4001);
}

/// A 150 KB workbook whose one sheet unpacks to 130 MiB of one cell.
fn unpacking_to_much() -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    out.start_file("[Content_Types].xml", deflated).unwrap();
    out.write_all(
        br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
    )
    .unwrap();
    out.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    out.write_all(br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#).unwrap();
    let block = vec![b'A'; 1 << 20];
    for _ in 0..130 {
        out.write_all(&block).unwrap();
    }
    out.write_all(b"</t></is></c></row></sheetData></worksheet>").unwrap();
    out.finish().unwrap().into_inner()
}

/// A workbook whose shared string of 40,000 characters (more than Excel
/// lets a cell hold) two cells refer to: each reference was copied whole,
/// and 40 of a 200 MB one took the service down.
fn one_long_shared_string() -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_string()),
        ("_rels/.rels", format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#)),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0"?><sst {ns} count="3" uniqueCount="3"><si><t>姓名</t></si><si><t>身份证号</t></si><si><t>{}</t></si></sst>"#, "长".repeat(40_000))),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet {ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>"#)),
    ];
    for (name, text) in parts {
        out.start_file(name, opts).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A small upload that would unpack to gigabytes (one once took the whole
/// service down, as import and as reconciliation) is refused by name
/// before anything is unpacked, and the service goes on answering.
async fn a_workbook_that_unpacks_to_too_much_is_refused_and_the_service_stays_up(app: TestApp) {
    let bomb = unpacking_to_much();
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    for path in
        ["/api/v1/imports?kind=labourers&mode=dry_run", "/api/v1/reconciliations?kind=new-transfers-east&year=2019"]
    {
        let (s, b) = app.upload(path, &app.clerk, "roster.xlsx", bomb.clone()).await;
        assert_eq!(s, 422, "{path}: {b}");
        assert_eq!(
            (b["errors"][0]["field"].as_str(), b["errors"][0]["code"].as_str()),
            (Some("file"), Some("too_large")),
            "{b}"
        );
        assert!(b["errors"][0]["message"].as_str().unwrap().contains("解压后过大"), "{b}");
    }
    let (s, b) = app
        .upload("/api/v1/imports?kind=labourers&mode=dry_run", &app.clerk, "roster.xlsx", one_long_shared_string())
        .await;
    assert_eq!((s, b["errors"][0]["code"].as_str()), (422, Some("too_large")), "{b}");
    assert!(b["errors"][0]["message"].as_str().unwrap().contains("第2行第1列的内容超过 32767 个字"), "{b}");
    let (s, _) = app.call("GET", "/healthz", None, None).await;
    assert_eq!(s, 200);
}

on_both_backends!(
    a_killed_commit_leaves_all_of_its_rows_or_none,
    other_writers_go_on_while_a_big_file_is_read,
    a_workbook_that_unpacks_to_too_much_is_refused_and_the_service_stays_up,
);

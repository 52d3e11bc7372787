//! The binary's operations side: JSON logs, `backup` and `restore`,
//! progress bars only on a terminal.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{id_number, Backend, TestApp};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labour-bridge"));
    c.env_remove("DATABASE_URL").env_remove("LB_DATA_DIR").env_remove("LB_LOG_FORMAT").env("LB_LOG", "warn");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_a_line_without_tokens_or_id_numbers() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.path().join("stderr.log");
    let mut child = bin()
        .args(["--data-dir", &dir.path().to_string_lossy(), "--database-url", &app.database_url, "serve"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("LB_LOG_FORMAT", "json")
        .env("LB_LOG", "info")
        .env("LB_SCHEDULER_SECS", "0")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the service did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let idn = id_number("451424", "19900101", 11);
    for _ in 0..2 {
        // The second is a duplicate: a refused write logs too.
        client
            .post(format!("{base}/api/v1/labourers"))
            .bearer_auth(&app.clerk)
            .json(&json!({"id_number": idn, "name": "黄志强"}))
            .send()
            .await
            .unwrap();
    }
    client.get(format!("{base}/api/v1/labourers?limit=5")).bearer_auth(&app.clerk).send().await.unwrap();
    client.get(format!("{base}/api/v1/auth/me")).bearer_auth("lb_not-a-real-token").send().await.unwrap();
    let _ = child.kill();
    let _ = child.wait();

    let lines: Vec<String> = BufReader::new(std::fs::File::open(&log).unwrap()).lines().map(Result::unwrap).collect();
    assert!(!lines.is_empty());
    let events: Vec<Value> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    for e in &events {
        assert!(e["timestamp"].is_string() && e["level"].is_string(), "{e}");
    }
    let serving = events.iter().find(|e| e["message"] == "labour-bridge serving").expect("the start is logged");
    assert_eq!(serving["level"], "INFO");
    assert_eq!(serving["address"], format!("127.0.0.1:{port}"));
    let text = lines.join("\n");
    for secret in [app.clerk.as_str(), "lb_not-a-real-token", idn.as_str()] {
        assert!(!text.contains(secret), "the log carries `{secret}`:\n{text}");
    }
}

/// The labourers' names in the SQLite database at `url`, read directly.
fn names_in(url: &str) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut c = SqliteConnection::establish(url).unwrap();
    let rows: Vec<Name> = diesel::sql_query("SELECT name FROM labourers ORDER BY id").load(&mut c).unwrap();
    rows.into_iter().map(|n| n.name).collect()
}

fn run(args: &[&str]) -> (bool, String) {
    let out = bin().args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_the_registry_as_it_was() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = app.database_url.clone();
    let data = app.settings.data_dir.to_string_lossy().into_owned();
    let first = app.labourer(json!({"id_number": id_number("451424", "19900101", 11), "name": "黄志强"})).await;

    let copy = dir.path().join("registry.sqlite3");
    let copy_s = copy.to_string_lossy().into_owned();
    let (ok, err) = run(&["--data-dir", &data, "--database-url", &url, "backup", "--out", &copy_s]);
    assert!(ok, "{err}");
    assert!(err.contains("wrote a consistent copy"), "{err}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600, "every ID number is in it");
    // The copy is audited (it holds every ID number unmasked), and an
    // existing file is never overwritten.
    assert_eq!(app.count_where("audit_log", "action = 'backup'"), 1);
    let (ok, err) = run(&["--data-dir", &data, "--database-url", &url, "backup", "--out", &copy_s]);
    assert!(!ok && err.contains("already exists"), "{err}");

    // After the backup, the registry changes.
    let second = app.labourer(json!({"id_number": id_number("451424", "19920202", 21), "name": "农秀英"})).await;
    assert_eq!(app.count("labourers"), 2);

    // Restoring over a database with records needs --force.
    let (ok, err) = run(&["--data-dir", &data, "--database-url", &url, "restore", &copy_s]);
    assert!(!ok, "{err}");
    assert!(err.contains("not empty") && err.contains("--force"), "{err}");
    assert_eq!(app.count("labourers"), 2, "a refused restore changes nothing");

    // Into a new, empty place it needs nothing more, and holds what the backup held.
    let elsewhere = tempfile::tempdir().unwrap();
    let other_url = elsewhere.path().join("restored.sqlite3").to_string_lossy().into_owned();
    let other_data = elsewhere.path().to_string_lossy().into_owned();
    let other_url = other_url.as_str();
    let (ok, err) = run(&["--data-dir", &other_data, "--database-url", other_url, "restore", &copy_s]);
    assert!(ok, "{err}");
    assert_eq!(names_in(other_url), ["黄志强"]);

    // With --force, over the live database: back to one labourer.
    let (ok, err) = run(&["--data-dir", &data, "--database-url", &url, "restore", "--force", &copy_s]);
    assert!(ok, "{err}");
    assert_eq!(app.count("labourers"), 1);
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", first["id"]), &app.clerk).await;
    assert_eq!(s, 200);
    let (s, _) = app.get(&format!("/api/v1/labourers/{}", second["id"]), &app.clerk).await;
    assert_eq!(s, 404);
    assert!(!app.settings.data_dir.join("index/CURRENT").exists(), "the next start rebuilds the index");

    // Not a backup at all: refused before anything is touched.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database").unwrap();
    let (ok, err) = run(&["--data-dir", &data, "--database-url", &url, "restore", "--force", &junk.to_string_lossy()]);
    assert!(!ok, "{err}");
    assert_eq!(app.count("labourers"), 1);
}

/// Restoring under a running `serve` says that the service must be
/// restarted (it serves the restored records, but searches the old ones);
/// once it has stopped, nothing is said.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_under_a_running_service_says_to_restart_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").to_string_lossy().into_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = bin()
        .args(["--data-dir", &data, "serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("LB_SCHEDULER_SECS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the service did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let copy = dir.path().join("copy.sqlite3").to_string_lossy().into_owned();
    let (ok, err) = run(&["--data-dir", &data, "backup", "--out", &copy]);
    assert!(ok, "{err}");
    let (ok, err) = run(&["--data-dir", &data, "restore", "--force", &copy]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("service (pid {}) is running", child.id())) && err.contains("restart it now"),
        "{err}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let (ok, err) = run(&["--data-dir", &data, "restore", "--force", &copy]);
    assert!(ok, "{err}");
    assert!(!err.contains("warning"), "{err}");
}

/// A range or a typo in LB_TRUSTED_PROXIES was dropped without a word,
/// and every client behind the balancer then shared one sign-in limit:
/// serve refuses to start, naming the entry.
#[test]
fn serve_refuses_a_trusted_proxy_that_is_no_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_string_lossy().into_owned();
    let out = bin()
        .args(["--data-dir", &data, "serve", "--bind", "127.0.0.1:0"])
        .env("LB_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.0/8")
        .env("LB_SCHEDULER_SECS", "0")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("`10.0.0.0/8` is not an address"), "{err}");
}

#[test]
fn backup_and_restore_on_postgres_point_to_its_own_tools() {
    let Some((url, name)) = crate::helpers::fresh_pg_database() else { return };
    let _dropped = crate::helpers::DroppedAtEnd(name);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x").to_string_lossy().into_owned();
    let (ok, err) = run(&["--database-url", &url, "backup", "--out", &out]);
    assert!(!ok);
    assert!(err.contains("pg_dump") && err.contains("PostgreSQL"), "{err}");
    let (ok, err) = run(&["--database-url", &url, "restore", &out]);
    assert!(!ok);
    assert!(err.contains("pg_restore"), "{err}");
}

#[test]
fn gen_and_reindex_draw_no_progress_bar_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_string_lossy().into_owned();
    for args in [&["gen", "--scale", "300"][..], &["reindex"][..]] {
        let out = bin().arg("--data-dir").arg(&data).args(args).stderr(Stdio::piped()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        // A bar redraws with carriage returns and escape codes; piped, only the summary is written.
        assert!(!err.contains('\r') && !err.contains('\u{1b}') && !err.contains("[="), "{args:?}: {err:?}");
        let summary = if args[0] == "reindex" { 2 } else { 1 };
        assert_eq!(err.lines().count(), summary, "{args:?}: {err}");
    }
    let (_, err) = run(&["--data-dir", &data, "reindex"]);
    assert!(err.starts_with("indexed "), "{err}");
    assert!(err.lines().nth(1).is_some_and(|l| l.ends_with(": 0 corrected")), "{err}");
}

/// A new SQLite file is switched to WAL while the pool opens its other
/// connections; they wait for the switch instead of failing with
/// "database is locked" (which the pool logged and retried: one run in
/// three logged it before the busy timeout came first).
#[test]
fn a_new_sqlite_database_opens_its_pool_without_lock_errors() {
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_string_lossy().into_owned();
        let out = bin().args(["--data-dir", &data, "gen", "--scale", "20"]).stderr(Stdio::piped()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains("locked") && !err.contains("ERROR"), "{err}");
    }
}

/// A ledger written to a full disk stops with the cause, in Chinese and
/// with the system's words, instead of hanging: the rows are read on two
/// threads and written on a third, and the readers must stop when the
/// writer fails. stable-east at this scale is about 5,700 rows, more than
/// the threads keep in flight. Whole, the same ledger comes out the same
/// from SQLite and PostgreSQL (gen is deterministic), in person order.
#[test]
fn a_big_ledger_is_whole_and_in_order_on_both_backends_and_a_full_disk_stops_it_with_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_string_lossy().into_owned();
    let lite = ["--data-dir".to_string(), data.clone()];
    let (ok, err) = run(&[&lite[0], &lite[1], "gen", "--scale", "20000"]);
    assert!(ok, "{err}");
    let ledger = ["ledger", "stable-east", "--year", "2019", "--as-of", "2019-11-30"];
    if std::path::Path::new("/dev/full").exists() {
        for format in ["json", "csv"] {
            let mut child = bin()
                .args(&lite)
                .args(ledger)
                .args(["--format", format, "--out", "/dev/full"])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(120);
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if Instant::now() > deadline {
                    child.kill().unwrap();
                    panic!("{format}: the ledger did not stop after the disk was full");
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            assert!(!status.success(), "{format}: {err}");
            assert!(err.contains("服务器内部出错") && err.contains("os error 28"), "{format}: {err}");
            assert!(!err.contains("panicked"), "{format}: {err}");
        }
    } else {
        eprintln!("skipped the full-disk part: no /dev/full on this system");
    }
    let whole = |args: &[String], name: &str| -> Value {
        let out = dir.path().join(name);
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(ledger);
        all.extend(["--format", "json", "--out", out.to_str().unwrap()]);
        let (ok, err) = run(&all);
        assert!(ok, "{err}");
        let mut v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("generated_at");
        v
    };
    let on_sqlite = whole(&lite, "sqlite.json");
    let rows = on_sqlite["rows"].as_array().unwrap();
    assert!(rows.len() > 5_120, "more rows than are kept in flight: {}", rows.len());
    assert_eq!(on_sqlite["count"], rows.len());
    let seq: Vec<i64> = rows.iter().map(|r| r["seq"].as_i64().unwrap()).collect();
    assert!(seq.iter().copied().eq(1..=rows.len() as i64), "序号 counts every row once");
    // Read in batches on two connections and written by a third thread: the
    // rows still come in person order, one per person.
    let people: Vec<i64> = rows.iter().map(|r| r["labourer_id"].as_i64().unwrap()).collect();
    assert!(people.windows(2).all(|w| w[0] < w[1]), "one row per person, in person order");
    let Some((url, name)) = crate::helpers::fresh_pg_database() else { return };
    let _dropped = crate::helpers::DroppedAtEnd(name);
    let pg = ["--database-url".to_string(), url];
    let (ok, err) = run(&[&pg[0], &pg[1], "gen", "--scale", "20000"]);
    assert!(ok, "{err}");
    assert!(whole(&pg, "postgres.json") == on_sqlite, "PostgreSQL gives another stable-east for the same data");
}

/// A mistyped --data-dir once made an empty database and answered an
/// empty ledger (or indexed nothing) with exit status 0: the commands that
/// work on a registry refuse a place without one, and create nothing.
#[test]
fn commands_on_a_data_dir_without_a_registry_refuse_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, "姓名,身份证号\n").unwrap();
    let data = dir.path().join("mistyped").to_string_lossy().into_owned();
    let roster = roster.to_string_lossy().into_owned();
    for args in [
        &["ledger", "summary", "--year", "2019"][..],
        &["reindex"][..],
        &["import", &roster, "--kind", "labourers"][..],
        &["user", "add", "someone", "--role", "clerk"][..],
    ] {
        let mut all = vec!["--data-dir", &data];
        all.extend_from_slice(args);
        let (ok, err) = run(&all);
        assert!(!ok && err.contains("there is no database at"), "{args:?}: {err}");
    }
    assert!(!std::path::Path::new(&data).exists(), "nothing was created");

    // Once there is one: a dry run that finds a row it would refuse exits
    // 1 (a script's check), as a refused commit does; nothing is written.
    let (ok, err) = run(&["--data-dir", &data, "migrate"]);
    assert!(ok, "{err}");
    std::fs::write(dir.path().join("roster.csv"), "姓名,身份证号\n某人,123\n").unwrap();
    let (ok, err) = run(&["--data-dir", &data, "import", &roster, "--kind", "labourers", "--dry-run"]);
    assert!(!ok && err.contains("检查发现 1 行会被拒绝"), "{err}");
    let (ok, err) = run(&["--data-dir", &data, "import", &roster, "--kind", "labourers"]);
    assert!(!ok && err.contains("--accept-partial"), "{err}");

    // A bad option is named as the option typed, not as a query parameter.
    let (ok, err) = run(&["--data-dir", &data, "ledger", "summary", "--year", "2019", "--as-of", "2019-02-30"]);
    assert!(!ok && err.contains("选项 --as-of：") && !err.contains("查询参数"), "{err}");
}

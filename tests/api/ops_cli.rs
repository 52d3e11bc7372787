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

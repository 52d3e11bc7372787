//! Several `labour-bridge serve` processes on one PostgreSQL database, each
//! with its own data and index directory, as behind a load balancer.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{fresh_pg_database, pg_admin_url};
use crate::smtp::SmtpSink;
use labour_bridge::auth::{new_token, token_hash, Role};
use labour_bridge::db::models::user;

/// A service process, killed (SIGKILL) when dropped.
struct Instance {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
    dir_path: std::path::PathBuf,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn(url: &str, dir: &std::path::Path, port: u16, smtp: &str) -> Child {
    spawn_with(url, dir, port, smtp, &[])
}

/// [`spawn`] with more arguments after `serve --bind …`.
fn spawn_with(url: &str, dir: &std::path::Path, port: u16, smtp: &str, more: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_labour-bridge"))
        .args(["--data-dir", &dir.to_string_lossy(), "--database-url", url, "serve"])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .args(more)
        .env_remove("DATABASE_URL")
        .env_remove("LB_DATA_DIR")
        .env("LB_LOG", "warn")
        .env("LB_SCHEDULER_SECS", "1")
        .env("LB_SMTP_URL", smtp)
        .env("LB_TODAY", "2019-11-12")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn start(url: &str, smtp: &str) -> Instance {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = spawn(url, dir.path(), port, smtp);
    Instance { child, base: format!("http://127.0.0.1:{port}"), dir_path: dir.path().to_path_buf(), _dir: dir, port }
}

async fn wait_up(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{base} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn token(url: &str, name: &str, role: Role) -> String {
    let mut c = labour_bridge::db::Db::connect(url, 1).unwrap().get().unwrap();
    let id = user::create(&mut c, name, role, Some("大新县人社局"), None, None).unwrap();
    let t = new_token().unwrap();
    user::add_token(&mut c, id, &token_hash(&t), "api", None).unwrap();
    t
}

async fn search_total(client: &reqwest::Client, base: &str, q: &str) -> u64 {
    let b: Value = client
        .get(format!("{base}/api/v1/postings/search?q={}&open_only=false&limit=1", crate::helpers::urlencode(q)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    b["total"].as_u64().unwrap_or_else(|| panic!("{b}"))
}

fn count(url: &str, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = PgConnection::establish(url).unwrap();
    diesel::sql_query(sql).get_result::<N>(&mut c).unwrap().n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_share_writes_send_each_reminder_once_and_lose_nothing_to_a_kill() {
    let Some((url, name)) = fresh_pg_database() else { return };
    let _db = crate::helpers::DroppedAtEnd(name);
    let sink = SmtpSink::start();
    let client = reqwest::Client::new();

    // Both start at once on an empty database: the migrations run once.
    let mut a = start(&url, &sink.url());
    let b = start(&url, &sink.url());
    wait_up(&client, &a.base).await;
    wait_up(&client, &b.base).await;
    let admin = token(&url, "admin", Role::Admin);
    let clerk = token(&url, "clerk", Role::Clerk);

    // A posting written through A is found through B's own index.
    let r = client
        .post(format!("{}/api/v1/employers", a.base))
        .bearer_auth(&clerk)
        .json(&json!({"name": "江门市江海区明阳灯饰厂", "region_code": "440704", "industry": "制造"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let employer = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = client
        .post(format!("{}/api/v1/postings", a.base))
        .bearer_auth(&clerk)
        .json(&json!({"employer_id": employer, "title": "灯饰装配工", "headcount": 2, "region_code": "440704"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let written = Instant::now();
    while search_total(&client, &b.base, "灯饰装配").await == 0 {
        assert!(written.elapsed() < Duration::from_secs(2), "B did not find A's posting within 2 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A reminder due while both run (every second) is sent once.
    let r = client
        .post(format!("{}/api/v1/deadlines", b.base))
        .bearer_auth(&admin)
        .json(&json!({"name": "台账报送", "due_on": "2019-11-15", "what": "ledgers",
            "recipients": ["office@example.cn"], "remind_days_before": [3]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let got = sink.wait_for(1, Duration::from_secs(15));
    assert!(got[0].subject().contains("台账报送"), "{}", got[0].subject());
    // Several more runs of both schedulers: still one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 1, "the reminder went out more than once");
    assert_eq!(count(&url, "SELECT COUNT(*) AS n FROM deadline_reminders WHERE status = 'sent'"), 1);

    // Writes stream into A; A is killed (SIGKILL) in the middle of them.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, base, clerk, acked) = (client.clone(), a.base.clone(), clerk.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let body = json!({"employer_id": employer, "title": format!("灯饰包装工 {w}-{i}"),
                    "headcount": 1, "region_code": "440704"});
                let Ok(r) = client.post(format!("{base}/api/v1/postings")).bearer_auth(&clerk).json(&body).send().await
                else {
                    return;
                };
                if r.status().as_u16() != 201 {
                    return;
                }
                let Ok(v) = r.json::<Value>().await else { return };
                acked.lock().unwrap().push(v["id"].as_i64().unwrap());
            }
        }));
    }
    let started = Instant::now();
    while acked.lock().unwrap().len() < 20 {
        assert!(started.elapsed() < Duration::from_secs(60), "the writes through A did not go through");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 20);

    // Every acknowledged write is in the database, with its audit entry and
    // its outbox entry (one transaction), and readable through B.
    let in_db = count(&url, "SELECT COUNT(*) AS n FROM postings WHERE title LIKE '灯饰包装工%'");
    assert!(in_db >= acked.len() as i64, "{in_db} rows for {} acknowledged writes", acked.len());
    let ids = acked.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let audited = count(
        &url,
        &format!("SELECT COUNT(DISTINCT resource_id) AS n FROM audit_log WHERE resource = 'posting' AND resource_id IN ({ids})"),
    );
    let queued = count(
        &url,
        &format!(
            "SELECT COUNT(DISTINCT resource_id) AS n FROM outbox WHERE resource = 'posting' AND resource_id IN ({ids})"
        ),
    );
    assert_eq!((audited, queued), (acked.len() as i64, acked.len() as i64));
    let unaudited = count(
        &url,
        "SELECT COUNT(*) AS n FROM postings p WHERE NOT EXISTS \
         (SELECT 1 FROM audit_log a WHERE a.resource = 'posting' AND a.resource_id = p.id)",
    );
    assert_eq!(unaudited, 0, "no posting committed without its audit entry");
    for id in &acked {
        let r = client.get(format!("{}/api/v1/postings/{id}", b.base)).bearer_auth(&clerk).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "posting {id}");
    }
    // B's index holds every committed posting.
    let started = Instant::now();
    while search_total(&client, &b.base, "灯饰包装").await != in_db as u64 {
        assert!(started.elapsed() < Duration::from_secs(15), "B's index misses committed postings");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A restarts on its own index and catches up from its saved position.
    let child = spawn(&url, &a.dir_path, a.port, &sink.url());
    a.child = child;
    wait_up(&client, &a.base).await;
    let started = Instant::now();
    while search_total(&client, &a.base, "灯饰包装").await != in_db as u64 {
        assert!(started.elapsed() < Duration::from_secs(15), "the restarted A's index misses committed postings");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sink.messages().len(), 1, "a restart sends no reminder again");
}

/// Runs `sql` as the server's superuser (on the maintenance database).
fn admin_sql(sql: &str) {
    let mut c = PgConnection::establish(&pg_admin_url()).unwrap();
    diesel::sql_query(sql).execute(&mut c).unwrap();
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let r = client.get(url).send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    (r.status().as_u16(), r.text().await.unwrap())
}

/// What an operator watches on a running instance: `/metrics` on the
/// `--metrics-bind` address for a scraper without a token (and refused
/// without one on the API address); `/readyz` saying the database is
/// unreachable while PostgreSQL refuses connections to it, `/healthz` still
/// alive meanwhile, and ready again once the database takes connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database_and_the_metrics_address_serves_scrapers_without_a_token() {
    let Some((url, name)) = fresh_pg_database() else { return };
    let _db = crate::helpers::DroppedAtEnd(name.clone());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (port, metrics_port) = (free_port(), free_port());
    let metrics_at = format!("127.0.0.1:{metrics_port}");
    let child = spawn_with(&url, dir.path(), port, "smtp://127.0.0.1:9", &["--metrics-bind", &metrics_at]);
    let instance = Instance {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir_path: dir.path().to_path_buf(),
        _dir: dir,
        port,
    };
    wait_up(&client, &instance.base).await;

    let (status, ready) = get(&client, &format!("{}/readyz", instance.base)).await;
    assert_eq!(status, 200, "{ready}");
    let (status, page) = get(&client, &format!("http://{metrics_at}/metrics")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.lines().any(|l| l == "labour_bridge_database_up 1"), "{page}");
    assert!(page.contains("# TYPE labour_bridge_http_request_duration_seconds histogram"), "{page}");
    assert!(page.contains(r#"route="/readyz""#), "the API's requests are counted: {page}");
    // The metrics address answers nothing else; the API address wants an admin.
    let (status, _) = get(&client, &format!("http://{metrics_at}/readyz")).await;
    assert_eq!(status, 404);
    let (status, problem) = get(&client, &format!("{}/metrics", instance.base)).await;
    assert_eq!(status, 401, "{problem}");

    // The database stops taking connections and drops the open ones.
    admin_sql(&format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"));
    admin_sql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ));
    let (status, problem) = get(&client, &format!("{}/readyz", instance.base)).await;
    assert_eq!(status, 503, "{problem}");
    let problem: Value = serde_json::from_str(&problem).unwrap();
    assert_eq!(problem["errors"][0]["field"], "database", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "unreachable", "{problem}");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("数据库"), "{problem}");
    let (status, _) = get(&client, &format!("{}/healthz", instance.base)).await;
    assert_eq!(status, 200, "liveness does not depend on the database");
    let (status, page) = get(&client, &format!("http://{metrics_at}/metrics")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.lines().any(|l| l == "labour_bridge_database_up 0"), "{page}");

    // Back: ready again without a restart.
    admin_sql(&format!("ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"));
    let back = Instant::now();
    loop {
        let (status, body) = get(&client, &format!("{}/readyz", instance.base)).await;
        if status == 200 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(30), "not ready 30 s after the database came back: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (_, page) = get(&client, &format!("http://{metrics_at}/metrics")).await;
    assert!(page.lines().any(|l| l == "labour_bridge_database_up 1"), "{page}");
}

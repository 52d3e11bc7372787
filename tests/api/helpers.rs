//! Spawning the real service on port 0 against a fresh database, on SQLite
//! or PostgreSQL, and talking to it over HTTP like any client.

use std::net::TcpListener;

use diesel::prelude::*;
use labour_bridge::auth::{hash_password, new_token, token_hash, Role};
use labour_bridge::config::Settings;
use labour_bridge::db::models::user;
use labour_bridge::db::Db;
use serde_json::{json, Value};

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running service with a fresh database.
pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub db: Db,
    pub database_url: String,
    /// Kept alive so the SQLite file outlives the test.
    pub _data_dir: tempfile::TempDir,
    pub client: reqwest::Client,
    pub admin: String,
    pub clerk: String,
    pub organiser: String,
    /// The service's search index; its indexer is stopped on drop.
    pub search: std::sync::Arc<labour_bridge::search::Search>,
    pg_name: Option<String>,
}

/// The PostgreSQL server tests create their databases on (`LB_TEST_PG_URL`),
/// asked for without TLS unless the variable names an `sslmode`.
///
/// The server is on loopback, where TLS buys nothing and costs a crash: when
/// a pool thread opens or closes a TLS connection while the test process
/// exits, OpenSSL's exit-time cleanup frees what that thread is using and
/// the process dies of SIGSEGV after its test has passed (reported as
/// diesel-rs/diesel#3441 and sfackler/r2d2#137).
pub fn pg_admin_url() -> String {
    let url = std::env::var("LB_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

fn unique(prefix: &str) -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("randomness");
    format!("{prefix}_{}", hex::encode(bytes))
}

/// Creates a fresh PostgreSQL database, or `None` (skip) when the server is
/// unreachable outside CI. Under `CI=true` an unreachable server fails.
pub fn fresh_pg_database() -> Option<(String, String)> {
    let admin_url = pg_admin_url();
    let mut conn = match PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!("PostgreSQL at {admin_url} is unreachable and CI=true: {e}");
            }
            eprintln!("skipping: PostgreSQL at {admin_url} is unreachable: {e}");
            return None;
        }
    };
    let name = unique("lb_test");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create database");
    // The same server and options, another database.
    let (path, query) =
        admin_url.split_once('?').map_or((admin_url.as_str(), String::new()), |(p, q)| (p, format!("?{q}")));
    let base = path.rsplit_once('/').map_or(path, |(b, _)| b);
    Some((format!("{base}/{name}{query}"), name))
}

/// A database from [`fresh_pg_database`], dropped when this goes out of scope.
pub struct DroppedAtEnd(pub String);

impl Drop for DroppedAtEnd {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&pg_admin_url()) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0)).execute(&mut c);
        }
    }
}

impl TestApp {
    /// Starts the service on `backend`; `None` when PostgreSQL is skipped.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// As `spawn`, with settings adjusted first (e.g. the SMTP server).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_name) = match backend {
            Backend::Sqlite => (data_dir.path().join("labour-bridge.sqlite3").to_string_lossy().into_owned(), None),
            Backend::Postgres => {
                let (url, name) = fresh_pg_database()?;
                (url, Some(name))
            }
        };
        let mut settings = Settings::for_database(data_dir.path().to_path_buf(), database_url.clone());
        settings.pool_size = 4;
        settings.max_body_bytes = 64 * 1024;
        settings.login_max_failures = 3;
        // Every test request comes from 127.0.0.1; the per-address limit
        // has its own test with its own setting.
        settings.login_address_max_failures = 1000;
        // Tests run the scheduler's jobs themselves, when they choose.
        settings.scheduler_secs = 0;
        settings.smtp_url = "smtp://127.0.0.1:9".into();
        adjust(&mut settings);
        let db = labour_bridge::startup::open_database(&settings).expect("open database");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let search = labour_bridge::startup::open_search(&settings, &db).expect("search index");
        let server =
            labour_bridge::startup::run(listener, db.clone(), settings.clone(), search.clone()).expect("server");
        tokio::spawn(server);
        let mut app = TestApp {
            address: format!("http://127.0.0.1:{port}"),
            settings,
            db,
            database_url,
            _data_dir: data_dir,
            search,
            client: reqwest::Client::new(),
            admin: String::new(),
            clerk: String::new(),
            organiser: String::new(),
            pg_name,
        };
        app.admin = app.add_user("admin", Role::Admin, None, None);
        app.clerk = app.add_user("clerk", Role::Clerk, Some("大新县人社局"), None);
        app.organiser = app.add_user("organiser", Role::Organiser, Some("江海区就业服务中心"), None);
        Some(app)
    }

    /// Creates a user directly and returns an API token for them.
    pub fn add_user(&self, name: &str, role: Role, unit: Option<&str>, labourer_id: Option<i64>) -> String {
        let mut conn = self.db.get().expect("connection");
        let id = user::create(&mut conn, name, role, unit, labourer_id, None).expect("create user");
        let token = new_token().expect("token");
        user::add_token(&mut conn, id, &token_hash(&token), "api", None).expect("token");
        token
    }

    /// Gives an existing user an e-mail address.
    pub fn set_email(&self, name: &str, email: &str) {
        let mut conn = self.db.get().expect("connection");
        let id = user::by_username(&mut conn, name).expect("lookup").expect("user exists").id;
        user::set_email(&mut conn, id, Some(email)).expect("set email");
    }

    /// Creates a user who logs in with `password`.
    pub fn add_password_user(&self, name: &str, role: Role, password: &str) {
        let mut conn = self.db.get().expect("connection");
        let hash = hash_password(password).expect("hash");
        user::create(&mut conn, name, role, None, None, Some(&hash)).expect("create user");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request with a token and an optional JSON body.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let (status, _, body) = self.call_raw(method, path, token, body).await;
        (status, body)
    }

    /// As `call`, asking for answers in English (`Accept-Language: en`).
    pub async fn call_en(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let (status, _, body) = self.send(method, path, token, body, Some("en")).await;
        (status, body)
    }

    /// As `call`, also returning the content type.
    pub async fn call_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        self.send(method, path, token, body, None).await
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        lang: Option<&str>,
    ) -> (u16, String, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, self.url(path));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let ctype = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let text = resp.text().await.expect("body");
        let value =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, ctype, value)
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(token), Some(body)).await
    }
    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        self.call("GET", path, Some(token), None).await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call("PATCH", path, Some(token), Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: &str) -> (u16, Value) {
        self.call("DELETE", path, Some(token), None).await
    }

    /// GET that must answer 200; the body.
    pub async fn get_ok(&self, path: &str, token: &str) -> Value {
        let (s, b) = self.get(path, token).await;
        assert_eq!(s, 200, "GET {path}: {b}");
        b
    }
    /// POST that must create (201); the body.
    pub async fn post_created(&self, path: &str, token: &str, body: Value) -> Value {
        let (s, b) = self.post(path, token, body).await;
        assert_eq!(s, 201, "POST {path}: {b}");
        b
    }
    /// PATCH that must succeed (200); the body.
    pub async fn patch_ok(&self, path: &str, token: &str, body: Value) -> Value {
        let (s, b) = self.patch(path, token, body).await;
        assert_eq!(s, 200, "PATCH {path}: {b}");
        b
    }

    /// GET returning the raw bytes and content type.
    pub async fn bytes(&self, path: &str, token: &str) -> (u16, String, Vec<u8>) {
        let resp = self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request");
        let status = resp.status().as_u16();
        let ctype = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (status, ctype, resp.bytes().await.expect("body").to_vec())
    }

    /// Uploads `bytes` as the multipart field `file` called `file_name`.
    pub async fn upload(&self, path: &str, token: &str, file_name: &str, bytes: Vec<u8>) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let resp = self.client.post(self.url(path)).bearer_auth(token).multipart(form).send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Registers a labourer as the clerk; panics unless 201.
    pub async fn labourer(&self, body: Value) -> Value {
        let (s, b) = self.post("/api/v1/labourers", &self.clerk, body).await;
        assert_eq!(s, 201, "{b}");
        b
    }

    /// Registers an employer in Jianghai as the clerk.
    pub async fn employer(&self, name: &str) -> i64 {
        let (s, b) = self
            .post("/api/v1/employers", &self.clerk, json!({"name": name, "region_code": "440704", "industry": "餐饮"}))
            .await;
        assert_eq!(s, 201, "{b}");
        b["id"].as_i64().expect("id")
    }

    /// Counts rows of a table that meet `condition` (SQL), straight from the database.
    pub fn count_where(&self, table: &str, condition: &str) -> i64 {
        self.count(&format!("{table} WHERE {condition}"))
    }

    /// Counts rows of a table straight from the database.
    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.db.get().expect("connection");
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(&mut *conn).expect("count").n
    }

    /// Runs one SQL statement straight on the database: a registry larger
    /// than a test can build through the API in good time.
    pub fn execute(&self, sql: &str) {
        let mut conn = self.db.get().expect("connection");
        diesel::sql_query(sql).execute(&mut *conn).expect(sql);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // No database call may be in flight when the test process exits.
        self.search.stop_indexer();
        if let Some(name) = self.pg_name.take() {
            let url = pg_admin_url();
            // Blocking I/O in drop is fine in a test; FORCE ends the pool's sessions.
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = PgConnection::establish(&url) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
                }
            })
            .join();
        }
    }
}

/// A valid ID number for a birth date and serial (odd serial: male).
pub fn id_number(region: &str, birth: &str, serial: u32) -> String {
    let first17 = format!("{region}{birth}{serial:03}");
    let c = labour_bridge::domain::id_number::check_char(&first17).expect("digits");
    format!("{first17}{c}")
}

/// Runs each named `async fn(TestApp)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// Percent-encodes a query value (Chinese included) for a URL.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A file under `tests/fixtures/imports/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/imports/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

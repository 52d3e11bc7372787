//! Settings: built-in defaults < `labour-bridge.toml` < environment (`LB_…`,
//! `DATABASE_URL`) < command-line flags. Every default works on a laptop.
//!
//! clap already merges flags over the environment; this module lays the
//! file and the defaults underneath.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The 粤桂扶贫协作领导小组办公室 mailbox the 2019 plan sends ledgers to.
pub const PLAN_OFFICE_MAILBOX: &str = "dxfp010@163.com";

/// The resolved settings every command runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Directory for runtime state: the SQLite file and the search index.
    pub data_dir: PathBuf,
    /// Database URL; `postgres://…` selects PostgreSQL, anything else SQLite.
    pub database_url: String,
    /// Address `serve` listens on.
    pub bind: String,
    /// Connections in the database pool.
    pub pool_size: u32,
    /// Largest accepted JSON body, in bytes.
    pub max_body_bytes: usize,
    /// Largest accepted upload (a roster to import or reconcile), in bytes
    /// (`LB_MAX_UPLOAD_BYTES`; default 20 MiB, DESIGN §8).
    pub max_upload_bytes: usize,
    /// How long a login token stays valid, in hours.
    pub session_hours: i64,
    /// Failed logins in a row before the account is locked.
    pub login_max_failures: i32,
    /// How long a locked account stays locked, in seconds.
    pub login_lock_seconds: i64,
    /// Failed logins from one client address, across all accounts, within
    /// `login_address_window_seconds`, after which that address is slowed
    /// down (429 with Retry-After) until the window has passed.
    pub login_address_max_failures: u32,
    /// See [`Settings::login_address_max_failures`].
    pub login_address_window_seconds: i64,
    /// Addresses of the load balancers or proxies in front of the service
    /// (`LB_TRUSTED_PROXIES`, comma-separated; default none): a request
    /// from one of them is from the address its `X-Forwarded-For` names,
    /// so that the per-address sign-in limit keys on the real client and
    /// not on the balancer every client comes through.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Entries of the trusted proxies that are no address (`10.0.0.0/8`,
    /// a typo): `serve` refuses to start with them rather than key every
    /// client on the balancer.
    pub trusted_proxies_unread: Vec<String>,
    /// Days before and after a fair's `held_on` day on which people may be
    /// checked in at it.
    pub check_in_margin_days: i64,
    /// Check-ins one organiser may make per minute.
    pub check_ins_per_minute: u32,
    /// Where ledgers and summaries go unless a deadline names others
    /// (`LB_LEDGER_RECIPIENTS`, comma-separated; default the plan's office mailbox).
    pub ledger_recipients: Vec<String>,
    /// The ledger rules' settings (counted statuses, eastern provinces,
    /// stable months, largest gap).
    pub ledger_rules: crate::ledger::rules::Rules,
    /// The unit named on ledgers when the caller has none.
    pub unit_name: String,
    /// lettre connection URL of the SMTP server (`LB_SMTP_URL`), e.g.
    /// `smtp://127.0.0.1:2525` or `smtps://user:pass@host:465`.
    pub smtp_url: String,
    /// Sender of every e-mail (`LB_MAIL_FROM`).
    pub mail_from: String,
    /// The address people reach this service at, for links in e-mails (`LB_PUBLIC_URL`).
    pub public_url: String,
    /// Seconds between runs of the reminder and job-alert scheduler
    /// (`LB_SCHEDULER_SECS`; 0 turns it off).
    pub scheduler_secs: u64,
    /// Milliseconds between passes of the search indexer over the outbox
    /// (`LB_INDEX_INTERVAL_MS`; 0 leaves the index as it was at start).
    pub index_interval_ms: u64,
    /// The eastern district paired with the county (`LB_PAIRED_DISTRICT`),
    /// whose employers matching names as a reason.
    pub paired_district: String,
    /// A fixed day to run as (`LB_TODAY=YYYY-MM-DD`; default: the date in
    /// China), for ages, "taking applications today", default as-of dates
    /// and reminders alike (see `clock`).
    pub today: Option<chrono::NaiveDate>,
    /// `/readyz` answers 503 when more outbox entries than this wait for
    /// this instance's search index (`LB_READY_MAX_LAG_ENTRIES`; default 1000).
    pub ready_max_lag_entries: i64,
    /// `/readyz` answers 503 when the oldest outbox entry waiting for this
    /// instance's index is older than this (`LB_READY_MAX_LAG_SECS`; default 30).
    pub ready_max_lag_secs: u64,
    /// Days an outbox entry is kept after it was written
    /// (`LB_OUTBOX_KEEP_DAYS`; default 7; 0 keeps every entry). An instance
    /// whose search index stopped before the entries pruned rebuilds it.
    pub outbox_keep_days: u32,
    /// A second address serving only `GET /metrics`, without a token
    /// (`serve --metrics-bind` / `LB_METRICS_BIND`; default none: `/metrics`
    /// is then served on the API's address to admins only).
    pub metrics_bind: Option<String>,
}

/// What `labour-bridge.toml` may set; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// See [`Settings::data_dir`].
    pub data_dir: Option<PathBuf>,
    /// See [`Settings::database_url`].
    pub database_url: Option<String>,
    /// See [`Settings::bind`].
    pub bind: Option<String>,
    /// See [`Settings::pool_size`].
    pub pool_size: Option<u32>,
    /// See [`Settings::max_body_bytes`].
    pub max_body_bytes: Option<usize>,
    /// See [`Settings::max_upload_bytes`].
    pub max_upload_bytes: Option<usize>,
    /// See [`Settings::session_hours`].
    pub session_hours: Option<i64>,
    /// See [`Settings::login_max_failures`].
    pub login_max_failures: Option<i32>,
    /// See [`Settings::login_lock_seconds`].
    pub login_lock_seconds: Option<i64>,
    /// See [`Settings::login_address_max_failures`].
    pub login_address_max_failures: Option<u32>,
    /// See [`Settings::login_address_window_seconds`].
    pub login_address_window_seconds: Option<i64>,
    /// See [`Settings::trusted_proxies`].
    pub trusted_proxies: Option<Vec<String>>,
    /// See [`Settings::check_in_margin_days`].
    pub check_in_margin_days: Option<i64>,
    /// See [`Settings::check_ins_per_minute`].
    pub check_ins_per_minute: Option<u32>,
    /// See [`Settings::ledger_recipients`].
    pub ledger_recipients: Option<Vec<String>>,
    /// Poverty statuses the ledgers count.
    pub counted_statuses: Option<Vec<String>>,
    /// Two-digit province codes that are "the east".
    pub east_provinces: Option<Vec<String>>,
    /// Months an east spell must last to be stable.
    pub stable_months: Option<u32>,
    /// Longest gap in days inside one east spell.
    pub max_gap_days: Option<i64>,
    /// See [`Settings::unit_name`].
    pub unit_name: Option<String>,
    /// See [`Settings::smtp_url`].
    pub smtp_url: Option<String>,
    /// See [`Settings::mail_from`].
    pub mail_from: Option<String>,
    /// See [`Settings::public_url`].
    pub public_url: Option<String>,
    /// See [`Settings::scheduler_secs`].
    pub scheduler_secs: Option<u64>,
    /// See [`Settings::index_interval_ms`].
    pub index_interval_ms: Option<u64>,
    /// See [`Settings::paired_district`].
    pub paired_district: Option<String>,
    /// See [`Settings::today`].
    pub today: Option<chrono::NaiveDate>,
    /// See [`Settings::ready_max_lag_entries`].
    pub ready_max_lag_entries: Option<i64>,
    /// See [`Settings::ready_max_lag_secs`].
    pub ready_max_lag_secs: Option<u64>,
    /// See [`Settings::outbox_keep_days`].
    pub outbox_keep_days: Option<u32>,
    /// See [`Settings::metrics_bind`].
    pub metrics_bind: Option<String>,
}

impl FileSettings {
    /// Reads `path` if it exists; a missing file is an empty one.
    pub fn load(path: &Path) -> anyhow::Result<FileSettings> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let file: FileSettings =
                    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                // Ledger rules that silently fell back to defaults would give wrong counts.
                if let Some(codes) = &file.east_provinces {
                    crate::domain::EastProvinces::new(codes)
                        .map_err(|e| anyhow::anyhow!("{}: east_provinces: {}", path.display(), e.message))?;
                }
                for s in file.counted_statuses.iter().flatten() {
                    s.parse::<crate::domain::PovertyStatus>()
                        .map_err(|_| anyhow::anyhow!("{}: counted_statuses: unknown status `{s}`", path.display()))?;
                }
                Ok(file)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileSettings::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
        }
    }
}

/// Values given on the command line or in the environment (clap merged them).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--data-dir` / `LB_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--database-url` / `DATABASE_URL`.
    pub database_url: Option<String>,
    /// `--bind` / `LB_BIND`.
    pub bind: Option<String>,
    /// `serve --metrics-bind` / `LB_METRICS_BIND`.
    pub metrics_bind: Option<String>,
}

/// A non-empty environment variable.
fn env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    /// Lays overrides over the file over the defaults.
    pub fn resolve(file: FileSettings, over: Overrides) -> Settings {
        let data_dir = over.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = over
            .database_url
            .or(file.database_url)
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| data_dir.join("labour-bridge.sqlite3").to_string_lossy().into_owned());
        let trusted: Vec<String> = env("LB_TRUSTED_PROXIES")
            .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>())
            .or(file.trusted_proxies)
            .unwrap_or_default();
        Settings {
            data_dir,
            database_url,
            bind: over.bind.or(file.bind).unwrap_or_else(|| "127.0.0.1:8080".to_string()),
            pool_size: file.pool_size.unwrap_or(8),
            max_body_bytes: file.max_body_bytes.unwrap_or(256 * 1024),
            max_upload_bytes: env("LB_MAX_UPLOAD_BYTES")
                .and_then(|v| v.parse().ok())
                .or(file.max_upload_bytes)
                .unwrap_or(20 * 1024 * 1024),
            session_hours: file.session_hours.unwrap_or(12),
            login_max_failures: file.login_max_failures.unwrap_or(5),
            login_lock_seconds: file.login_lock_seconds.unwrap_or(15 * 60),
            login_address_max_failures: file.login_address_max_failures.unwrap_or(20),
            login_address_window_seconds: file.login_address_window_seconds.unwrap_or(15 * 60),
            trusted_proxies: trusted.iter().filter_map(|a| a.parse().ok()).collect(),
            trusted_proxies_unread: trusted
                .iter()
                .filter(|a| a.parse::<std::net::IpAddr>().is_err())
                .cloned()
                .collect(),
            check_in_margin_days: file.check_in_margin_days.unwrap_or(1),
            check_ins_per_minute: file.check_ins_per_minute.unwrap_or(30),
            ledger_recipients: env("LB_LEDGER_RECIPIENTS")
                .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>())
                .filter(|v| !v.is_empty())
                .or(file.ledger_recipients)
                .unwrap_or_else(|| vec![PLAN_OFFICE_MAILBOX.to_string()]),
            ledger_rules: {
                let d = crate::ledger::rules::Rules::default();
                crate::ledger::rules::Rules {
                    counted_statuses: file
                        .counted_statuses
                        .map(|v| {
                            v.iter()
                                .filter_map(|s| s.parse::<crate::domain::PovertyStatus>().ok())
                                .map(|p| p.as_str().to_string())
                                .collect()
                        })
                        .unwrap_or(d.counted_statuses),
                    east_provinces: file
                        .east_provinces
                        .and_then(|v| crate::domain::EastProvinces::new(v).ok())
                        .unwrap_or(d.east_provinces),
                    stable_months: file.stable_months.unwrap_or(d.stable_months),
                    max_gap_days: file.max_gap_days.unwrap_or(d.max_gap_days),
                }
            },
            unit_name: file.unit_name.unwrap_or_else(|| "江海区—大新县粤桂扶贫协作".to_string()),
            smtp_url: env("LB_SMTP_URL").or(file.smtp_url).unwrap_or_else(|| "smtp://127.0.0.1:25".to_string()),
            mail_from: env("LB_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "labour-bridge <labour-bridge@localhost>".to_string()),
            public_url: env("LB_PUBLIC_URL")
                .or(file.public_url)
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_string())
                .trim_end_matches('/')
                .to_string(),
            scheduler_secs: env("LB_SCHEDULER_SECS").and_then(|v| v.parse().ok()).or(file.scheduler_secs).unwrap_or(60),
            index_interval_ms: env("LB_INDEX_INTERVAL_MS")
                .and_then(|v| v.parse().ok())
                .or(file.index_interval_ms)
                .unwrap_or(200),
            paired_district: env("LB_PAIRED_DISTRICT").or(file.paired_district).unwrap_or_else(|| "440704".to_string()),
            today: env("LB_TODAY").and_then(|v| v.trim().parse().ok()).or(file.today),
            ready_max_lag_entries: env("LB_READY_MAX_LAG_ENTRIES")
                .and_then(|v| v.parse().ok())
                .or(file.ready_max_lag_entries)
                .unwrap_or(1000),
            ready_max_lag_secs: env("LB_READY_MAX_LAG_SECS")
                .and_then(|v| v.parse().ok())
                .or(file.ready_max_lag_secs)
                .unwrap_or(30),
            outbox_keep_days: env("LB_OUTBOX_KEEP_DAYS")
                .and_then(|v| v.parse().ok())
                .or(file.outbox_keep_days)
                .unwrap_or(7),
            metrics_bind: over.metrics_bind.or(file.metrics_bind).filter(|a| !a.trim().is_empty()),
        }
    }

    /// Defaults for a data directory and database, as tests and tools use.
    pub fn for_database(data_dir: PathBuf, database_url: String) -> Settings {
        Settings::resolve(
            FileSettings::default(),
            Overrides {
                data_dir: Some(data_dir),
                database_url: Some(database_url),
                bind: Some("127.0.0.1:0".to_string()),
                metrics_bind: None,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let file: FileSettings = toml::from_str("bind = \"0.0.0.0:9000\"\npool_size = 3\n").unwrap();
        let s = Settings::resolve(file, Overrides { bind: Some("127.0.0.1:1".into()), ..Default::default() });
        assert_eq!(s.bind, "127.0.0.1:1");
        assert_eq!(s.pool_size, 3);
        assert_eq!(s.database_url, "data/labour-bridge.sqlite3");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_an_error() {
        assert!(toml::from_str::<FileSettings>("bnd = 1").is_err());
    }
}

//! Storage: one diesel `MultiConnection` over SQLite (the embedded default)
//! and PostgreSQL (the scale backend), an r2d2 pool, embedded migrations.
//!
//! SQL lives in `models/`, one file per table, as functions that take a
//! connection and return `QueryResult`. Nothing here runs on an actix worker
//! thread: handlers go through [`Db::run`], which hops to the blocking pool.

pub mod models;
pub mod schema;
mod snapshot;
mod stamp;
pub mod types;

pub use snapshot::{read_as_one, Joined, Snapshot};
pub use stamp::{KeptUntilWrite, WriteStamp};

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

/// A connection to whichever backend the configured URL names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, chosen by a `postgres://` or `postgresql://` URL.
    Pg(PgConnection),
    /// SQLite, for any other URL (a file path or `sqlite://` path).
    Sqlite(SqliteConnection),
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Decides the backend from the URL scheme, so a refused PostgreSQL is
    /// reported as itself rather than as "not a SQLite path".
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// The PostgreSQL advisory lock held while migrating ("lbmigr").
const MIGRATION_LOCK: i64 = 0x6c62_6d69_6772;

/// Opens connections for the pool; applies SQLite's per-connection settings.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    /// A manager for `url`.
    pub fn new(url: &str) -> Self {
        ConnectionManager { url: url.trim_start_matches("sqlite://").to_string(), backend: Backend::of_url(url) }
    }

    /// Opens one connection, reporting the backend's own error.
    pub fn establish(&self) -> ConnectionResult<DbConnection> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Pg),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // WAL lets readers run beside the single writer; the busy timeout
                // makes a second writer wait instead of failing at once. It comes
                // first: the pool opens its connections together, and switching
                // a new file to WAL takes a lock the others must wait for rather
                // than fail on ("database is locked" in the log of a CLI run).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        self.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1").map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// How the pool is doing, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Connections open.
    pub open: u32,
    /// Connections lent out to a request or job right now.
    pub in_use: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// The shared pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    /// Opens the SQLite watcher of [`Db::write_stamp`].
    manager: ConnectionManager,
    watch: stamp::Watcher,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.backend).field("pool", &self.pool_state()).finish()
    }
}

impl Db {
    /// Connects once directly (so a refused server is reported as such), then
    /// builds the pool.
    pub fn connect(url: &str, max_size: u32) -> anyhow::Result<Db> {
        let manager = ConnectionManager::new(url);
        let backend = manager.backend;
        manager.establish().map_err(|e| anyhow::anyhow!("cannot open the database at {}: {e}", redact(url)))?;
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            .build(manager.clone())?;
        Ok(Db { pool, backend, manager, watch: Default::default() })
    }

    /// Which backend this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs the embedded migrations that have not run yet.
    pub fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.pool.get()?;
        let applied = match &mut *conn {
            DbConnection::Pg(c) => {
                // Instances started together on one database take turns:
                // the first migrates, the others then find nothing pending.
                c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
                let applied = c
                    .run_pending_migrations(PG_MIGRATIONS)
                    .map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>())
                    .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
                let unlocked = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
                let applied = applied?;
                unlocked?;
                applied
            }
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
                .iter()
                .map(|m| m.to_string())
                .collect(),
        };
        Ok(applied)
    }

    /// Reverts every migration (used by the reversibility check).
    pub fn revert_all(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get()?;
        match &mut *conn {
            DbConnection::Pg(c) => c.revert_all_migrations(PG_MIGRATIONS).map(|_| ()),
            DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        }
        .map_err(|e| anyhow::anyhow!("revert failed: {e}"))
    }

    /// A pooled connection, waiting at most `wait` (readiness checks must
    /// answer before a load balancer gives up on them).
    pub fn get_within(&self, wait: Duration) -> Result<r2d2::PooledConnection<ConnectionManager>, AppError> {
        self.pool.get_timeout(wait).map_err(|e| AppError::Unavailable(e.to_string()))
    }

    /// A connection for work that would go faster beside the caller's (a
    /// ledger read on two cores), only if one is free at once and another
    /// stays free after it for everyone else: `None` otherwise, and the
    /// caller goes on with the connection it has. A few clerks downloading
    /// province-scale ledgers at once then never take the last connections
    /// the pages and the API need.
    pub fn get_spare(&self) -> Option<r2d2::PooledConnection<ConnectionManager>> {
        let s = self.pool.state();
        let unopened = self.pool.max_size().saturating_sub(s.connections);
        if s.idle_connections + unopened < 2 {
            return None;
        }
        self.pool.get_timeout(Duration::from_millis(100)).ok()
    }

    /// Connections open in the pool and how many of them are lent out now.
    pub fn pool_state(&self) -> PoolState {
        let s = self.pool.state();
        PoolState {
            open: s.connections,
            in_use: s.connections.saturating_sub(s.idle_connections),
            max: self.pool.max_size(),
        }
    }

    /// A pooled connection for blocking code (CLI, background jobs).
    pub fn get(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, AppError> {
        self.pool.get().map_err(|e| AppError::Unavailable(e.to_string()))
    }

    /// Runs `f` with a pooled connection on actix's blocking thread pool, so a
    /// slow query never stalls an HTTP worker.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            let mut conn = db.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }
}

impl Db {
    /// Runs `f` in a write transaction ([`write_tx`]) on the blocking pool:
    /// how the HTTP edge applies a registry operation, so that the record,
    /// its audit entry and its outbox entry commit together or not at all.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.run(move |c| write_tx(c, f)).await
    }
}

/// Runs `f` in a write transaction. On SQLite the transaction starts with
/// `BEGIN IMMEDIATE`: a deferred transaction that reads first and then writes
/// fails at once with SQLITE_BUSY under WAL instead of waiting its turn.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    type Tm = <DbConnection as Connection>::TransactionManager;
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Pg(_) => Tm::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            Tm::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The original error is what the caller needs; a failed rollback
            // leaves the connection broken, which the next use reports.
            let _ = Tm::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..s + 3], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::Db;

    #[test]
    fn a_spare_connection_is_lent_only_while_another_stays_free() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(dir.path().join("spare.sqlite3").to_str().unwrap(), 3).unwrap();
        let _caller = db.get().unwrap();
        // Two of three left: one may be lent, the last stays for others.
        let spare = db.get_spare().expect("a spare while two are free");
        assert!(db.get_spare().is_none(), "the last free connection was lent");
        let _other = db.get().unwrap();
        assert!(db.get_spare().is_none());
        drop(spare);
        drop(_other);
        assert!(db.get_spare().is_some(), "a spare again once two are free");
    }
}

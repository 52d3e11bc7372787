//! Reads that see one committed state of the registry, on one connection
//! or on several.
//!
//! A ledger is several reads: the rules' choice (and its count), then the
//! rows; the bundle and the dashboard add the other ledgers' counts and the
//! summary made of them. Read each in its own transaction, a placement
//! deleted between two of them made a ledger whose title counted one row
//! more than it listed (DESIGN §5: a ledger's count is its number of rows),
//! or a summary whose actual figure was not its sheet's count.
//! [`read_as_one`] runs such work inside one read-only transaction, and
//! the connections it lends ([`Snapshot::get_spare`], for reading on two
//! cores) join that transaction's state:
//!
//! - PostgreSQL: `REPEATABLE READ, READ ONLY`; the state is exported with
//!   `pg_export_snapshot()` and each lent connection imports it with
//!   `SET TRANSACTION SNAPSHOT`
//!   (<https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION>).
//! - SQLite: a deferred `BEGIN` whose first read fixes the state it sees
//!   (WAL mode: <https://sqlite.org/isolation.html>). SQLite cannot hand a
//!   state from one connection to another, so a lent connection is used
//!   only when no write committed between the first connection's start and
//!   its own ([`WriteStamp`]s equal); otherwise none is lent and the work
//!   goes on the first connection alone — slower, never different.

use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::PooledConnection;
use diesel::sql_types::Text;

use super::{ConnectionManager, Db, DbConnection, WriteStamp};
use crate::error::AppError;

type Tm = <DbConnection as Connection>::TransactionManager;

/// The state of the registry one [`read_as_one`] sees, and the pool its
/// spare connections come from.
#[derive(Debug, Clone)]
pub struct Snapshot {
    db: Db,
    state: State,
}

/// How a lent connection joins the state.
#[derive(Debug, Clone)]
enum State {
    /// PostgreSQL: the exported snapshot's name.
    Pg(String),
    /// SQLite: the write stamp taken before the first connection began.
    Sqlite(WriteStamp),
}

/// Starts a read-only transaction on `c` (not yet in one).
fn begin(c: &mut DbConnection) -> QueryResult<()> {
    match c {
        DbConnection::Pg(pg) => {
            AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        }
        DbConnection::Sqlite(lite) => AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN"),
    }
}

/// Makes SQLite's deferred transaction take its state now (its first read
/// of the file does).
fn first_read(c: &mut DbConnection) -> QueryResult<()> {
    c.batch_execute("SELECT count(*) FROM sqlite_schema")
}

/// Whether `c` is inside a transaction already.
fn in_transaction(c: &mut DbConnection) -> bool {
    !matches!(Tm::transaction_manager_status_mut(c).transaction_depth(), Ok(None))
}

/// Runs `f` on `c` inside one read-only transaction, so that every read it
/// makes sees the same committed state; with `helper`, `f` is also given a
/// [`Snapshot`] that lends connections from that pool in the same state.
/// `f` must only read. The transaction ends when `f` returns.
///
/// When `c` is already inside a transaction, `f` runs in it as it is, with
/// no lent connections (the caller's transaction decides what it sees).
///
/// Errors: `f`'s, or the database refusing to begin.
pub fn read_as_one<T>(
    c: &mut DbConnection,
    helper: Option<&Db>,
    f: impl FnOnce(&mut DbConnection, Option<&Snapshot>) -> Result<T, AppError>,
) -> Result<T, AppError> {
    if in_transaction(c) {
        return f(c, None);
    }
    // SQLite: the stamp is taken before the state is (see `join`).
    let sqlite = matches!(c, DbConnection::Sqlite(_));
    let before = match helper {
        Some(db) if sqlite => Some(db.write_stamp(c)?),
        _ => None,
    };
    begin(c)?;
    let shared = (|| -> Result<Option<Snapshot>, AppError> {
        let Some(db) = helper else { return Ok(None) };
        let state = match (&mut *c, before) {
            (DbConnection::Pg(pg), _) => {
                State::Pg(diesel::select(diesel::dsl::sql::<Text>("pg_export_snapshot()")).get_result::<String>(pg)?)
            }
            (c, Some(stamp)) => {
                first_read(c)?;
                State::Sqlite(stamp)
            }
            (_, None) => return Ok(None),
        };
        Ok(Some(Snapshot { db: db.clone(), state }))
    })();
    let result = shared.and_then(|shared| f(c, shared.as_ref()));
    // Read-only: ending it either way changes nothing; a failure to end it
    // leaves the connection broken, and the pool drops it.
    let _ = Tm::rollback_transaction(c);
    result
}

impl Snapshot {
    /// A connection from the pool in this snapshot's state, if one is spare
    /// ([`Db::get_spare`]) and (SQLite) no write has committed since the
    /// snapshot began: `None` otherwise, and the caller reads on its own
    /// connection. The connection's transaction ends when it is dropped.
    pub fn get_spare(&self) -> Option<Joined> {
        let mut conn = self.db.get_spare()?;
        match join(&self.db, &mut conn, &self.state) {
            Ok(true) => Some(Joined(conn)),
            _ => {
                let _ = Tm::rollback_transaction(&mut *conn);
                None
            }
        }
    }
}

/// Begins a transaction on `c` in `state`; `false` when it cannot be.
fn join(db: &Db, c: &mut DbConnection, state: &State) -> Result<bool, AppError> {
    begin(c)?;
    match state {
        State::Pg(name) => {
            // The name came from pg_export_snapshot(): hex digits and dashes.
            if !name.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
                return Ok(false);
            }
            c.batch_execute(&format!("SET TRANSACTION SNAPSHOT '{name}'"))?;
            Ok(true)
        }
        State::Sqlite(before) => {
            first_read(c)?;
            // No commit between the stamp taken before the first connection
            // began and now: both read the same state.
            Ok(db.write_stamp(c)? == *before)
        }
    }
}

/// A pooled connection inside a [`Snapshot`]'s transaction; it ends when
/// this is dropped.
pub struct Joined(PooledConnection<ConnectionManager>);

impl std::ops::Deref for Joined {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.0
    }
}

impl std::ops::DerefMut for Joined {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0
    }
}

impl Drop for Joined {
    fn drop(&mut self) {
        let _ = Tm::rollback_transaction(&mut *self.0);
    }
}

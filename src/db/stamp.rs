//! A stamp of what the database has committed. Two stamps taken one after
//! the other are equal only if no write committed in between — by this
//! process, another instance on the same database, or the command line —
//! so work computed from the whole registry (the dashboard's figures) can
//! be kept until something changes instead of being computed on every
//! visit.
//!
//! - SQLite: `PRAGMA data_version` on a connection of its own that never
//!   writes. Its value changes whenever any other connection, in any
//!   process, commits to the file (<https://sqlite.org/pragma.html#pragma_data_version>).
//! - PostgreSQL: `pg_current_snapshot()` — the oldest transaction still
//!   running, one past the newest finished, and those in progress between.
//!   Equal snapshots have the same finished transactions, hence the same
//!   committed data. Any commit on the server (any database) changes it,
//!   which only costs a recomputation.
//!
//! A stamp is taken *before* the work it keys is read: a write committed
//! while the work runs changes the next stamp, so the work is redone rather
//! than kept past the write.

use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{ConnectionManager, Db, DbConnection};
use crate::error::AppError;

/// What the database has committed, as of when it was taken: compare for
/// equality only (its text is the backend's, not for display).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WriteStamp(String);

/// SQLite's watcher: a connection that only ever asks `data_version`, and
/// how often the answer has changed.
#[derive(Default)]
pub(super) struct Watch {
    conn: Option<DbConnection>,
    seen: Option<i64>,
    generation: u64,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").field("seen", &self.seen).field("generation", &self.generation).finish()
    }
}

/// The shared watcher of one pool.
pub(super) type Watcher = Arc<Mutex<Watch>>;

#[derive(QueryableByName)]
struct DataVersion {
    #[diesel(sql_type = BigInt)]
    data_version: i64,
}

impl Watch {
    fn stamp(&mut self, manager: &ConnectionManager) -> QueryResult<WriteStamp> {
        if self.conn.is_none() {
            self.conn = Some(manager.establish().map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?);
        }
        let asked = match self.conn.as_mut() {
            Some(DbConnection::Sqlite(c)) => diesel::sql_query("PRAGMA data_version").get_result::<DataVersion>(c),
            _ => Err(diesel::result::Error::NotFound),
        };
        let version = match asked {
            Ok(v) => v.data_version,
            Err(e) => {
                // Opened afresh next time.
                self.conn = None;
                return Err(e);
            }
        };
        if self.seen != Some(version) {
            // A fresh watcher counts from a new generation: a stamp taken
            // before it existed can never equal one taken after.
            self.seen = Some(version);
            self.generation += 1;
        }
        Ok(WriteStamp(format!("sqlite:{}", self.generation)))
    }
}

impl Db {
    /// The database's [`WriteStamp`] now. `c` is the caller's connection
    /// (PostgreSQL asks on it; SQLite asks on the pool's watcher).
    ///
    /// Errors: the database did not answer (`AppError::Unavailable` or a
    /// database error).
    pub fn write_stamp(&self, c: &mut DbConnection) -> Result<WriteStamp, AppError> {
        match c {
            DbConnection::Pg(pg) => {
                let snapshot =
                    diesel::select(diesel::dsl::sql::<Text>("pg_current_snapshot()::text")).get_result::<String>(pg)?;
                Ok(WriteStamp(format!("pg:{snapshot}")))
            }
            DbConnection::Sqlite(_) => {
                let mut watch = self.watch.lock().map_err(|_| AppError::Unavailable("write stamp".into()))?;
                Ok(watch.stamp(&self.manager)?)
            }
        }
    }
}

/// Values computed from the whole registry, kept by key until a write
/// commits anywhere on the database ([`WriteStamp`]): the dashboard's
/// figures, target progress. At most `capacity` keys; all are dropped when
/// it is reached (keys carry the day, so old ones stop being asked).
#[derive(Debug)]
pub struct KeptUntilWrite<K, V> {
    kept: Mutex<std::collections::HashMap<K, (WriteStamp, Arc<V>)>>,
    capacity: usize,
}

impl<K: std::hash::Hash + Eq, V> KeptUntilWrite<K, V> {
    /// An empty store of at most `capacity` values.
    pub fn new(capacity: usize) -> Self {
        KeptUntilWrite { kept: Mutex::default(), capacity }
    }

    /// The value of `key`: the kept one if nothing was written since it was
    /// computed (`true`: reused), else `compute`d on `c` and kept.
    ///
    /// Errors: taking the stamp or computing the value.
    pub fn get_or_compute(
        &self,
        db: &Db,
        c: &mut DbConnection,
        key: K,
        compute: impl FnOnce(&mut DbConnection) -> Result<V, AppError>,
    ) -> Result<(Arc<V>, bool), AppError> {
        // Taken before reading: a write committed while the value is
        // computed makes the next asking compute it again.
        let stamp = db.write_stamp(c)?;
        let kept = self.kept.lock().ok().and_then(|k| k.get(&key).filter(|(s, _)| *s == stamp).map(|(_, v)| v.clone()));
        if let Some(value) = kept {
            return Ok((value, true));
        }
        let value = Arc::new(compute(c)?);
        if let Ok(mut k) = self.kept.lock() {
            if k.len() >= self.capacity {
                k.clear();
            }
            k.insert(key, (stamp, value.clone()));
        }
        Ok((value, false))
    }
}

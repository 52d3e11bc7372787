//! What operators run the service by: readiness (database reachable,
//! search index not too far behind the registry), metrics, backups.
//!
//! Every instance keeps its own search index and its own position in the
//! shared outbox (the index's commit payload), so "index lag" is this
//! instance's: the outbox entries after its cursor, and how long the oldest
//! of them has waited.

pub mod backup;
pub mod metrics;
pub mod serving;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use serde::Serialize;

use crate::config::Settings;
use crate::db::models::search as store;
use crate::db::{Db, DbConnection};
use crate::error::{AppError, FieldError};
use crate::messages::ops as msg;
use crate::search::Search;

/// How long a readiness check waits for a database connection.
const READY_WAIT: Duration = Duration::from_secs(2);

/// How far this instance's search index is behind the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Lag {
    /// Outbox entries written after the index's cursor.
    pub entries: i64,
    /// Seconds the oldest of them has waited (0 when none wait).
    pub seconds: f64,
}

/// The lag of `search` behind the outbox, read on `conn`.
pub fn lag(conn: &mut DbConnection, search: &Search) -> Result<Lag, AppError> {
    let (entries, oldest) = store::outbox_pending(conn, search.cursor())?;
    let seconds =
        oldest.map(|at| (crate::db::models::now() - at).num_milliseconds().max(0) as f64 / 1000.0).unwrap_or(0.0);
    Ok(Lag { entries, seconds })
}

/// What `/readyz` answers when all is well.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ready {
    /// Always `ready`.
    pub status: String,
    /// This instance's search index lag, under the configured bounds.
    pub search_index: Lag,
}

/// Checks readiness (blocking: run it off the HTTP workers). `NotReady`
/// names each item that is not ready.
pub fn check(db: &Db, search: &Search, settings: &Settings) -> Result<Ready, AppError> {
    let unreachable =
        || AppError::NotReady(vec![FieldError::new("database", "unreachable", msg::database_unreachable())]);
    let mut conn = db.get_within(READY_WAIT).map_err(|e| {
        tracing::warn!(error = %e, "readiness: no database connection");
        unreachable()
    })?;
    conn.batch_execute("SELECT 1").map_err(|e| {
        tracing::warn!(error = %e, "readiness: the database does not answer");
        unreachable()
    })?;
    let lag = lag(&mut conn, search).map_err(|e| {
        tracing::warn!(error = %e, "readiness: cannot read the outbox");
        unreachable()
    })?;
    let (max_entries, max_secs) = (settings.ready_max_lag_entries, settings.ready_max_lag_secs);
    if lag.entries > max_entries || lag.seconds > max_secs as f64 {
        return Err(AppError::NotReady(vec![FieldError::new(
            "search_index",
            "lagging",
            msg::index_lagging(lag.entries, lag.seconds, max_entries, max_secs),
        )]));
    }
    Ok(Ready { status: "ready".into(), search_index: lag })
}

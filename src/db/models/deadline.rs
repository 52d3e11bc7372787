//! `deadlines`: when ledgers and the summary are due, and to whom.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::deadlines;
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::DeadlineKind;

/// A row of `deadlines`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = deadlines)]
pub struct DeadlineRow {
    /// Id.
    pub id: i64,
    /// The deadline.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: DeadlineData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a deadline a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = deadlines, treat_none_as_null = true)]
pub struct DeadlineData {
    /// e.g. 台账报送.
    pub name: String,
    /// Due on.
    pub due_on: NaiveDate,
    /// Ledgers or summary.
    pub what: DeadlineKind,
    /// Who receives it (and the reminders).
    pub recipients: JsonList<String>,
    /// Reminders go out this many days before, largest first.
    pub remind_days_before: JsonList<i32>,
}

crate::db::models::versioned_table!(deadlines, i64, DeadlineRow, DeadlineData);

/// A page of deadlines.
pub fn list(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<DeadlineRow>> {
    deadlines::table
        .filter(deadlines::id.gt(after))
        .order(deadlines::id.asc())
        .limit(limit)
        .select(DeadlineRow::as_select())
        .load(c)
}

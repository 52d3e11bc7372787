//! `training_sessions`: one class (期) of a programme.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{enrolments, training_sessions};
use crate::db::DbConnection;
use crate::domain::{EnrolmentStatus, SessionId};

/// A row of `training_sessions`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = training_sessions)]
pub struct SessionRow {
    /// Id.
    pub id: SessionId,
    /// The class.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: SessionData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a session a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = training_sessions, treat_none_as_null = true)]
pub struct SessionData {
    /// The programme.
    pub programme_id: i64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Places.
    pub capacity: i32,
    /// Where.
    pub location: Option<String>,
}

crate::db::models::versioned_table!(training_sessions, SessionId, SessionRow, SessionData);

/// A page of sessions, optionally of one programme.
pub fn list(c: &mut DbConnection, programme_id: Option<i64>, after: i64, limit: i64) -> QueryResult<Vec<SessionRow>> {
    let mut q = training_sessions::table.select(SessionRow::as_select()).into_boxed();
    if let Some(p) = programme_id {
        q = q.filter(training_sessions::programme_id.eq(p));
    }
    q.filter(training_sessions::id.gt(after)).order(training_sessions::id.asc()).limit(limit).load(c)
}

/// Sessions starting in [from, to].
pub fn count_starting(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<i64> {
    training_sessions::table.filter(training_sessions::starts_on.between(from, to)).count().get_result(c)
}

/// Enrolments of a session, whatever their status.
pub fn enrolment_count(c: &mut DbConnection, session_id: SessionId) -> QueryResult<i64> {
    enrolments::table.filter(enrolments::session_id.eq(session_id)).count().get_result(c)
}

/// Places taken: enrolments that have not dropped out.
pub fn places_taken(c: &mut DbConnection, session_id: SessionId) -> QueryResult<i64> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::status.ne(EnrolmentStatus::Dropped))
        .count()
        .get_result(c)
}

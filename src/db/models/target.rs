//! `targets` (the plan's numbers) and `deadlines` (when things are due).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{deadlines, targets};
use crate::db::DbConnection;

/// A row of `targets`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = targets)]
pub struct TargetRow {
    pub id: i64,
    pub year: i32,
    pub metric: String,
    pub min_value: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns of a target.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = targets)]
pub struct TargetData {
    pub year: i32,
    pub metric: String,
    pub min_value: i32,
}

/// A row of `deadlines`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = deadlines)]
pub struct DeadlineRow {
    pub id: i64,
    pub name: String,
    pub due_on: NaiveDate,
    pub what: String,
    pub recipients: String,
    pub remind_days_before: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns of a deadline.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = deadlines)]
pub struct DeadlineData {
    pub name: String,
    pub due_on: NaiveDate,
    pub what: String,
    pub recipients: String,
    pub remind_days_before: String,
}

/// Inserts a target.
pub fn insert_target(c: &mut DbConnection, d: &TargetData) -> QueryResult<TargetRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(targets::table)
        .values((d, targets::created_at.eq(at), targets::updated_at.eq(at), targets::version.eq(1)))
        .returning(targets::id)
        .get_result(c)?;
    targets::table.find(id).select(TargetRow::as_select()).first(c)
}

/// The target for a year and metric, if set.
pub fn target_for(c: &mut DbConnection, year: i32, metric: &str) -> QueryResult<Option<i64>> {
    targets::table
        .filter(targets::year.eq(year))
        .filter(targets::metric.eq(metric))
        .select(targets::id)
        .first(c)
        .optional()
}

/// One target.
pub fn target(c: &mut DbConnection, id: i64) -> QueryResult<Option<TargetRow>> {
    targets::table.find(id).select(TargetRow::as_select()).first(c).optional()
}

/// Targets, optionally of one year, in id order.
pub fn targets(c: &mut DbConnection, year: Option<i32>, after: i64, limit: i64) -> QueryResult<Vec<TargetRow>> {
    let mut q = targets::table.select(TargetRow::as_select()).into_boxed();
    if let Some(y) = year {
        q = q.filter(targets::year.eq(y));
    }
    q.filter(targets::id.gt(after)).order(targets::id.asc()).limit(limit).load(c)
}

/// Replaces a target's columns if still at `version`.
pub fn update_target(c: &mut DbConnection, id: i64, v: i32, d: &TargetData) -> QueryResult<Option<TargetRow>> {
    let n = diesel::update(targets::table.filter(targets::id.eq(id)).filter(targets::version.eq(v)))
        .set((d, targets::version.eq(v + 1), targets::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    target(c, id)
}

/// Deletes a target.
pub fn delete_target(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(targets::table.find(id)).execute(c)
}

/// Inserts a deadline.
pub fn insert_deadline(c: &mut DbConnection, d: &DeadlineData) -> QueryResult<DeadlineRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(deadlines::table)
        .values((d, deadlines::created_at.eq(at), deadlines::updated_at.eq(at), deadlines::version.eq(1)))
        .returning(deadlines::id)
        .get_result(c)?;
    deadlines::table.find(id).select(DeadlineRow::as_select()).first(c)
}

/// One deadline.
pub fn deadline(c: &mut DbConnection, id: i64) -> QueryResult<Option<DeadlineRow>> {
    deadlines::table.find(id).select(DeadlineRow::as_select()).first(c).optional()
}

/// Deadlines in due order.
pub fn deadlines(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<DeadlineRow>> {
    deadlines::table
        .filter(deadlines::id.gt(after))
        .order(deadlines::id.asc())
        .limit(limit)
        .select(DeadlineRow::as_select())
        .load(c)
}

/// Replaces a deadline's columns if still at `version`.
pub fn update_deadline(c: &mut DbConnection, id: i64, v: i32, d: &DeadlineData) -> QueryResult<Option<DeadlineRow>> {
    let n = diesel::update(deadlines::table.filter(deadlines::id.eq(id)).filter(deadlines::version.eq(v)))
        .set((d, deadlines::version.eq(v + 1), deadlines::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    deadline(c, id)
}

/// Deletes a deadline.
pub fn delete_deadline(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(deadlines::table.find(id)).execute(c)
}

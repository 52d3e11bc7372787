//! `targets`: the plan's numbers (155 new transfers east in 2019 …).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::targets;
use crate::db::DbConnection;
use crate::domain::TargetMetric;

/// A row of `targets`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = targets)]
pub struct TargetRow {
    /// Id.
    pub id: i64,
    /// The target.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: TargetData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a target a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = targets, treat_none_as_null = true)]
pub struct TargetData {
    /// Year.
    pub year: i32,
    /// What is counted.
    pub metric: TargetMetric,
    /// At least this many.
    pub min_value: i32,
}

crate::db::models::versioned_table!(targets, i64, TargetRow, TargetData);

/// The target of this year and metric, if set.
pub fn id_for(c: &mut DbConnection, year: i32, metric: TargetMetric) -> QueryResult<Option<i64>> {
    targets::table
        .filter(targets::year.eq(year))
        .filter(targets::metric.eq(metric))
        .select(targets::id)
        .first(c)
        .optional()
}

/// A page of targets, optionally of one year.
pub fn list(c: &mut DbConnection, year: Option<i32>, after: i64, limit: i64) -> QueryResult<Vec<TargetRow>> {
    let mut q = targets::table.select(TargetRow::as_select()).into_boxed();
    if let Some(y) = year {
        q = q.filter(targets::year.eq(y));
    }
    q.filter(targets::id.gt(after)).order(targets::id.asc()).limit(limit).load(c)
}

/// The latest year that has targets (what the dashboard opens on).
pub fn latest_year(c: &mut DbConnection) -> QueryResult<Option<i32>> {
    targets::table.select(diesel::dsl::max(targets::year)).first(c)
}

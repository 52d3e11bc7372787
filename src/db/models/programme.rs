//! `training_programmes`: e.g. the free 粤菜师傅 class at the Taishan
//! culinary technical school.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{training_programmes, training_sessions};
use crate::db::DbConnection;

/// A row of `training_programmes`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = training_programmes)]
pub struct ProgrammeRow {
    /// Id.
    pub id: i64,
    /// The programme.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: ProgrammeData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a programme a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = training_programmes, treat_none_as_null = true)]
pub struct ProgrammeData {
    /// e.g. 粤菜师傅.
    pub name: String,
    /// e.g. 中式烹调师.
    pub occupation: Option<String>,
    /// e.g. 台山市广东厨艺技工学校.
    pub provider: String,
    /// Where the provider is.
    pub provider_region_code: Option<String>,
    /// Free of charge.
    pub free: bool,
    /// The certificate it leads to.
    pub certificate_name: Option<String>,
}

crate::db::models::versioned_table!(training_programmes, i64, ProgrammeRow, ProgrammeData);

/// A page of programmes.
pub fn list(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<ProgrammeRow>> {
    training_programmes::table
        .filter(training_programmes::id.gt(after))
        .order(training_programmes::id.asc())
        .limit(limit)
        .select(ProgrammeRow::as_select())
        .load(c)
}

/// How many sessions a programme has.
pub fn session_count(c: &mut DbConnection, programme_id: i64) -> QueryResult<i64> {
    training_sessions::table.filter(training_sessions::programme_id.eq(programme_id)).count().get_result(c)
}

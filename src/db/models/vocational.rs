//! `vocational_enrolments`: poor students at vocational schools.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::vocational_enrolments as ve;
use crate::db::DbConnection;

/// A row of `vocational_enrolments`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ve)]
pub struct VocationalRow {
    pub id: i64,
    pub labourer_id: i64,
    pub school_name: String,
    pub school_region_code: String,
    pub major: Option<String>,
    pub enrolled_on: NaiveDate,
    pub status: String,
    pub graduated_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = ve, treat_none_as_null = true)]
pub struct VocationalData {
    pub labourer_id: i64,
    pub school_name: String,
    pub school_region_code: String,
    pub major: Option<String>,
    pub enrolled_on: NaiveDate,
    pub status: String,
    pub graduated_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// Inserts one.
pub fn insert(c: &mut DbConnection, d: &VocationalData) -> QueryResult<VocationalRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(ve::table)
        .values((d, ve::created_at.eq(at), ve::updated_at.eq(at), ve::version.eq(1)))
        .returning(ve::id)
        .get_result(c)?;
    ve::table.find(id).select(VocationalRow::as_select()).first(c)
}

/// One.
pub fn get(c: &mut DbConnection, id: i64) -> QueryResult<Option<VocationalRow>> {
    ve::table.find(id).select(VocationalRow::as_select()).first(c).optional()
}

/// A page, optionally of one person or one status.
pub fn list(
    c: &mut DbConnection,
    labourer_id: Option<i64>,
    status: Option<&str>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<VocationalRow>> {
    let mut q = ve::table.select(VocationalRow::as_select()).into_boxed();
    if let Some(l) = labourer_id {
        q = q.filter(ve::labourer_id.eq(l));
    }
    if let Some(s) = status {
        q = q.filter(ve::status.eq(s.to_string()));
    }
    q.filter(ve::id.gt(after)).order(ve::id.asc()).limit(limit).load(c)
}

/// The person's current `studying` enrolment other than `except`, if any.
pub fn studying(c: &mut DbConnection, labourer_id: i64, except: Option<i64>) -> QueryResult<Option<i64>> {
    let mut q =
        ve::table.filter(ve::labourer_id.eq(labourer_id)).filter(ve::status.eq("studying")).select(ve::id).into_boxed();
    if let Some(e) = except {
        q = q.filter(ve::id.ne(e));
    }
    q.first(c).optional()
}

/// Replaces the columns if still at `version`.
pub fn update(c: &mut DbConnection, id: i64, v: i32, d: &VocationalData) -> QueryResult<Option<VocationalRow>> {
    let n = diesel::update(ve::table.filter(ve::id.eq(id)).filter(ve::version.eq(v)))
        .set((d, ve::version.eq(v + 1), ve::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    get(c, id)
}

/// Deletes one.
pub fn delete(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(ve::table.find(id)).execute(c)
}

//! `employers`: who offers the jobs.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{employers, placements, postings};
use crate::db::DbConnection;

/// A row of `employers`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = employers)]
pub struct EmployerRow {
    pub id: i64,
    pub name: String,
    pub uscc: Option<String>,
    pub region_code: String,
    pub address: Option<String>,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub is_poverty_workshop: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A new employer, already validated.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = employers)]
pub struct EmployerInsert {
    pub name: String,
    pub uscc: Option<String>,
    pub region_code: String,
    pub address: Option<String>,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub is_poverty_workshop: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A change to an employer; `Some(None)` clears a column.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = employers)]
pub struct EmployerChanges {
    pub name: Option<String>,
    pub uscc: Option<Option<String>>,
    pub region_code: Option<String>,
    pub address: Option<Option<String>>,
    pub industry: Option<Option<String>>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub is_poverty_workshop: Option<bool>,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct EmployerFilter {
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub region_code: Option<String>,
    pub is_poverty_workshop: Option<bool>,
}

/// Inserts and returns the new row.
pub fn insert(conn: &mut DbConnection, new: &EmployerInsert) -> QueryResult<EmployerRow> {
    let id = diesel::insert_into(employers::table).values(new).returning(employers::id).get_result::<i64>(conn)?;
    employers::table.find(id).select(EmployerRow::as_select()).first(conn)
}

/// One employer by id.
pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EmployerRow>> {
    employers::table.find(id).select(EmployerRow::as_select()).first(conn).optional()
}

/// The employer holding this USCC, if any.
pub fn id_by_uscc(conn: &mut DbConnection, uscc: &str) -> QueryResult<Option<i64>> {
    employers::table.filter(employers::uscc.eq(uscc)).select(employers::id).first(conn).optional()
}

/// A page of employers with `id > after`, filtered.
pub fn list(conn: &mut DbConnection, f: &EmployerFilter, after: i64, limit: i64) -> QueryResult<Vec<EmployerRow>> {
    let mut q = employers::table.select(EmployerRow::as_select()).into_boxed();
    if let Some(v) = &f.name {
        q = q.filter(employers::name.like(format!("%{}%", escape_like(v))).escape('\\'));
    }
    if let Some(v) = &f.uscc {
        q = q.filter(employers::uscc.eq(v.clone()));
    }
    if let Some(v) = &f.region_code {
        q = q.filter(employers::region_code.eq(v.clone()));
    }
    if let Some(v) = f.is_poverty_workshop {
        q = q.filter(employers::is_poverty_workshop.eq(v));
    }
    q.filter(employers::id.gt(after)).order(employers::id.asc()).limit(limit).load(conn)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Applies `changes` if still at `version`; `Ok(None)` when stale.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    changes: &EmployerChanges,
) -> QueryResult<Option<EmployerRow>> {
    let target = employers::table.filter(employers::id.eq(id)).filter(employers::version.eq(version));
    let bump = (employers::version.eq(version + 1), employers::updated_at.eq(super::now()));
    let empty = changes.name.is_none()
        && changes.uscc.is_none()
        && changes.region_code.is_none()
        && changes.address.is_none()
        && changes.industry.is_none()
        && changes.contact_name.is_none()
        && changes.contact_phone.is_none()
        && changes.is_poverty_workshop.is_none();
    let n = if empty {
        diesel::update(target).set(bump).execute(conn)?
    } else {
        diesel::update(target).set((changes, bump)).execute(conn)?
    };
    if n == 0 {
        return Ok(None);
    }
    get(conn, id)
}

/// How many postings, placements and job-fair places refer to this employer.
pub fn references(conn: &mut DbConnection, id: i64) -> QueryResult<(i64, i64, i64)> {
    use crate::db::schema::job_fair_employers;
    let p = postings::table.filter(postings::employer_id.eq(id)).count().get_result(conn)?;
    let pl = placements::table.filter(placements::employer_id.eq(id)).count().get_result(conn)?;
    let f = job_fair_employers::table.filter(job_fair_employers::employer_id.eq(id)).count().get_result(conn)?;
    Ok((p, pl, f))
}

/// Ids of the employer's postings.
pub fn posting_ids(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    postings::table.filter(postings::employer_id.eq(id)).select(postings::id).load(conn)
}

/// Deletes one employer.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(employers::table.find(id)).execute(conn)
}

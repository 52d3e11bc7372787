//! `employers`: who offers the jobs.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{employers, job_fair_employers, placements, postings};
use crate::db::DbConnection;
use crate::domain::{EmployerId, PostingId};
use crate::messages::Thing;

/// A row of `employers`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = employers)]
pub struct EmployerRow {
    /// Id.
    pub id: EmployerId,
    /// The employer.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: EmployerData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of an employer a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = employers, treat_none_as_null = true)]
pub struct EmployerData {
    /// 单位名称.
    pub name: String,
    /// 统一社会信用代码 (GB 32100), when it has one.
    pub uscc: Option<String>,
    /// Where it is (county-level code).
    pub region_code: String,
    /// Address.
    pub address: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Contact person.
    pub contact_name: Option<String>,
    /// Contact phone (a mobile or a landline).
    pub contact_phone: Option<String>,
    /// 扶贫车间.
    pub is_poverty_workshop: bool,
}

crate::db::models::versioned_table!(employers, EmployerId, EmployerRow, EmployerData);

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct EmployerFilter {
    /// Part of the name.
    pub name: Option<String>,
    /// Exact USCC.
    pub uscc: Option<String>,
    /// Region code.
    pub region_code: Option<String>,
    /// 扶贫车间 only (or not).
    pub is_poverty_workshop: Option<bool>,
}

/// The employer with this USCC, if registered.
pub fn id_by_uscc(conn: &mut DbConnection, uscc: &str) -> QueryResult<Option<EmployerId>> {
    employers::table.filter(employers::uscc.eq(uscc)).select(employers::id).first(conn).optional()
}

/// The employers with exactly this name, up to `limit`, by id: `(id,
/// USCC)`. Names are not unique (two shops of one name in two towns), so a
/// roster naming an employer without its USCC must find exactly one.
pub fn with_name(conn: &mut DbConnection, name: &str, limit: i64) -> QueryResult<Vec<(EmployerId, Option<String>)>> {
    employers::table
        .filter(employers::name.eq(name))
        .select((employers::id, employers::uscc))
        .order(employers::id.asc())
        .limit(limit)
        .load(conn)
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

/// `(id, name)` of the registered employers among `ids` (any number of
/// them, read 2,000 a statement); an id not registered is left out.
pub fn names_by_id(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(2000) {
        out.extend(
            employers::table.filter(employers::id.eq_any(chunk)).select((employers::id, employers::name)).load(conn)?,
        );
    }
    Ok(out)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// What still refers to an employer, only the non-zero counts.
pub fn references(conn: &mut DbConnection, id: EmployerId) -> QueryResult<Vec<(Thing, i64)>> {
    let counts = [
        (Thing::Posting, postings::table.filter(postings::employer_id.eq(id)).count().get_result::<i64>(conn)?),
        (Thing::Placement, placements::table.filter(placements::employer_id.eq(id)).count().get_result(conn)?),
        (
            Thing::JobFair,
            job_fair_employers::table.filter(job_fair_employers::employer_id.eq(id.get())).count().get_result(conn)?,
        ),
    ];
    Ok(counts.into_iter().filter(|(_, n)| *n > 0).collect())
}

/// The ids of an employer's postings.
pub fn posting_ids(conn: &mut DbConnection, id: EmployerId) -> QueryResult<Vec<PostingId>> {
    postings::table.filter(postings::employer_id.eq(id)).select(postings::id).load(conn)
}

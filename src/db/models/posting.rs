//! `postings`: the openings employers offer.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{placements, postings};
use crate::db::DbConnection;

/// A row of `postings`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = postings)]
pub struct PostingRow {
    pub id: i64,
    pub employer_id: i64,
    pub title: String,
    pub occupation: Option<String>,
    pub description: Option<String>,
    pub headcount: i32,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub region_code: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub gender_requirement: String,
    pub education_min: Option<String>,
    pub benefits: String,
    pub status: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub job_fair_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A new posting, already validated.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = postings)]
pub struct PostingInsert {
    pub employer_id: i64,
    pub title: String,
    pub occupation: Option<String>,
    pub description: Option<String>,
    pub headcount: i32,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub region_code: String,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub gender_requirement: String,
    pub education_min: Option<String>,
    pub benefits: String,
    pub status: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub job_fair_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A change to a posting; `Some(None)` clears a column.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = postings)]
pub struct PostingChanges {
    pub employer_id: Option<i64>,
    pub title: Option<String>,
    pub occupation: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub headcount: Option<i32>,
    pub salary_min: Option<Option<i32>>,
    pub salary_max: Option<Option<i32>>,
    pub region_code: Option<String>,
    pub min_age: Option<Option<i32>>,
    pub max_age: Option<Option<i32>>,
    pub gender_requirement: Option<String>,
    pub education_min: Option<Option<String>>,
    pub benefits: Option<String>,
    pub status: Option<String>,
    pub opens_on: Option<Option<NaiveDate>>,
    pub closes_on: Option<Option<NaiveDate>>,
    pub job_fair_id: Option<Option<i64>>,
}

impl PostingChanges {
    fn is_empty(&self) -> bool {
        self.employer_id.is_none()
            && self.title.is_none()
            && self.occupation.is_none()
            && self.description.is_none()
            && self.headcount.is_none()
            && self.salary_min.is_none()
            && self.salary_max.is_none()
            && self.region_code.is_none()
            && self.min_age.is_none()
            && self.max_age.is_none()
            && self.gender_requirement.is_none()
            && self.education_min.is_none()
            && self.benefits.is_none()
            && self.status.is_none()
            && self.opens_on.is_none()
            && self.closes_on.is_none()
            && self.job_fair_id.is_none()
    }
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct PostingFilter {
    pub employer_id: Option<i64>,
    pub status: Option<String>,
    pub region_code: Option<String>,
    pub occupation: Option<String>,
    pub job_fair_id: Option<i64>,
}

/// Inserts and returns the new row.
pub fn insert(conn: &mut DbConnection, new: &PostingInsert) -> QueryResult<PostingRow> {
    let id = diesel::insert_into(postings::table).values(new).returning(postings::id).get_result::<i64>(conn)?;
    postings::table.find(id).select(PostingRow::as_select()).first(conn)
}

/// One posting by id.
pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<PostingRow>> {
    postings::table.find(id).select(PostingRow::as_select()).first(conn).optional()
}

/// A page of postings with `id > after`, filtered.
pub fn list(conn: &mut DbConnection, f: &PostingFilter, after: i64, limit: i64) -> QueryResult<Vec<PostingRow>> {
    let mut q = postings::table.select(PostingRow::as_select()).into_boxed();
    if let Some(v) = f.employer_id {
        q = q.filter(postings::employer_id.eq(v));
    }
    if let Some(v) = &f.status {
        q = q.filter(postings::status.eq(v.clone()));
    }
    if let Some(v) = &f.region_code {
        q = q.filter(postings::region_code.eq(v.clone()));
    }
    if let Some(v) = &f.occupation {
        q = q.filter(postings::occupation.eq(v.clone()));
    }
    if let Some(v) = f.job_fair_id {
        q = q.filter(postings::job_fair_id.eq(v));
    }
    q.filter(postings::id.gt(after)).order(postings::id.asc()).limit(limit).load(conn)
}

/// Applies `changes` if still at `version`; `Ok(None)` when stale.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    changes: &PostingChanges,
) -> QueryResult<Option<PostingRow>> {
    let target = postings::table.filter(postings::id.eq(id)).filter(postings::version.eq(version));
    let bump = (postings::version.eq(version + 1), postings::updated_at.eq(super::now()));
    let n = if changes.is_empty() {
        diesel::update(target).set(bump).execute(conn)?
    } else {
        diesel::update(target).set((changes, bump)).execute(conn)?
    };
    if n == 0 {
        return Ok(None);
    }
    get(conn, id)
}

/// How many placements refer to this posting.
pub fn references(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    placements::table.filter(placements::posting_id.eq(id)).count().get_result(conn)
}

/// Deletes one posting.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(postings::table.find(id)).execute(conn)
}

/// Takes the row lock on a posting until the transaction ends, so hires
/// counted against its headcount cannot race on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers). `false` if it is gone.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::update(postings::table.find(id)).set(postings::version.eq(postings::version)).execute(conn).map(|n| n == 1)
}

/// Placements that fill this posting (its used headcount).
pub fn hires(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    references(conn, id)
}

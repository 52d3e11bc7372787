//! `postings`: the openings employers offer.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{placements, postings};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{Benefit, Education, EmployerId, GenderRequirement, JobFairId, PostingId, PostingStatus};

/// A row of `postings`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = postings)]
pub struct PostingRow {
    /// Id.
    pub id: PostingId,
    /// The opening.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: PostingData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a posting a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = postings, treat_none_as_null = true)]
pub struct PostingData {
    /// The employer offering it.
    pub employer_id: EmployerId,
    /// 岗位名称.
    pub title: String,
    /// Occupation, e.g. 中式烹调师.
    pub occupation: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Positions offered.
    pub headcount: i32,
    /// CNY a month.
    pub salary_min: Option<i32>,
    /// CNY a month.
    pub salary_max: Option<i32>,
    /// Where the work is.
    pub region_code: String,
    /// Minimum age.
    pub min_age: Option<i32>,
    /// Maximum age.
    pub max_age: Option<i32>,
    /// Whom it is open to.
    pub gender_requirement: GenderRequirement,
    /// Minimum education.
    pub education_min: Option<Education>,
    /// Benefits.
    pub benefits: JsonList<Benefit>,
    /// Open or closed.
    pub status: PostingStatus,
    /// First day of applications.
    pub opens_on: Option<NaiveDate>,
    /// Last day of applications.
    pub closes_on: Option<NaiveDate>,
    /// The job fair it was brought to.
    pub job_fair_id: Option<JobFairId>,
}

crate::db::models::versioned_table!(postings, PostingId, PostingRow, PostingData);

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct PostingFilter {
    /// Employer.
    pub employer_id: Option<EmployerId>,
    /// Status.
    pub status: Option<PostingStatus>,
    /// Work place.
    pub region_code: Option<String>,
    /// Exact occupation.
    pub occupation: Option<String>,
    /// Job fair.
    pub job_fair_id: Option<JobFairId>,
}

/// A page of postings with `id > after`, filtered.
pub fn list(conn: &mut DbConnection, f: &PostingFilter, after: i64, limit: i64) -> QueryResult<Vec<PostingRow>> {
    let mut q = postings::table.select(PostingRow::as_select()).into_boxed();
    if let Some(v) = f.employer_id {
        q = q.filter(postings::employer_id.eq(v));
    }
    if let Some(v) = f.status {
        q = q.filter(postings::status.eq(v));
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

/// An employer's `limit` latest postings, the latest first, and how many
/// it has in all (its page).
pub fn latest_of_employer(
    conn: &mut DbConnection,
    employer: EmployerId,
    limit: i64,
) -> QueryResult<(Vec<PostingRow>, i64)> {
    let total = postings::table.filter(postings::employer_id.eq(employer)).count().get_result(conn)?;
    let rows = postings::table
        .filter(postings::employer_id.eq(employer))
        .order(postings::id.desc())
        .limit(limit)
        .select(PostingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Placements that fill this posting (its used headcount).
pub fn hires(conn: &mut DbConnection, id: PostingId) -> QueryResult<i64> {
    placements::table.filter(placements::posting_id.eq(id)).count().get_result(conn)
}

/// The posting of `employer` with this title and closing date, if any
/// (how an imported list finds postings already on file).
pub fn find_same(
    conn: &mut DbConnection,
    employer: EmployerId,
    title: &str,
    closes_on: Option<NaiveDate>,
) -> QueryResult<Option<PostingRow>> {
    let mut q = postings::table
        .select(PostingRow::as_select())
        .filter(postings::employer_id.eq(employer))
        .filter(postings::title.eq(title.to_string()))
        .into_boxed();
    q = match closes_on {
        Some(d) => q.filter(postings::closes_on.eq(d)),
        None => q.filter(postings::closes_on.is_null()),
    };
    q.order(postings::id.asc()).first(conn).optional()
}

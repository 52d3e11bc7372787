//! `placements` (就业登记): who works where, from when to when.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::placements;
use crate::db::DbConnection;
use crate::domain::{Channel, EmployerId, EnrolmentId, JobFairId, LabourerId, PlacementId, PostingId};

/// A row of `placements`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = placements)]
pub struct PlacementRow {
    /// Id.
    pub id: PlacementId,
    /// The job.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: PlacementData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a placement a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = placements, treat_none_as_null = true)]
pub struct PlacementData {
    /// Who.
    pub labourer_id: LabourerId,
    /// Registered employer.
    pub employer_id: Option<EmployerId>,
    /// Employer's name when not registered.
    pub employer_name: Option<String>,
    /// The posting filled.
    pub posting_id: Option<PostingId>,
    /// Where the work is.
    pub region_code: String,
    /// Occupation.
    pub occupation: Option<String>,
    /// First day.
    pub started_on: NaiveDate,
    /// Last day; `None` while ongoing.
    pub ended_on: Option<NaiveDate>,
    /// CNY a month.
    pub monthly_income: Option<i32>,
    /// How the job was found.
    pub channel: Channel,
    /// Part-time work may overlap another placement.
    pub part_time: bool,
    /// Contract or social-insurance reference.
    pub evidence: Option<String>,
    /// When a clerk verified it.
    pub verified_on: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<String>,
    /// The job fair that led to it.
    pub job_fair_id: Option<JobFairId>,
    /// The training enrolment that led to it.
    pub enrolment_id: Option<EnrolmentId>,
}

crate::db::models::versioned_table!(placements, PlacementId, PlacementRow, PlacementData);

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    /// Whose.
    pub labourer_id: Option<LabourerId>,
    /// Employer.
    pub employer_id: Option<EmployerId>,
    /// Channel.
    pub channel: Option<Channel>,
    /// Started on or after.
    pub started_from: Option<NaiveDate>,
    /// Started on or before.
    pub started_to: Option<NaiveDate>,
}

/// A page of placements with `id > after`, filtered.
pub fn list(conn: &mut DbConnection, f: &PlacementFilter, after: i64, limit: i64) -> QueryResult<Vec<PlacementRow>> {
    let mut q = placements::table.select(PlacementRow::as_select()).into_boxed();
    if let Some(v) = f.labourer_id {
        q = q.filter(placements::labourer_id.eq(v));
    }
    if let Some(v) = f.employer_id {
        q = q.filter(placements::employer_id.eq(v));
    }
    if let Some(v) = f.channel {
        q = q.filter(placements::channel.eq(v));
    }
    if let Some(v) = f.started_from {
        q = q.filter(placements::started_on.ge(v));
    }
    if let Some(v) = f.started_to {
        q = q.filter(placements::started_on.le(v));
    }
    q.filter(placements::id.gt(after)).order(placements::id.asc()).limit(limit).load(conn)
}

/// A person's full-time placements, oldest first, other than `except`: what
/// a new or changed placement must not overlap.
pub fn full_time_of(
    conn: &mut DbConnection,
    labourer_id: LabourerId,
    except: Option<PlacementId>,
) -> QueryResult<Vec<PlacementRow>> {
    let mut q = placements::table
        .select(PlacementRow::as_select())
        .filter(placements::labourer_id.eq(labourer_id))
        .filter(placements::part_time.eq(false))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(placements::id.ne(id));
    }
    q.order(placements::started_on.asc()).load(conn)
}

/// The placement of this person at this employer (by id or name) that began
/// on this day, if any: how an imported row finds the record it repeats.
pub fn find_same_start(
    conn: &mut DbConnection,
    labourer_id: LabourerId,
    employer_id: Option<EmployerId>,
    employer_name: Option<&str>,
    started_on: NaiveDate,
) -> QueryResult<Option<PlacementRow>> {
    let mut q = placements::table
        .select(PlacementRow::as_select())
        .filter(placements::labourer_id.eq(labourer_id))
        .filter(placements::started_on.eq(started_on))
        .into_boxed();
    match (employer_id, employer_name) {
        // A job filed by the employer's name before the employer was
        // registered is the same job once the name finds the employer.
        (Some(e), Some(n)) => {
            q = q.filter(
                placements::employer_id
                    .eq(e)
                    .or(placements::employer_id.is_null().and(placements::employer_name.eq(n.to_string()))),
            )
        }
        (Some(e), None) => q = q.filter(placements::employer_id.eq(e)),
        (None, Some(n)) => q = q.filter(placements::employer_name.eq(n.to_string())),
        (None, None) => {}
    }
    q.order(placements::id.asc()).first(conn).optional()
}

//! `job_fairs` and what happens at one: participating employers, attendees
//! checked in at the door, and intentions (意向) that may end in a hire.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::employer::EmployerRow;
use super::labourer::LabourerRow;
use crate::db::schema::{
    employers, job_fair_attendees, job_fair_employers, job_fair_intentions, job_fairs, labourers, placements, postings,
};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{EmployerId, JobFairId, LabourerId};
use crate::messages::Thing;

pub use super::job_fair_intention::{
    add_intention, intention, intention_for, intentions, latest_intentions, set_intention_status, IntentionRow,
};

/// A row of `job_fairs`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = job_fairs)]
pub struct JobFairRow {
    /// Id.
    pub id: JobFairId,
    /// The fair.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: JobFairData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a fair a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = job_fairs, treat_none_as_null = true)]
pub struct JobFairData {
    /// e.g. 2019年粤桂扶贫协作招聘会.
    pub name: String,
    /// The day it is held.
    pub held_on: NaiveDate,
    /// Venue.
    pub venue: Option<String>,
    /// Where (region code).
    pub region_code: String,
    /// Organising units.
    pub organisers: JsonList<String>,
    /// Held online.
    pub online: bool,
}

impl JobFairRow {
    /// Whether `unit` is among the fair's organisers.
    pub fn organised_by(&self, unit: &str) -> bool {
        self.data.organisers.items().iter().any(|u| u == unit)
    }
}

crate::db::models::versioned_table!(job_fairs, JobFairId, JobFairRow, JobFairData);

/// A page of fairs, optionally only those a unit organises or of one year.
pub fn list(
    c: &mut DbConnection,
    unit: Option<&str>,
    year: Option<i32>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<JobFairRow>> {
    let mut q = job_fairs::table.select(JobFairRow::as_select()).into_boxed();
    if let Some(u) = unit {
        q = q.filter(job_fairs::organisers.like(organiser_pattern(u)).escape('\\'));
    }
    if let Some(y) = year {
        if let Some((from, to)) = year_bounds(y) {
            q = q.filter(job_fairs::held_on.between(from, to));
        }
    }
    q.filter(job_fairs::id.gt(after)).order(job_fairs::id.asc()).limit(limit).load(c)
}

/// The years in which fairs were held (only those `unit` organises, if
/// given), the latest first, at most `most` of them: one look-up of the
/// latest `held_on` before each year found (indexed), so a registry of
/// many fairs costs a statement per year, not a scan.
pub fn years_held(c: &mut DbConnection, unit: Option<&str>, most: usize) -> QueryResult<Vec<i32>> {
    let mut years = Vec::new();
    let mut before: Option<NaiveDate> = None;
    while years.len() < most {
        let mut q = job_fairs::table.select(diesel::dsl::max(job_fairs::held_on)).into_boxed();
        if let Some(u) = unit {
            q = q.filter(job_fairs::organisers.like(organiser_pattern(u)).escape('\\'));
        }
        if let Some(b) = before {
            q = q.filter(job_fairs::held_on.lt(b));
        }
        let Some(latest) = q.get_result::<Option<NaiveDate>>(c)? else { break };
        let year = chrono::Datelike::year(&latest);
        years.push(year);
        before = NaiveDate::from_ymd_opt(year, 1, 1);
        if before.is_none() {
            break;
        }
    }
    Ok(years)
}

/// `organisers` is a JSON list of names: a LIKE pattern for one quoted name.
fn organiser_pattern(unit: &str) -> String {
    let quoted = serde_json::Value::String(unit.to_string()).to_string();
    format!("%{}%", super::employer::escape_like(&quoted))
}

/// First and last day of a year (`None` outside chrono's range).
pub fn year_bounds(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
}

/// Fairs held in [from, to].
pub fn count_held(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<i64> {
    job_fairs::table.filter(job_fairs::held_on.between(from, to)).count().get_result(c)
}

/// What still refers to a fair, only the non-zero counts.
pub fn references(c: &mut DbConnection, id: JobFairId) -> QueryResult<Vec<(Thing, i64)>> {
    let counts = [
        (
            Thing::Attendance,
            job_fair_attendees::table.filter(job_fair_attendees::job_fair_id.eq(id)).count().get_result::<i64>(c)?,
        ),
        (
            Thing::Intention,
            job_fair_intentions::table.filter(job_fair_intentions::job_fair_id.eq(id)).count().get_result(c)?,
        ),
        (Thing::Posting, postings::table.filter(postings::job_fair_id.eq(id)).count().get_result(c)?),
        (Thing::Placement, placements::table.filter(placements::job_fair_id.eq(id)).count().get_result(c)?),
    ];
    Ok(counts.into_iter().filter(|(_, n)| *n > 0).collect())
}

/// Removes a fair's list of participating employers (before the fair goes).
pub fn clear_employers(c: &mut DbConnection, id: JobFairId) -> QueryResult<usize> {
    diesel::delete(job_fair_employers::table.filter(job_fair_employers::job_fair_id.eq(id))).execute(c)
}

/// Adds a participating employer; `false` if it was already there.
pub fn add_employer(c: &mut DbConnection, fair: JobFairId, employer: EmployerId) -> QueryResult<bool> {
    if has_employer(c, fair, employer)? {
        return Ok(false);
    }
    diesel::insert_into(job_fair_employers::table)
        .values((
            job_fair_employers::job_fair_id.eq(fair),
            job_fair_employers::employer_id.eq(employer),
            job_fair_employers::created_at.eq(super::now()),
        ))
        .execute(c)?;
    Ok(true)
}

/// Removes a participating employer; the number of rows removed.
pub fn remove_employer(c: &mut DbConnection, fair: JobFairId, employer: EmployerId) -> QueryResult<usize> {
    diesel::delete(
        job_fair_employers::table
            .filter(job_fair_employers::job_fair_id.eq(fair))
            .filter(job_fair_employers::employer_id.eq(employer)),
    )
    .execute(c)
}

/// The employers taking part in a fair.
pub fn employers_of(c: &mut DbConnection, fair: JobFairId) -> QueryResult<Vec<EmployerRow>> {
    job_fair_employers::table
        .inner_join(employers::table)
        .filter(job_fair_employers::job_fair_id.eq(fair))
        .order(employers::id.asc())
        .select(EmployerRow::as_select())
        .load(c)
}

/// Whether an employer takes part in a fair.
pub fn has_employer(c: &mut DbConnection, fair: JobFairId, employer: EmployerId) -> QueryResult<bool> {
    let n: i64 = job_fair_employers::table
        .filter(job_fair_employers::job_fair_id.eq(fair))
        .filter(job_fair_employers::employer_id.eq(employer))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// A row of `job_fair_attendees`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = job_fair_attendees)]
pub struct AttendeeRow {
    /// Id (check-in order).
    pub id: i64,
    /// The fair.
    pub job_fair_id: JobFairId,
    /// The person.
    pub labourer_id: LabourerId,
    /// When (UTC).
    pub checked_in_at: NaiveDateTime,
    /// Who checked them in.
    pub checked_in_by: String,
}

/// The check-in of a person at a fair, if they were checked in.
pub fn attendee(c: &mut DbConnection, fair: JobFairId, labourer: LabourerId) -> QueryResult<Option<AttendeeRow>> {
    job_fair_attendees::table
        .filter(job_fair_attendees::job_fair_id.eq(fair))
        .filter(job_fair_attendees::labourer_id.eq(labourer))
        .select(AttendeeRow::as_select())
        .first(c)
        .optional()
}

/// Records a check-in.
pub fn check_in(c: &mut DbConnection, fair: JobFairId, labourer: LabourerId, by: &str) -> QueryResult<AttendeeRow> {
    diesel::insert_into(job_fair_attendees::table)
        .values((
            job_fair_attendees::job_fair_id.eq(fair),
            job_fair_attendees::labourer_id.eq(labourer),
            job_fair_attendees::checked_in_at.eq(super::now()),
            job_fair_attendees::checked_in_by.eq(by),
        ))
        .execute(c)?;
    attendee(c, fair, labourer)?.ok_or(diesel::result::Error::NotFound)
}

/// A page of attendees with their records, in check-in order.
pub fn attendees(
    c: &mut DbConnection,
    fair: JobFairId,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(AttendeeRow, LabourerRow)>> {
    job_fair_attendees::table
        .inner_join(labourers::table)
        .filter(job_fair_attendees::job_fair_id.eq(fair))
        .filter(job_fair_attendees::id.gt(after))
        .order(job_fair_attendees::id.asc())
        .limit(limit)
        .select((AttendeeRow::as_select(), LabourerRow::as_select()))
        .load(c)
}

/// The fair's `limit` latest check-ins, the latest first, and how many
/// it has in all: what its desk shows while people keep arriving.
pub fn latest_attendees(
    c: &mut DbConnection,
    fair: JobFairId,
    limit: i64,
) -> QueryResult<(Vec<(AttendeeRow, LabourerRow)>, i64)> {
    let total = job_fair_attendees::table.filter(job_fair_attendees::job_fair_id.eq(fair)).count().get_result(c)?;
    let rows = job_fair_attendees::table
        .inner_join(labourers::table)
        .filter(job_fair_attendees::job_fair_id.eq(fair))
        .order(job_fair_attendees::id.desc())
        .limit(limit)
        .select((AttendeeRow::as_select(), LabourerRow::as_select()))
        .load(c)?;
    Ok((rows, total))
}

/// Whether a person was checked in at any fair a unit organises: how an
/// organiser comes to see a labourer at all.
pub fn attended_fair_of(c: &mut DbConnection, labourer: LabourerId, unit: &str) -> QueryResult<bool> {
    let n: i64 = job_fair_attendees::table
        .inner_join(job_fairs::table)
        .filter(job_fair_attendees::labourer_id.eq(labourer))
        .filter(job_fairs::organisers.like(organiser_pattern(unit)).escape('\\'))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// A person's visit to a job fair.
#[derive(Debug, Clone, Queryable)]
pub struct Visit {
    /// The fair.
    pub fair_id: i64,
    pub fair_name: String,
    pub held_on: NaiveDate,
    /// When they checked in, UTC.
    pub checked_in_at: NaiveDateTime,
}

/// The fairs a person checked in at, newest first.
pub fn visits_of(c: &mut DbConnection, labourer: LabourerId) -> QueryResult<Vec<Visit>> {
    job_fair_attendees::table
        .inner_join(job_fairs::table)
        .filter(job_fair_attendees::labourer_id.eq(labourer))
        .order((job_fairs::held_on.desc(), job_fair_attendees::id.desc()))
        .select((job_fairs::id, job_fairs::name, job_fairs::held_on, job_fair_attendees::checked_in_at))
        .load(c)
}

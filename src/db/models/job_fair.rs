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
use crate::db::DbConnection;

/// A row of `job_fairs`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = job_fairs)]
pub struct JobFairRow {
    pub id: i64,
    pub name: String,
    pub held_on: NaiveDate,
    pub venue: Option<String>,
    pub region_code: String,
    pub organisers: String,
    pub online: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl JobFairRow {
    /// The organising units.
    pub fn organiser_units(&self) -> Vec<String> {
        super::text_to_list(&self.organisers)
    }
}

/// The columns a client sets, for insert and (all of them) for update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = job_fairs, treat_none_as_null = true)]
pub struct JobFairData {
    pub name: String,
    pub held_on: NaiveDate,
    pub venue: Option<String>,
    pub region_code: String,
    pub organisers: String,
    pub online: bool,
}

/// Inserts and returns the new row.
pub fn insert(c: &mut DbConnection, d: &JobFairData) -> QueryResult<JobFairRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(job_fairs::table)
        .values((d, job_fairs::created_at.eq(at), job_fairs::updated_at.eq(at), job_fairs::version.eq(1)))
        .returning(job_fairs::id)
        .get_result(c)?;
    job_fairs::table.find(id).select(JobFairRow::as_select()).first(c)
}

/// One fair.
pub fn get(c: &mut DbConnection, id: i64) -> QueryResult<Option<JobFairRow>> {
    job_fairs::table.find(id).select(JobFairRow::as_select()).first(c).optional()
}

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
        // `organisers` is a JSON list of names; match the quoted name.
        let pattern = format!("%{}%", super::employer::escape_like(&serde_json::to_string(u).unwrap_or_default()));
        q = q.filter(job_fairs::organisers.like(pattern).escape('\\'));
    }
    if let Some(y) = year {
        let (from, to) = year_bounds(y);
        q = q.filter(job_fairs::held_on.between(from, to));
    }
    q.filter(job_fairs::id.gt(after)).order(job_fairs::id.asc()).limit(limit).load(c)
}

/// First and last day of a year.
pub fn year_bounds(y: i32) -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(), NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default())
}

/// Fairs held in [from, to].
pub fn count_held(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<i64> {
    job_fairs::table.filter(job_fairs::held_on.between(from, to)).count().get_result(c)
}

/// Replaces the client-set columns if still at `version`.
pub fn update(c: &mut DbConnection, id: i64, version: i32, d: &JobFairData) -> QueryResult<Option<JobFairRow>> {
    let n = diesel::update(job_fairs::table.filter(job_fairs::id.eq(id)).filter(job_fairs::version.eq(version)))
        .set((d, job_fairs::version.eq(version + 1), job_fairs::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    get(c, id)
}

/// How many attendees, intentions, postings and placements refer to a fair.
pub fn references(c: &mut DbConnection, id: i64) -> QueryResult<i64> {
    let a: i64 = job_fair_attendees::table.filter(job_fair_attendees::job_fair_id.eq(id)).count().get_result(c)?;
    let i: i64 = job_fair_intentions::table.filter(job_fair_intentions::job_fair_id.eq(id)).count().get_result(c)?;
    let p: i64 = postings::table.filter(postings::job_fair_id.eq(id)).count().get_result(c)?;
    let pl: i64 = placements::table.filter(placements::job_fair_id.eq(id)).count().get_result(c)?;
    Ok(a + i + p + pl)
}

/// Deletes a fair and its list of participating employers.
pub fn delete(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(job_fair_employers::table.filter(job_fair_employers::job_fair_id.eq(id))).execute(c)?;
    diesel::delete(job_fairs::table.find(id)).execute(c)
}

/// Adds a participating employer; `false` if it was already there.
pub fn add_employer(c: &mut DbConnection, fair: i64, employer: i64) -> QueryResult<bool> {
    let exists: i64 = job_fair_employers::table
        .filter(job_fair_employers::job_fair_id.eq(fair))
        .filter(job_fair_employers::employer_id.eq(employer))
        .count()
        .get_result(c)?;
    if exists > 0 {
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
pub fn remove_employer(c: &mut DbConnection, fair: i64, employer: i64) -> QueryResult<usize> {
    diesel::delete(
        job_fair_employers::table
            .filter(job_fair_employers::job_fair_id.eq(fair))
            .filter(job_fair_employers::employer_id.eq(employer)),
    )
    .execute(c)
}

/// The employers taking part in a fair.
pub fn employers_of(c: &mut DbConnection, fair: i64) -> QueryResult<Vec<EmployerRow>> {
    job_fair_employers::table
        .inner_join(employers::table)
        .filter(job_fair_employers::job_fair_id.eq(fair))
        .order(employers::id.asc())
        .select(EmployerRow::as_select())
        .load(c)
}

/// Whether an employer takes part in a fair.
pub fn has_employer(c: &mut DbConnection, fair: i64, employer: i64) -> QueryResult<bool> {
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
    pub id: i64,
    pub job_fair_id: i64,
    pub labourer_id: i64,
    pub checked_in_at: NaiveDateTime,
    pub checked_in_by: String,
}

/// The check-in of a person at a fair, if they were checked in.
pub fn attendee(c: &mut DbConnection, fair: i64, labourer: i64) -> QueryResult<Option<AttendeeRow>> {
    job_fair_attendees::table
        .filter(job_fair_attendees::job_fair_id.eq(fair))
        .filter(job_fair_attendees::labourer_id.eq(labourer))
        .select(AttendeeRow::as_select())
        .first(c)
        .optional()
}

/// Records a check-in.
pub fn check_in(c: &mut DbConnection, fair: i64, labourer: i64, by: &str) -> QueryResult<AttendeeRow> {
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
    fair: i64,
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

/// Whether a person was checked in at any fair a unit organises: how an
/// organiser comes to see a labourer at all.
pub fn attended_fair_of(c: &mut DbConnection, labourer: i64, unit: &str) -> QueryResult<bool> {
    let pattern = format!("%{}%", super::employer::escape_like(&serde_json::to_string(unit).unwrap_or_default()));
    let n: i64 = job_fair_attendees::table
        .inner_join(job_fairs::table)
        .filter(job_fair_attendees::labourer_id.eq(labourer))
        .filter(job_fairs::organisers.like(pattern).escape('\\'))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// A row of `job_fair_intentions`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = job_fair_intentions)]
pub struct IntentionRow {
    pub id: i64,
    pub job_fair_id: i64,
    pub labourer_id: i64,
    pub posting_id: i64,
    pub status: String,
    pub placement_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// An intention of one person for one posting at a fair, if recorded.
pub fn intention_for(
    c: &mut DbConnection,
    fair: i64,
    labourer: i64,
    posting: i64,
) -> QueryResult<Option<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::job_fair_id.eq(fair))
        .filter(job_fair_intentions::labourer_id.eq(labourer))
        .filter(job_fair_intentions::posting_id.eq(posting))
        .select(IntentionRow::as_select())
        .first(c)
        .optional()
}

/// Records an intention.
pub fn add_intention(c: &mut DbConnection, fair: i64, labourer: i64, posting: i64) -> QueryResult<IntentionRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(job_fair_intentions::table)
        .values((
            job_fair_intentions::job_fair_id.eq(fair),
            job_fair_intentions::labourer_id.eq(labourer),
            job_fair_intentions::posting_id.eq(posting),
            job_fair_intentions::status.eq("intended"),
            job_fair_intentions::created_at.eq(at),
            job_fair_intentions::updated_at.eq(at),
            job_fair_intentions::version.eq(1),
        ))
        .returning(job_fair_intentions::id)
        .get_result(c)?;
    job_fair_intentions::table.find(id).select(IntentionRow::as_select()).first(c)
}

/// One intention.
pub fn intention(c: &mut DbConnection, id: i64) -> QueryResult<Option<IntentionRow>> {
    job_fair_intentions::table.find(id).select(IntentionRow::as_select()).first(c).optional()
}

/// A page of a fair's intentions.
pub fn intentions(c: &mut DbConnection, fair: i64, after: i64, limit: i64) -> QueryResult<Vec<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::job_fair_id.eq(fair))
        .filter(job_fair_intentions::id.gt(after))
        .order(job_fair_intentions::id.asc())
        .limit(limit)
        .select(IntentionRow::as_select())
        .load(c)
}

/// Moves an intention to `status`, if it is still at `version`.
pub fn set_intention_status(
    c: &mut DbConnection,
    id: i64,
    version: i32,
    status: &str,
    placement: Option<i64>,
) -> QueryResult<Option<IntentionRow>> {
    let n = diesel::update(
        job_fair_intentions::table
            .filter(job_fair_intentions::id.eq(id))
            .filter(job_fair_intentions::version.eq(version)),
    )
    .set((
        job_fair_intentions::status.eq(status),
        job_fair_intentions::placement_id.eq(placement),
        job_fair_intentions::version.eq(version + 1),
        job_fair_intentions::updated_at.eq(super::now()),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    intention(c, id)
}

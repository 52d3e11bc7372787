//! `placements` (就业登记): who works where, from when to when.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::placements;
use crate::db::DbConnection;

/// A row of `placements`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = placements)]
pub struct PlacementRow {
    pub id: i64,
    pub labourer_id: i64,
    pub employer_id: Option<i64>,
    pub employer_name: Option<String>,
    pub posting_id: Option<i64>,
    pub region_code: String,
    pub occupation: Option<String>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub monthly_income: Option<i32>,
    pub channel: String,
    pub part_time: bool,
    pub evidence: Option<String>,
    pub verified_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub job_fair_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A new placement, already validated.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = placements)]
pub struct PlacementInsert {
    pub labourer_id: i64,
    pub employer_id: Option<i64>,
    pub employer_name: Option<String>,
    pub posting_id: Option<i64>,
    pub region_code: String,
    pub occupation: Option<String>,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub monthly_income: Option<i32>,
    pub channel: String,
    pub part_time: bool,
    pub evidence: Option<String>,
    pub verified_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub job_fair_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A change to a placement; `Some(None)` clears a column.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = placements)]
pub struct PlacementChanges {
    pub employer_id: Option<Option<i64>>,
    pub employer_name: Option<Option<String>>,
    pub posting_id: Option<Option<i64>>,
    pub region_code: Option<String>,
    pub occupation: Option<Option<String>>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<Option<NaiveDate>>,
    pub monthly_income: Option<Option<i32>>,
    pub channel: Option<String>,
    pub part_time: Option<bool>,
    pub evidence: Option<Option<String>>,
    pub verified_on: Option<Option<NaiveDate>>,
    pub notes: Option<Option<String>>,
    pub job_fair_id: Option<Option<i64>>,
    pub enrolment_id: Option<Option<i64>>,
}

impl PlacementChanges {
    fn is_empty(&self) -> bool {
        self.employer_id.is_none()
            && self.employer_name.is_none()
            && self.posting_id.is_none()
            && self.region_code.is_none()
            && self.occupation.is_none()
            && self.started_on.is_none()
            && self.ended_on.is_none()
            && self.monthly_income.is_none()
            && self.channel.is_none()
            && self.part_time.is_none()
            && self.evidence.is_none()
            && self.verified_on.is_none()
            && self.notes.is_none()
            && self.job_fair_id.is_none()
            && self.enrolment_id.is_none()
    }
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    pub labourer_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub channel: Option<String>,
    pub started_from: Option<NaiveDate>,
    pub started_to: Option<NaiveDate>,
}

/// Inserts and returns the new row.
pub fn insert(conn: &mut DbConnection, new: &PlacementInsert) -> QueryResult<PlacementRow> {
    let id = diesel::insert_into(placements::table).values(new).returning(placements::id).get_result::<i64>(conn)?;
    placements::table.find(id).select(PlacementRow::as_select()).first(conn)
}

/// One placement by id.
pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<PlacementRow>> {
    placements::table.find(id).select(PlacementRow::as_select()).first(conn).optional()
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
    if let Some(v) = &f.channel {
        q = q.filter(placements::channel.eq(v.clone()));
    }
    if let Some(v) = f.started_from {
        q = q.filter(placements::started_on.ge(v));
    }
    if let Some(v) = f.started_to {
        q = q.filter(placements::started_on.le(v));
    }
    q.filter(placements::id.gt(after)).order(placements::id.asc()).limit(limit).load(conn)
}

/// Full-time placements of `labourer_id` that overlap [start, end] (an open
/// end is "still going"), other than `except`.
pub fn overlapping(
    conn: &mut DbConnection,
    labourer_id: i64,
    start: NaiveDate,
    end: Option<NaiveDate>,
    except: Option<i64>,
) -> QueryResult<Vec<PlacementRow>> {
    let mut q = placements::table
        .select(PlacementRow::as_select())
        .filter(placements::labourer_id.eq(labourer_id))
        .filter(placements::part_time.eq(false))
        .filter(placements::ended_on.is_null().or(placements::ended_on.ge(start)))
        .into_boxed();
    if let Some(end) = end {
        q = q.filter(placements::started_on.le(end));
    }
    if let Some(id) = except {
        q = q.filter(placements::id.ne(id));
    }
    q.order(placements::started_on.asc()).load(conn)
}

/// Applies `changes` if still at `version`; `Ok(None)` when stale.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    changes: &PlacementChanges,
) -> QueryResult<Option<PlacementRow>> {
    let target = placements::table.filter(placements::id.eq(id)).filter(placements::version.eq(version));
    let bump = (placements::version.eq(version + 1), placements::updated_at.eq(super::now()));
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

/// Deletes one placement.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(placements::table.find(id)).execute(conn)
}

//! `labourers`: the people the cooperation serves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{labourers, placements, users};
use crate::db::DbConnection;

/// A row of `labourers`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = labourers)]
pub struct LabourerRow {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub hukou_region_code: Option<String>,
    pub hukou_township: Option<String>,
    pub hukou_village: Option<String>,
    pub poverty_status: String,
    pub household_no: Option<String>,
    pub education: Option<String>,
    pub skills: String,
    pub desired_occupations: String,
    pub desired_region_codes: String,
    pub available_from: Option<NaiveDate>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A new labourer, already validated.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = labourers)]
pub struct LabourerInsert {
    pub id_number: String,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub hukou_region_code: Option<String>,
    pub hukou_township: Option<String>,
    pub hukou_village: Option<String>,
    pub poverty_status: String,
    pub household_no: Option<String>,
    pub education: Option<String>,
    pub skills: String,
    pub desired_occupations: String,
    pub desired_region_codes: String,
    pub available_from: Option<NaiveDate>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A change to a labourer; `None` leaves a column alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = labourers)]
pub struct LabourerChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub hukou_region_code: Option<Option<String>>,
    pub hukou_township: Option<Option<String>>,
    pub hukou_village: Option<Option<String>>,
    pub poverty_status: Option<String>,
    pub household_no: Option<Option<String>>,
    pub education: Option<Option<String>>,
    pub skills: Option<String>,
    pub desired_occupations: Option<String>,
    pub desired_region_codes: Option<String>,
    pub available_from: Option<Option<NaiveDate>>,
    pub notes: Option<Option<String>>,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct LabourerFilter {
    pub id_number: Option<String>,
    pub name: Option<String>,
    pub hukou_region_code: Option<String>,
    pub poverty_status: Option<String>,
}

/// Inserts and returns the new row.
pub fn insert(conn: &mut DbConnection, new: &LabourerInsert) -> QueryResult<LabourerRow> {
    let id = diesel::insert_into(labourers::table).values(new).returning(labourers::id).get_result::<i64>(conn)?;
    labourers::table.find(id).select(LabourerRow::as_select()).first(conn)
}

/// One labourer by id.
pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<LabourerRow>> {
    labourers::table.find(id).select(LabourerRow::as_select()).first(conn).optional()
}

/// The id of the person with this ID number, if registered.
pub fn id_by_id_number(conn: &mut DbConnection, id_number: &str) -> QueryResult<Option<i64>> {
    labourers::table.filter(labourers::id_number.eq(id_number)).select(labourers::id).first(conn).optional()
}

/// Others with the same name and birth date but another ID number: likely
/// the same person with a typo in one of the numbers.
pub fn twins(conn: &mut DbConnection, name: &str, birth: NaiveDate, id_number: &str) -> QueryResult<Vec<i64>> {
    labourers::table
        .filter(labourers::name.eq(name))
        .filter(labourers::birth_date.eq(birth))
        .filter(labourers::id_number.ne(id_number))
        .select(labourers::id)
        .order(labourers::id.asc())
        .load(conn)
}

/// All pairs of possible duplicates (same name and birth date), for review.
pub fn duplicate_pairs(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<(i64, i64)>> {
    let (a, b) = diesel::alias!(labourers as a, labourers as b);
    a.inner_join(
        b.on(b
            .field(labourers::name)
            .eq(a.field(labourers::name))
            .and(b.field(labourers::birth_date).eq(a.field(labourers::birth_date)))
            .and(b.field(labourers::id).gt(a.field(labourers::id)))),
    )
    .filter(a.field(labourers::id).gt(after))
    .select((a.field(labourers::id), b.field(labourers::id)))
    .order((a.field(labourers::id).asc(), b.field(labourers::id).asc()))
    .limit(limit)
    .load(conn)
}

/// A page of labourers with `id > after`, filtered.
pub fn list(conn: &mut DbConnection, f: &LabourerFilter, after: i64, limit: i64) -> QueryResult<Vec<LabourerRow>> {
    let mut q = labourers::table.select(LabourerRow::as_select()).into_boxed();
    if let Some(v) = &f.id_number {
        q = q.filter(labourers::id_number.eq(v.clone()));
    }
    if let Some(v) = &f.name {
        q = q.filter(labourers::name.eq(v.clone()));
    }
    if let Some(v) = &f.hukou_region_code {
        q = q.filter(labourers::hukou_region_code.eq(v.clone()));
    }
    if let Some(v) = &f.poverty_status {
        q = q.filter(labourers::poverty_status.eq(v.clone()));
    }
    q.filter(labourers::id.gt(after)).order(labourers::id.asc()).limit(limit).load(conn)
}

/// Applies `changes` if the row is still at `version`; `Ok(None)` when it
/// is not (someone else changed it first).
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    changes: &LabourerChanges,
) -> QueryResult<Option<LabourerRow>> {
    let target = labourers::table.filter(labourers::id.eq(id)).filter(labourers::version.eq(version));
    let n = if is_empty(changes) {
        diesel::update(target)
            .set((labourers::version.eq(version + 1), labourers::updated_at.eq(super::now())))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((changes, labourers::version.eq(version + 1), labourers::updated_at.eq(super::now())))
            .execute(conn)?
    };
    if n == 0 {
        return Ok(None);
    }
    get(conn, id)
}

fn is_empty(c: &LabourerChanges) -> bool {
    c.name.is_none()
        && c.phone.is_none()
        && c.hukou_region_code.is_none()
        && c.hukou_township.is_none()
        && c.hukou_village.is_none()
        && c.poverty_status.is_none()
        && c.household_no.is_none()
        && c.education.is_none()
        && c.skills.is_none()
        && c.desired_occupations.is_none()
        && c.desired_region_codes.is_none()
        && c.available_from.is_none()
        && c.notes.is_none()
}

/// Replaces a mistyped ID number, with the gender and birth date it implies.
pub fn set_id_number(conn: &mut DbConnection, id: i64, n: &crate::domain::IdNumber) -> QueryResult<usize> {
    diesel::update(labourers::table.find(id))
        .set((
            labourers::id_number.eq(n.as_str()),
            labourers::gender.eq(n.gender().as_str()),
            labourers::birth_date.eq(n.birth_date()),
        ))
        .execute(conn)
}

/// Takes the row lock on one labourer until the transaction ends, so checks
/// across their placements (no overlap) cannot race on PostgreSQL. On SQLite
/// `BEGIN IMMEDIATE` already serialises writers and this is a no-op write.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::update(labourers::table.find(id))
        .set(labourers::version.eq(labourers::version))
        .execute(conn)
        .map(|n| n == 1)
}

/// What still refers to a labourer, as (what, how many), only the non-zero
/// ones: a labourer is deleted only when this is empty.
pub fn references(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<(&'static str, i64)>> {
    use crate::db::schema::{enrolments, job_fair_attendees, job_fair_intentions, vocational_enrolments};
    let counts = [
        ("placement(s)", placements::table.filter(placements::labourer_id.eq(id)).count().get_result::<i64>(conn)?),
        ("user account(s)", users::table.filter(users::labourer_id.eq(id)).count().get_result(conn)?),
        ("training enrolment(s)", enrolments::table.filter(enrolments::labourer_id.eq(id)).count().get_result(conn)?),
        (
            "vocational enrolment(s)",
            vocational_enrolments::table.filter(vocational_enrolments::labourer_id.eq(id)).count().get_result(conn)?,
        ),
        (
            "job-fair check-in(s)",
            job_fair_attendees::table.filter(job_fair_attendees::labourer_id.eq(id)).count().get_result(conn)?,
        ),
        (
            "job-fair intention(s)",
            job_fair_intentions::table.filter(job_fair_intentions::labourer_id.eq(id)).count().get_result(conn)?,
        ),
    ];
    Ok(counts.into_iter().filter(|(_, n)| *n > 0).collect())
}

/// Deletes one labourer.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(labourers::table.find(id)).execute(conn)
}

//! `labourers`: the people the cooperation serves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    enrolments, job_fair_attendees, job_fair_intentions, labourers, placements, users, vocational_enrolments,
};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{Education, Gender, IdNumber, LabourerId, PovertyStatus};
use crate::messages::Thing;

/// A row of `labourers`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = labourers)]
pub struct LabourerRow {
    /// Id.
    pub id: LabourerId,
    /// What the registry knows of the person.
    #[diesel(embed)]
    #[serde(flatten)]
    pub data: LabourerData,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The columns of a labourer a write sets, already checked by the registry.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = labourers, treat_none_as_null = true)]
pub struct LabourerData {
    /// 身份证号 (GB 11643).
    pub id_number: IdNumber,
    /// 姓名, middle dots folded to U+00B7.
    pub name: String,
    /// From the ID number.
    pub gender: Gender,
    /// From the ID number.
    pub birth_date: NaiveDate,
    /// Mobile phone, 11 digits.
    pub phone: Option<String>,
    /// 户籍地 county code (current GB/T 2260).
    pub hukou_region_code: Option<String>,
    /// 乡镇.
    pub hukou_township: Option<String>,
    /// 村.
    pub hukou_village: Option<String>,
    /// 贫困户属性.
    pub poverty_status: PovertyStatus,
    /// 户编号.
    pub household_no: Option<String>,
    /// 文化程度.
    pub education: Option<Education>,
    /// Skills.
    pub skills: JsonList<String>,
    /// Occupations wanted.
    pub desired_occupations: JsonList<String>,
    /// Region codes wanted.
    pub desired_region_codes: JsonList<String>,
    /// Available from.
    pub available_from: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<String>,
}

crate::db::models::versioned_table!(labourers, LabourerId, LabourerRow, LabourerData);

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct LabourerFilter {
    /// Exact ID number.
    pub id_number: Option<IdNumber>,
    /// Exact name (normalised).
    pub name: Option<String>,
    /// 户籍地 code.
    pub hukou_region_code: Option<String>,
    /// Poverty status.
    pub poverty_status: Option<PovertyStatus>,
}

/// The id of the person with this ID number, if registered.
pub fn id_by_id_number(conn: &mut DbConnection, id_number: &IdNumber) -> QueryResult<Option<LabourerId>> {
    labourers::table.filter(labourers::id_number.eq(id_number)).select(labourers::id).first(conn).optional()
}

/// Others with the same name and birth date but another ID number: likely
/// the same person with a typo in one of the numbers.
pub fn twins(
    conn: &mut DbConnection,
    name: &str,
    birth: NaiveDate,
    id_number: &IdNumber,
) -> QueryResult<Vec<LabourerId>> {
    labourers::table
        .filter(labourers::name.eq(name))
        .filter(labourers::birth_date.eq(birth))
        .filter(labourers::id_number.ne(id_number))
        .select(labourers::id)
        .order(labourers::id.asc())
        .load(conn)
}

/// The records holding any of `numbers` (at most a few thousand at a time).
pub fn by_id_numbers(conn: &mut DbConnection, numbers: &[IdNumber]) -> QueryResult<Vec<LabourerRow>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    labourers::table.filter(labourers::id_number.eq_any(numbers)).select(LabourerRow::as_select()).load(conn)
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
    if let Some(v) = f.poverty_status {
        q = q.filter(labourers::poverty_status.eq(v));
    }
    q.filter(labourers::id.gt(after)).order(labourers::id.asc()).limit(limit).load(conn)
}

/// What still refers to a labourer, as (what, how many), only the non-zero
/// ones: a labourer is deleted only when this is empty.
pub fn references(conn: &mut DbConnection, id: LabourerId) -> QueryResult<Vec<(Thing, i64)>> {
    let counts = [
        (Thing::Placement, placements::table.filter(placements::labourer_id.eq(id)).count().get_result::<i64>(conn)?),
        (Thing::User, users::table.filter(users::labourer_id.eq(id.get())).count().get_result(conn)?),
        (Thing::Enrolment, enrolments::table.filter(enrolments::labourer_id.eq(id.get())).count().get_result(conn)?),
        (
            Thing::VocationalEnrolment,
            vocational_enrolments::table
                .filter(vocational_enrolments::labourer_id.eq(id.get()))
                .count()
                .get_result(conn)?,
        ),
        (
            Thing::Attendance,
            job_fair_attendees::table.filter(job_fair_attendees::labourer_id.eq(id.get())).count().get_result(conn)?,
        ),
        (
            Thing::Intention,
            job_fair_intentions::table
                .filter(job_fair_intentions::labourer_id.eq(id.get()))
                .count()
                .get_result(conn)?,
        ),
    ];
    Ok(counts.into_iter().filter(|(_, n)| *n > 0).collect())
}

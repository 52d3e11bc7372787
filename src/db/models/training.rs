//! Training: programmes (e.g. 粤菜师傅), their sessions (期), and enrolments
//! that may end in a certificate the matching will use.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{enrolments, placements, training_programmes, training_sessions};
use crate::db::DbConnection;

/// A row of `training_programmes`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = training_programmes)]
pub struct ProgrammeRow {
    pub id: i64,
    pub name: String,
    pub occupation: Option<String>,
    pub provider: String,
    pub provider_region_code: Option<String>,
    pub free: bool,
    pub certificate_name: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns of a programme.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = training_programmes, treat_none_as_null = true)]
pub struct ProgrammeData {
    pub name: String,
    pub occupation: Option<String>,
    pub provider: String,
    pub provider_region_code: Option<String>,
    pub free: bool,
    pub certificate_name: Option<String>,
}

/// A row of `training_sessions`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = training_sessions)]
pub struct SessionRow {
    pub id: i64,
    pub programme_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub location: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns of a session.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = training_sessions, treat_none_as_null = true)]
pub struct SessionData {
    pub programme_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub location: Option<String>,
}

/// A row of `enrolments`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = enrolments)]
pub struct EnrolmentRow {
    pub id: i64,
    pub session_id: i64,
    pub labourer_id: i64,
    pub status: String,
    pub completed_on: Option<NaiveDate>,
    pub certificate_no: Option<String>,
    pub certificate_kind: Option<String>,
    pub certificate_level: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The client-set columns of an enrolment's outcome.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = enrolments, treat_none_as_null = true)]
pub struct Outcome {
    pub status: String,
    pub completed_on: Option<NaiveDate>,
    pub certificate_no: Option<String>,
    pub certificate_kind: Option<String>,
    pub certificate_level: Option<String>,
    pub certified_on: Option<NaiveDate>,
}

/// A certificate on a person's profile, from a completed enrolment.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    /// 证书编号.
    pub certificate_no: String,
    /// qualification, skill_level or special_ability.
    pub kind: Option<String>,
    /// e.g. 五级/初级工.
    pub level: Option<String>,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
    /// The programme's certificate name, e.g. 中式烹调师.
    pub name: Option<String>,
    /// The programme's occupation.
    pub occupation: Option<String>,
    /// The enrolment it came from.
    pub enrolment_id: i64,
}

fn stamp() -> (NaiveDateTime, NaiveDateTime) {
    let at = super::now();
    (at, at)
}

/// Inserts a programme.
pub fn insert_programme(c: &mut DbConnection, d: &ProgrammeData) -> QueryResult<ProgrammeRow> {
    let (a, b) = stamp();
    let id: i64 = diesel::insert_into(training_programmes::table)
        .values((
            d,
            training_programmes::created_at.eq(a),
            training_programmes::updated_at.eq(b),
            training_programmes::version.eq(1),
        ))
        .returning(training_programmes::id)
        .get_result(c)?;
    training_programmes::table.find(id).select(ProgrammeRow::as_select()).first(c)
}

/// One programme.
pub fn programme(c: &mut DbConnection, id: i64) -> QueryResult<Option<ProgrammeRow>> {
    training_programmes::table.find(id).select(ProgrammeRow::as_select()).first(c).optional()
}

/// A page of programmes.
pub fn programmes(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<ProgrammeRow>> {
    training_programmes::table
        .filter(training_programmes::id.gt(after))
        .order(training_programmes::id.asc())
        .limit(limit)
        .select(ProgrammeRow::as_select())
        .load(c)
}

/// Replaces a programme's columns if still at `version`.
pub fn update_programme(c: &mut DbConnection, id: i64, v: i32, d: &ProgrammeData) -> QueryResult<Option<ProgrammeRow>> {
    let n = diesel::update(
        training_programmes::table.filter(training_programmes::id.eq(id)).filter(training_programmes::version.eq(v)),
    )
    .set((d, training_programmes::version.eq(v + 1), training_programmes::updated_at.eq(super::now())))
    .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    programme(c, id)
}

/// Sessions of a programme.
pub fn session_count(c: &mut DbConnection, programme_id: i64) -> QueryResult<i64> {
    training_sessions::table.filter(training_sessions::programme_id.eq(programme_id)).count().get_result(c)
}

/// Deletes a programme.
pub fn delete_programme(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(training_programmes::table.find(id)).execute(c)
}

/// Inserts a session.
pub fn insert_session(c: &mut DbConnection, d: &SessionData) -> QueryResult<SessionRow> {
    let (a, b) = stamp();
    let id: i64 = diesel::insert_into(training_sessions::table)
        .values((
            d,
            training_sessions::created_at.eq(a),
            training_sessions::updated_at.eq(b),
            training_sessions::version.eq(1),
        ))
        .returning(training_sessions::id)
        .get_result(c)?;
    training_sessions::table.find(id).select(SessionRow::as_select()).first(c)
}

/// One session.
pub fn session(c: &mut DbConnection, id: i64) -> QueryResult<Option<SessionRow>> {
    training_sessions::table.find(id).select(SessionRow::as_select()).first(c).optional()
}

/// A page of sessions, optionally of one programme.
pub fn sessions(
    c: &mut DbConnection,
    programme_id: Option<i64>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<SessionRow>> {
    let mut q = training_sessions::table.select(SessionRow::as_select()).into_boxed();
    if let Some(p) = programme_id {
        q = q.filter(training_sessions::programme_id.eq(p));
    }
    q.filter(training_sessions::id.gt(after)).order(training_sessions::id.asc()).limit(limit).load(c)
}

/// Sessions starting in [from, to].
pub fn count_sessions_starting(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<i64> {
    training_sessions::table.filter(training_sessions::starts_on.between(from, to)).count().get_result(c)
}

/// Replaces a session's columns if still at `version`.
pub fn update_session(c: &mut DbConnection, id: i64, v: i32, d: &SessionData) -> QueryResult<Option<SessionRow>> {
    let n = diesel::update(
        training_sessions::table.filter(training_sessions::id.eq(id)).filter(training_sessions::version.eq(v)),
    )
    .set((d, training_sessions::version.eq(v + 1), training_sessions::updated_at.eq(super::now())))
    .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    session(c, id)
}

/// Takes the row lock on a session, so capacity checks cannot race on
/// PostgreSQL. `false` if it is gone.
pub fn lock_session(c: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::update(training_sessions::table.find(id))
        .set(training_sessions::version.eq(training_sessions::version))
        .execute(c)
        .map(|n| n == 1)
}

/// Enrolments in a session, dropped ones included.
pub fn enrolment_count(c: &mut DbConnection, session_id: i64) -> QueryResult<i64> {
    enrolments::table.filter(enrolments::session_id.eq(session_id)).count().get_result(c)
}

/// Enrolments in a session that take a place (not dropped).
pub fn places_taken(c: &mut DbConnection, session_id: i64) -> QueryResult<i64> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::status.ne("dropped"))
        .count()
        .get_result(c)
}

/// Deletes a session.
pub fn delete_session(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(training_sessions::table.find(id)).execute(c)
}

/// One person's enrolment in a session, if any.
pub fn enrolment_of(c: &mut DbConnection, session_id: i64, labourer_id: i64) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::labourer_id.eq(labourer_id))
        .select(EnrolmentRow::as_select())
        .first(c)
        .optional()
}

/// Enrols a person.
pub fn enrol(c: &mut DbConnection, session_id: i64, labourer_id: i64) -> QueryResult<EnrolmentRow> {
    let (a, b) = stamp();
    let id: i64 = diesel::insert_into(enrolments::table)
        .values((
            enrolments::session_id.eq(session_id),
            enrolments::labourer_id.eq(labourer_id),
            enrolments::status.eq("enrolled"),
            enrolments::created_at.eq(a),
            enrolments::updated_at.eq(b),
            enrolments::version.eq(1),
        ))
        .returning(enrolments::id)
        .get_result(c)?;
    enrolments::table.find(id).select(EnrolmentRow::as_select()).first(c)
}

/// One enrolment.
pub fn enrolment(c: &mut DbConnection, id: i64) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table.find(id).select(EnrolmentRow::as_select()).first(c).optional()
}

/// A page of a session's enrolments.
pub fn enrolments_of(c: &mut DbConnection, session_id: i64, after: i64, limit: i64) -> QueryResult<Vec<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::id.gt(after))
        .order(enrolments::id.asc())
        .limit(limit)
        .select(EnrolmentRow::as_select())
        .load(c)
}

/// Records an enrolment's outcome if still at `version`.
pub fn set_outcome(c: &mut DbConnection, id: i64, v: i32, o: &Outcome) -> QueryResult<Option<EnrolmentRow>> {
    let n = diesel::update(enrolments::table.filter(enrolments::id.eq(id)).filter(enrolments::version.eq(v)))
        .set((o, enrolments::version.eq(v + 1), enrolments::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    enrolment(c, id)
}

/// Placements that point at an enrolment.
pub fn placements_from(c: &mut DbConnection, enrolment_id: i64) -> QueryResult<i64> {
    placements::table.filter(placements::enrolment_id.eq(enrolment_id)).count().get_result(c)
}

/// The certificates a person earned in completed enrolments.
pub fn certificates(c: &mut DbConnection, labourer_id: i64) -> QueryResult<Vec<Certificate>> {
    enrolments::table
        .inner_join(training_sessions::table.inner_join(training_programmes::table))
        .filter(enrolments::labourer_id.eq(labourer_id))
        .filter(enrolments::status.eq("completed"))
        .filter(enrolments::certificate_no.is_not_null())
        .order(enrolments::certified_on.asc())
        .select((
            enrolments::certificate_no.assume_not_null(),
            enrolments::certificate_kind,
            enrolments::certificate_level,
            enrolments::certified_on,
            training_programmes::certificate_name,
            training_programmes::occupation,
            enrolments::id,
        ))
        .load(c)
}

//! `enrolments`: a person in a training session, and what came of it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{enrolments, placements, training_programmes, training_sessions};
use crate::db::DbConnection;
use crate::domain::{CertificateKind, EnrolmentId, EnrolmentStatus, LabourerId, SessionId};

/// A row of `enrolments`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = enrolments)]
pub struct EnrolmentRow {
    /// Id.
    pub id: EnrolmentId,
    /// The session.
    pub session_id: SessionId,
    /// The trainee.
    pub labourer_id: LabourerId,
    /// What came of it.
    #[diesel(embed)]
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// The outcome columns of an enrolment a write sets.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, AsChangeset, Serialize)]
#[diesel(table_name = enrolments, treat_none_as_null = true)]
pub struct Outcome {
    /// Enrolled, completed or dropped.
    pub status: EnrolmentStatus,
    /// When completed.
    pub completed_on: Option<NaiveDate>,
    /// 证书编号.
    pub certificate_no: Option<String>,
    /// 证书类别.
    pub certificate_kind: Option<CertificateKind>,
    /// e.g. 五级/初级工.
    pub certificate_level: Option<String>,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
}

/// A certificate from a completed enrolment, as matching uses it.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    /// 证书编号.
    pub certificate_no: String,
    /// qualification, skill_level or special_ability.
    pub kind: Option<CertificateKind>,
    /// e.g. 五级/初级工.
    pub level: Option<String>,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
    /// The programme's certificate name, e.g. 中式烹调师.
    pub name: Option<String>,
    /// The programme's occupation.
    pub occupation: Option<String>,
    /// The enrolment it came from.
    #[schema(value_type = i64)]
    pub enrolment_id: EnrolmentId,
}

/// Enrols a person (status `enrolled`).
pub fn insert(c: &mut DbConnection, session_id: SessionId, labourer_id: LabourerId) -> QueryResult<EnrolmentRow> {
    let at = super::now();
    let id: EnrolmentId = diesel::insert_into(enrolments::table)
        .values((
            enrolments::session_id.eq(session_id),
            enrolments::labourer_id.eq(labourer_id),
            enrolments::status.eq(EnrolmentStatus::Enrolled),
            enrolments::created_at.eq(at),
            enrolments::updated_at.eq(at),
            enrolments::version.eq(1),
        ))
        .returning(enrolments::id)
        .get_result(c)?;
    get(c, id)?.ok_or(diesel::result::Error::NotFound)
}

/// One enrolment.
pub fn get(c: &mut DbConnection, id: EnrolmentId) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table.find(id).select(EnrolmentRow::as_select()).first(c).optional()
}

/// A person's enrolment in a session, if any.
pub fn of(c: &mut DbConnection, session_id: SessionId, labourer_id: LabourerId) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::labourer_id.eq(labourer_id))
        .select(EnrolmentRow::as_select())
        .first(c)
        .optional()
}

/// A page of a session's enrolments.
pub fn list(c: &mut DbConnection, session_id: SessionId, after: i64, limit: i64) -> QueryResult<Vec<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::session_id.eq(session_id))
        .filter(enrolments::id.gt(after))
        .order(enrolments::id.asc())
        .limit(limit)
        .select(EnrolmentRow::as_select())
        .load(c)
}

/// Sets the outcome if the enrolment is still at `version`.
pub fn set_outcome(c: &mut DbConnection, id: EnrolmentId, v: i32, o: &Outcome) -> QueryResult<Option<EnrolmentRow>> {
    let n = diesel::update(enrolments::table.filter(enrolments::id.eq(id)).filter(enrolments::version.eq(v)))
        .set((o, enrolments::version.eq(v + 1), enrolments::updated_at.eq(super::now())))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    get(c, id)
}

/// Placements that name this enrolment as their cause.
pub fn placements_from(c: &mut DbConnection, enrolment_id: EnrolmentId) -> QueryResult<i64> {
    placements::table.filter(placements::enrolment_id.eq(enrolment_id)).count().get_result(c)
}

/// A person's certificates from completed enrolments, oldest first.
pub fn certificates(c: &mut DbConnection, labourer_id: LabourerId) -> QueryResult<Vec<Certificate>> {
    enrolments::table
        .inner_join(training_sessions::table.inner_join(training_programmes::table))
        .filter(enrolments::labourer_id.eq(labourer_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Completed))
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

/// One training of a person: the class and how it went.
#[derive(Debug, Clone, Queryable)]
pub struct Training {
    /// 培训项目 (e.g. 粤菜师傅).
    pub programme: String,
    /// The class's first and last day.
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Enrolled, completed, dropped out….
    pub status: EnrolmentStatus,
}

/// A person's trainings, newest class first.
pub fn trainings_of(c: &mut DbConnection, labourer_id: LabourerId) -> QueryResult<Vec<Training>> {
    enrolments::table
        .inner_join(training_sessions::table.inner_join(training_programmes::table))
        .filter(enrolments::labourer_id.eq(labourer_id))
        .order((training_sessions::starts_on.desc(), enrolments::id.desc()))
        .select((
            training_programmes::name,
            training_sessions::starts_on,
            training_sessions::ends_on,
            enrolments::status,
        ))
        .load(c)
}

/// The person holding certificate `number` through an enrolment other than
/// `except`, if any: a certificate number names one person.
pub fn certificate_holder(c: &mut DbConnection, number: &str, except: EnrolmentId) -> QueryResult<Option<LabourerId>> {
    enrolments::table
        .filter(enrolments::certificate_no.eq(number))
        .filter(enrolments::id.ne(except))
        .select(enrolments::labourer_id)
        .first(c)
        .optional()
}

//! Enrolments in a training session under the capacity rule, and outcomes
//! (completed, certified) that put a certificate on the person's profile
//! for matching. Reached also as `registry::training::{enrol, set_outcome}`.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, referenced};
use crate::db::models::audit::Actor;
use crate::db::models::enrolment::{self, EnrolmentRow, Outcome};
use crate::db::models::labourer::LabourerRow;
use crate::db::models::outbox::{self, Op};
use crate::db::models::session::{self, SessionRow};
use crate::db::DbConnection;
use crate::domain::rules::{self, OutcomeShape};
use crate::domain::{CertificateKind, EnrolmentId, EnrolmentStatus, LabourerId, SessionId};
use crate::error::{AppError, FieldError};
use crate::messages::{registry as msg, Thing};

/// Who to enrol.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrolment {
    /// The trainee.
    #[validate(required)]
    #[schema(value_type = Option<i64>)]
    pub labourer_id: Option<LabourerId>,
}

/// Enrols a person: the session is locked first (two enrolments for its
/// last place queue), once per person, and only while a place is left.
pub fn enrol(
    c: &mut DbConnection,
    actor: &Actor,
    session_id: SessionId,
    form: NewEnrolment,
) -> Result<EnrolmentRow, AppError> {
    checks::validate(&form)?;
    let labourer_id = forms::required("labourer_id", form.labourer_id)?;
    if !session::lock(c, session_id)? {
        return Err(AppError::NotFound(Thing::Session));
    }
    let s: SessionRow = load(c, kinds::SESSION, session_id)?;
    let person = referenced::<LabourerRow>(c, Thing::Labourer, "labourer_id", labourer_id)?;
    let mut e = crate::error::Errors::default();
    super::birth::check_record_date(&mut e, "labourer_id", s.data.starts_on, person.data.birth_date);
    e.finish()?;
    if let Some(existing) = enrolment::of(c, session_id, labourer_id)? {
        return Err(AppError::Conflict {
            detail: msg::already_enrolled(existing.id.get()),
            errors: vec![FieldError::new("labourer_id", "duplicate", msg::already_enrolled(existing.id.get()))],
            existing_id: Some(existing.id.get()),
        });
    }
    let taken = session::places_taken(c, session_id)?;
    if !rules::has_place(taken, s.data.capacity) {
        return Err(AppError::Conflict {
            detail: msg::session_full(session_id.get(), taken, s.data.capacity),
            errors: vec![FieldError::new("labourer_id", "capacity", msg::full())],
            existing_id: None,
        });
    }
    let row = enrolment::insert(c, session_id, labourer_id)?;
    record_created(c, actor, kinds::ENROLMENT, row.id.get(), &row)?;
    Ok(row)
}

/// An enrolment's outcome (PATCH): completion, certificate, or drop-out.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// enrolled, completed or dropped.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<EnrolmentStatus>"))]
    #[schema(example = "completed")]
    pub status: Option<String>,
    /// When completed.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub completed_on: Option<Option<NaiveDate>>,
    /// 证书编号.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub certificate_no: Option<Option<String>>,
    /// qualification, skill_level or special_ability.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::choice::<CertificateKind>"))]
    #[schema(value_type = Option<String>, example = "qualification")]
    pub certificate_kind: Option<Option<String>>,
    /// e.g. 五级/初级工.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>, example = "五级/初级工")]
    pub certificate_level: Option<Option<String>>,
    /// Date of issue.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub certified_on: Option<Option<NaiveDate>>,
}

/// Records an outcome under the rules of `domain::rules::outcome_problems`;
/// coming back after dropping out takes a place again. The person is
/// re-indexed, since a certificate counts in matching.
pub fn set_outcome(
    c: &mut DbConnection,
    actor: &Actor,
    session_id: SessionId,
    enrolment_id: EnrolmentId,
    form: OutcomeChanges,
) -> Result<EnrolmentRow, AppError> {
    let mut e = checks::collect(&form);
    let s: SessionRow = load(c, kinds::SESSION, session_id)?;
    let before = enrolment::get(c, enrolment_id)?
        .filter(|e| e.session_id == session_id)
        .ok_or(AppError::NotFound(Thing::Enrolment))?;
    let mut o: Outcome = before.outcome.clone();
    if let Some(st) = form.status {
        forms::apply(&mut o.status, e.check("status", st.parse()));
    }
    forms::apply(&mut o.completed_on, form.completed_on);
    forms::apply(&mut o.certificate_no, form.certificate_no.map(forms::text));
    if let Some(k) = form.certificate_kind {
        o.certificate_kind = forms::text(k).and_then(|k| e.check("certificate_kind", k.parse()));
    }
    forms::apply(&mut o.certificate_level, form.certificate_level.map(forms::text));
    forms::apply(&mut o.certified_on, form.certified_on);
    let shape = OutcomeShape {
        status: o.status,
        completed_on: o.completed_on,
        certificate_no: o.certificate_no.as_deref(),
        has_certificate_details: o.certificate_kind.is_some()
            || o.certified_on.is_some()
            || o.certificate_level.is_some(),
        certified_on: o.certified_on,
    };
    for problem in rules::outcome_problems(&shape, s.data.starts_on, crate::clock::today()) {
        let (field, code) = problem.field_and_code();
        e.push(field, code, msg::outcome(problem));
    }
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if version != before.version {
        return Err(AppError::stale(before.version));
    }
    // One certificate number, one person (two people's pages once showed
    // the same number).
    if let Some(number) = o.certificate_no.as_deref().filter(|n| Some(*n) != before.outcome.certificate_no.as_deref()) {
        if let Some(holder) = enrolment::certificate_holder(c, number, enrolment_id)? {
            return Err(AppError::duplicate(Thing::Labourer, "certificate_no", holder.get()));
        }
    }
    if before.outcome.status == EnrolmentStatus::Dropped && o.status != EnrolmentStatus::Dropped {
        let taken = session::places_taken(c, session_id)?;
        if !rules::has_place(taken, s.data.capacity) {
            return Err(AppError::conflict(msg::session_full(session_id.get(), taken, s.data.capacity)));
        }
    }
    let Some(row) = enrolment::set_outcome(c, enrolment_id, version, &o)? else {
        let now = enrolment::get(c, enrolment_id)?.ok_or(AppError::NotFound(Thing::Enrolment))?;
        return Err(AppError::stale(now.version));
    };
    super::record_updated(c, actor, kinds::ENROLMENT, enrolment_id.get(), &before, &row)?;
    outbox::append(c, "labourer", row.labourer_id.get(), Op::Upsert)?;
    Ok(row)
}

//! Training: programmes (e.g. the free 粤菜师傅 class) and their sessions
//! (期). Enrolments and their outcomes are in [`super::enrolments`] and are
//! reached from here too.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

pub use super::enrolments::{enrol, set_outcome, NewEnrolment, OutcomeChanges};
use super::{checks, forms, kinds, load, record_created, referenced, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::programme::{self, ProgrammeData, ProgrammeRow};
use crate::db::models::session::{self, SessionData, SessionRow};
use crate::db::DbConnection;
use crate::domain::{region_by_code_or_name, SessionId};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::{general, registry as msg, Thing};

/// What is typed to set up a programme.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    /// e.g. 粤菜师傅.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "粤菜师傅")]
    pub name: Option<String>,
    /// e.g. 中式烹调师.
    #[validate(length(max = 50))]
    #[schema(example = "中式烹调师")]
    pub occupation: Option<String>,
    /// e.g. 台山市广东厨艺技工学校.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "台山市广东厨艺技工学校")]
    pub provider: Option<String>,
    /// Where the provider is.
    #[validate(custom(function = "checks::region_code"))]
    #[schema(example = "440781")]
    pub provider_region_code: Option<String>,
    /// Free of charge (default true).
    pub free: Option<bool>,
    /// The certificate it leads to.
    #[validate(length(max = 100))]
    #[schema(example = "中式烹调师")]
    pub certificate_name: Option<String>,
}

/// A change to a programme (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Name.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// Occupation.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub occupation: Option<Option<String>>,
    /// Provider.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub provider: Option<String>,
    /// Where the provider is.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::region_code"))]
    #[schema(value_type = Option<String>)]
    pub provider_region_code: Option<Option<String>>,
    /// Free of charge (null: true).
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<bool>)]
    pub free: Option<Option<bool>>,
    /// Certificate.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 100))]
    #[schema(value_type = Option<String>)]
    pub certificate_name: Option<Option<String>>,
}

fn region_of(e: &mut Errors, field: &str, raw: Option<String>) -> Option<String> {
    forms::text(raw).and_then(|r| e.check(field, region_by_code_or_name(&r))).map(|r| r.as_str().to_string())
}

/// Sets up a programme.
pub fn create_programme(c: &mut DbConnection, actor: &Actor, form: NewProgramme) -> Result<ProgrammeRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Programme);
    let mut e = checks::collect(&form);
    let region = region_of(&mut e, "provider_region_code", form.provider_region_code);
    e.finish()?;
    let d = ProgrammeData {
        name: forms::text(form.name).unwrap_or_default(),
        occupation: forms::text(form.occupation),
        provider: forms::text(form.provider).unwrap_or_default(),
        provider_region_code: region,
        free: form.free.unwrap_or(true),
        certificate_name: forms::text(form.certificate_name),
    };
    let row = programme::insert(c, &d)?;
    record_created(c, actor, kinds::PROGRAMME, row.id, &row)?;
    Ok(row)
}

/// Changes a programme, version-checked.
pub fn change_programme(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    form: ProgrammeChanges,
) -> Result<ProgrammeRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Programme);
    let mut e = checks::collect(&form);
    let before: ProgrammeRow = load(c, kinds::PROGRAMME, id)?;
    let mut d = before.data.clone();
    if let Some(n) = form.name {
        d.name = forms::text(Some(n)).unwrap_or_default();
    }
    forms::apply(&mut d.occupation, form.occupation.map(forms::text));
    if let Some(p) = form.provider {
        d.provider = forms::text(Some(p)).unwrap_or_default();
    }
    if let Some(r) = form.provider_region_code {
        d.provider_region_code = region_of(&mut e, "provider_region_code", r);
    }
    forms::apply(&mut d.free, form.free.map(|f| f.unwrap_or(true)));
    forms::apply(&mut d.certificate_name, form.certificate_name.map(forms::text));
    e.finish()?;
    let version = forms::required("version", form.version)?;
    replace(c, actor, kinds::PROGRAMME, &before, version, &d)
}

/// Deletes a programme without sessions.
pub fn delete_programme(c: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let before: ProgrammeRow = load(c, kinds::PROGRAMME, id)?;
    let n = programme::session_count(c, id)?;
    let refs = if n > 0 { vec![(Thing::Session, n)] } else { Vec::new() };
    remove(c, actor, kinds::PROGRAMME, &before, &refs)
}

/// What is typed to open a session.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "session_dates_in_order", skip_on_field_errors = false))]
pub struct NewSession {
    /// The programme.
    #[validate(required)]
    pub programme_id: Option<i64>,
    /// First day.
    #[validate(required)]
    #[schema(example = "2019-05-06")]
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    #[validate(required)]
    #[schema(example = "2019-06-14")]
    pub ends_on: Option<NaiveDate>,
    /// Places, 1–10000.
    #[validate(required, range(min = 1, max = 10_000))]
    #[schema(example = 40)]
    pub capacity: Option<i32>,
    /// Where.
    #[validate(length(max = 200))]
    pub location: Option<String>,
}

fn session_dates_in_order(s: &NewSession) -> Result<(), validator::ValidationError> {
    checks::in_order("starts_on", s.starts_on, "ends_on", s.ends_on, true)
}

/// A change to a session (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// The programme.
    #[serde(default, deserialize_with = "forms::present")]
    pub programme_id: Option<i64>,
    /// First day.
    #[serde(default, deserialize_with = "forms::present")]
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    #[serde(default, deserialize_with = "forms::present")]
    pub ends_on: Option<NaiveDate>,
    /// Places.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(range(min = 1, max = 10_000))]
    pub capacity: Option<i32>,
    /// Where.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
}

fn check_dates(e: &mut Errors, starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) {
    if let (Some(a), Some(b)) = (starts_on, ends_on) {
        if b < a {
            e.push("ends_on", "date_order", general::date_order("ends_on", "starts_on"));
        }
    }
}

/// Opens a session of a programme.
pub fn create_session(c: &mut DbConnection, actor: &Actor, form: NewSession) -> Result<SessionRow, AppError> {
    checks::validate(&form)?;
    let d = SessionData {
        programme_id: forms::required("programme_id", form.programme_id)?,
        starts_on: forms::required("starts_on", form.starts_on)?,
        ends_on: forms::required("ends_on", form.ends_on)?,
        capacity: forms::required("capacity", form.capacity)?,
        location: forms::text(form.location),
    };
    referenced::<ProgrammeRow>(c, Thing::Programme, "programme_id", d.programme_id)?;
    let row = session::insert(c, &d)?;
    record_created(c, actor, kinds::SESSION, row.id.get(), &row)?;
    Ok(row)
}

/// Changes a session, version-checked; capacity never drops below the
/// places taken.
pub fn change_session(
    c: &mut DbConnection,
    actor: &Actor,
    id: SessionId,
    form: SessionChanges,
) -> Result<SessionRow, AppError> {
    let mut e = checks::collect(&form);
    let before: SessionRow = load(c, kinds::SESSION, id)?;
    let mut d = before.data.clone();
    forms::apply(&mut d.programme_id, form.programme_id);
    forms::apply(&mut d.starts_on, form.starts_on);
    forms::apply(&mut d.ends_on, form.ends_on);
    forms::apply(&mut d.capacity, form.capacity);
    forms::apply(&mut d.location, form.location.map(forms::text));
    check_dates(&mut e, Some(d.starts_on), Some(d.ends_on));
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if before.version != version {
        return Err(AppError::stale(before.version));
    }
    if d.programme_id != before.data.programme_id {
        referenced::<ProgrammeRow>(c, Thing::Programme, "programme_id", d.programme_id)?;
    }
    let taken = session::places_taken(c, id)?;
    if i64::from(d.capacity) < taken {
        return Err(AppError::Conflict {
            detail: msg::capacity_below_enrolled(taken),
            errors: vec![FieldError::new("capacity", "below_enrolled", msg::enrolled_count(taken))],
            existing_id: None,
        });
    }
    replace(c, actor, kinds::SESSION, &before, version, &d)
}

/// Deletes a session nobody is enrolled in.
pub fn delete_session(c: &mut DbConnection, actor: &Actor, id: SessionId) -> Result<(), AppError> {
    let before: SessionRow = load(c, kinds::SESSION, id)?;
    let n = session::enrolment_count(c, id)?;
    let refs = if n > 0 { vec![(Thing::Enrolment, n)] } else { Vec::new() };
    remove(c, actor, kinds::SESSION, &before, &refs)
}

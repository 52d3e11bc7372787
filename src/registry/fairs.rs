//! Joint job fairs (粤桂扶贫协作招聘会) and the employers taking part.
//! Admins and clerks keep every fair; an organiser only fairs their own
//! unit organises.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, referenced, remove, replace};
use crate::db::models::audit::{self, Actor};
use crate::db::models::employer::EmployerRow;
use crate::db::models::job_fair::{self as model, JobFairData, JobFairRow};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{region_by_code_or_name, EmployerId, JobFairId};
use crate::error::{AppError, Errors};
use crate::messages::{registry as msg, Thing};

/// What is typed to announce a fair.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFair {
    /// e.g. 2019年粤桂扶贫协作招聘会.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "2019年粤桂扶贫协作招聘会")]
    pub name: Option<String>,
    /// The day it is held.
    #[validate(required)]
    #[schema(example = "2019-03-08")]
    pub held_on: Option<NaiveDate>,
    /// Venue.
    #[validate(length(max = 200))]
    pub venue: Option<String>,
    /// Where (region code).
    #[validate(required, custom(function = "checks::region_code"))]
    #[schema(example = "451424")]
    pub region_code: Option<String>,
    /// Organising units (an organiser's own unit must be among them).
    #[validate(required, length(max = 20), custom(function = "checks::some_text"))]
    pub organisers: Option<Vec<String>>,
    /// Held online.
    pub online: Option<bool>,
}

/// A change to a fair (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FairChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Name.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// The day it is held.
    #[serde(default, deserialize_with = "forms::present")]
    pub held_on: Option<NaiveDate>,
    /// Venue.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>)]
    pub venue: Option<Option<String>>,
    /// Where.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::region_code"))]
    pub region_code: Option<String>,
    /// Organising units.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 20), custom(function = "checks::some_text"))]
    pub organisers: Option<Vec<String>>,
    /// Held online.
    #[serde(default, deserialize_with = "forms::present")]
    pub online: Option<bool>,
}

/// A fair the actor may manage: 404 if it does not exist, 403 if an
/// organiser's unit is not among its organisers.
pub fn managed(c: &mut DbConnection, actor: &Actor, id: JobFairId) -> Result<JobFairRow, AppError> {
    let fair: JobFairRow = load(c, kinds::JOB_FAIR, id)?;
    if !may_manage(actor, &fair) {
        return Err(AppError::Forbidden(msg::not_your_fair(id.get())));
    }
    Ok(fair)
}

/// Whether the actor may manage the fair (check in, record hires).
pub fn may_manage(actor: &Actor, fair: &JobFairRow) -> bool {
    !actor.is_organiser() || actor.unit.as_deref().is_some_and(|u| fair.organised_by(u))
}

/// Announces a fair.
pub fn create(c: &mut DbConnection, actor: &Actor, form: NewFair) -> Result<JobFairRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::JobFair);
    let mut e = checks::collect(&form);
    let region = form.region_code.as_deref().and_then(|r| e.check("region_code", region_by_code_or_name(r)));
    let organisers = organisers_of(&mut e, form.organisers);
    e.finish()?;
    let Some(region) = region else { return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error"))) };
    let d = JobFairData {
        name: forms::text(form.name).unwrap_or_default(),
        held_on: forms::required("held_on", form.held_on)?,
        venue: forms::text(form.venue),
        region_code: region.as_str().to_string(),
        organisers: JsonList(organisers),
        online: form.online.unwrap_or(false),
    };
    own_unit_among_organisers(actor, &d)?;
    let row = model::insert(c, &d)?;
    record_created(c, actor, kinds::JOB_FAIR, row.id.get(), &row)?;
    Ok(row)
}

fn organisers_of(e: &mut Errors, list: Option<Vec<String>>) -> Vec<String> {
    let units = forms::texts(list);
    if units.is_empty() {
        e.push("organisers", "required", msg::organisers_needed());
    }
    units
}

fn own_unit_among_organisers(actor: &Actor, d: &JobFairData) -> Result<(), AppError> {
    let own = actor.unit.as_deref().is_some_and(|u| d.organisers.items().iter().any(|o| o == u));
    if actor.is_organiser() && !own {
        return Err(AppError::Forbidden(msg::organiser_own_unit_only()));
    }
    Ok(())
}

/// Changes a fair the actor may manage, version-checked.
pub fn change(c: &mut DbConnection, actor: &Actor, id: JobFairId, form: FairChanges) -> Result<JobFairRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::JobFair);
    let mut e = checks::collect(&form);
    let before = managed(c, actor, id)?;
    let mut d = before.data.clone();
    if let Some(n) = form.name {
        d.name = forms::text(Some(n)).unwrap_or_default();
    }
    forms::apply(&mut d.held_on, form.held_on);
    forms::apply(&mut d.venue, form.venue.map(forms::text));
    if let Some(r) = form.region_code {
        if let Some(r) = e.check("region_code", region_by_code_or_name(&r)) {
            d.region_code = r.as_str().to_string();
        }
    }
    if form.organisers.is_some() {
        d.organisers = JsonList(organisers_of(&mut e, form.organisers));
    }
    forms::apply(&mut d.online, form.online);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    own_unit_among_organisers(actor, &d)?;
    replace(c, actor, kinds::JOB_FAIR, &before, version, &d)
}

/// Deletes a fair nothing happened at yet (and its list of employers).
pub fn delete(c: &mut DbConnection, actor: &Actor, id: JobFairId) -> Result<(), AppError> {
    let before = managed(c, actor, id)?;
    let refs = model::references(c, id)?;
    if refs.is_empty() {
        model::clear_employers(c, id)?;
    }
    remove(c, actor, kinds::JOB_FAIR, &before, &refs)
}

/// Adds a participating employer; `(employer, added)` — `false` when it
/// was already taking part. Audited when added.
pub fn add_employer(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    employer_id: EmployerId,
) -> Result<(EmployerRow, bool), AppError> {
    managed(c, actor, fair)?;
    let row: EmployerRow = referenced(c, Thing::Employer, "employer_id", employer_id)?;
    let added = model::add_employer(c, fair, employer_id)?;
    if added {
        let what = serde_json::json!({ "employer_id": employer_id });
        audit::record(
            c,
            actor,
            "add_employer",
            kinds::JOB_FAIR.audit_name,
            Some(fair.get()),
            None::<&()>,
            Some(&what),
        )?;
    }
    Ok((row, added))
}

/// Removes a participating employer (404 if it was not taking part).
pub fn remove_employer(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    employer_id: EmployerId,
) -> Result<(), AppError> {
    managed(c, actor, fair)?;
    if model::remove_employer(c, fair, employer_id)? == 0 {
        return Err(AppError::NotFound(Thing::FairEmployer));
    }
    let what = serde_json::json!({ "employer_id": employer_id });
    audit::record(c, actor, "remove_employer", kinds::JOB_FAIR.audit_name, Some(fair.get()), Some(&what), None::<&()>)?;
    Ok(())
}

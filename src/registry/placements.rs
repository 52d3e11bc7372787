//! Registering placements (就业登记), recording their end, and deleting
//! one registered in error. Every way a placement is made — the desk, the
//! API, a hire at a fair, an imported 台账 — ends in [`insert_checked`].

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::east_spells;
use crate::db::models::outbox;
use crate::db::models::placement::{self as model, PlacementData, PlacementRow};
use crate::db::DbConnection;
use crate::domain::{
    region_by_code_or_name, Channel, EmployerId, EnrolmentId, JobFairId, LabourerId, PlacementId, PostingId,
};
use crate::error::AppError;
use crate::messages::registry as msg;

mod against_registry;

pub use against_registry::check_new;
use against_registry::check_whole;

/// What is typed to register a placement.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
// validator takes several struct-level rules as repeated `schema(…)` entries.
#[allow(clippy::duplicated_attributes)]
#[validate(
    schema(function = "placement_dates_in_order", skip_on_field_errors = false),
    schema(function = "someone_to_work_for", skip_on_field_errors = false)
)]
pub struct NewPlacement {
    /// Who.
    #[validate(required)]
    #[schema(value_type = Option<i64>, example = 1)]
    pub labourer_id: Option<LabourerId>,
    /// A registered employer.
    #[schema(value_type = Option<i64>)]
    pub employer_id: Option<EmployerId>,
    /// The employer's name when it is not registered.
    #[validate(length(max = 100))]
    pub employer_name: Option<String>,
    /// The posting filled (its employer and occupation fill in the rest).
    #[schema(value_type = Option<i64>)]
    pub posting_id: Option<PostingId>,
    /// Where the work is.
    #[validate(required, custom(function = "checks::region_code"))]
    #[schema(example = "440704")]
    pub region_code: Option<String>,
    /// Occupation.
    #[validate(length(max = 50))]
    pub occupation: Option<String>,
    /// First day of work.
    #[validate(required)]
    #[schema(example = "2019-03-01")]
    pub started_on: Option<NaiveDate>,
    /// Last day of work.
    pub ended_on: Option<NaiveDate>,
    /// CNY a month, 0–1000000.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(example = 4200)]
    pub monthly_income: Option<i32>,
    /// job_fair, training, referral, self_found or public_service.
    #[validate(required, custom(function = "checks::choice::<Channel>"))]
    #[schema(example = "referral")]
    pub channel: Option<String>,
    /// Part-time work may overlap another placement.
    pub part_time: Option<bool>,
    /// Contract or social-insurance reference.
    #[validate(length(max = 200))]
    pub evidence: Option<String>,
    /// When a clerk verified it.
    pub verified_on: Option<NaiveDate>,
    /// Notes.
    #[validate(length(max = 2000))]
    pub notes: Option<String>,
    /// The job fair that led to it.
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<JobFairId>,
    /// The training enrolment that led to it.
    #[schema(value_type = Option<i64>)]
    pub enrolment_id: Option<EnrolmentId>,
}

fn placement_dates_in_order(p: &NewPlacement) -> Result<(), validator::ValidationError> {
    checks::in_order("started_on", p.started_on, "ended_on", p.ended_on, true)
}

fn someone_to_work_for(p: &NewPlacement) -> Result<(), validator::ValidationError> {
    if p.employer_id.is_none() && forms::text(p.employer_name.clone()).is_none() && p.posting_id.is_none() {
        let mut e = checks::failure("required", msg::employer_needed());
        e.add_param(std::borrow::Cow::Borrowed("field"), &"employer_id");
        return Err(e);
    }
    Ok(())
}

/// A change to a placement, e.g. its end (PATCH). The person cannot change.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Refused: a placement cannot move to another person.
    #[schema(ignore)]
    pub labourer_id: Option<serde_json::Value>,
    /// A registered employer.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<i64>)]
    pub employer_id: Option<Option<EmployerId>>,
    /// The employer's name.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 100))]
    #[schema(value_type = Option<String>)]
    pub employer_name: Option<Option<String>>,
    /// The posting filled.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<i64>)]
    pub posting_id: Option<Option<PostingId>>,
    /// Where the work is.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::region_code"))]
    pub region_code: Option<String>,
    /// Occupation.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub occupation: Option<Option<String>>,
    /// First day.
    #[serde(default, deserialize_with = "forms::present")]
    pub started_on: Option<NaiveDate>,
    /// Last day.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ended_on: Option<Option<NaiveDate>>,
    /// CNY a month.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(value_type = Option<i32>)]
    pub monthly_income: Option<Option<i32>>,
    /// Channel.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<Channel>"))]
    pub channel: Option<String>,
    /// Part-time.
    #[serde(default, deserialize_with = "forms::present")]
    pub part_time: Option<bool>,
    /// Evidence.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>)]
    pub evidence: Option<Option<String>>,
    /// Verified on.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub verified_on: Option<Option<NaiveDate>>,
    /// Notes.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 2000))]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// The job fair.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<Option<JobFairId>>,
    /// The enrolment.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<i64>)]
    pub enrolment_id: Option<Option<EnrolmentId>>,
}

/// The typed placement a validated form describes (before the checks that
/// need the database).
pub fn parse_new(form: NewPlacement) -> Result<PlacementData, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Placement);
    let mut e = checks::collect(&form);
    let region = form.region_code.as_deref().and_then(|r| e.check("region_code", region_by_code_or_name(r)));
    let channel = form.channel.as_deref().and_then(|ch| e.check("channel", ch.parse::<Channel>()));
    e.finish()?;
    let (Some(region), Some(channel)) = (region, channel) else {
        return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error")));
    };
    Ok(PlacementData {
        labourer_id: forms::required("labourer_id", form.labourer_id)?,
        employer_id: form.employer_id,
        employer_name: forms::text(form.employer_name),
        posting_id: form.posting_id,
        region_code: region.as_str().to_string(),
        occupation: forms::text(form.occupation),
        started_on: forms::required("started_on", form.started_on)?,
        ended_on: form.ended_on,
        monthly_income: form.monthly_income,
        channel,
        part_time: form.part_time.unwrap_or(false),
        evidence: forms::text(form.evidence),
        verified_on: form.verified_on,
        notes: forms::text(form.notes),
        job_fair_id: form.job_fair_id,
        enrolment_id: form.enrolment_id,
    })
}

/// Registers a placement. Audited.
pub fn create(c: &mut DbConnection, actor: &Actor, form: NewPlacement) -> Result<PlacementRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Placement);
    let mut d = parse_new(form)?;
    insert_checked(c, actor, &mut d)
}

/// Checks a placement against the registry and inserts it, audited: the
/// one door every new placement goes through.
pub(crate) fn insert_checked(
    c: &mut DbConnection,
    actor: &Actor,
    d: &mut PlacementData,
) -> Result<PlacementRow, AppError> {
    check_new(c, d)?;
    let row = model::insert(c, d)?;
    east_spells::restamp(c, &[row.data.labourer_id.get()])?;
    record_created(c, actor, kinds::PLACEMENT, row.id.get(), &row)?;
    places_changed(c, &[row.data.posting_id])?;
    Ok(row)
}

/// A placement fills one of its posting's places: the posting is indexed
/// again, so every view agrees on whether it still takes applications.
fn places_changed(c: &mut DbConnection, postings: &[Option<PostingId>]) -> Result<(), AppError> {
    for p in postings.iter().flatten() {
        outbox::append(c, "posting", p.get(), outbox::Op::Upsert)?;
    }
    Ok(())
}

/// Changes a placement, version-checked, with the same rules as a new one.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: PlacementId,
    form: PlacementChanges,
) -> Result<PlacementRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Placement);
    if form.labourer_id.is_some() {
        return Err(AppError::invalid("labourer_id", "immutable", msg::placement_person_fixed()));
    }
    let mut e = checks::collect(&form);
    let before: PlacementRow = load(c, kinds::PLACEMENT, id)?;
    let mut d = before.data.clone();
    forms::apply(&mut d.employer_id, form.employer_id);
    forms::apply(&mut d.employer_name, form.employer_name.map(forms::text));
    forms::apply(&mut d.posting_id, form.posting_id);
    if let Some(r) = form.region_code {
        if let Some(r) = e.check("region_code", region_by_code_or_name(&r)) {
            d.region_code = r.as_str().to_string();
        }
    }
    forms::apply(&mut d.occupation, form.occupation.map(forms::text));
    forms::apply(&mut d.started_on, form.started_on);
    forms::apply(&mut d.ended_on, form.ended_on);
    forms::apply(&mut d.monthly_income, form.monthly_income);
    if let Some(ch) = form.channel {
        forms::apply(&mut d.channel, e.check("channel", ch.parse()));
    }
    forms::apply(&mut d.part_time, form.part_time);
    forms::apply(&mut d.evidence, form.evidence.map(forms::text));
    forms::apply(&mut d.verified_on, form.verified_on);
    forms::apply(&mut d.notes, form.notes.map(forms::text));
    forms::apply(&mut d.job_fair_id, form.job_fair_id);
    forms::apply(&mut d.enrolment_id, form.enrolment_id);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if before.version != version {
        return Err(AppError::stale(before.version));
    }
    check_whole(c, &mut d, Some(id))?;
    let after = replace(c, actor, kinds::PLACEMENT, &before, version, &d)?;
    east_spells::restamp(c, &[after.data.labourer_id.get()])?;
    if before.data.posting_id != after.data.posting_id {
        places_changed(c, &[before.data.posting_id, after.data.posting_id])?;
    }
    Ok(after)
}

/// Deletes a placement registered in error; one a fair's hire made too,
/// its intention back to 有意向 (audited), as before the hire.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: PlacementId) -> Result<(), AppError> {
    let before: PlacementRow = load(c, kinds::PLACEMENT, id)?;
    for hired in crate::db::models::job_fair_intention::hired_into(c, id)? {
        let back = crate::db::models::job_fair_intention::set_intention_status(
            c,
            hired.id,
            hired.version,
            crate::domain::IntentionStatus::Intended,
            None,
        )?
        .ok_or_else(|| AppError::stale(hired.version))?;
        super::record_updated(c, actor, kinds::INTENTION, hired.id, &hired, &back)?;
    }
    remove(c, actor, kinds::PLACEMENT, &before, &[])?;
    east_spells::restamp(c, &[before.data.labourer_id.get()])?;
    places_changed(c, &[before.data.posting_id])
}

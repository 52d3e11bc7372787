//! Fair day: checking people in at the door (registering walk-ins as
//! `unverified` with exactly the rules of any registration), recording
//! intentions, and hires that make a placement under the headcount guard.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::fairs::managed;
use super::labourers::{self, NewLabourer};
use super::{checks, forms, kinds, record_created, record_updated};
use crate::clock;
use crate::db::models::audit::{self, Actor};
use crate::db::models::job_fair::{self as model, AttendeeRow, IntentionRow};
use crate::db::models::labourer::{self, LabourerRow};
use crate::db::models::placement::{PlacementData, PlacementRow};
use crate::db::models::posting;
use crate::db::DbConnection;
use crate::domain::rules::{self, PostingTerms};
use crate::domain::{Channel, IdNumber, IntentionStatus, JobFairId, LabourerId, Phone, PostingId, PovertyStatus};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::{general, registry as msg, Thing};

/// What the door desk sends: the ID number typed or scanned, and for a
/// person not registered yet, their name and phone (and the 户籍 county
/// when their ID number's region was split).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// 身份证号.
    #[validate(required, custom(function = "checks::id_number"))]
    #[schema(example = "45142419900307123X")]
    pub id_number: Option<String>,
    /// 姓名, for a walk-in.
    pub name: Option<String>,
    /// Mobile phone, for a walk-in.
    pub phone: Option<String>,
    /// 户籍地 county, for a walk-in whose ID number's region was split.
    pub hukou_region_code: Option<String>,
}

/// What a check-in did.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    /// The person.
    pub person: LabourerRow,
    /// Their attendance.
    pub attendee: AttendeeRow,
    /// Registered on the spot (`unverified`).
    pub newly_registered: bool,
    /// They had been checked in before; nothing was added.
    pub already_checked_in: bool,
    /// Remarks, e.g. a name that differs from the registered one.
    pub warnings: Vec<FieldError>,
}

/// Checks a person in at a fair the actor manages. A person not registered
/// yet is registered by `registry::labourers::register` — the same rules
/// as any registration — as `unverified`, in the same transaction. A
/// repeat is idempotent. Every new check-in is audited.
///
/// Check-ins are taken only within `margin_days` of the fair's day (`None`:
/// any day, for loading a past fair's records). An
/// organiser (who sees ID numbers masked) gives the name and phone of
/// everyone, registered or not, so that whether a number is registered is
/// not told by the questions asked.
pub fn check_in(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    form: CheckIn,
    margin_days: Option<i64>,
) -> Result<CheckedIn, AppError> {
    checks::validate(&form)?;
    let fair_row = managed(c, actor, fair)?;
    let held_on = fair_row.data.held_on;
    if let Some(margin_days) = margin_days.filter(|m| (clock::today() - held_on).num_days().abs() > *m) {
        let why = msg::fair_not_open(held_on, margin_days);
        return Err(AppError::Conflict {
            detail: why.clone(),
            errors: vec![FieldError::new("held_on", "not_open", why)],
            existing_id: None,
        });
    }
    let id = IdNumber::parse(&forms::required("id_number", form.id_number.clone())?, clock::today())
        .map_err(|e| AppError::domain("id_number", e))?;
    if actor.is_organiser() {
        // The same questions, checked the same way, for a registered number
        // and a new one: a phone refused for one and not the other told
        // whether the number was registered.
        let mut e = Errors::default();
        if forms::text(form.name.clone()).is_none() {
            e.push("name", "required", msg::door_name());
        }
        match forms::text(form.phone.clone()) {
            None => e.push("phone", "required", msg::door_phone()),
            Some(p) => {
                e.check("phone", Phone::parse(&p));
            }
        }
        e.finish()?;
    }
    let mut warnings = Vec::new();
    let (person, newly_registered) = match labourer::id_by_id_number(c, &id)? {
        Some(existing) => {
            let row = labourer::get(c, existing)?.ok_or(AppError::NotFound(Thing::Labourer))?;
            let given = form.name.as_deref().map(crate::domain::normalise::name).filter(|n| !n.is_empty());
            if let Some(n) = given.filter(|n| *n != row.data.name) {
                // An organiser sees the people checked in at their fairs:
                // a made-up name must not open a registered person's record.
                // Refused without saying whose the number is.
                if actor.is_organiser() {
                    return Err(AppError::invalid("name", "mismatch", msg::door_name_mismatch()));
                }
                warnings.push(FieldError::new("name", "mismatch", msg::name_mismatch(&row.data.name, &n)));
            }
            (row, false)
        }
        None => (walk_in(c, actor, fair, form)?, true),
    };
    let (attendee, already_checked_in) = match model::attendee(c, fair, person.id)? {
        Some(a) => (a, true),
        None => match super::insert_unless_taken(c, |c| model::check_in(c, fair, person.id, &actor.name))? {
            Some(a) => (a, false),
            // Checked in by another desk between our look and our insert.
            None => (model::attendee(c, fair, person.id)?.ok_or(AppError::NotFound(Thing::Labourer))?, true),
        },
    };
    // Every check-in is audited, a repeat too: each one shows the caller a record.
    let what = serde_json::json!({ "labourer_id": person.id });
    let action = if already_checked_in { "check_in_repeat" } else { "check_in" };
    audit::record(c, actor, action, kinds::JOB_FAIR.audit_name, Some(fair.get()), None::<&()>, Some(&what))?;
    Ok(CheckedIn { person, attendee, newly_registered, already_checked_in, warnings })
}

/// Registers a walk-in: name and phone are required at the door.
fn walk_in(c: &mut DbConnection, actor: &Actor, fair: JobFairId, form: CheckIn) -> Result<LabourerRow, AppError> {
    let mut e = Errors::default();
    if forms::text(form.name.clone()).is_none() {
        e.push("name", "required", msg::walk_in_name());
    }
    if forms::text(form.phone.clone()).is_none() {
        e.push("phone", "required", msg::walk_in_phone());
    }
    e.finish()?;
    let new = NewLabourer {
        id_number: form.id_number,
        name: form.name,
        phone: form.phone,
        hukou_region_code: form.hukou_region_code,
        poverty_status: Some(PovertyStatus::Unverified.as_str().to_string()),
        notes: Some(format!("registered at job fair {fair} check-in")),
        ..NewLabourer::default()
    };
    Ok(labourers::register(c, actor, new)?.row)
}

/// An attendee's interest in a posting.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIntention {
    /// Who (checked in at this fair).
    #[validate(required)]
    #[schema(value_type = Option<i64>)]
    pub labourer_id: Option<LabourerId>,
    /// Which posting (of an employer at this fair).
    #[validate(required)]
    #[schema(value_type = Option<i64>)]
    pub posting_id: Option<PostingId>,
}

/// Records an intention: the person was checked in here, and the posting
/// (or its employer) is at the fair. A second one is 409 naming the first.
pub fn add_intention(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    form: NewIntention,
) -> Result<IntentionRow, AppError> {
    checks::validate(&form)?;
    managed(c, actor, fair)?;
    let labourer_id = forms::required("labourer_id", form.labourer_id)?;
    let posting_id = forms::required("posting_id", form.posting_id)?;
    let mut e = Errors::default();
    if model::attendee(c, fair, labourer_id)?.is_none() {
        e.push("labourer_id", "not_checked_in", msg::not_checked_in());
    }
    match posting::get(c, posting_id)? {
        None => e.push("posting_id", "not_found", general::no_such(Thing::Posting)),
        Some(p) => {
            let at_fair = p.data.job_fair_id == Some(fair) || model::has_employer(c, fair, p.data.employer_id)?;
            if !at_fair {
                e.push("posting_id", "not_at_fair", msg::not_at_fair());
            }
        }
    }
    e.finish()?;
    if let Some(existing) = model::intention_for(c, fair, labourer_id, posting_id)? {
        return Err(AppError::Conflict {
            detail: msg::intention_exists(existing.id),
            errors: vec![FieldError::new("posting_id", "duplicate", general::already_registered())],
            existing_id: Some(existing.id),
        });
    }
    let row = model::add_intention(c, fair, labourer_id, posting_id)?;
    record_created(c, actor, kinds::INTENTION, row.id, &row)?;
    Ok(row)
}

/// An intention's outcome.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntentionOutcome {
    /// `hired`, `declined` or back to `intended`.
    #[validate(required, custom(function = "checks::choice::<IntentionStatus>"))]
    #[schema(example = "hired")]
    pub status: Option<String>,
    /// First day of work; required for `hired`.
    pub started_on: Option<NaiveDate>,
    /// The version read (stale → 409).
    pub version: Option<i32>,
}

/// Records an outcome. `hired` creates the placement (channel `job_fair`,
/// employer, place and occupation from the posting) in the same
/// transaction, under the hire guard: the posting is locked first, so two
/// hires for its last place queue, and it must have been taking
/// applications on the fair's day with a place left.
pub fn set_outcome(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    intention_id: i64,
    form: IntentionOutcome,
) -> Result<(IntentionRow, Option<PlacementRow>), AppError> {
    checks::validate(&form)?;
    let status: IntentionStatus =
        forms::required("status", form.status)?.parse().map_err(|e| AppError::domain("status", e))?;
    if status == IntentionStatus::Hired && form.started_on.is_none() {
        return Err(AppError::invalid("started_on", "required", msg::hire_needs_start()));
    }
    let fair_row = managed(c, actor, fair)?;
    let before = model::intention(c, intention_id)?
        .filter(|i| i.job_fair_id == fair)
        .ok_or(AppError::NotFound(Thing::Intention))?;
    if form.version.is_some_and(|v| v != before.version) {
        return Err(AppError::stale(before.version));
    }
    if before.status == IntentionStatus::Hired {
        return Err(AppError::conflict(msg::already_hired(before.placement_id.map(|p| p.get()))));
    }
    if before.status == status {
        return Ok((before, None));
    }
    let placement = match (status, form.started_on) {
        (IntentionStatus::Hired, Some(started_on)) => {
            Some(hire(c, actor, fair, fair_row.data.held_on, &before, started_on)?)
        }
        _ => None,
    };
    let row = model::set_intention_status(c, intention_id, before.version, status, placement.as_ref().map(|p| p.id))?
        .ok_or_else(|| AppError::stale(before.version + 1))?;
    record_updated(c, actor, kinds::INTENTION, intention_id, &before, &row)?;
    Ok((row, placement))
}

fn hire(
    c: &mut DbConnection,
    actor: &Actor,
    fair: JobFairId,
    fair_day: NaiveDate,
    intention: &IntentionRow,
    started_on: NaiveDate,
) -> Result<PlacementRow, AppError> {
    // Lock the posting first: two hires for its last place must queue.
    if !posting::lock(c, intention.posting_id)? {
        return Err(AppError::NotFound(Thing::Posting));
    }
    let p = posting::get(c, intention.posting_id)?.ok_or(AppError::NotFound(Thing::Posting))?;
    let used = posting::hires(c, p.id)?;
    let terms = PostingTerms {
        status: p.data.status,
        opens_on: p.data.opens_on,
        closes_on: p.data.closes_on,
        headcount: p.data.headcount,
    };
    if let Err(why) = rules::taking_applications(&terms, used, fair_day) {
        let (code, field_text) = match why {
            rules::NotTaking::Full(_) => ("headcount", msg::headcount_used(used, p.data.headcount)),
            other => (other.code(), msg::not_taking(other)),
        };
        return Err(AppError::Conflict {
            detail: msg::posting_not_taking(p.id.get(), &field_text),
            errors: vec![FieldError::new("status", code, field_text)],
            existing_id: None,
        });
    }
    let mut d = PlacementData {
        labourer_id: intention.labourer_id,
        employer_id: Some(p.data.employer_id),
        employer_name: None,
        posting_id: Some(p.id),
        region_code: p.data.region_code.clone(),
        occupation: p.data.occupation.clone(),
        started_on,
        ended_on: None,
        monthly_income: None,
        channel: Channel::JobFair,
        part_time: false,
        evidence: None,
        verified_on: None,
        notes: None,
        job_fair_id: Some(fair),
        enrolment_id: None,
    };
    super::placements::insert_checked(c, actor, &mut d)
}

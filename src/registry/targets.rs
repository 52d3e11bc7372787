//! Targets (the plan's numbers) and deadlines (when ledgers are due).

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::deadline::{self, DeadlineData, DeadlineRow};
use crate::db::models::target::{self, TargetData, TargetRow};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{DeadlineKind, TargetMetric};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::registry as msg;

/// What is typed to set a target.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTarget {
    /// Year, 2000–2100.
    #[validate(required, range(min = 2000, max = 2100))]
    #[schema(example = 2019)]
    pub year: Option<i32>,
    /// A ledger kind, `job_fairs` or `training_sessions`.
    #[validate(required, custom(function = "checks::choice::<TargetMetric>"))]
    #[schema(example = "new-transfers-east")]
    pub metric: Option<String>,
    /// At least this many.
    #[validate(required, range(min = 0))]
    #[schema(example = 155)]
    pub min_value: Option<i32>,
}

/// A change to a target (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Year.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
    /// Metric.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<TargetMetric>"))]
    pub metric: Option<String>,
    /// At least this many.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(range(min = 0))]
    pub min_value: Option<i32>,
}

fn metric_of(raw: String) -> Result<TargetMetric, AppError> {
    raw.parse().map_err(|e| AppError::domain("metric", e))
}

/// One target per year and measure. `job-fairs` and `job_fairs` (and
/// `trainings`, `training_sessions`) count the same ledger: set both, the
/// summary listed 联合举办…招聘会（期） twice with two targets.
fn ensure_unique(c: &mut DbConnection, d: &TargetData, except: Option<i64>) -> Result<(), AppError> {
    let measured = crate::ledger::progress::ledger_of(d.metric);
    let same = target::list(c, Some(d.year), 0, 500)?
        .into_iter()
        .find(|t| Some(t.id) != except && crate::ledger::progress::ledger_of(t.data.metric) == measured)
        .map(|t| t.id);
    match same {
        Some(other) => Err(AppError::Conflict {
            detail: msg::target_exists(other),
            errors: vec![FieldError::new("metric", "duplicate", msg::already_set())],
            existing_id: Some(other),
        }),
        _ => Ok(()),
    }
}

/// Sets a target; one per year and metric.
pub fn create_target(c: &mut DbConnection, actor: &Actor, form: NewTarget) -> Result<TargetRow, AppError> {
    checks::validate(&form)?;
    let d = TargetData {
        year: forms::required("year", form.year)?,
        metric: metric_of(forms::required("metric", form.metric)?)?,
        min_value: forms::required("min_value", form.min_value)?,
    };
    ensure_unique(c, &d, None)?;
    let row = target::insert(c, &d)?;
    record_created(c, actor, kinds::TARGET, row.id, &row)?;
    Ok(row)
}

/// Changes a target, version-checked.
pub fn change_target(c: &mut DbConnection, actor: &Actor, id: i64, form: TargetChanges) -> Result<TargetRow, AppError> {
    checks::validate(&form)?;
    let before: TargetRow = load(c, kinds::TARGET, id)?;
    let version = forms::required("version", form.version)?;
    let mut d = before.data.clone();
    forms::apply(&mut d.year, form.year);
    if let Some(m) = form.metric {
        d.metric = metric_of(m)?;
    }
    forms::apply(&mut d.min_value, form.min_value);
    if before.version != version {
        return Err(AppError::stale(before.version));
    }
    ensure_unique(c, &d, Some(id))?;
    replace(c, actor, kinds::TARGET, &before, version, &d)
}

/// Deletes a target.
pub fn delete_target(c: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let before: TargetRow = load(c, kinds::TARGET, id)?;
    remove(c, actor, kinds::TARGET, &before, &[])
}

/// What is typed to set a deadline.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeadline {
    /// e.g. 台账报送.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "台账报送")]
    pub name: Option<String>,
    /// Due on.
    #[validate(required)]
    #[schema(example = "2019-11-15")]
    pub due_on: Option<NaiveDate>,
    /// `ledgers` or `summary`.
    #[validate(required, custom(function = "checks::choice::<DeadlineKind>"))]
    #[schema(example = "ledgers")]
    pub what: Option<String>,
    /// Recipients (default: the configured ledger recipients).
    #[validate(length(max = 20), custom(function = "checks::mailboxes"))]
    pub recipients: Option<Vec<String>>,
    /// Reminders go out this many days before (each 0–365).
    #[validate(length(max = 20), custom(function = "checks::days_before"))]
    pub remind_days_before: Option<Vec<i32>>,
}

/// A change to a deadline (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Name.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// Due on.
    #[serde(default, deserialize_with = "forms::present")]
    pub due_on: Option<NaiveDate>,
    /// `ledgers` or `summary`.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<DeadlineKind>"))]
    pub what: Option<String>,
    /// Recipients (null: the configured ones).
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 20), custom(function = "checks::mailboxes"))]
    #[schema(value_type = Option<Vec<String>>)]
    pub recipients: Option<Option<Vec<String>>>,
    /// Reminder days (null: none).
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 20), custom(function = "checks::days_before"))]
    #[schema(value_type = Option<Vec<i32>>)]
    pub remind_days_before: Option<Option<Vec<i32>>>,
}

fn recipients_of(e: &mut Errors, list: Option<Vec<String>>, defaults: &[String]) -> Vec<String> {
    let list: Vec<String> = list.unwrap_or_else(|| defaults.to_vec()).iter().map(|s| s.trim().to_string()).collect();
    if list.is_empty() {
        e.push("recipients", "required", msg::recipients_needed());
    }
    list
}

fn days_of(e: &mut Errors, list: Option<Vec<i32>>) -> Vec<i32> {
    let mut days = list.unwrap_or_default();
    for (i, n) in days.iter().enumerate() {
        if !(0..=365).contains(n) {
            e.push(
                &format!("remind_days_before[{i}]"),
                "range",
                crate::messages::general::out_of_range(Some(0.0), Some(365.0)),
            );
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days
}

/// Sets a deadline; `defaults` are the configured ledger recipients.
pub fn create_deadline(
    c: &mut DbConnection,
    actor: &Actor,
    form: NewDeadline,
    defaults: &[String],
) -> Result<DeadlineRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Deadline);
    let mut e = checks::collect(&form);
    let recipients = recipients_of(&mut e, form.recipients, defaults);
    let days = days_of(&mut e, form.remind_days_before);
    e.finish()?;
    let d = DeadlineData {
        name: forms::text(form.name).unwrap_or_default(),
        due_on: forms::required("due_on", form.due_on)?,
        what: forms::required("what", form.what)?.parse().map_err(|e| AppError::domain("what", e))?,
        recipients: JsonList(recipients),
        remind_days_before: JsonList(days),
    };
    let row = deadline::insert(c, &d)?;
    record_created(c, actor, kinds::DEADLINE, row.id, &row)?;
    Ok(row)
}

/// Changes a deadline, version-checked.
pub fn change_deadline(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    form: DeadlineChanges,
    defaults: &[String],
) -> Result<DeadlineRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Deadline);
    let mut e = checks::collect(&form);
    let before: DeadlineRow = load(c, kinds::DEADLINE, id)?;
    let mut d = before.data.clone();
    if let Some(n) = form.name {
        d.name = forms::text(Some(n)).unwrap_or_default();
    }
    forms::apply(&mut d.due_on, form.due_on);
    if let Some(w) = form.what {
        forms::apply(&mut d.what, e.check("what", w.parse()));
    }
    if let Some(r) = form.recipients {
        d.recipients = JsonList(recipients_of(&mut e, r, defaults));
    }
    if let Some(days) = form.remind_days_before {
        d.remind_days_before = JsonList(days_of(&mut e, days));
    }
    e.finish()?;
    let version = forms::required("version", form.version)?;
    replace(c, actor, kinds::DEADLINE, &before, version, &d)
}

/// Deletes a deadline.
pub fn delete_deadline(c: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let before: DeadlineRow = load(c, kinds::DEADLINE, id)?;
    remove(c, actor, kinds::DEADLINE, &before, &[])
}

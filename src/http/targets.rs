//! `/api/v1/targets` and `/api/v1/deadlines`: what the bureaus are measured
//! against and when things are due. Roles: admin writes; admin and clerk read.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{utc, ListOf};
use crate::auth::{Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::target::{self as model, DeadlineData, DeadlineRow, TargetData, TargetRow};
use crate::db::models::{job_fair, list_to_text, text_to_list};
use crate::db::write_tx;
use crate::error::{AppError, FieldError};
use crate::ledger::build::{count_of, Request};
use crate::ledger::Kind;
use crate::startup::AppState;

/// Metrics a target may be set on: the ledger kinds, and counts of programmes.
pub const METRICS: &[&str] = &[
    "new-transfers-east",
    "stable-east",
    "vocational-students-east",
    "graduates-employed",
    "job-fairs",
    "trainings",
    "job_fairs",
    "training_sessions",
];

const ADMIN: &[Role] = &[Role::Admin];

/// A target as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetView {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i32,
    /// What is counted.
    pub metric: String,
    /// At least this many.
    pub min_value: i32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl TargetView {
    fn of(r: TargetRow) -> Self {
        TargetView {
            id: r.id,
            year: r.year,
            metric: r.metric,
            min_value: r.min_value,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of target POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct TargetBody {
    #[schema(value_type = Option<i32>, example = 2019)]
    year: Field<i32>,
    #[schema(value_type = Option<String>, example = "new-transfers-east")]
    metric: Field<String>,
    #[schema(value_type = Option<i32>, example = 155)]
    min_value: Field<i32>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn parse_target(b: TargetBody, mut d: TargetData, creating: bool) -> Result<(TargetData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if let Some(y) = e.set_required("year", b.year, creating) {
        if (2000..=2100).contains(&y) {
            d.year = y;
        } else {
            e.push("year", "range", "must be between 2000 and 2100");
        }
    }
    if let Some(m) = e.set_required("metric", b.metric, creating) {
        let m = m.trim().to_string();
        if METRICS.contains(&m.as_str()) {
            d.metric = m;
        } else {
            e.push("metric", "enum", format!("`{m}` is not one of {}", METRICS.join(", ")));
        }
    }
    if let Some(v) = e.set_required("min_value", b.min_value, creating) {
        if v >= 0 {
            d.min_value = v;
        } else {
            e.push("min_value", "range", "cannot be negative");
        }
    }
    e.finish()?;
    Ok((d, version.unwrap_or_default()))
}

fn duplicate(existing: i64) -> AppError {
    AppError::Conflict {
        detail: format!("a target for this year and metric exists already ({existing})"),
        errors: vec![FieldError::new("metric", "duplicate", "already set for this year")],
        existing_id: Some(existing),
    }
}

/// Set a target (admin).
#[utoipa::path(post, path = "/api/v1/targets", tag = "targets", request_body = TargetBody,
    responses((status = 201, body = TargetView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn create_target(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<TargetBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "set targets")?;
    let (d, _) = parse_target(body.0, TargetData { year: 0, metric: String::new(), min_value: 0 }, true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                if let Some(existing) = model::target_for(c, d.year, &d.metric)? {
                    return Err(duplicate(existing));
                }
                let row = model::insert_target(c, &d)?;
                audit::record(c, &actor, "create", "target", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(TargetView::of(row)))
}

/// Query of targets and progress.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Year.
    year: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List targets (admin, clerk).
#[utoipa::path(get, path = "/api/v1/targets", tag = "targets", params(YearQuery),
    responses((status = 200, body = ListOf<TargetView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn targets(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read targets")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let year = param::<i32>("year", &q.year)?;
    let rows = state.db.run(move |c| Ok(model::targets(c, year, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(TargetView::of).collect(), next_cursor }))
}

/// One target (admin, clerk).
#[utoipa::path(get, path = "/api/v1/targets/{id}", tag = "targets",
    responses((status = 200, body = TargetView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn target(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read targets")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::target(c, id)?.ok_or(AppError::NotFound("target"))).await?;
    Ok(HttpResponse::Ok().json(TargetView::of(row)))
}

/// Change a target (admin).
#[utoipa::path(patch, path = "/api/v1/targets/{id}", tag = "targets", request_body = TargetBody,
    responses((status = 200, body = TargetView), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn patch_target(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<TargetBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "change targets")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::target(c, id)?.ok_or(AppError::NotFound("target"))?;
                let base = TargetData { year: before.year, metric: before.metric.clone(), min_value: before.min_value };
                let (d, version) = parse_target(body, base, false)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                match model::target_for(c, d.year, &d.metric)? {
                    Some(other) if other != id => return Err(duplicate(other)),
                    _ => {}
                }
                let row = model::update_target(c, id, version, &d)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "target", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(TargetView::of(row)))
}

/// Delete a target (admin).
#[utoipa::path(delete, path = "/api/v1/targets/{id}", tag = "targets",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn delete_target(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "delete targets")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::target(c, id)?.ok_or(AppError::NotFound("target"))?;
                model::delete_target(c, id)?;
                audit::record(c, &actor, "delete", "target", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The ledger that counts a metric.
fn metric_kind(metric: &str) -> Option<Kind> {
    match metric {
        "job_fairs" => Some(Kind::JobFairs),
        "training_sessions" => Some(Kind::Trainings),
        other => other.parse::<Kind>().ok().filter(|k| *k != Kind::Summary),
    }
}

/// Progress against one target.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    /// The metric.
    pub metric: String,
    /// The target.
    pub target: i32,
    /// The value so far; null for a metric no ledger counts.
    pub actual: Option<i64>,
    /// Whether the target is met; null where `actual` is.
    pub met: Option<bool>,
    /// How `actual` was counted, or why it is null.
    pub basis: String,
}

/// Progress of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressReport {
    /// The year.
    pub year: i32,
    /// Counted up to this day (the earlier of today and the year's end).
    pub as_of: NaiveDate,
    /// One entry per target of the year.
    pub items: Vec<Progress>,
}

/// Progress against each target of a year (admin, clerk).
#[utoipa::path(get, path = "/api/v1/targets/progress", tag = "targets", params(YearQuery),
    responses((status = 200, body = ProgressReport), (status = 400, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: admin, clerk. Each target's actual is the count of its ledger (DESIGN §5) up to the earlier of today and 31 December.")]
pub async fn progress(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read progress")?;
    let year = param::<i32>("year", &q.0.year)?.ok_or_else(|| AppError::bad_param("year", "the year is required"))?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_param("year", "must be between 2000 and 2100"));
    }
    let today = Utc::now().date_naive();
    let (from, end) = job_fair::year_bounds(year);
    let as_of = if today.year() == year { today } else { end };
    let rules = state.settings.ledger_rules.clone();
    let items = state
        .db
        .run(move |c| {
            let targets = model::targets(c, Some(year), 0, 500)?;
            let request = Request { kind: Kind::Summary, year, as_of, county: None, unmasked: false, rules };
            let mut out = Vec::new();
            for t in targets {
                let (actual, basis) = match metric_kind(&t.metric) {
                    Some(kind) => (
                        Some(count_of(c, &request, kind)?),
                        format!("the {} ledger from {from} to {as_of}", kind.as_str()),
                    ),
                    None => (None, "no ledger counts this metric".to_string()),
                };
                out.push(Progress {
                    met: actual.map(|a| a >= i64::from(t.min_value)),
                    metric: t.metric,
                    target: t.min_value,
                    actual,
                    basis,
                });
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProgressReport { year, as_of, items }))
}

/// A deadline as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    /// Id.
    pub id: i64,
    /// e.g. 台账报送.
    pub name: String,
    /// Due on.
    pub due_on: NaiveDate,
    /// `ledgers` or `summary`.
    pub what: String,
    /// Who receives it (and the reminders).
    pub recipients: Vec<String>,
    /// Reminders go out this many days before.
    pub remind_days_before: Vec<i32>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl DeadlineView {
    fn of(r: DeadlineRow) -> Self {
        DeadlineView {
            id: r.id,
            recipients: text_to_list(&r.recipients),
            remind_days_before: serde_json::from_str(&r.remind_days_before).unwrap_or_default(),
            name: r.name,
            due_on: r.due_on,
            what: r.what,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of deadline POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DeadlineBody {
    #[schema(value_type = Option<String>, example = "台账报送")]
    name: Field<String>,
    #[schema(value_type = Option<NaiveDate>, example = "2019-11-15")]
    due_on: Field<NaiveDate>,
    #[schema(value_type = Option<String>, example = "ledgers")]
    what: Field<String>,
    /// Default: the configured ledger recipients.
    #[schema(value_type = Option<Vec<String>>)]
    recipients: Field<Vec<String>>,
    #[schema(value_type = Option<Vec<i32>>)]
    remind_days_before: Field<Vec<i32>>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A plausible mailbox: one `@`, a dot in the domain, no spaces.
pub fn is_mailbox(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn parse_deadline(
    b: DeadlineBody,
    mut d: DeadlineData,
    creating: bool,
    default_recipients: &[String],
) -> Result<(DeadlineData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if let Some(v) = e.set_required("name", b.name, creating) {
        match text(Some(v)) {
            Some(n) => d.name = n,
            None => e.push("name", "required", "`name` is required"),
        }
    }
    if let Some(v) = e.set_required("due_on", b.due_on, creating) {
        d.due_on = v;
    }
    if let Some(v) = e.set_required("what", b.what, creating) {
        let v = v.trim().to_string();
        if v == "ledgers" || v == "summary" {
            d.what = v;
        } else {
            e.push("what", "enum", format!("`{v}` is not one of ledgers, summary"));
        }
    }
    if let Some(v) = e.set("recipients", b.recipients, creating) {
        let list: Vec<String> =
            v.unwrap_or_else(|| default_recipients.to_vec()).into_iter().map(|s| s.trim().to_string()).collect();
        for (i, r) in list.iter().enumerate() {
            if !is_mailbox(r) {
                e.push(&format!("recipients[{i}]"), "format", format!("`{r}` is not an e-mail address"));
            }
        }
        if list.is_empty() {
            e.push("recipients", "required", "name at least one recipient");
        }
        d.recipients = list_to_text(&list);
    }
    if let Some(v) = e.set("remind_days_before", b.remind_days_before, creating) {
        let mut days = v.unwrap_or_default();
        for (i, n) in days.iter().enumerate() {
            if !(0..=365).contains(n) {
                e.push(&format!("remind_days_before[{i}]"), "range", "must be between 0 and 365");
            }
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        d.remind_days_before = serde_json::to_string(&days).unwrap_or_else(|_| "[]".into());
    }
    e.finish()?;
    Ok((d, version.unwrap_or_default()))
}

/// Set a deadline (admin).
#[utoipa::path(post, path = "/api/v1/deadlines", tag = "targets", request_body = DeadlineBody,
    responses((status = 201, body = DeadlineView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn create_deadline(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<DeadlineBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "set deadlines")?;
    let blank = DeadlineData {
        name: String::new(),
        due_on: NaiveDate::MIN,
        what: String::new(),
        recipients: "[]".into(),
        remind_days_before: "[]".into(),
    };
    let (d, _) = parse_deadline(body.0, blank, true, &state.settings.ledger_recipients)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let row = model::insert_deadline(c, &d)?;
                audit::record(c, &actor, "create", "deadline", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(DeadlineView::of(row)))
}

/// List deadlines (admin, clerk).
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "targets", params(YearQuery),
    responses((status = 200, body = ListOf<DeadlineView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn deadlines(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read deadlines")?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state.db.run(move |c| Ok(model::deadlines(c, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(DeadlineView::of).collect(), next_cursor }))
}

/// One deadline (admin, clerk).
#[utoipa::path(get, path = "/api/v1/deadlines/{id}", tag = "targets",
    responses((status = 200, body = DeadlineView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn deadline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read deadlines")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::deadline(c, id)?.ok_or(AppError::NotFound("deadline"))).await?;
    Ok(HttpResponse::Ok().json(DeadlineView::of(row)))
}

/// Change a deadline (admin).
#[utoipa::path(patch, path = "/api/v1/deadlines/{id}", tag = "targets", request_body = DeadlineBody,
    responses((status = 200, body = DeadlineView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn patch_deadline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<DeadlineBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "change deadlines")?;
    let id = path.into_inner();
    let body = body.0;
    let defaults = state.settings.ledger_recipients.clone();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::deadline(c, id)?.ok_or(AppError::NotFound("deadline"))?;
                let base = DeadlineData {
                    name: before.name.clone(),
                    due_on: before.due_on,
                    what: before.what.clone(),
                    recipients: before.recipients.clone(),
                    remind_days_before: before.remind_days_before.clone(),
                };
                let (d, version) = parse_deadline(body, base, false, &defaults)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                let row = model::update_deadline(c, id, version, &d)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "deadline", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(DeadlineView::of(row)))
}

/// Delete a deadline (admin).
#[utoipa::path(delete, path = "/api/v1/deadlines/{id}", tag = "targets",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn delete_deadline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, "delete deadlines")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::deadline(c, id)?.ok_or(AppError::NotFound("deadline"))?;
                model::delete_deadline(c, id)?;
                audit::record(c, &actor, "delete", "deadline", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

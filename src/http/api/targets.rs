//! `/api/v1/targets` and `/api/v1/targets/progress`: what the bureaus are
//! measured against. Roles: admin writes; admin and clerk read.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::target::{self as model, TargetRow};
use crate::domain::TargetMetric;
use crate::error::AppError;
use crate::http::auth::{require, ADMIN, REGISTRY};
use crate::http::input::{param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::ledger::params::{parse_params, RawParams};
use crate::ledger::progress::Progress;
use crate::registry::kinds;
use crate::registry::targets::{self as registry, NewTarget, TargetChanges};

/// A target as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetView {
    /// Year.
    pub year: i32,
    /// What is counted.
    pub metric: TargetMetric,
    /// At least this many.
    pub min_value: i32,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl TargetView {
    fn of(r: TargetRow) -> Self {
        TargetView { record: record_of!(r), year: r.data.year, metric: r.data.metric, min_value: r.data.min_value }
    }
}

/// Set a target (admin).
#[utoipa::path(post, path = "/api/v1/targets", tag = "targets", request_body = NewTarget,
    responses((status = 201, body = TargetView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn create_target(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewTarget>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("设定目标任务", "set targets"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create_target(c, &actor, v))).await?;
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

/// Query of progress: the year and, if wanted, the day to count to
/// (progress is one report, not a list in pages; its document once offered
/// `limit` and `cursor`, which did nothing).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Year, 2000–2100 (required).
    #[param(example = "2019")]
    year: Option<String>,
    /// Count to this day of the year (YYYY-MM-DD), as a ledger's `as_of`;
    /// default: the earlier of today and 31 December.
    #[param(example = "2019-11-15")]
    as_of: Option<String>,
}

/// List targets (admin, clerk).
#[utoipa::path(get, path = "/api/v1/targets", tag = "targets", params(YearQuery),
    responses((status = 200, body = ListOf<TargetView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn targets(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看目标任务", "read targets"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let year = param::<i32>("year", &q.0.year)?;
    common::page(&state.db, page, move |c, after, limit| model::list(c, year, after, limit), |r| r.id, TargetView::of)
        .await
}

/// One target (admin, clerk).
#[utoipa::path(get, path = "/api/v1/targets/{id}", tag = "targets",
    responses((status = 200, body = TargetView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn target(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看目标任务", "read targets"))?;
    common::show::<TargetRow, _>(&state.db, kinds::TARGET, path.into_inner(), TargetView::of).await
}

/// Change a target (admin).
#[utoipa::path(patch, path = "/api/v1/targets/{id}", tag = "targets", request_body = TargetChanges,
    responses((status = 200, body = TargetView), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn patch_target(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    form: Form<TargetChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("修改目标任务", "change targets"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::change_target(c, &actor, id, v))).await?;
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
    require(&caller, ADMIN, ("删除目标任务", "delete targets"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete_target(c, &actor, id)).await
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
#[utoipa::path(get, path = "/api/v1/targets/progress", tag = "targets", params(ProgressQuery),
    responses((status = 200, body = ProgressReport), (status = 400, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: admin, clerk. Each target's actual is the count of its ledger (DESIGN §5) up to `as_of`, by default the earlier of today and 31 December.")]
pub async fn progress(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<ProgressQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看完成进度", "read progress"))?;
    // Year and day by the ledgers' own rules: a day outside the year, or
    // a year not begun without a day, is a 400 naming it.
    let raw = RawParams { year: q.0.year.clone(), as_of: q.0.as_of.clone(), ..RawParams::default() };
    let params = parse_params(&raw, crate::clock::today())?;
    let (year, as_of) =
        (params.year, q.0.as_of.as_deref().is_some_and(|d| !d.trim().is_empty()).then_some(params.as_of));
    let rules = state.settings.ledger_rules.clone();
    let kept = state.clone();
    let progress = state.db.run(move |c| kept.progress.of(&kept.db, c, year, as_of, &rules)).await?;
    let (as_of, items) = (progress.0, progress.1.clone());
    Ok(HttpResponse::Ok().json(ProgressReport { year, as_of, items }))
}

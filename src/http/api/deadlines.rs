//! `/api/v1/deadlines`: when ledgers are due, and to whom. Roles: admin
//! writes; admin and clerk read.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::deadline::{self as model, DeadlineRow};
use crate::domain::DeadlineKind;
use crate::error::AppError;
use crate::http::auth::{require, ADMIN, REGISTRY};
use crate::http::input::{Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::registry::kinds;
use crate::registry::targets::{self as registry, DeadlineChanges, NewDeadline};

/// A deadline as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    /// e.g. 台账报送.
    pub name: String,
    /// Due on.
    pub due_on: NaiveDate,
    /// `ledgers` or `summary`.
    pub what: DeadlineKind,
    /// Who receives it (and the reminders).
    pub recipients: Vec<String>,
    /// Reminders go out this many days before.
    pub remind_days_before: Vec<i32>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl DeadlineView {
    fn of(r: DeadlineRow) -> Self {
        let record = record_of!(r);
        let d = r.data;
        DeadlineView {
            name: d.name,
            due_on: d.due_on,
            what: d.what,
            recipients: d.recipients.0,
            remind_days_before: d.remind_days_before.0,
            record,
        }
    }
}

/// Paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Set a deadline (admin).
#[utoipa::path(post, path = "/api/v1/deadlines", tag = "targets", request_body = NewDeadline,
    responses((status = 201, body = DeadlineView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin.")]
pub async fn create_deadline(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewDeadline>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("设定报送期限", "set deadlines"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let defaults = state.settings.ledger_recipients.clone();
    let row = state.db.write(move |c| form.then(|v| registry::create_deadline(c, &actor, v, &defaults))).await?;
    Ok(HttpResponse::Created().json(DeadlineView::of(row)))
}

/// List deadlines (admin, clerk).
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "targets", params(DeadlineQuery),
    responses((status = 200, body = ListOf<DeadlineView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn deadlines(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<DeadlineQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看报送期限", "read deadlines"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    common::page(&state.db, page, model::list, |r| r.id, DeadlineView::of).await
}

/// One deadline (admin, clerk).
#[utoipa::path(get, path = "/api/v1/deadlines/{id}", tag = "targets",
    responses((status = 200, body = DeadlineView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn deadline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看报送期限", "read deadlines"))?;
    common::show::<DeadlineRow, _>(&state.db, kinds::DEADLINE, path.into_inner(), DeadlineView::of).await
}

/// Change a deadline (admin).
#[utoipa::path(patch, path = "/api/v1/deadlines/{id}", tag = "targets", request_body = DeadlineChanges,
    responses((status = 200, body = DeadlineView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn patch_deadline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    form: Form<DeadlineChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("修改报送期限", "change deadlines"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let defaults = state.settings.ledger_recipients.clone();
    let row = state.db.write(move |c| form.then(|v| registry::change_deadline(c, &actor, id, v, &defaults))).await?;
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
    require(&caller, ADMIN, ("删除报送期限", "delete deadlines"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete_deadline(c, &actor, id)).await
}

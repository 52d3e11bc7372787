//! `/api/v1/fairs`: joint job fairs (粤桂扶贫协作招聘会) and the employers
//! taking part. Roles: admin and clerk manage every fair; an organiser
//! manages (and reads) only fairs whose `organisers` include their unit;
//! trainees may read fairs to know when and where they are.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use super::employers::EmployerView;
use crate::auth::{Caller, Role};
use crate::db::models::audit::Actor;
use crate::db::models::job_fair::{self as model, JobFairRow};
use crate::domain::region::region_full_name;
use crate::domain::{EmployerId, JobFairId};
use crate::error::AppError;
use crate::http::auth::{require, MANAGERS};
use crate::http::input::{param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::messages::{registry as msg, Thing};
use crate::registry::fairs::{self as registry, may_manage, FairChanges, NewFair};

/// A job fair as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairView {
    /// e.g. 2019年粤桂扶贫协作招聘会.
    pub name: String,
    /// The day it is held.
    pub held_on: NaiveDate,
    /// Venue.
    pub venue: Option<String>,
    /// Where (region code).
    pub region_code: String,
    /// Its name.
    pub region_name: Option<String>,
    /// Organising units.
    pub organisers: Vec<String>,
    /// Held online.
    pub online: bool,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl FairView {
    /// The view of a row.
    pub fn of(r: JobFairRow) -> FairView {
        let record = record_of!(r);
        let d = r.data;
        FairView {
            region_name: region_full_name(&d.region_code),
            organisers: d.organisers.0,
            name: d.name,
            held_on: d.held_on,
            venue: d.venue,
            region_code: d.region_code,
            online: d.online,
            record,
        }
    }
}

/// Create a job fair (admin, clerk, organiser for their own unit).
#[utoipa::path(post, path = "/api/v1/fairs", tag = "fairs", request_body = NewFair,
    responses((status = 201, body = FairView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser when `organisers` include their unit.")]
pub async fn create(state: web::Data<AppState>, caller: Caller, form: Form<NewFair>) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("登记招聘会", "create job fairs"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(FairView::of(row)))
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FairQuery {
    /// Fairs held in this year.
    year: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List job fairs (every role; an organiser sees their unit's).
#[utoipa::path(get, path = "/api/v1/fairs", tag = "fairs", params(FairQuery),
    responses((status = 200, body = ListOf<FairView>)), security(("bearer" = [])),
    description = "Roles: admin, clerk, trainee: all fairs; organiser: their unit's fairs.")]
pub async fn list(state: web::Data<AppState>, caller: Caller, q: Query<FairQuery>) -> Result<HttpResponse, AppError> {
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let year = param::<i32>("year", &q.year)?;
    let unit = (caller.role == Role::Organiser).then(|| caller.unit.clone().unwrap_or_default());
    common::page(
        &state.db,
        page,
        move |c, after, limit| model::list(c, unit.as_deref(), year, after, limit),
        |r| r.id.get(),
        FairView::of,
    )
    .await
}

/// A fair an organiser may read only if their unit organises it.
fn readable(caller: &Caller, fair: &JobFairRow) -> Result<(), AppError> {
    if caller.role == Role::Organiser && !may_manage(&Actor::from(caller), fair) {
        return Err(AppError::Forbidden(msg::not_your_fair(fair.id.get())));
    }
    Ok(())
}

/// One job fair.
#[utoipa::path(get, path = "/api/v1/fairs/{id}", tag = "fairs",
    responses((status = 200, body = FairView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, trainee; organiser: their unit's fairs only.")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound(Thing::JobFair))).await?;
    readable(&caller, &row)?;
    Ok(HttpResponse::Ok().json(FairView::of(row)))
}

/// Change a job fair (admin, clerk, its organisers).
#[utoipa::path(patch, path = "/api/v1/fairs/{id}", tag = "fairs", request_body = FairChanges,
    responses((status = 200, body = FairView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
    form: Form<FairChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("修改招聘会", "change job fairs"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::change(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(FairView::of(row)))
}

/// Delete a job fair nothing refers to yet (admin, clerk, its organisers).
#[utoipa::path(delete, path = "/api/v1/fairs/{id}", tag = "fairs",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("删除招聘会", "delete job fairs"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete(c, &actor, id)).await
}

/// Body of adding a participating employer.
#[derive(Debug, Default, Deserialize, validator::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FairEmployerBody {
    /// The employer.
    #[validate(required)]
    #[schema(value_type = Option<i64>)]
    employer_id: Option<EmployerId>,
}

/// Add a participating employer (admin, clerk, its organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/employers", tag = "fairs", request_body = FairEmployerBody,
    responses((status = 201, body = EmployerView), (status = 200, description = "already taking part", body = EmployerView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn add_employer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
    form: Form<FairEmployerBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("管理招聘会", "manage job fairs"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let employer_id = crate::registry::forms::required("employer_id", form.valid()?.employer_id)?;
    let (row, added) = state.db.write(move |c| registry::add_employer(c, &actor, id, employer_id)).await?;
    let view = EmployerView::of(row, Vec::new());
    Ok(if added { HttpResponse::Created().json(view) } else { HttpResponse::Ok().json(view) })
}

/// The employers taking part in a fair.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/employers", tag = "fairs",
    responses((status = 200, body = ListOf<EmployerView>)), security(("bearer" = [])),
    description = "Roles: admin, clerk, trainee; organiser: their unit's fairs.")]
pub async fn employers(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (fair, rows) = state
        .db
        .run(move |c| {
            let fair = model::get(c, id)?.ok_or(AppError::NotFound(Thing::JobFair))?;
            Ok((fair, model::employers_of(c, id)?))
        })
        .await?;
    readable(&caller, &fair)?;
    let items = rows.into_iter().map(|r| EmployerView::of(r, Vec::new())).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor: None }))
}

/// Remove a participating employer (admin, clerk, its organisers).
#[utoipa::path(delete, path = "/api/v1/fairs/{id}/employers/{employer_id}", tag = "fairs",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn remove_employer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(JobFairId, EmployerId)>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, ("管理招聘会", "manage job fairs"))?;
    let ((id, employer_id), actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::remove_employer(c, &actor, id, employer_id)).await
}

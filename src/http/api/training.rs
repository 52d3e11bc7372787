//! `/api/v1/training`: programmes (e.g. the free 粤菜师傅 class at the Taishan
//! culinary technical school) and their sessions. Roles: every role reads;
//! admin and clerk keep them. Enrolments are in `enrolments.rs`.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::programme::{self, ProgrammeRow};
use crate::db::models::session::{self, SessionRow};
use crate::domain::region::region_full_name;
use crate::domain::SessionId;
use crate::error::AppError;
use crate::http::auth::{require, ANYONE, REGISTRY};
use crate::http::input::{param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::registry::kinds;
use crate::registry::training::{self as registry, NewProgramme, NewSession, ProgrammeChanges, SessionChanges};

/// A programme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeView {
    /// e.g. 粤菜师傅.
    pub name: String,
    /// e.g. 中式烹调师.
    pub occupation: Option<String>,
    /// e.g. 台山市广东厨艺技工学校.
    pub provider: String,
    /// Where the provider is.
    pub provider_region_code: Option<String>,
    /// Its name.
    pub provider_region_name: Option<String>,
    /// Free of charge.
    pub free: bool,
    /// The certificate it leads to.
    pub certificate_name: Option<String>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl ProgrammeView {
    fn of(r: ProgrammeRow) -> Self {
        let record = record_of!(r);
        let d = r.data;
        ProgrammeView {
            provider_region_name: d.provider_region_code.as_deref().and_then(region_full_name),
            name: d.name,
            occupation: d.occupation,
            provider: d.provider,
            provider_region_code: d.provider_region_code,
            free: d.free,
            certificate_name: d.certificate_name,
            record,
        }
    }
}

/// Paging, and the programme whose sessions to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Only sessions of this programme (sessions list only).
    pub programme_id: Option<String>,
    /// Page size, 1–500.
    pub limit: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Create a programme (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/programmes", tag = "training", request_body = NewProgramme,
    responses((status = 201, body = ProgrammeView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create_programme(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewProgramme>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("设立培训项目", "create training programmes"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create_programme(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(ProgrammeView::of(row)))
}

/// List programmes (every role).
#[utoipa::path(get, path = "/api/v1/training/programmes", tag = "training", params(PageQuery),
    responses((status = 200, body = ListOf<ProgrammeView>)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn programmes(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看培训项目", "read programmes"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    common::page(&state.db, page, programme::list, |r| r.id, ProgrammeView::of).await
}

/// One programme (every role).
#[utoipa::path(get, path = "/api/v1/training/programmes/{id}", tag = "training",
    responses((status = 200, body = ProgrammeView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn programme(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看培训项目", "read programmes"))?;
    common::show::<ProgrammeRow, _>(&state.db, kinds::PROGRAMME, path.into_inner(), ProgrammeView::of).await
}

/// Change a programme (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/programmes/{id}", tag = "training", request_body = ProgrammeChanges,
    responses((status = 200, body = ProgrammeView), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch_programme(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    form: Form<ProgrammeChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改培训项目", "change training programmes"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::change_programme(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(ProgrammeView::of(row)))
}

/// Delete a programme without sessions (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/training/programmes/{id}", tag = "training",
    responses((status = 204), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete_programme(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除培训项目", "delete training programmes"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete_programme(c, &actor, id)).await
}

/// A session (one class, 期) as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// The programme.
    pub programme_id: i64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Places.
    pub capacity: i32,
    /// Where.
    pub location: Option<String>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl SessionView {
    fn of(r: SessionRow) -> Self {
        let record = record_of!(r);
        let d = r.data;
        SessionView {
            programme_id: d.programme_id,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            capacity: d.capacity,
            location: d.location,
            record,
        }
    }
}

/// Create a session (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/sessions", tag = "training", request_body = NewSession,
    responses((status = 201, body = SessionView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create_session(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewSession>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("开设培训班", "create training sessions"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create_session(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(SessionView::of(row)))
}

/// List sessions (every role).
#[utoipa::path(get, path = "/api/v1/training/sessions", tag = "training", params(PageQuery),
    responses((status = 200, body = ListOf<SessionView>)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn sessions(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看培训班", "read sessions"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let programme_id = param::<i64>("programme_id", &q.0.programme_id)?;
    common::page(
        &state.db,
        page,
        move |c, after, limit| session::list(c, programme_id, after, limit),
        |r| r.id.get(),
        SessionView::of,
    )
    .await
}

/// One session (every role).
#[utoipa::path(get, path = "/api/v1/training/sessions/{id}", tag = "training",
    responses((status = 200, body = SessionView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<SessionId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看培训班", "read sessions"))?;
    common::show::<SessionRow, _>(&state.db, kinds::SESSION, path.into_inner(), SessionView::of).await
}

/// Change a session (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/sessions/{id}", tag = "training", request_body = SessionChanges,
    responses((status = 200, body = SessionView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<SessionId>,
    form: Form<SessionChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改培训班", "change training sessions"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::change_session(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(SessionView::of(row)))
}

/// Delete a session nobody is enrolled in (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/training/sessions/{id}", tag = "training",
    responses((status = 204), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<SessionId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除培训班", "delete training sessions"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete_session(c, &actor, id)).await
}

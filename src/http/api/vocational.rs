//! `/api/v1/vocational-enrolments`: poor students at vocational schools.
//! Roles: admin and clerk.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::vocational::{self as model, VocationalRow};
use crate::domain::region::region_full_name;
use crate::domain::{LabourerId, StudyStatus};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{domain_param, param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::registry::kinds;
use crate::registry::vocational::{self as registry, NewVocational, VocationalChanges};

/// A vocational enrolment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VocationalView {
    /// The student.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// 学校名称.
    pub school_name: String,
    /// Where the school is.
    pub school_region_code: String,
    /// Its name.
    pub school_region_name: Option<String>,
    /// 专业.
    pub major: Option<String>,
    /// 入学时间.
    pub enrolled_on: NaiveDate,
    /// studying, graduated or left.
    pub status: StudyStatus,
    /// 毕业时间.
    pub graduated_on: Option<NaiveDate>,
    /// 离校时间.
    pub left_on: Option<NaiveDate>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl VocationalView {
    fn of(r: VocationalRow) -> Self {
        let record = record_of!(r);
        let d = r.data;
        VocationalView {
            school_region_name: region_full_name(&d.school_region_code),
            labourer_id: d.labourer_id,
            school_name: d.school_name,
            school_region_code: d.school_region_code,
            major: d.major,
            enrolled_on: d.enrolled_on,
            status: d.status,
            graduated_on: d.graduated_on,
            left_on: d.left_on,
            record,
        }
    }
}

/// Record a poor student's study (admin, clerk).
#[utoipa::path(post, path = "/api/v1/vocational-enrolments", tag = "vocational", request_body = NewVocational,
    responses((status = 201, body = VocationalView), (status = 409, description = "already studying elsewhere", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewVocational>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("登记就读学生", "record vocational students"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(VocationalView::of(row)))
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VocationalQuery {
    /// One student.
    labourer_id: Option<String>,
    /// studying, graduated or left.
    status: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List vocational enrolments (admin, clerk).
#[utoipa::path(get, path = "/api/v1/vocational-enrolments", tag = "vocational", params(VocationalQuery),
    responses((status = 200, body = ListOf<VocationalView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<VocationalQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看就读学生", "read vocational students"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let labourer = param::<i64>("labourer_id", &q.labourer_id)?.map(LabourerId);
    let status = domain_param::<StudyStatus>("status", &q.status)?;
    common::page(
        &state.db,
        page,
        move |c, after, limit| model::list(c, labourer, status, after, limit),
        |r| r.id,
        VocationalView::of,
    )
    .await
}

/// One vocational enrolment (admin, clerk).
#[utoipa::path(get, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational",
    responses((status = 200, body = VocationalView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看就读学生", "read vocational students"))?;
    common::show::<VocationalRow, _>(&state.db, kinds::VOCATIONAL, path.into_inner(), VocationalView::of).await
}

/// Change a vocational enrolment, e.g. record graduation (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational", request_body = VocationalChanges,
    responses((status = 200, body = VocationalView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    form: Form<VocationalChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改就读记录", "change vocational students"))?;
    let form = form.read()?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    let row = state.db.write(move |c| form.then(|v| registry::change(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(VocationalView::of(row)))
}

/// Delete a vocational enrolment recorded in error (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除就读记录", "delete vocational students"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete(c, &actor, id)).await
}

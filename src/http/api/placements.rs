//! `/api/v1/placements` (就业登记). Roles: admin and clerk read and write;
//! a trainee reads their own.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::{Caller, Role};
use crate::db::models::audit::Actor;
use crate::db::models::placement::{self as model, PlacementFilter, PlacementRow};
use crate::domain::region::region_full_name;
use crate::domain::{Channel, EmployerId, EnrolmentId, JobFairId, LabourerId, PlacementId, PostingId};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{domain_param, param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::messages::{access, Thing};
use crate::registry::placements::{self as registry, NewPlacement, PlacementChanges};

/// A placement as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementView {
    /// Who.
    #[schema(value_type = i64)]
    pub labourer_id: LabourerId,
    /// Registered employer, if any.
    #[schema(value_type = Option<i64>)]
    pub employer_id: Option<EmployerId>,
    /// Employer's name when not registered.
    pub employer_name: Option<String>,
    /// The posting filled, if any.
    #[schema(value_type = Option<i64>)]
    pub posting_id: Option<PostingId>,
    /// Where the work is.
    pub region_code: String,
    /// Its name.
    pub region_name: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// First day.
    pub started_on: NaiveDate,
    /// Last day; null while ongoing.
    pub ended_on: Option<NaiveDate>,
    /// CNY a month.
    pub monthly_income: Option<i32>,
    /// job_fair, training, referral, self_found or public_service.
    pub channel: Channel,
    /// Part-time work may overlap another placement.
    pub part_time: bool,
    /// Contract or social-insurance reference.
    pub evidence: Option<String>,
    /// When a clerk verified it.
    pub verified_on: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<String>,
    /// The job fair that led to it (channel `job_fair`).
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<JobFairId>,
    /// The training enrolment that led to it (channel `training`).
    #[schema(value_type = Option<i64>)]
    pub enrolment_id: Option<EnrolmentId>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl PlacementView {
    /// The view of a row.
    pub fn of(r: PlacementRow) -> PlacementView {
        let record = record_of!(r);
        let d = r.data;
        PlacementView {
            region_name: region_full_name(&d.region_code),
            labourer_id: d.labourer_id,
            employer_id: d.employer_id,
            employer_name: d.employer_name,
            posting_id: d.posting_id,
            region_code: d.region_code,
            occupation: d.occupation,
            started_on: d.started_on,
            ended_on: d.ended_on,
            monthly_income: d.monthly_income,
            channel: d.channel,
            part_time: d.part_time,
            evidence: d.evidence,
            verified_on: d.verified_on,
            notes: d.notes,
            job_fair_id: d.job_fair_id,
            enrolment_id: d.enrolment_id,
            record,
        }
    }
}

/// Register a placement (admin, clerk).
#[utoipa::path(post, path = "/api/v1/placements", tag = "placements", request_body = NewPlacement,
    responses((status = 201, body = PlacementView), (status = 409, description = "overlaps another full-time placement", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewPlacement>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("登记就业", "register placements"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(PlacementView::of(row)))
}

fn may_read_placements(caller: &Caller) -> Result<(), AppError> {
    require(caller, &[Role::Admin, Role::Clerk, Role::Trainee], ("查看就业登记", "read placements"))
}

/// One placement (admin, clerk; a trainee their own).
#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements",
    responses((status = 200, body = PlacementView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own placements.")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PlacementId>,
) -> Result<HttpResponse, AppError> {
    may_read_placements(&caller)?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound(Thing::Placement))).await?;
    if caller.role == Role::Trainee && !caller.owns_labourer(row.data.labourer_id.get()) {
        return Err(AppError::Forbidden(access::refused(
            "您只能查看本人的就业登记",
            "you may read only your own placements",
        )));
    }
    Ok(HttpResponse::Ok().json(PlacementView::of(row)))
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacementQuery {
    /// Whose placements.
    labourer_id: Option<String>,
    /// Employer id.
    employer_id: Option<String>,
    /// Channel.
    channel: Option<String>,
    /// Started on or after (YYYY-MM-DD).
    started_from: Option<String>,
    /// Started on or before (YYYY-MM-DD).
    started_to: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List placements (admin, clerk; a trainee sees only their own).
#[utoipa::path(get, path = "/api/v1/placements", tag = "placements", params(PlacementQuery),
    responses((status = 200, body = ListOf<PlacementView>), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own placements only.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PlacementQuery>,
) -> Result<HttpResponse, AppError> {
    may_read_placements(&caller)?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let mut filter = PlacementFilter {
        labourer_id: param::<i64>("labourer_id", &q.labourer_id)?.map(LabourerId),
        employer_id: param::<i64>("employer_id", &q.employer_id)?.map(EmployerId),
        channel: domain_param::<Channel>("channel", &q.channel)?,
        started_from: param::<NaiveDate>("started_from", &q.started_from)?,
        started_to: param::<NaiveDate>("started_to", &q.started_to)?,
    };
    if caller.role == Role::Trainee {
        match (caller.labourer_id.map(LabourerId), filter.labourer_id) {
            (Some(own), None) => filter.labourer_id = Some(own),
            (Some(own), Some(asked)) if own == asked => {}
            _ => {
                return Err(AppError::Forbidden(access::refused(
                    "您只能查看本人的就业登记",
                    "you may list only your own placements",
                )))
            }
        }
    }
    common::page(
        &state.db,
        page,
        move |c, after, limit| model::list(c, &filter, after, limit),
        |r| r.id.get(),
        PlacementView::of,
    )
    .await
}

/// Change a placement, e.g. record its end (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/placements/{id}", tag = "placements", request_body = PlacementChanges,
    responses((status = 200, body = PlacementView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PlacementId>,
    form: Form<PlacementChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改就业登记", "change placements"))?;
    let form = form.read()?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::change(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(PlacementView::of(row)))
}

/// Delete a placement registered in error (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/placements/{id}", tag = "placements",
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PlacementId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除就业登记", "delete placements"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete(c, &actor, id)).await
}

//! `/api/v1/postings`. Roles: every role reads; admin and clerk write.
//! Writes append to the outbox so search can follow them.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common;
use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::posting::{self as model, PostingFilter, PostingRow};
use crate::db::models::search as search_store;
use crate::domain::region::region_full_name;
use crate::domain::{Benefit, EmployerId, GenderRequirement, JobFairId, PostingId, PostingStatus, RegionCode};
use crate::error::AppError;
use crate::http::auth::{require, ANYONE, REGISTRY};
use crate::http::input::{domain_param, param, text, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record};
use crate::registry::kinds;
use crate::registry::postings::{self as registry, NewPosting, PostingChanges};
use crate::search::schema::{availability, NotTakingReason};

/// A posting as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    /// The employer offering it.
    #[schema(value_type = i64)]
    pub employer_id: EmployerId,
    /// 岗位名称.
    pub title: String,
    /// Occupation, e.g. 中式烹调师.
    pub occupation: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Positions offered.
    pub headcount: i32,
    /// CNY a month.
    pub salary_min: Option<i32>,
    /// CNY a month.
    pub salary_max: Option<i32>,
    /// Where the work is.
    pub region_code: String,
    /// Its name.
    pub region_name: Option<String>,
    /// Minimum age.
    pub min_age: Option<i32>,
    /// Maximum age.
    pub max_age: Option<i32>,
    /// `any`, `male` or `female`.
    pub gender_requirement: GenderRequirement,
    /// Minimum education.
    pub education_min: Option<String>,
    /// Subset of housing, meals, transport, insurance.
    pub benefits: Vec<Benefit>,
    /// `open` or `closed`.
    pub status: PostingStatus,
    /// Opens on.
    pub opens_on: Option<NaiveDate>,
    /// Closes on.
    pub closes_on: Option<NaiveDate>,
    /// The job fair it was brought to, if any.
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<JobFairId>,
    /// Places filled by placements.
    pub hired: i64,
    /// Whether it takes applications today: open, between `opens_on` and
    /// `closes_on` where set, with places left (the rule every view uses).
    pub taking_applications: bool,
    /// Why it does not, when it does not: `closed`, `not_yet_open`,
    /// `expired` or `full`, with words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_taking: Option<NotTakingReason>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl PostingView {
    /// The view of a row none of whose places is filled yet.
    pub fn of(r: PostingRow) -> PostingView {
        PostingView::with_hired((r, 0))
    }

    /// The view of a row with the placements filling its places, saying
    /// whether it takes applications today.
    pub fn with_hired((r, hired): (PostingRow, i64)) -> PostingView {
        let record = record_of!(r);
        let d = r.data;
        let not_taking =
            availability(d.status.as_str(), d.opens_on, d.closes_on, d.headcount, hired, crate::clock::today());
        PostingView {
            hired,
            taking_applications: not_taking.is_none(),
            not_taking,
            region_name: region_full_name(&d.region_code),
            employer_id: d.employer_id,
            title: d.title,
            occupation: d.occupation,
            description: d.description,
            headcount: d.headcount,
            salary_min: d.salary_min,
            salary_max: d.salary_max,
            region_code: d.region_code,
            min_age: d.min_age,
            max_age: d.max_age,
            gender_requirement: d.gender_requirement,
            education_min: d.education_min.map(|e| e.as_str().to_string()),
            benefits: d.benefits.0,
            status: d.status,
            opens_on: d.opens_on,
            closes_on: d.closes_on,
            job_fair_id: d.job_fair_id,
            record,
        }
    }
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostingQuery {
    /// Employer id.
    employer_id: Option<String>,
    /// `open` or `closed`.
    status: Option<String>,
    /// Work-place region code.
    region_code: Option<String>,
    /// Exact occupation.
    occupation: Option<String>,
    /// Postings brought to this job fair.
    job_fair_id: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Create a posting (admin, clerk).
#[utoipa::path(post, path = "/api/v1/postings", tag = "postings", request_body = NewPosting,
    responses((status = 201, body = PostingView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewPosting>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("发布岗位", "create postings"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::create(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(PostingView::of(row)))
}

/// One posting (every role).
#[utoipa::path(get, path = "/api/v1/postings/{id}", tag = "postings",
    responses((status = 200, body = PostingView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PostingId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看岗位", "read postings"))?;
    let id = path.into_inner();
    let view = state
        .db
        .run(move |c| {
            let row = crate::registry::load::<PostingRow>(c, kinds::POSTING, id)?;
            Ok(PostingView::with_hired(with_hires(c, vec![row])?.remove(0)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Rows with the placements filling their places, in one query (what
/// [`PostingView::with_hired`] takes).
pub fn with_hires(
    c: &mut crate::db::DbConnection,
    rows: Vec<PostingRow>,
) -> diesel::QueryResult<Vec<(PostingRow, i64)>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id.get()).collect();
    let hires: std::collections::HashMap<i64, i64> = search_store::hires_of(c, &ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = hires.get(&r.id.get()).copied().unwrap_or(0);
            (r, n)
        })
        .collect())
}

/// List postings (every role).
#[utoipa::path(get, path = "/api/v1/postings", tag = "postings", params(PostingQuery),
    responses((status = 200, body = ListOf<PostingView>), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PostingQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看岗位", "list postings"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let filter = PostingFilter {
        employer_id: param::<i64>("employer_id", &q.employer_id)?.map(EmployerId),
        status: domain_param("status", &q.status)?,
        region_code: domain_param::<RegionCode>("region_code", &q.region_code)?.map(|r| r.as_str().to_string()),
        occupation: text(q.occupation),
        job_fair_id: param::<i64>("job_fair_id", &q.job_fair_id)?.map(JobFairId),
    };
    common::page(
        &state.db,
        page,
        move |c, after, limit| {
            let rows = model::list(c, &filter, after, limit)?;
            with_hires(c, rows)
        },
        |(r, _)| r.id.get(),
        PostingView::with_hired,
    )
    .await
}

/// Change a posting (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/postings/{id}", tag = "postings", request_body = PostingChanges,
    responses((status = 200, body = PostingView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PostingId>,
    form: Form<PostingChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改岗位", "change postings"))?;
    let form = form.read()?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .write(move |c| {
            let row = form.then(|v| registry::change(c, &actor, id, v))?;
            Ok(with_hires(c, vec![row])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(PostingView::with_hired(row)))
}

/// Delete a posting no placement refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/postings/{id}", tag = "postings",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<PostingId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除岗位", "delete postings"))?;
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    common::deleted(&state.db, move |c| registry::delete(c, &actor, id)).await
}

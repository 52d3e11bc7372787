//! `/api/v1/employers`. Roles: every role reads; admin and clerk write.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::employer::{self as model, EmployerFilter, EmployerRow};
use crate::domain::region::region_full_name;
use crate::domain::{EmployerId, RegionCode, Uscc};
use crate::error::AppError;
use crate::http::auth::{require, ANYONE, REGISTRY};
use crate::http::input::{domain_param, param, text, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record, Warning};
use crate::messages::{Lang, Thing};
use crate::registry::employers::{self as registry, EmployerChanges, NewEmployer};

/// An employer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerView {
    /// 单位名称.
    pub name: String,
    /// 统一社会信用代码, if it has one.
    pub uscc: Option<String>,
    /// Where it is (region code).
    pub region_code: String,
    /// The region's name.
    pub region_name: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Contact person.
    pub contact_name: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// 扶贫车间.
    pub is_poverty_workshop: bool,
    /// Remarks about accepted input, e.g. a USCC failing its checksum.
    pub warnings: Vec<Warning>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl EmployerView {
    /// The view of a row, with remarks about the input that made it.
    pub fn of(r: EmployerRow, warnings: Vec<Warning>) -> EmployerView {
        let record = record_of!(r);
        let d = r.data;
        EmployerView {
            region_name: region_full_name(&d.region_code),
            name: d.name,
            uscc: d.uscc,
            region_code: d.region_code,
            address: d.address,
            industry: d.industry,
            contact_name: d.contact_name,
            contact_phone: d.contact_phone,
            is_poverty_workshop: d.is_poverty_workshop,
            warnings,
            record,
        }
    }
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployerQuery {
    /// Part of the name.
    name: Option<String>,
    /// Exact USCC.
    uscc: Option<String>,
    /// Region code.
    region_code: Option<String>,
    /// `true` for 扶贫车间 only.
    is_poverty_workshop: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Register an employer (admin, clerk).
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", request_body = NewEmployer,
    responses((status = 201, body = EmployerView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    form: Form<NewEmployer>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("登记用工单位", "register employers"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let done = state.db.write(move |c| form.then(|v| registry::register(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(EmployerView::of(done.row, Warning::all(&done.warnings, lang))))
}

/// One employer (every role).
#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers",
    responses((status = 200, body = EmployerView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<EmployerId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看用工单位", "read employers"))?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound(Thing::Employer))).await?;
    Ok(HttpResponse::Ok().json(EmployerView::of(row, Vec::new())))
}

/// List employers (every role).
#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", params(EmployerQuery),
    responses((status = 200, body = ListOf<EmployerView>), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<EmployerQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("查看用工单位", "list employers"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let filter = EmployerFilter {
        name: text(q.name),
        uscc: text(q.uscc).map(|u| Uscc::parse(&u).map(|(u, _)| u.as_str().to_string()).unwrap_or(u)),
        region_code: domain_param::<RegionCode>("region_code", &q.region_code)?.map(|r| r.as_str().to_string()),
        is_poverty_workshop: param::<bool>("is_poverty_workshop", &q.is_poverty_workshop)?,
    };
    let rows = state.db.run(move |c| Ok(model::list(c, &filter, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id.get());
    let items = rows.into_iter().map(|r| EmployerView::of(r, Vec::new())).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// Change an employer (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/employers/{id}", tag = "employers", request_body = EmployerChanges,
    responses((status = 200, body = EmployerView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    path: web::Path<EmployerId>,
    form: Form<EmployerChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("修改用工单位", "change employers"))?;
    let form = form.read()?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    let done = state.db.write(move |c| form.then(|v| registry::change(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(EmployerView::of(done.row, Warning::all(&done.warnings, lang))))
}

/// Delete an employer no posting or placement refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/employers/{id}", tag = "employers",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<EmployerId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除用工单位", "delete employers"))?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state.db.write(move |c| registry::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

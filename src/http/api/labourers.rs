//! `/api/v1/labourers`: the registry of people.
//!
//! Roles: admin and clerk keep the registry and see full ID numbers (each
//! such view is audited); a trainee reads and edits only their own record,
//! masked, and only the fields about their job search; an organiser reads
//! people checked in at their unit's fairs, masked.

use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, Role};
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::models::enrolment::Certificate;
use crate::db::models::labourer::{LabourerFilter, LabourerRow};
use crate::domain::region::region_full_name;
use crate::domain::{mask_id_number, normalise, IdNumber, LabourerId, PovertyStatus};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{domain_param, text, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{record_of, ListOf, Record, Warning};
use crate::messages::{access, Lang};
use crate::registry::labourers::{self as registry, LabourerChanges, NewLabourer, TRAINEE_FIELDS};
use crate::registry::reads;

/// A labourer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabourerView {
    /// 身份证号; masked (`451424**********1X`) unless the caller may see it.
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// Derived from the ID number: `male` or `female`.
    pub gender: String,
    /// Derived from the ID number; `null` in a masked view, which shows the
    /// year only (with the masked number it would narrow the number down).
    pub birth_date: Option<NaiveDate>,
    /// Year of birth; `null` in a masked view too (with the masked number
    /// and a check-in it narrowed the number down to a few thousand).
    pub birth_year: Option<i32>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// 户籍地 county-level region code.
    pub hukou_region_code: Option<String>,
    /// Its name, e.g. 广西壮族自治区崇左市大新县.
    pub hukou_region_name: Option<String>,
    /// 乡镇.
    pub hukou_township: Option<String>,
    /// 村.
    pub hukou_village: Option<String>,
    /// `registered_poor`, `lifted`, `monitored`, `none` or `unverified`.
    pub poverty_status: PovertyStatus,
    /// 户编号 of the poverty registration.
    pub household_no: Option<String>,
    /// Highest education.
    pub education: Option<String>,
    /// Skills, free text.
    pub skills: Vec<String>,
    /// Occupations wanted.
    pub desired_occupations: Vec<String>,
    /// Regions wanted.
    pub desired_region_codes: Vec<String>,
    /// Available from.
    pub available_from: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<String>,
    /// Id, timestamps, version.
    #[serde(flatten)]
    pub record: Record,
}

impl LabourerView {
    /// The view of `row`, with the ID number and birth date masked unless `full`.
    pub fn of(row: LabourerRow, full: bool) -> LabourerView {
        let record = record_of!(row);
        let d = row.data;
        LabourerView {
            id_number: if full { d.id_number.as_str().to_string() } else { mask_id_number(d.id_number.as_str()) },
            hukou_region_name: d.hukou_region_code.as_deref().and_then(region_full_name),
            name: d.name,
            gender: d.gender.as_str().to_string(),
            birth_date: full.then_some(d.birth_date),
            birth_year: full.then(|| d.birth_date.year()),
            phone: d.phone,
            hukou_region_code: d.hukou_region_code,
            hukou_township: d.hukou_township,
            hukou_village: d.hukou_village,
            poverty_status: d.poverty_status,
            household_no: d.household_no,
            education: d.education.map(|e| e.as_str().to_string()),
            skills: d.skills.0,
            desired_occupations: d.desired_occupations.0,
            desired_region_codes: d.desired_region_codes.0,
            available_from: d.available_from,
            notes: d.notes,
            record,
        }
    }
}

/// One labourer with the certificates earned in training.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabourerDetail {
    /// The record.
    #[serde(flatten)]
    pub labourer: LabourerView,
    /// Certificates from completed training enrolments (used by matching).
    pub certificates: Vec<Certificate>,
}

/// The answer to a create: the record, and people it may duplicate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedLabourer {
    /// The new record.
    #[serde(flatten)]
    pub labourer: LabourerView,
    /// Ids of people with the same name and birth date but another ID
    /// number (a likely typo); empty when none.
    pub possible_duplicates: Vec<i64>,
    /// Remarks about accepted input (`unknown_region`: the ID number's
    /// first six digits name no region, so no 户籍地 was taken from them).
    pub warnings: Vec<Warning>,
}

/// Query parameters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabourerQuery {
    /// Exact ID number (the desk's first question); lower-case x is fine.
    id_number: Option<String>,
    /// Exact name (middle dots of any kind match the card's).
    name: Option<String>,
    /// 户籍地 region code (an old code counts as its successor).
    hukou_region_code: Option<String>,
    /// Poverty status.
    poverty_status: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Create a labourer (admin, clerk).
#[utoipa::path(post, path = "/api/v1/labourers", tag = "labourers", request_body = NewLabourer,
    responses((status = 201, body = CreatedLabourer), (status = 409, description = "ID number already registered; `existing_id` names the record", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    lang: Lang,
    form: Form<NewLabourer>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("登记劳动力", "register labourers"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let done = state.db.write(move |c| form.then(|v| registry::register(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(CreatedLabourer {
        labourer: LabourerView::of(done.row, true),
        possible_duplicates: done.possible_duplicates.into_iter().map(|i| i.get()).collect(),
        warnings: Warning::all(&done.warnings, lang),
    }))
}

/// One labourer (admin, clerk; a trainee their own; an organiser people
/// checked in at their fairs).
#[utoipa::path(get, path = "/api/v1/labourers/{id}", tag = "labourers",
    responses((status = 200, body = LabourerDetail), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk (full ID number, audited); trainee: own record only, masked; organiser: people checked in at their unit's fairs, masked.")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<LabourerId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let organiser_unit = match caller.role {
        Role::Organiser => Some(caller.unit.clone().unwrap_or_default()),
        _ if caller.sees_full_id_numbers() || caller.owns_labourer(id.get()) => None,
        _ => {
            return Err(AppError::Forbidden(access::refused(
                "您只能查看本人的信息",
                "you may read only your own labourer record",
            )))
        }
    };
    let _ = organiser_unit;
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let (row, certificates) = state.db.write(move |c| reads::labourer(c, &actor, id)).await?;
    Ok(HttpResponse::Ok().json(LabourerDetail { labourer: LabourerView::of(row, full), certificates }))
}

/// List labourers (admin, clerk).
#[utoipa::path(get, path = "/api/v1/labourers", tag = "labourers", params(LabourerQuery),
    responses((status = 200, body = ListOf<LabourerView>), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. Full ID numbers; the view is audited.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<LabourerQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看劳动力名册", "list labourers"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let filter = LabourerFilter {
        id_number: match text(q.id_number) {
            Some(s) => {
                Some(IdNumber::parse(&s, clock::today()).map_err(|e| AppError::bad_param("id_number", e.message))?)
            }
            None => None,
        },
        name: text(q.name).map(|n| normalise::name(&n)),
        hukou_region_code: domain_param::<crate::domain::RegionCode>("hukou_region_code", &q.hukou_region_code)?
            .map(|r| r.as_str().to_string()),
        poverty_status: domain_param("poverty_status", &q.poverty_status)?,
    };
    let actor = Actor::from(&caller);
    let rows = state.db.write(move |c| reads::labourers(c, &actor, &filter, page.after, page.limit)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id.get());
    let items = rows.into_iter().map(|r| LabourerView::of(r, true)).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// Change a labourer (admin, clerk; a trainee their own job-search fields).
#[utoipa::path(patch, path = "/api/v1/labourers/{id}", tag = "labourers", request_body = LabourerChanges,
    responses((status = 200, body = LabourerView), (status = 409, description = "stale version or duplicate ID number", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own record, fields phone, education, skills, desired_occupations, desired_region_codes, available_from.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<LabourerId>,
    form: Form<LabourerChanges>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if !(caller.is(REGISTRY) || caller.owns_labourer(id.get())) {
        return Err(AppError::Forbidden(access::refused(
            "您只能修改本人的信息",
            "you may change only your own labourer record",
        )));
    }
    let form = form.read()?;
    if caller.role == Role::Trainee {
        let clerk_only: Vec<&str> =
            form.keys.iter().map(String::as_str).filter(|k| !TRAINEE_FIELDS.contains(k)).collect();
        if !clerk_only.is_empty() {
            let mine = TRAINEE_FIELDS[..TRAINEE_FIELDS.len() - 1].join(", ");
            let theirs = clerk_only.join(", ");
            return Err(AppError::Forbidden(access::refused(
                &format!("学员只能修改 {mine}；{theirs} 需由工作人员修改"),
                &format!("a trainee may change only {mine}; a clerk must change {theirs}"),
            )));
        }
    }
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::change(c, &actor, id, v))).await?;
    Ok(HttpResponse::Ok().json(LabourerView::of(row, full)))
}

/// Delete a labourer no placement or account refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/labourers/{id}", tag = "labourers",
    responses((status = 204), (status = 409, description = "placements or accounts refer to the labourer", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<LabourerId>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("删除劳动力", "delete labourers"))?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state.db.write(move |c| registry::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

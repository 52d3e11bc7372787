//! `/api/v1/employers`. Roles: every role reads; admin and clerk write.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, ANYONE, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf, Warning};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::models::employer::{self as model, EmployerChanges, EmployerFilter, EmployerInsert, EmployerRow};
use crate::db::models::now;
use crate::db::write_tx;
use crate::domain::{Phone, RegionCode, Uscc};
use crate::error::{AppError, FieldError};
use crate::startup::AppState;

/// An employer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerView {
    /// Id.
    pub id: i64,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back with PATCH.
    pub version: i32,
    /// Remarks about accepted input, e.g. a USCC failing its checksum.
    pub warnings: Vec<Warning>,
}

impl EmployerView {
    /// The view of a row, with remarks about the input that made it.
    pub fn of(r: EmployerRow, warnings: Vec<Warning>) -> EmployerView {
        EmployerView {
            id: r.id,
            region_name: region_full_name(&r.region_code),
            name: r.name,
            uscc: r.uscc,
            region_code: r.region_code,
            address: r.address,
            industry: r.industry,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            is_poverty_workshop: r.is_poverty_workshop,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
            warnings,
        }
    }
}

/// Body of POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EmployerBody {
    #[schema(value_type = Option<String>, example = "江门市江海区新能电子有限公司")]
    name: Field<String>,
    /// Optional; a wrong check character is accepted with a warning.
    #[schema(value_type = Option<String>, example = "91440704MA4UJ5X3AL")]
    uscc: Field<String>,
    #[schema(value_type = Option<String>, example = "440704")]
    region_code: Field<String>,
    #[schema(value_type = Option<String>)]
    address: Field<String>,
    #[schema(value_type = Option<String>)]
    industry: Field<String>,
    #[schema(value_type = Option<String>)]
    contact_name: Field<String>,
    #[schema(value_type = Option<String>)]
    contact_phone: Field<String>,
    #[schema(value_type = Option<bool>)]
    is_poverty_workshop: Field<bool>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn uscc(e: &mut Errors, raw: String, warnings: &mut Vec<Warning>) -> Option<Option<String>> {
    let Some(raw) = text(Some(raw)) else {
        return Some(None);
    };
    let (code, warning) = e.check("uscc", Uscc::parse(&raw))?;
    if let Some(w) = warning {
        warnings.push(Warning { field: "uscc".into(), code: w.code.into(), message: w.message });
    }
    Some(Some(code.as_str().to_string()))
}

fn required_text(e: &mut Errors, field: &str, v: Option<String>, max: usize) -> Option<String> {
    match text(v) {
        Some(s) if s.chars().count() > max => {
            e.push(field, "length", format!("at most {max} characters"));
            None
        }
        Some(s) => Some(s),
        None => {
            e.push(field, "required", format!("`{field}` is required"));
            None
        }
    }
}

fn contact_phone(e: &mut Errors, v: Option<Option<String>>) -> Option<Option<String>> {
    // Employers often give a landline, so only the length is checked unless
    // it looks like a mobile number.
    match v {
        Some(Some(p)) => match text(Some(p)) {
            Some(p) if p.starts_with('1') && p.len() == 11 => {
                e.check("contact_phone", Phone::parse(&p)).map(|p| Some(p.as_str().to_string()))
            }
            Some(p) if p.len() > 30 => {
                e.push("contact_phone", "length", "at most 30 characters");
                None
            }
            other => Some(other),
        },
        other => other,
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

fn duplicate_uscc(existing: i64) -> AppError {
    AppError::Conflict {
        detail: format!("this USCC is already registered as employer {existing}"),
        errors: vec![FieldError::new("uscc", "duplicate", "already registered")],
        existing_id: Some(existing),
    }
}

/// Register an employer (admin, clerk).
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", request_body = EmployerBody,
    responses((status = 201, body = EmployerView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<EmployerBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "register employers")?;
    let b = body.0;
    let mut e = Errors::default();
    let mut warnings = Vec::new();
    e.unknown(&b.extra);
    let name = e.required("name", b.name).and_then(|n| required_text(&mut e, "name", Some(n), 100));
    let uscc = match e.optional("uscc", b.uscc) {
        Some(raw) => uscc(&mut e, raw, &mut warnings),
        None => Some(None),
    };
    let region = e.required("region_code", b.region_code).and_then(|r| e.check("region_code", RegionCode::parse(&r)));
    let raw_phone = e.optional("contact_phone", b.contact_phone);
    let phone = contact_phone(&mut e, Some(raw_phone));
    let address = text(e.optional("address", b.address));
    let industry = text(e.optional("industry", b.industry));
    let contact_name = text(e.optional("contact_name", b.contact_name));
    let workshop = e.optional("is_poverty_workshop", b.is_poverty_workshop).unwrap_or(false);
    e.finish()?;
    let (Some(name), Some(uscc), Some(region), Some(phone)) = (name, uscc, region, phone) else {
        return Err(AppError::Internal(anyhow::anyhow!("validation passed with a missing value")));
    };
    let at = now();
    let new = EmployerInsert {
        name,
        uscc,
        region_code: region.as_str().to_string(),
        address,
        industry,
        contact_name,
        contact_phone: phone,
        is_poverty_workshop: workshop,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                if let Some(code) = &new.uscc {
                    if let Some(existing) = model::id_by_uscc(c, code)? {
                        return Err(duplicate_uscc(existing));
                    }
                }
                let row = model::insert(c, &new)?;
                audit::record(c, &actor, "create", "employer", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(EmployerView::of(row, warnings)))
}

/// One employer (every role).
#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers",
    responses((status = 200, body = EmployerView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "read employers")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound("employer"))).await?;
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
    require(&caller, ANYONE, "list employers")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let filter = EmployerFilter {
        name: text(q.name),
        uscc: text(q.uscc).map(|u| u.to_uppercase()),
        region_code: text(q.region_code),
        is_poverty_workshop: param::<bool>("is_poverty_workshop", &q.is_poverty_workshop)?,
    };
    let rows = state.db.run(move |c| Ok(model::list(c, &filter, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let items = rows.into_iter().map(|r| EmployerView::of(r, Vec::new())).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// Change an employer (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/employers/{id}", tag = "employers", request_body = EmployerBody,
    responses((status = 200, body = EmployerView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<EmployerBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change employers")?;
    let id = path.into_inner();
    let b = body.0;
    let mut e = Errors::default();
    let mut warnings = Vec::new();
    e.unknown(&b.extra);
    let version = e.required("version", b.version);
    let name = e.patch_required("name", b.name).and_then(|n| required_text(&mut e, "name", Some(n), 100));
    let uscc = match e.patch("uscc", b.uscc) {
        Some(Some(raw)) => uscc(&mut e, raw, &mut warnings),
        other => other.map(|_| None),
    };
    let region = e
        .patch_required("region_code", b.region_code)
        .and_then(|r| e.check("region_code", RegionCode::parse(&r)))
        .map(|r| r.as_str().to_string());
    let phone = e.patch("contact_phone", b.contact_phone);
    let phone = match phone {
        Some(v) => contact_phone(&mut e, Some(v)),
        None => None,
    };
    let changes = EmployerChanges {
        name,
        uscc,
        region_code: region,
        address: e.patch("address", b.address).map(text),
        industry: e.patch("industry", b.industry).map(text),
        contact_name: e.patch("contact_name", b.contact_name).map(text),
        contact_phone: phone,
        is_poverty_workshop: e.patch_required("is_poverty_workshop", b.is_poverty_workshop),
    };
    e.finish()?;
    let version = version.ok_or_else(|| AppError::invalid("version", "required", "`version` is required"))?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("employer"))?;
                if before.version != version {
                    return Err(AppError::stale(before.version));
                }
                if let Some(Some(code)) = &changes.uscc {
                    match model::id_by_uscc(c, code)? {
                        Some(existing) if existing != id => return Err(duplicate_uscc(existing)),
                        _ => {}
                    }
                }
                let row = model::update(c, id, version, &changes)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "employer", Some(id), Some(&before), Some(&row))?;
                // Search shows the employer's name and region on its postings.
                if row.name != before.name || row.region_code != before.region_code {
                    for posting in model::posting_ids(c, id)? {
                        crate::db::models::outbox::append(
                            c,
                            "posting",
                            posting,
                            crate::db::models::outbox::Op::Upsert,
                        )?;
                    }
                }
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(EmployerView::of(row, warnings)))
}

/// Delete an employer no posting or placement refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/employers/{id}", tag = "employers",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete employers")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("employer"))?;
                let (postings, placements, fairs) = model::references(c, id)?;
                if postings > 0 || placements > 0 || fairs > 0 {
                    return Err(AppError::conflict(format!(
                        "employer {id} is referred to by {postings} posting(s), {placements} placement(s) and \
                         {fairs} job fair(s); remove those first"
                    )));
                }
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "employer", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

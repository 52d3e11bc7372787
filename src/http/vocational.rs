//! `/api/v1/vocational-enrolments`: poor students at vocational schools (to
//! be counted when the school is in the east). Roles: admin and clerk.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::models::labourer;
use crate::db::models::vocational::{self as model, VocationalData, VocationalRow};
use crate::db::{write_tx, DbConnection};
use crate::domain::RegionCode;
use crate::error::{AppError, FieldError};
use crate::startup::AppState;

/// A vocational enrolment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VocationalView {
    /// Id.
    pub id: i64,
    /// The student.
    pub labourer_id: i64,
    /// School.
    pub school_name: String,
    /// Where the school is.
    pub school_region_code: String,
    /// Its name.
    pub school_region_name: Option<String>,
    /// Major.
    pub major: Option<String>,
    /// Enrolled on.
    pub enrolled_on: NaiveDate,
    /// studying, graduated or left.
    pub status: String,
    /// Graduated on.
    pub graduated_on: Option<NaiveDate>,
    /// Left on.
    pub left_on: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl VocationalView {
    fn of(r: VocationalRow) -> Self {
        VocationalView {
            id: r.id,
            school_region_name: region_full_name(&r.school_region_code),
            labourer_id: r.labourer_id,
            school_name: r.school_name,
            school_region_code: r.school_region_code,
            major: r.major,
            enrolled_on: r.enrolled_on,
            status: r.status,
            graduated_on: r.graduated_on,
            left_on: r.left_on,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct VocationalBody {
    #[schema(value_type = Option<i64>)]
    labourer_id: Field<i64>,
    #[schema(value_type = Option<String>, example = "江门市技师学院")]
    school_name: Field<String>,
    #[schema(value_type = Option<String>, example = "440703")]
    school_region_code: Field<String>,
    #[schema(value_type = Option<String>, example = "烹饪")]
    major: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    enrolled_on: Field<NaiveDate>,
    #[schema(value_type = Option<String>, example = "studying")]
    status: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    graduated_on: Field<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>)]
    left_on: Field<NaiveDate>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn parse(b: VocationalBody, mut d: VocationalData, creating: bool) -> Result<(VocationalData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if creating {
        if let Some(v) = e.required("labourer_id", b.labourer_id) {
            d.labourer_id = v;
        }
    } else if b.labourer_id != Field::Absent {
        e.push("labourer_id", "immutable", "an enrolment cannot move to another student");
    }
    if let Some(v) = e.set_required("school_name", b.school_name, creating) {
        match text(Some(v)) {
            Some(s) => d.school_name = s,
            None => e.push("school_name", "required", "`school_name` is required"),
        }
    }
    if let Some(v) = e.set_required("school_region_code", b.school_region_code, creating) {
        if let Some(r) = e.check("school_region_code", RegionCode::parse(&v)) {
            d.school_region_code = r.as_str().to_string();
        }
    }
    if let Some(v) = e.set("major", b.major, creating) {
        d.major = text(v);
    }
    if let Some(v) = e.set_required("enrolled_on", b.enrolled_on, creating) {
        d.enrolled_on = v;
    }
    if let Some(v) = e.set("status", b.status, creating) {
        let s = v.map(|s| s.trim().to_string()).unwrap_or_else(|| "studying".into());
        if ["studying", "graduated", "left"].contains(&s.as_str()) {
            d.status = s;
        } else {
            e.push("status", "enum", format!("`{s}` is not one of studying, graduated, left"));
        }
    }
    if let Some(v) = e.set("graduated_on", b.graduated_on, creating) {
        d.graduated_on = v;
    }
    if let Some(v) = e.set("left_on", b.left_on, creating) {
        d.left_on = v;
    }
    if d.enrolled_on != NaiveDate::MIN {
        for (field, date) in [("graduated_on", d.graduated_on), ("left_on", d.left_on)] {
            if date.is_some_and(|x| x < d.enrolled_on) {
                e.push(field, "date_order", format!("{field} is before enrolled_on {}", d.enrolled_on));
            }
        }
    }
    match d.status.as_str() {
        "graduated" if d.graduated_on.is_none() => {
            e.push("graduated_on", "required", "a graduate needs a graduation date")
        }
        "left" if d.left_on.is_none() => e.push("left_on", "required", "a student who left needs the date"),
        _ => {}
    }
    e.finish()?;
    Ok((d, version.unwrap_or_default()))
}

fn one_studying(c: &mut DbConnection, d: &VocationalData, except: Option<i64>) -> Result<(), AppError> {
    if d.status != "studying" {
        return Ok(());
    }
    if let Some(other) = model::studying(c, d.labourer_id, except)? {
        return Err(AppError::Conflict {
            detail: format!(
                "this student is already studying under enrolment {other}; mark it graduated or left first"
            ),
            errors: vec![FieldError::new("status", "already_studying", format!("enrolment {other} is current"))],
            existing_id: Some(other),
        });
    }
    Ok(())
}

/// Register a vocational enrolment (admin, clerk).
#[utoipa::path(post, path = "/api/v1/vocational-enrolments", tag = "vocational", request_body = VocationalBody,
    responses((status = 201, body = VocationalView), (status = 409, description = "already studying elsewhere", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<VocationalBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "register vocational students")?;
    let blank = VocationalData {
        labourer_id: 0,
        school_name: String::new(),
        school_region_code: String::new(),
        major: None,
        enrolled_on: NaiveDate::MIN,
        status: "studying".into(),
        graduated_on: None,
        left_on: None,
    };
    let (d, _) = parse(body.0, blank, true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                if !labourer::lock(c, d.labourer_id)? {
                    return Err(AppError::invalid("labourer_id", "not_found", "no labourer has this id"));
                }
                one_studying(c, &d, None)?;
                let row = model::insert(c, &d)?;
                audit::record(c, &actor, "create", "vocational_enrolment", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
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
    require(&caller, REGISTRY, "list vocational students")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let labourer_id = param::<i64>("labourer_id", &q.labourer_id)?;
    let status = text(q.status);
    let rows =
        state.db.run(move |c| Ok(model::list(c, labourer_id, status.as_deref(), page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(VocationalView::of).collect(), next_cursor }))
}

/// One vocational enrolment (admin, clerk).
#[utoipa::path(get, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational",
    responses((status = 200, body = VocationalView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read vocational students")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound("vocational enrolment"))).await?;
    Ok(HttpResponse::Ok().json(VocationalView::of(row)))
}

/// Change a vocational enrolment, e.g. record graduation (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational", request_body = VocationalBody,
    responses((status = 200, body = VocationalView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<VocationalBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change vocational students")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("vocational enrolment"))?;
                let base = VocationalData {
                    labourer_id: before.labourer_id,
                    school_name: before.school_name.clone(),
                    school_region_code: before.school_region_code.clone(),
                    major: before.major.clone(),
                    enrolled_on: before.enrolled_on,
                    status: before.status.clone(),
                    graduated_on: before.graduated_on,
                    left_on: before.left_on,
                };
                let (d, version) = parse(body, base, false)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                labourer::lock(c, d.labourer_id)?;
                one_studying(c, &d, Some(id))?;
                let row = model::update(c, id, version, &d)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "vocational_enrolment", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(VocationalView::of(row)))
}

/// Delete a vocational enrolment registered in error (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/vocational-enrolments/{id}", tag = "vocational",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete vocational students")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("vocational enrolment"))?;
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "vocational_enrolment", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

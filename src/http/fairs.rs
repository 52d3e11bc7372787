//! `/api/v1/fairs`: joint job fairs (粤桂扶贫协作招聘会) and the employers
//! taking part. Roles: admin and clerk manage every fair; an organiser
//! manages (and reads) only fairs whose `organisers` include their unit;
//! trainees may read fairs to know when and where they are.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::require;
use super::employers::EmployerView;
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::{Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::job_fair::{self as model, JobFairData, JobFairRow};
use crate::db::models::{employer, list_to_text};
use crate::db::{write_tx, DbConnection};
use crate::domain::RegionCode;
use crate::error::AppError;
use crate::startup::AppState;

/// A job fair as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairView {
    /// Id.
    pub id: i64,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back with PATCH.
    pub version: i32,
}

impl FairView {
    fn of(r: JobFairRow) -> FairView {
        FairView {
            id: r.id,
            region_name: region_full_name(&r.region_code),
            organisers: r.organiser_units(),
            name: r.name,
            held_on: r.held_on,
            venue: r.venue,
            region_code: r.region_code,
            online: r.online,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Whether the caller may manage this fair (check people in, record hires).
pub fn may_manage(caller: &Caller, fair: &JobFairRow) -> bool {
    match caller.role {
        Role::Admin | Role::Clerk => true,
        Role::Organiser => caller.unit.as_ref().is_some_and(|u| fair.organiser_units().contains(u)),
        Role::Trainee => false,
    }
}

/// Loads a fair the caller may manage: 404 if missing, 403 if not theirs.
pub fn managed_fair(c: &mut DbConnection, caller: &Caller, id: i64) -> Result<JobFairRow, AppError> {
    let fair = model::get(c, id)?.ok_or(AppError::NotFound("job fair"))?;
    if !may_manage(caller, &fair) {
        return Err(AppError::Forbidden(format!("job fair {id} is organised by other units; you may not manage it")));
    }
    Ok(fair)
}

/// Body of POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FairBody {
    #[schema(value_type = Option<String>, example = "2019年粤桂扶贫协作招聘会")]
    name: Field<String>,
    #[schema(value_type = Option<NaiveDate>, example = "2019-03-08")]
    held_on: Field<NaiveDate>,
    #[schema(value_type = Option<String>)]
    venue: Field<String>,
    #[schema(value_type = Option<String>, example = "451424")]
    region_code: Field<String>,
    #[schema(value_type = Option<Vec<String>>)]
    organisers: Field<Vec<String>>,
    #[schema(value_type = Option<bool>)]
    online: Field<bool>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn parse(b: FairBody, mut d: JobFairData, creating: bool, caller: &Caller) -> Result<(JobFairData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if let Some(v) = e.set_required("name", b.name, creating) {
        match text(Some(v)) {
            Some(n) if n.chars().count() <= 100 => d.name = n,
            Some(_) => e.push("name", "length", "at most 100 characters"),
            None => e.push("name", "required", "`name` is required"),
        }
    }
    if let Some(v) = e.set_required("held_on", b.held_on, creating) {
        d.held_on = v;
    }
    if let Some(v) = e.set("venue", b.venue, creating) {
        d.venue = text(v);
    }
    if let Some(v) = e.set_required("region_code", b.region_code, creating) {
        if let Some(r) = e.check("region_code", RegionCode::parse(&v)) {
            d.region_code = r.as_str().to_string();
        }
    }
    if let Some(v) = e.set_required("organisers", b.organisers, creating) {
        let units: Vec<String> = v.into_iter().filter_map(|u| text(Some(u))).collect();
        if units.is_empty() {
            e.push("organisers", "required", "name at least one organising unit");
        }
        d.organisers = list_to_text(&units);
    }
    let online = if creating { e.optional("online", b.online) } else { e.patch_required("online", b.online) };
    if let Some(v) = online {
        d.online = v;
    }
    e.finish()?;
    let fair_units: Vec<String> = crate::db::models::text_to_list(&d.organisers);
    if caller.role == Role::Organiser && !caller.unit.as_ref().is_some_and(|u| fair_units.contains(u)) {
        return Err(AppError::Forbidden("an organiser may only keep fairs that their own unit organises".into()));
    }
    Ok((d, version.unwrap_or_default()))
}

/// Roles that may manage fairs (organisers only their own).
pub const MANAGERS: &[Role] = &[Role::Admin, Role::Clerk, Role::Organiser];

/// Create a job fair (admin, clerk, organiser for their own unit).
#[utoipa::path(post, path = "/api/v1/fairs", tag = "fairs", request_body = FairBody,
    responses((status = 201, body = FairView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser when `organisers` include their unit.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<FairBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "create job fairs")?;
    let blank = JobFairData {
        name: String::new(),
        held_on: NaiveDate::default(),
        venue: None,
        region_code: String::new(),
        organisers: "[]".into(),
        online: false,
    };
    let (data, _) = parse(body.0, blank, true, &caller)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let row = model::insert(c, &data)?;
                audit::record(c, &actor, "create", "job_fair", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
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
    let unit = match caller.role {
        Role::Organiser => Some(caller.unit.clone().unwrap_or_default()),
        _ => None,
    };
    let rows = state.db.run(move |c| Ok(model::list(c, unit.as_deref(), year, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(FairView::of).collect(), next_cursor }))
}

/// One job fair.
#[utoipa::path(get, path = "/api/v1/fairs/{id}", tag = "fairs",
    responses((status = 200, body = FairView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, trainee; organiser: their unit's fairs only.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound("job fair"))).await?;
    if caller.role == Role::Organiser && !may_manage(&caller, &row) {
        return Err(AppError::Forbidden(format!("job fair {id} is organised by other units")));
    }
    Ok(HttpResponse::Ok().json(FairView::of(row)))
}

/// Change a job fair (admin, clerk, its organisers).
#[utoipa::path(patch, path = "/api/v1/fairs/{id}", tag = "fairs", request_body = FairBody,
    responses((status = 200, body = FairView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<FairBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "change job fairs")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = managed_fair(c, &caller, id)?;
                let base = JobFairData {
                    name: before.name.clone(),
                    held_on: before.held_on,
                    venue: before.venue.clone(),
                    region_code: before.region_code.clone(),
                    organisers: before.organisers.clone(),
                    online: before.online,
                };
                let (data, version) = parse(body, base, false, &caller)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                let row = model::update(c, id, version, &data)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "job_fair", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(FairView::of(row)))
}

/// Delete a job fair nothing refers to yet (admin, clerk, its organisers).
#[utoipa::path(delete, path = "/api/v1/fairs/{id}", tag = "fairs",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "delete job fairs")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = managed_fair(c, &caller, id)?;
                let n = model::references(c, id)?;
                if n > 0 {
                    return Err(AppError::conflict(format!(
                        "job fair {id} already has {n} attendee(s), intention(s), posting(s) or placement(s)"
                    )));
                }
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "job_fair", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Body of adding a participating employer.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FairEmployerBody {
    #[schema(value_type = i64)]
    employer_id: Field<i64>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Add a participating employer (admin, clerk, its organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/employers", tag = "fairs", request_body = FairEmployerBody,
    responses((status = 201, body = EmployerView), (status = 200, description = "already taking part", body = EmployerView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn add_employer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<FairEmployerBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "manage job fairs")?;
    let id = path.into_inner();
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let employer_id = e.required("employer_id", b.employer_id);
    e.finish()?;
    let employer_id = employer_id.unwrap_or_default();
    let actor = Actor::from(&caller);
    let (row, added) = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                managed_fair(c, &caller, id)?;
                let row = employer::get(c, employer_id)?
                    .ok_or_else(|| AppError::invalid("employer_id", "not_found", "no employer has this id"))?;
                let added = model::add_employer(c, id, employer_id)?;
                if added {
                    let what = serde_json::json!({ "employer_id": employer_id });
                    audit::record(c, &actor, "add_employer", "job_fair", Some(id), None::<&()>, Some(&what))?;
                }
                Ok((row, added))
            })
        })
        .await?;
    let view = super::employers::EmployerView::of(row, Vec::new());
    Ok(if added { HttpResponse::Created().json(view) } else { HttpResponse::Ok().json(view) })
}

/// The employers taking part in a fair.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/employers", tag = "fairs",
    responses((status = 200, body = ListOf<EmployerView>)), security(("bearer" = [])),
    description = "Roles: admin, clerk, trainee; organiser: their unit's fairs.")]
pub async fn employers(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let rows = state
        .db
        .run(move |c| {
            let fair = model::get(c, id)?.ok_or(AppError::NotFound("job fair"))?;
            if caller.role == Role::Organiser && !may_manage(&caller, &fair) {
                return Err(AppError::Forbidden(format!("job fair {id} is organised by other units")));
            }
            Ok(model::employers_of(c, id)?)
        })
        .await?;
    let items = rows.into_iter().map(|r| super::employers::EmployerView::of(r, Vec::new())).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor: None }))
}

/// Remove a participating employer (admin, clerk, its organisers).
#[utoipa::path(delete, path = "/api/v1/fairs/{id}/employers/{employer_id}", tag = "fairs",
    responses((status = 204), (status = 404, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn remove_employer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "manage job fairs")?;
    let (id, employer_id) = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                managed_fair(c, &caller, id)?;
                if model::remove_employer(c, id, employer_id)? == 0 {
                    return Err(AppError::NotFound("participating employer"));
                }
                let what = serde_json::json!({ "employer_id": employer_id });
                audit::record(c, &actor, "remove_employer", "job_fair", Some(id), Some(&what), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

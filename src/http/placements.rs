//! `/api/v1/placements` (就业登记). Roles: admin and clerk read and write;
//! a trainee reads their own.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::{Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::placement::{self as model, PlacementChanges, PlacementFilter, PlacementInsert, PlacementRow};
use crate::db::models::{employer, job_fair, labourer, now, posting, training};
use crate::db::{write_tx, DbConnection};
use crate::domain::RegionCode;
use crate::error::{AppError, FieldError};
use crate::startup::AppState;

/// How the person found the job.
pub const CHANNELS: &[&str] = &["job_fair", "training", "referral", "self_found", "public_service"];

/// A placement as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementView {
    /// Id.
    pub id: i64,
    /// Who.
    pub labourer_id: i64,
    /// Registered employer, if any.
    pub employer_id: Option<i64>,
    /// Employer's name when not registered.
    pub employer_name: Option<String>,
    /// The posting filled, if any.
    pub posting_id: Option<i64>,
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
    pub channel: String,
    /// Part-time work may overlap another placement.
    pub part_time: bool,
    /// Contract or social-insurance reference.
    pub evidence: Option<String>,
    /// When a clerk verified it.
    pub verified_on: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<String>,
    /// The job fair that led to it (channel `job_fair`).
    pub job_fair_id: Option<i64>,
    /// The training enrolment that led to it (channel `training`).
    pub enrolment_id: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back with PATCH.
    pub version: i32,
}

impl PlacementView {
    /// The view of a row.
    pub fn of(r: PlacementRow) -> PlacementView {
        PlacementView {
            id: r.id,
            region_name: region_full_name(&r.region_code),
            labourer_id: r.labourer_id,
            employer_id: r.employer_id,
            employer_name: r.employer_name,
            posting_id: r.posting_id,
            region_code: r.region_code,
            occupation: r.occupation,
            started_on: r.started_on,
            ended_on: r.ended_on,
            monthly_income: r.monthly_income,
            channel: r.channel,
            part_time: r.part_time,
            evidence: r.evidence,
            verified_on: r.verified_on,
            notes: r.notes,
            job_fair_id: r.job_fair_id,
            enrolment_id: r.enrolment_id,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlacementBody {
    #[schema(value_type = Option<i64>)]
    labourer_id: Field<i64>,
    #[schema(value_type = Option<i64>)]
    employer_id: Field<i64>,
    /// For an employer not in the registry.
    #[schema(value_type = Option<String>)]
    employer_name: Field<String>,
    #[schema(value_type = Option<i64>)]
    posting_id: Field<i64>,
    #[schema(value_type = Option<String>, example = "440704")]
    region_code: Field<String>,
    #[schema(value_type = Option<String>)]
    occupation: Field<String>,
    #[schema(value_type = Option<NaiveDate>, example = "2019-03-01")]
    started_on: Field<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>)]
    ended_on: Field<NaiveDate>,
    #[schema(value_type = Option<i32>, example = 4200)]
    monthly_income: Field<i32>,
    #[schema(value_type = Option<String>, example = "referral")]
    channel: Field<String>,
    #[schema(value_type = Option<bool>)]
    part_time: Field<bool>,
    #[schema(value_type = Option<String>)]
    evidence: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    verified_on: Field<NaiveDate>,
    #[schema(value_type = Option<String>)]
    notes: Field<String>,
    /// The job fair that led to it.
    #[schema(value_type = Option<i64>)]
    job_fair_id: Field<i64>,
    /// The training enrolment that led to it.
    #[schema(value_type = Option<i64>)]
    enrolment_id: Field<i64>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Lays the body over `r` (defaults for POST, the stored record for PATCH)
/// and checks the result as it would be saved.
fn parse(b: PlacementBody, mut r: PlacementInsert, creating: bool) -> Result<(PlacementInsert, Option<i32>), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { None } else { e.required("version", b.version) };
    macro_rules! req {
        ($f:ident) => {
            if creating {
                e.required(stringify!($f), b.$f)
            } else {
                e.patch_required(stringify!($f), b.$f)
            }
        };
    }
    macro_rules! opt {
        ($f:ident) => {
            if creating {
                Some(e.optional(stringify!($f), b.$f))
            } else {
                e.patch(stringify!($f), b.$f)
            }
        };
    }
    if creating {
        if let Some(v) = e.required("labourer_id", b.labourer_id) {
            r.labourer_id = v;
        }
    } else if b.labourer_id != Field::Absent {
        e.push(
            "labourer_id",
            "immutable",
            "a placement cannot move to another person; delete it and register a new one",
        );
    }
    if let Some(v) = opt!(employer_id) {
        r.employer_id = v;
    }
    if let Some(v) = opt!(employer_name) {
        r.employer_name = text(v);
    }
    if let Some(v) = opt!(posting_id) {
        r.posting_id = v;
    }
    if let Some(v) = req!(region_code) {
        if let Some(code) = e.check("region_code", RegionCode::parse(&v)) {
            r.region_code = code.as_str().to_string();
        }
    }
    if let Some(v) = opt!(occupation) {
        r.occupation = text(v);
    }
    if let Some(v) = req!(started_on) {
        r.started_on = v;
    }
    if let Some(v) = opt!(ended_on) {
        r.ended_on = v;
    }
    if let Some(v) = opt!(monthly_income) {
        match v {
            Some(n) if !(0..=1_000_000).contains(&n) => {
                e.push("monthly_income", "range", "must be between 0 and 1000000")
            }
            other => r.monthly_income = other,
        }
    }
    if let Some(v) = req!(channel) {
        let v = v.trim().to_string();
        if CHANNELS.contains(&v.as_str()) {
            r.channel = v;
        } else {
            e.push("channel", "enum", format!("`{v}` is not one of {}", CHANNELS.join(", ")));
        }
    }
    if let Some(v) =
        if creating { e.optional("part_time", b.part_time) } else { e.patch_required("part_time", b.part_time) }
    {
        r.part_time = v;
    }
    if let Some(v) = opt!(evidence) {
        r.evidence = text(v);
    }
    if let Some(v) = opt!(verified_on) {
        r.verified_on = v;
    }
    if let Some(v) = opt!(notes) {
        r.notes = text(v);
    }
    if let Some(v) = opt!(job_fair_id) {
        r.job_fair_id = v;
    }
    if let Some(v) = opt!(enrolment_id) {
        r.enrolment_id = v;
    }
    if let Some(end) = r.ended_on {
        if end < r.started_on && r.started_on != NaiveDate::MIN {
            e.push("ended_on", "date_order", format!("ended_on {end} is before started_on {}", r.started_on));
        }
    }
    if r.employer_id.is_none() && r.employer_name.is_none() && r.posting_id.is_none() {
        e.push("employer_id", "required", "give employer_id, or employer_name for an employer not in the registry");
    }
    e.finish()?;
    Ok((r, version))
}

fn blank() -> PlacementInsert {
    let at = now();
    PlacementInsert {
        labourer_id: 0,
        employer_id: None,
        employer_name: None,
        posting_id: None,
        region_code: String::new(),
        occupation: None,
        started_on: NaiveDate::MIN,
        ended_on: None,
        monthly_income: None,
        channel: String::new(),
        part_time: false,
        evidence: None,
        verified_on: None,
        notes: None,
        job_fair_id: None,
        enrolment_id: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

fn as_insert(r: &PlacementRow) -> PlacementInsert {
    PlacementInsert {
        labourer_id: r.labourer_id,
        employer_id: r.employer_id,
        employer_name: r.employer_name.clone(),
        posting_id: r.posting_id,
        region_code: r.region_code.clone(),
        occupation: r.occupation.clone(),
        started_on: r.started_on,
        ended_on: r.ended_on,
        monthly_income: r.monthly_income,
        channel: r.channel.clone(),
        part_time: r.part_time,
        evidence: r.evidence.clone(),
        verified_on: r.verified_on,
        notes: r.notes.clone(),
        job_fair_id: r.job_fair_id,
        enrolment_id: r.enrolment_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

/// The checks that need the database: referenced records exist, the
/// posting's employer is filled in, and full-time placements do not overlap.
pub fn check_in_db(c: &mut DbConnection, r: &mut PlacementInsert, except: Option<i64>) -> Result<(), AppError> {
    let mut e = Errors::default();
    if !labourer::lock(c, r.labourer_id)? {
        e.push("labourer_id", "not_found", "no labourer has this id");
    }
    if let Some(pid) = r.posting_id {
        match posting::get(c, pid)? {
            None => e.push("posting_id", "not_found", "no posting has this id"),
            Some(p) => {
                match r.employer_id {
                    None => r.employer_id = Some(p.employer_id),
                    Some(eid) if eid != p.employer_id => e.push(
                        "employer_id",
                        "mismatch",
                        format!("posting {pid} belongs to employer {}", p.employer_id),
                    ),
                    _ => {}
                }
                if r.occupation.is_none() {
                    r.occupation = p.occupation;
                }
            }
        }
    }
    if let Some(eid) = r.employer_id {
        if employer::get(c, eid)?.is_none() {
            e.push("employer_id", "not_found", "no employer has this id");
        }
    }
    if let Some(fid) = r.job_fair_id {
        if job_fair::get(c, fid)?.is_none() {
            e.push("job_fair_id", "not_found", "no job fair has this id");
        }
    }
    if let Some(eid) = r.enrolment_id {
        match training::enrolment(c, eid)? {
            None => e.push("enrolment_id", "not_found", "no enrolment has this id"),
            Some(en) if en.labourer_id != r.labourer_id => {
                e.push("enrolment_id", "mismatch", format!("enrolment {eid} is another person's"))
            }
            Some(_) => {}
        }
    }
    e.finish()?;
    if !r.part_time {
        let clash = model::overlapping(c, r.labourer_id, r.started_on, r.ended_on, except)?;
        if let Some(other) = clash.first() {
            let until = other.ended_on.map(|d| d.to_string()).unwrap_or_else(|| "now (ongoing)".into());
            return Err(AppError::Conflict {
                detail: format!(
                    "labourer {} already has placement {} from {} to {until}; end it first, or mark one part_time",
                    r.labourer_id, other.id, other.started_on
                ),
                errors: vec![FieldError::new("started_on", "overlap", format!("overlaps placement {}", other.id))],
                existing_id: Some(other.id),
            });
        }
    }
    Ok(())
}

/// Register a placement (admin, clerk).
#[utoipa::path(post, path = "/api/v1/placements", tag = "placements", request_body = PlacementBody,
    responses((status = 201, body = PlacementView), (status = 409, description = "overlaps another full-time placement", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<PlacementBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "register placements")?;
    let (mut new, _) = parse(body.0, blank(), true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                check_in_db(c, &mut new, None)?;
                let row = model::insert(c, &new)?;
                audit::record(c, &actor, "create", "placement", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(PlacementView::of(row)))
}

/// One placement (admin, clerk; a trainee their own).
#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements",
    responses((status = 200, body = PlacementView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own placements.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    if !(caller.is(REGISTRY) || caller.role == Role::Trainee) {
        return Err(AppError::Forbidden(format!("role `{}` may not read placements", caller.role)));
    }
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound("placement"))).await?;
    if caller.role == Role::Trainee && !caller.owns_labourer(row.labourer_id) {
        return Err(AppError::Forbidden("you may read only your own placements".into()));
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
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let mut filter = PlacementFilter {
        labourer_id: param::<i64>("labourer_id", &q.labourer_id)?,
        employer_id: param::<i64>("employer_id", &q.employer_id)?,
        channel: text(q.channel),
        started_from: param::<NaiveDate>("started_from", &q.started_from)?,
        started_to: param::<NaiveDate>("started_to", &q.started_to)?,
    };
    match caller.role {
        Role::Admin | Role::Clerk => {}
        Role::Trainee => match (caller.labourer_id, filter.labourer_id) {
            (Some(own), None) => filter.labourer_id = Some(own),
            (Some(own), Some(asked)) if own == asked => {}
            _ => return Err(AppError::Forbidden("you may list only your own placements".into())),
        },
        Role::Organiser => return Err(AppError::Forbidden("role `organiser` may not list placements".into())),
    }
    let rows = state.db.run(move |c| Ok(model::list(c, &filter, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(PlacementView::of).collect(), next_cursor }))
}

/// Change a placement, e.g. record its end (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/placements/{id}", tag = "placements", request_body = PlacementBody,
    responses((status = 200, body = PlacementView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<PlacementBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change placements")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("placement"))?;
                let (mut after, version) = parse(body, as_insert(&before), false)?;
                let version = version.unwrap_or_default();
                if before.version != version {
                    return Err(AppError::stale(before.version));
                }
                check_in_db(c, &mut after, Some(id))?;
                let changes = PlacementChanges {
                    employer_id: Some(after.employer_id),
                    employer_name: Some(after.employer_name),
                    posting_id: Some(after.posting_id),
                    region_code: Some(after.region_code),
                    occupation: Some(after.occupation),
                    started_on: Some(after.started_on),
                    ended_on: Some(after.ended_on),
                    monthly_income: Some(after.monthly_income),
                    channel: Some(after.channel),
                    part_time: Some(after.part_time),
                    evidence: Some(after.evidence),
                    verified_on: Some(after.verified_on),
                    notes: Some(after.notes),
                    job_fair_id: Some(after.job_fair_id),
                    enrolment_id: Some(after.enrolment_id),
                };
                let row = model::update(c, id, version, &changes)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "placement", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(PlacementView::of(row)))
}

/// Delete a placement registered in error (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/placements/{id}", tag = "placements",
    responses((status = 204), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete placements")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("placement"))?;
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "placement", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

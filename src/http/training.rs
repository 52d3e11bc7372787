//! `/api/v1/training`: programmes (e.g. the free 粤菜师傅 class at the Taishan
//! culinary technical school), their sessions, and enrolments ending in a
//! certificate. Roles: every role reads programmes and sessions; admin and
//! clerk keep them and the enrolments.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, ANYONE, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::models::labourer;
use crate::db::models::training::{
    self as model, EnrolmentRow, Outcome, ProgrammeData, ProgrammeRow, SessionData, SessionRow,
};
use crate::db::write_tx;
use crate::domain::RegionCode;
use crate::error::{AppError, FieldError};
use crate::startup::AppState;

/// A programme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeView {
    /// Id.
    pub id: i64,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl ProgrammeView {
    fn of(r: ProgrammeRow) -> Self {
        ProgrammeView {
            id: r.id,
            provider_region_name: r.provider_region_code.as_deref().and_then(region_full_name),
            name: r.name,
            occupation: r.occupation,
            provider: r.provider,
            provider_region_code: r.provider_region_code,
            free: r.free,
            certificate_name: r.certificate_name,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of programme POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeBody {
    #[schema(value_type = Option<String>, example = "粤菜师傅")]
    name: Field<String>,
    #[schema(value_type = Option<String>, example = "中式烹调师")]
    occupation: Field<String>,
    #[schema(value_type = Option<String>, example = "台山市广东厨艺技工学校")]
    provider: Field<String>,
    #[schema(value_type = Option<String>, example = "440781")]
    provider_region_code: Field<String>,
    #[schema(value_type = Option<bool>)]
    free: Field<bool>,
    #[schema(value_type = Option<String>, example = "中式烹调师")]
    certificate_name: Field<String>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn required_text(e: &mut Errors, field: &str, v: String) -> Option<String> {
    let t = text(Some(v));
    if t.is_none() {
        e.push(field, "required", format!("`{field}` is required"));
    }
    t
}

fn parse_programme(b: ProgrammeBody, mut d: ProgrammeData, creating: bool) -> Result<(ProgrammeData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if let Some(v) = e.set_required("name", b.name, creating).and_then(|v| required_text(&mut e, "name", v)) {
        d.name = v;
    }
    if let Some(v) = e.set("occupation", b.occupation, creating) {
        d.occupation = text(v);
    }
    if let Some(v) = e.set_required("provider", b.provider, creating).and_then(|v| required_text(&mut e, "provider", v))
    {
        d.provider = v;
    }
    if let Some(v) = e.set("provider_region_code", b.provider_region_code, creating) {
        d.provider_region_code = match v {
            Some(code) => e.check("provider_region_code", RegionCode::parse(&code)).map(|r| r.as_str().to_string()),
            None => None,
        };
    }
    if let Some(v) = e.set("free", b.free, creating) {
        d.free = v.unwrap_or(true);
    }
    if let Some(v) = e.set("certificate_name", b.certificate_name, creating) {
        d.certificate_name = text(v);
    }
    e.finish()?;
    Ok((d, version.unwrap_or_default()))
}

/// Create a programme (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/programmes", tag = "training", request_body = ProgrammeBody,
    responses((status = 201, body = ProgrammeView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create_programme(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<ProgrammeBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "create training programmes")?;
    let blank = ProgrammeData {
        name: String::new(),
        occupation: None,
        provider: String::new(),
        provider_region_code: None,
        free: true,
        certificate_name: None,
    };
    let (d, _) = parse_programme(body.0, blank, true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let row = model::insert_programme(c, &d)?;
                audit::record(c, &actor, "create", "training_programme", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ProgrammeView::of(row)))
}

/// Paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Only sessions of this programme (sessions list only).
    programme_id: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List programmes (every role).
#[utoipa::path(get, path = "/api/v1/training/programmes", tag = "training", params(PageQuery),
    responses((status = 200, body = ListOf<ProgrammeView>)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn programmes(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "read programmes")?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state.db.run(move |c| Ok(model::programmes(c, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(ProgrammeView::of).collect(), next_cursor }))
}

/// One programme (every role).
#[utoipa::path(get, path = "/api/v1/training/programmes/{id}", tag = "training",
    responses((status = 200, body = ProgrammeView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn programme(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "read programmes")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::programme(c, id)?.ok_or(AppError::NotFound("training programme"))).await?;
    Ok(HttpResponse::Ok().json(ProgrammeView::of(row)))
}

/// Change a programme (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/programmes/{id}", tag = "training", request_body = ProgrammeBody,
    responses((status = 200, body = ProgrammeView), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch_programme(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<ProgrammeBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change training programmes")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::programme(c, id)?.ok_or(AppError::NotFound("training programme"))?;
                let base = ProgrammeData {
                    name: before.name.clone(),
                    occupation: before.occupation.clone(),
                    provider: before.provider.clone(),
                    provider_region_code: before.provider_region_code.clone(),
                    free: before.free,
                    certificate_name: before.certificate_name.clone(),
                };
                let (d, version) = parse_programme(body, base, false)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                let row = model::update_programme(c, id, version, &d)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "training_programme", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
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
    require(&caller, REGISTRY, "delete training programmes")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::programme(c, id)?.ok_or(AppError::NotFound("training programme"))?;
                let n = model::session_count(c, id)?;
                if n > 0 {
                    return Err(AppError::conflict(format!("programme {id} has {n} session(s); delete those first")));
                }
                model::delete_programme(c, id)?;
                audit::record(c, &actor, "delete", "training_programme", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A session (one class, 期) as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Id.
    pub id: i64,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl SessionView {
    fn of(r: SessionRow) -> Self {
        SessionView {
            id: r.id,
            programme_id: r.programme_id,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            capacity: r.capacity,
            location: r.location,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of session POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SessionBody {
    #[schema(value_type = Option<i64>)]
    programme_id: Field<i64>,
    #[schema(value_type = Option<NaiveDate>, example = "2019-05-06")]
    starts_on: Field<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>, example = "2019-06-14")]
    ends_on: Field<NaiveDate>,
    #[schema(value_type = Option<i32>, example = 40)]
    capacity: Field<i32>,
    #[schema(value_type = Option<String>)]
    location: Field<String>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn parse_session(b: SessionBody, mut d: SessionData, creating: bool) -> Result<(SessionData, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = if creating { Some(0) } else { e.required("version", b.version) };
    if let Some(v) = e.set_required("programme_id", b.programme_id, creating) {
        d.programme_id = v;
    }
    if let Some(v) = e.set_required("starts_on", b.starts_on, creating) {
        d.starts_on = v;
    }
    if let Some(v) = e.set_required("ends_on", b.ends_on, creating) {
        d.ends_on = v;
    }
    if let Some(v) = e.set_required("capacity", b.capacity, creating) {
        if (1..=10_000).contains(&v) {
            d.capacity = v;
        } else {
            e.push("capacity", "range", "must be between 1 and 10000");
        }
    }
    if let Some(v) = e.set("location", b.location, creating) {
        d.location = text(v);
    }
    if d.ends_on < d.starts_on && d.starts_on != NaiveDate::MIN {
        e.push("ends_on", "date_order", format!("ends_on {} is before starts_on {}", d.ends_on, d.starts_on));
    }
    e.finish()?;
    Ok((d, version.unwrap_or_default()))
}

fn no_programme() -> AppError {
    AppError::invalid("programme_id", "not_found", "no training programme has this id")
}

/// Create a session (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/sessions", tag = "training", request_body = SessionBody,
    responses((status = 201, body = SessionView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create_session(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<SessionBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "create training sessions")?;
    let blank = SessionData {
        programme_id: 0,
        starts_on: NaiveDate::MIN,
        ends_on: NaiveDate::MIN,
        capacity: 1,
        location: None,
    };
    let (d, _) = parse_session(body.0, blank, true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                model::programme(c, d.programme_id)?.ok_or_else(no_programme)?;
                let row = model::insert_session(c, &d)?;
                audit::record(c, &actor, "create", "training_session", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
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
    require(&caller, ANYONE, "read sessions")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let programme_id = param::<i64>("programme_id", &q.programme_id)?;
    let rows = state.db.run(move |c| Ok(model::sessions(c, programme_id, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(SessionView::of).collect(), next_cursor }))
}

/// One session (every role).
#[utoipa::path(get, path = "/api/v1/training/sessions/{id}", tag = "training",
    responses((status = 200, body = SessionView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: any.")]
pub async fn session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "read sessions")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::session(c, id)?.ok_or(AppError::NotFound("training session"))).await?;
    Ok(HttpResponse::Ok().json(SessionView::of(row)))
}

/// Change a session (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/sessions/{id}", tag = "training", request_body = SessionBody,
    responses((status = 200, body = SessionView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<SessionBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change training sessions")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::session(c, id)?.ok_or(AppError::NotFound("training session"))?;
                let base = SessionData {
                    programme_id: before.programme_id,
                    starts_on: before.starts_on,
                    ends_on: before.ends_on,
                    capacity: before.capacity,
                    location: before.location.clone(),
                };
                let (d, version) = parse_session(body, base, false)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                if d.programme_id != before.programme_id {
                    model::programme(c, d.programme_id)?.ok_or_else(no_programme)?;
                }
                let taken = model::places_taken(c, id)?;
                if i64::from(d.capacity) < taken {
                    return Err(AppError::Conflict {
                        detail: format!("{taken} people are enrolled; capacity cannot drop below that"),
                        errors: vec![FieldError::new("capacity", "below_enrolled", format!("{taken} enrolled"))],
                        existing_id: None,
                    });
                }
                let row = model::update_session(c, id, version, &d)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "training_session", Some(id), Some(&before), Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(SessionView::of(row)))
}

/// Delete a session nobody is enrolled in (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/training/sessions/{id}", tag = "training",
    responses((status = 204), (status = 409, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete training sessions")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::session(c, id)?.ok_or(AppError::NotFound("training session"))?;
                let n = model::enrolment_count(c, id)?;
                if n > 0 {
                    return Err(AppError::conflict(format!("session {id} has {n} enrolment(s)")));
                }
                model::delete_session(c, id)?;
                audit::record(c, &actor, "delete", "training_session", Some(id), Some(&before), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An enrolment as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    /// Id.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// The trainee.
    pub labourer_id: i64,
    /// enrolled, completed or dropped.
    pub status: String,
    /// When completed.
    pub completed_on: Option<NaiveDate>,
    /// 证书编号.
    pub certificate_no: Option<String>,
    /// qualification (职业资格), skill_level (职业技能等级), special_ability (专项职业能力).
    pub certificate_kind: Option<String>,
    /// e.g. 五级/初级工.
    pub certificate_level: Option<String>,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl EnrolmentView {
    fn of(r: EnrolmentRow) -> Self {
        EnrolmentView {
            id: r.id,
            session_id: r.session_id,
            labourer_id: r.labourer_id,
            status: r.status,
            completed_on: r.completed_on,
            certificate_no: r.certificate_no,
            certificate_kind: r.certificate_kind,
            certificate_level: r.certificate_level,
            certified_on: r.certified_on,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of enrolling.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EnrolBody {
    #[schema(value_type = i64)]
    labourer_id: Field<i64>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Enrol a person in a session (admin, clerk).
#[utoipa::path(post, path = "/api/v1/training/sessions/{id}/enrolments", tag = "training", request_body = EnrolBody,
    responses((status = 201, body = EnrolmentView), (status = 409, description = "full, or already enrolled", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn enrol(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<EnrolBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "enrol trainees")?;
    let session_id = path.into_inner();
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let labourer_id = e.required("labourer_id", b.labourer_id);
    e.finish()?;
    let labourer_id = labourer_id.unwrap_or_default();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                // Lock the session first: two enrolments for its last place must queue.
                if !model::lock_session(c, session_id)? {
                    return Err(AppError::NotFound("training session"));
                }
                let session = model::session(c, session_id)?.ok_or(AppError::NotFound("training session"))?;
                if labourer::get(c, labourer_id)?.is_none() {
                    return Err(AppError::invalid("labourer_id", "not_found", "no labourer has this id"));
                }
                if let Some(existing) = model::enrolment_of(c, session_id, labourer_id)? {
                    return Err(AppError::Conflict {
                        detail: format!("already enrolled in this session (enrolment {})", existing.id),
                        errors: vec![FieldError::new("labourer_id", "duplicate", "already enrolled")],
                        existing_id: Some(existing.id),
                    });
                }
                let taken = model::places_taken(c, session_id)?;
                if taken >= i64::from(session.capacity) {
                    return Err(AppError::Conflict {
                        detail: format!("session {session_id} is full: {taken} of {} places taken", session.capacity),
                        errors: vec![FieldError::new("labourer_id", "capacity", "the session is full")],
                        existing_id: None,
                    });
                }
                let row = model::enrol(c, session_id, labourer_id)?;
                audit::record(c, &actor, "create", "enrolment", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(EnrolmentView::of(row)))
}

/// A session's enrolments (admin, clerk).
#[utoipa::path(get, path = "/api/v1/training/sessions/{id}/enrolments", tag = "training", params(PageQuery),
    responses((status = 200, body = ListOf<EnrolmentView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn enrolments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "see enrolments")?;
    let session_id = path.into_inner();
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state
        .db
        .run(move |c| {
            model::session(c, session_id)?.ok_or(AppError::NotFound("training session"))?;
            Ok(model::enrolments_of(c, session_id, page.after, page.limit + 1)?)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(EnrolmentView::of).collect(), next_cursor }))
}

/// Body of an enrolment's outcome.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OutcomeBody {
    #[schema(value_type = Option<String>, example = "completed")]
    status: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    completed_on: Field<NaiveDate>,
    #[schema(value_type = Option<String>)]
    certificate_no: Field<String>,
    #[schema(value_type = Option<String>, example = "qualification")]
    certificate_kind: Field<String>,
    #[schema(value_type = Option<String>, example = "五级/初级工")]
    certificate_level: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    certified_on: Field<NaiveDate>,
    /// Required: the version you read.
    #[schema(value_type = i32)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

const KINDS: &[&str] = &["qualification", "skill_level", "special_ability"];

fn parse_outcome(b: OutcomeBody, mut o: Outcome, session: &SessionRow) -> Result<(Outcome, i32), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let version = e.required("version", b.version);
    if let Some(s) = e.patch_required("status", b.status) {
        let s = s.trim().to_string();
        if ["enrolled", "completed", "dropped"].contains(&s.as_str()) {
            o.status = s;
        } else {
            e.push("status", "enum", format!("`{s}` is not one of enrolled, completed, dropped"));
        }
    }
    if let Some(v) = e.patch("completed_on", b.completed_on) {
        o.completed_on = v;
    }
    if let Some(v) = e.patch("certificate_no", b.certificate_no) {
        o.certificate_no = text(v);
    }
    if let Some(v) = e.patch("certificate_kind", b.certificate_kind) {
        o.certificate_kind = match text(v) {
            Some(k) if KINDS.contains(&k.as_str()) => Some(k),
            Some(k) => {
                e.push("certificate_kind", "enum", format!("`{k}` is not one of {}", KINDS.join(", ")));
                None
            }
            None => None,
        };
    }
    if let Some(v) = e.patch("certificate_level", b.certificate_level) {
        o.certificate_level = text(v);
    }
    if let Some(v) = e.patch("certified_on", b.certified_on) {
        o.certified_on = v;
    }
    // The record as it would be saved must make sense as a whole.
    if o.status == "completed" {
        match o.completed_on {
            None => e.push("completed_on", "required", "a completed enrolment needs its completion date"),
            Some(d) if d < session.starts_on => {
                e.push("completed_on", "date_order", format!("before the session started on {}", session.starts_on))
            }
            _ => {}
        }
    } else if o.certificate_no.is_some() {
        e.push("certificate_no", "not_completed", "only a completed enrolment carries a certificate");
    }
    if o.certificate_no.is_some() && o.certified_on.is_none() {
        e.push("certified_on", "required", "a certificate needs its date of issue");
    }
    if o.certificate_no.is_none()
        && (o.certificate_kind.is_some() || o.certified_on.is_some() || o.certificate_level.is_some())
    {
        e.push("certificate_no", "required", "give the certificate number with its kind, level or date");
    }
    e.finish()?;
    Ok((o, version.unwrap_or_default()))
}

/// Record an enrolment's outcome: completion, certificate, or drop-out (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/training/sessions/{id}/enrolments/{enrolment_id}", tag = "training", request_body = OutcomeBody,
    responses((status = 200, body = EnrolmentView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. A completed enrolment with a certificate adds it to the labourer's `certificates`.")]
pub async fn set_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
    body: Json<OutcomeBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "record training outcomes")?;
    let (session_id, enrolment_id) = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let session = model::session(c, session_id)?.ok_or(AppError::NotFound("training session"))?;
                let before = model::enrolment(c, enrolment_id)?
                    .filter(|e| e.session_id == session_id)
                    .ok_or(AppError::NotFound("enrolment"))?;
                let base = Outcome {
                    status: before.status.clone(),
                    completed_on: before.completed_on,
                    certificate_no: before.certificate_no.clone(),
                    certificate_kind: before.certificate_kind.clone(),
                    certificate_level: before.certificate_level.clone(),
                    certified_on: before.certified_on,
                };
                let (o, version) = parse_outcome(body, base, &session)?;
                if version != before.version {
                    return Err(AppError::stale(before.version));
                }
                if before.status == "dropped" && o.status != "dropped" {
                    // Coming back takes a place again.
                    let taken = model::places_taken(c, session_id)?;
                    if taken >= i64::from(session.capacity) {
                        return Err(AppError::conflict(format!("session {session_id} is full")));
                    }
                }
                let row =
                    model::set_outcome(c, enrolment_id, version, &o)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "enrolment", Some(enrolment_id), Some(&before), Some(&row))?;
                crate::db::models::outbox::append(
                    c,
                    "labourer",
                    row.labourer_id,
                    crate::db::models::outbox::Op::Upsert,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(EnrolmentView::of(row)))
}

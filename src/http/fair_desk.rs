//! At the fair: check-in at the door, the attendee list, and intentions that
//! end in a hire. Roles: admin, clerk, and the fair's own organisers (who
//! see ID numbers masked).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::require;
use super::fairs::{managed_fair, MANAGERS};
use super::input::{text, Errors, Field, Json, Page, Query};
use super::placements::{check_in_db, PlacementView};
use super::views::{utc, ListOf, Warning};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::models::job_fair::{self as model, IntentionRow};
use crate::db::models::labourer::{self, LabourerInsert};
use crate::db::models::outbox::{self, Op};
use crate::db::models::placement::{self, PlacementInsert};
use crate::db::models::{now, posting};
use crate::db::write_tx;
use crate::domain::{mask_id_number, IdNumber, Phone, PovertyStatus};
use crate::error::{AppError, FieldError};
use crate::startup::AppState;

/// Check-in body: the ID number typed or scanned at the door, and for a
/// person not yet registered, their name and phone.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CheckInBody {
    #[schema(value_type = String, example = "45142419900307123X")]
    id_number: Field<String>,
    #[schema(value_type = Option<String>)]
    name: Field<String>,
    #[schema(value_type = Option<String>)]
    phone: Field<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// The result of a check-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInView {
    /// The fair.
    pub job_fair_id: i64,
    /// The person.
    pub labourer_id: i64,
    /// Their name as registered.
    pub name: String,
    /// Masked unless the caller may see full ID numbers.
    pub id_number: String,
    /// When they were (first) checked in.
    pub checked_in_at: DateTime<Utc>,
    /// Registered on the spot by this check-in (poverty status `unverified`).
    pub newly_registered: bool,
    /// They had already been checked in; nothing was added.
    pub already_checked_in: bool,
    /// Remarks, e.g. a name that differs from the registered one.
    pub warnings: Vec<Warning>,
}

/// Check a person in at the door (admin, clerk, the fair's organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/check-ins", tag = "fairs", request_body = CheckInBody,
    responses((status = 201, body = CheckInView), (status = 200, description = "already checked in; nothing added", body = CheckInView),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs. An unregistered person with a valid ID number, name and phone is registered (`unverified`) and checked in in one transaction.")]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<CheckInBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "check people in")?;
    let fair_id = path.into_inner();
    let b = body.0;
    let today = Utc::now().date_naive();
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let id = e.required("id_number", b.id_number).and_then(|s| e.check("id_number", IdNumber::parse(&s, today)));
    let name = text(e.optional("name", b.name));
    let phone =
        e.optional("phone", b.phone).and_then(|p| text(Some(p))).and_then(|p| e.check("phone", Phone::parse(&p)));
    e.finish()?;
    let Some(id) = id else { return Err(AppError::invalid("id_number", "required", "`id_number` is required")) };
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let (view, created) = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                managed_fair(c, &caller, fair_id)?;
                let mut warnings = Vec::new();
                let (person, newly) = match labourer::id_by_id_number(c, id.as_str())? {
                    Some(existing) => {
                        let row = labourer::get(c, existing)?.ok_or(AppError::NotFound("labourer"))?;
                        if let Some(n) = name.as_ref().filter(|n| **n != row.name) {
                            warnings.push(Warning {
                                field: "name".into(),
                                code: "mismatch".into(),
                                message: format!("registered as {}, given as {n}; check the ID number", row.name),
                            });
                        }
                        (row, false)
                    }
                    None => {
                        let mut missing = Vec::new();
                        if name.is_none() {
                            missing.push(FieldError::new(
                                "name",
                                "required",
                                "not registered yet: give the person's name",
                            ));
                        }
                        if phone.is_none() {
                            missing.push(FieldError::new(
                                "phone",
                                "required",
                                "not registered yet: give a mobile number",
                            ));
                        }
                        if !missing.is_empty() {
                            return Err(AppError::Validation(missing));
                        }
                        let at = now();
                        let new = LabourerInsert {
                            id_number: id.as_str().to_string(),
                            name: name.clone().unwrap_or_default(),
                            gender: id.gender().as_str().to_string(),
                            birth_date: id.birth_date(),
                            phone: phone.as_ref().map(|p| p.as_str().to_string()),
                            hukou_region_code: crate::domain::RegionCode::parse(id.region_code())
                                .ok()
                                .map(|r| r.as_str().to_string()),
                            hukou_township: None,
                            hukou_village: None,
                            poverty_status: PovertyStatus::Unverified.as_str().to_string(),
                            household_no: None,
                            education: None,
                            skills: "[]".into(),
                            desired_occupations: "[]".into(),
                            desired_region_codes: "[]".into(),
                            available_from: None,
                            notes: Some(format!("registered at job fair {fair_id} check-in")),
                            created_at: at,
                            updated_at: at,
                            version: 1,
                        };
                        let row = labourer::insert(c, &new)?;
                        audit::record(c, &actor, "create", "labourer", Some(row.id), None::<&()>, Some(&row))?;
                        outbox::append(c, "labourer", row.id, Op::Upsert)?;
                        (row, true)
                    }
                };
                let (attendee, created) = match model::attendee(c, fair_id, person.id)? {
                    Some(a) => (a, false),
                    None => {
                        let a = model::check_in(c, fair_id, person.id, &actor.name)?;
                        let what = serde_json::json!({ "labourer_id": person.id });
                        audit::record(c, &actor, "check_in", "job_fair", Some(fair_id), None::<&()>, Some(&what))?;
                        (a, true)
                    }
                };
                let view = CheckInView {
                    job_fair_id: fair_id,
                    labourer_id: person.id,
                    id_number: if full { person.id_number.clone() } else { mask_id_number(&person.id_number) },
                    name: person.name,
                    checked_in_at: utc(attendee.checked_in_at),
                    newly_registered: newly,
                    already_checked_in: !created,
                    warnings,
                };
                Ok((view, created))
            })
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(view) } else { HttpResponse::Ok().json(view) })
}

/// One attendee.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendeeView {
    /// The person.
    pub labourer_id: i64,
    /// Name.
    pub name: String,
    /// Masked for organisers.
    pub id_number: String,
    /// Gender.
    pub gender: String,
    /// Phone.
    pub phone: Option<String>,
    /// Poverty status (`unverified` for walk-ins until a clerk confirms).
    pub poverty_status: String,
    /// 乡镇.
    pub hukou_township: Option<String>,
    /// 村.
    pub hukou_village: Option<String>,
    /// When checked in.
    pub checked_in_at: DateTime<Utc>,
}

/// Paging of the desk lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeskQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Who was checked in (admin, clerk, the fair's organisers, masked).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/attendees", tag = "fairs", params(DeskQuery),
    responses((status = 200, body = ListOf<AttendeeView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk (full ID numbers, audited); organiser: their unit's fairs, masked.")]
pub async fn attendees(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    q: Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "see attendees")?;
    let fair_id = path.into_inner();
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let rows = state
        .db
        .run(move |c| {
            managed_fair(c, &caller, fair_id)?;
            let rows = model::attendees(c, fair_id, page.after, page.limit + 1)?;
            if full && !rows.is_empty() {
                let ids: Vec<i64> = rows.iter().take(page.limit as usize).map(|(_, l)| l.id).collect();
                let seen = serde_json::json!({ "labourer_ids": ids, "job_fair_id": fair_id });
                audit::record(c, &actor, "view_unmasked", "labourer", None, None::<&()>, Some(&seen))?;
            }
            Ok(rows)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |(a, _)| a.id);
    let items = rows
        .into_iter()
        .map(|(a, l)| AttendeeView {
            labourer_id: l.id,
            id_number: if full { l.id_number } else { mask_id_number(&l.id_number) },
            name: l.name,
            gender: l.gender,
            phone: l.phone,
            poverty_status: l.poverty_status,
            hukou_township: l.hukou_township,
            hukou_village: l.hukou_village,
            checked_in_at: utc(a.checked_in_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// An intention (意向) of an attendee for a posting.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntentionView {
    /// Id.
    pub id: i64,
    /// The fair.
    pub job_fair_id: i64,
    /// The person.
    pub labourer_id: i64,
    /// The posting.
    pub posting_id: i64,
    /// intended, hired or declined.
    pub status: String,
    /// The placement a hire created.
    pub placement_id: Option<i64>,
    /// That placement, in the answer to the hire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<PlacementView>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i32,
}

impl IntentionView {
    fn of(r: IntentionRow, placement: Option<PlacementView>) -> IntentionView {
        IntentionView {
            id: r.id,
            job_fair_id: r.job_fair_id,
            labourer_id: r.labourer_id,
            posting_id: r.posting_id,
            status: r.status,
            placement_id: r.placement_id,
            placement,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of recording an intention.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct IntentionBody {
    #[schema(value_type = i64)]
    labourer_id: Field<i64>,
    #[schema(value_type = i64)]
    posting_id: Field<i64>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Record that an attendee wants a posting (admin, clerk, the fair's organisers).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/intentions", tag = "fairs", request_body = IntentionBody,
    responses((status = 201, body = IntentionView), (status = 409, description = "already recorded", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn add_intention(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<IntentionBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "record intentions")?;
    let fair_id = path.into_inner();
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let labourer_id = e.required("labourer_id", b.labourer_id);
    let posting_id = e.required("posting_id", b.posting_id);
    e.finish()?;
    let (labourer_id, posting_id) = (labourer_id.unwrap_or_default(), posting_id.unwrap_or_default());
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                managed_fair(c, &caller, fair_id)?;
                let mut e = Errors::default();
                if model::attendee(c, fair_id, labourer_id)?.is_none() {
                    e.push("labourer_id", "not_checked_in", "this person has not been checked in at this fair");
                }
                match posting::get(c, posting_id)? {
                    None => e.push("posting_id", "not_found", "no posting has this id"),
                    Some(p) => {
                        let at_fair = p.job_fair_id == Some(fair_id) || model::has_employer(c, fair_id, p.employer_id)?;
                        if !at_fair {
                            e.push("posting_id", "not_at_fair", "neither the posting nor its employer is at this fair");
                        }
                    }
                }
                e.finish()?;
                if let Some(existing) = model::intention_for(c, fair_id, labourer_id, posting_id)? {
                    return Err(AppError::Conflict {
                        detail: format!("this intention is already recorded as {}", existing.id),
                        errors: vec![FieldError::new("posting_id", "duplicate", "already recorded")],
                        existing_id: Some(existing.id),
                    });
                }
                let row = model::add_intention(c, fair_id, labourer_id, posting_id)?;
                audit::record(c, &actor, "create", "job_fair_intention", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(IntentionView::of(row, None)))
}

/// A fair's intentions (admin, clerk, the fair's organisers).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/intentions", tag = "fairs", params(DeskQuery),
    responses((status = 200, body = ListOf<IntentionView>)), security(("bearer" = [])),
    description = "Roles: admin, clerk; organiser: their unit's fairs.")]
pub async fn intentions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    q: Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "see intentions")?;
    let fair_id = path.into_inner();
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let rows = state
        .db
        .run(move |c| {
            managed_fair(c, &caller, fair_id)?;
            Ok(model::intentions(c, fair_id, page.after, page.limit + 1)?)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok()
        .json(ListOf { items: rows.into_iter().map(|r| IntentionView::of(r, None)).collect(), next_cursor }))
}

/// Body of an intention's outcome.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OutcomeBody {
    /// `hired`, `declined` or back to `intended`.
    #[schema(value_type = String, example = "hired")]
    status: Field<String>,
    /// First day of work; required for `hired`.
    #[schema(value_type = Option<NaiveDate>)]
    started_on: Field<NaiveDate>,
    /// Optional: the version you read (stale → 409).
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Record an intention's outcome; `hired` creates the placement in the same
/// transaction (admin, clerk, the fair's organisers).
#[utoipa::path(patch, path = "/api/v1/fairs/{id}/intentions/{intention_id}", tag = "fairs", request_body = OutcomeBody,
    responses((status = 200, body = IntentionView), (status = 409, description = "headcount used up, posting closed, already hired, overlapping placement, or stale version", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; organiser: their unit's fairs. `hired` creates the placement (channel job_fair) with employer, region and occupation from the posting.")]
pub async fn set_outcome(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
    body: Json<OutcomeBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, MANAGERS, "record hires")?;
    let (fair_id, intention_id) = path.into_inner();
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let status = e.required("status", b.status).and_then(|s| {
        let s = s.trim().to_string();
        if ["intended", "hired", "declined"].contains(&s.as_str()) {
            Some(s)
        } else {
            e.push("status", "enum", format!("`{s}` is not one of intended, hired, declined"));
            None
        }
    });
    let started_on = e.optional("started_on", b.started_on);
    let version = e.optional("version", b.version);
    if status.as_deref() == Some("hired") && started_on.is_none() {
        e.push("started_on", "required", "a hire needs the first day of work");
    }
    e.finish()?;
    let status = status.unwrap_or_default();
    let actor = Actor::from(&caller);
    let (row, placement) = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                managed_fair(c, &caller, fair_id)?;
                let before = model::intention(c, intention_id)?
                    .filter(|i| i.job_fair_id == fair_id)
                    .ok_or(AppError::NotFound("intention"))?;
                if version.is_some_and(|v| v != before.version) {
                    return Err(AppError::stale(before.version));
                }
                if before.status == "hired" {
                    return Err(AppError::conflict(format!(
                        "already hired (placement {}); end or delete that placement instead",
                        before.placement_id.unwrap_or_default()
                    )));
                }
                if before.status == status {
                    return Ok((before, None));
                }
                let mut placement_row = None;
                if status == "hired" {
                    // Lock the posting first: two hires for its last place must queue.
                    if !posting::lock(c, before.posting_id)? {
                        return Err(AppError::conflict("the posting no longer exists"));
                    }
                    let p = posting::get(c, before.posting_id)?.ok_or(AppError::NotFound("posting"))?;
                    if p.status != "open" {
                        return Err(AppError::conflict(format!("posting {} is closed", p.id)));
                    }
                    let used = posting::hires(c, p.id)?;
                    if used >= i64::from(p.headcount) {
                        return Err(AppError::Conflict {
                            detail: format!(
                                "posting {} has no place left: {used} of {} already hired",
                                p.id, p.headcount
                            ),
                            errors: vec![FieldError::new("status", "headcount", "headcount used up")],
                            existing_id: None,
                        });
                    }
                    let at = now();
                    let mut new = PlacementInsert {
                        labourer_id: before.labourer_id,
                        employer_id: Some(p.employer_id),
                        employer_name: None,
                        posting_id: Some(p.id),
                        region_code: p.region_code.clone(),
                        occupation: p.occupation.clone(),
                        started_on: started_on.unwrap_or_default(),
                        ended_on: None,
                        monthly_income: None,
                        channel: "job_fair".into(),
                        part_time: false,
                        evidence: None,
                        verified_on: None,
                        notes: None,
                        job_fair_id: Some(fair_id),
                        enrolment_id: None,
                        created_at: at,
                        updated_at: at,
                        version: 1,
                    };
                    check_in_db(c, &mut new, None)?;
                    let row = placement::insert(c, &new)?;
                    audit::record(c, &actor, "create", "placement", Some(row.id), None::<&()>, Some(&row))?;
                    placement_row = Some(row);
                }
                let placement_id = placement_row.as_ref().map(|p| p.id);
                let row = model::set_intention_status(c, intention_id, before.version, &status, placement_id)?
                    .ok_or_else(|| AppError::stale(before.version + 1))?;
                audit::record(
                    c,
                    &actor,
                    "update",
                    "job_fair_intention",
                    Some(intention_id),
                    Some(&before),
                    Some(&row),
                )?;
                Ok((row, placement_row))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(IntentionView::of(row, placement.map(PlacementView::of))))
}

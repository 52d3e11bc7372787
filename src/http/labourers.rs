//! `/api/v1/labourers`: the registry of people.
//!
//! Roles: admin and clerk keep the registry and see full ID numbers (each
//! such view is audited); a trainee reads and edits only their own record,
//! masked, and only the fields about their job search.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::{Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::labourer::{self as model, LabourerChanges, LabourerFilter, LabourerInsert, LabourerRow};
use crate::db::models::outbox::{self, Op};
use crate::db::models::{list_to_text, now, text_to_list};
use crate::db::write_tx;
use crate::domain::{mask_id_number, Education, IdNumber, Phone, PovertyStatus, RegionCode};
use crate::error::AppError;
use crate::startup::AppState;

/// A labourer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabourerView {
    /// Id.
    pub id: i64,
    /// 身份证号; masked (`451424**********1X`) unless the caller may see it.
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// Derived from the ID number: `male` or `female`.
    pub gender: String,
    /// Derived from the ID number.
    pub birth_date: NaiveDate,
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
    pub poverty_status: String,
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
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version; send it back with PATCH.
    pub version: i32,
}

impl LabourerView {
    /// The view of `row`, with the ID number masked unless `full`.
    pub fn of(row: LabourerRow, full: bool) -> LabourerView {
        LabourerView {
            id: row.id,
            id_number: if full { row.id_number } else { mask_id_number(&row.id_number) },
            hukou_region_name: row.hukou_region_code.as_deref().and_then(region_full_name),
            name: row.name,
            gender: row.gender,
            birth_date: row.birth_date,
            phone: row.phone,
            hukou_region_code: row.hukou_region_code,
            hukou_township: row.hukou_township,
            hukou_village: row.hukou_village,
            poverty_status: row.poverty_status,
            household_no: row.household_no,
            education: row.education,
            skills: text_to_list(&row.skills),
            desired_occupations: text_to_list(&row.desired_occupations),
            desired_region_codes: text_to_list(&row.desired_region_codes),
            available_from: row.available_from,
            notes: row.notes,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            version: row.version,
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
    pub certificates: Vec<crate::db::models::training::Certificate>,
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
}

/// Body of POST and PATCH. `gender` and `birth_date` are derived from the ID
/// number and cannot be sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LabourerBody {
    #[schema(value_type = Option<String>, example = "45142419900307123X")]
    id_number: Field<String>,
    #[schema(value_type = Option<String>, example = "农秀英")]
    name: Field<String>,
    #[schema(value_type = Option<String>, example = "13800138000")]
    phone: Field<String>,
    #[schema(value_type = Option<String>, example = "451424")]
    hukou_region_code: Field<String>,
    #[schema(value_type = Option<String>, example = "硕龙镇")]
    hukou_township: Field<String>,
    #[schema(value_type = Option<String>, example = "义宁村")]
    hukou_village: Field<String>,
    /// Defaults to `unverified` until a clerk confirms the status.
    #[schema(value_type = Option<String>, example = "registered_poor")]
    poverty_status: Field<String>,
    #[schema(value_type = Option<String>)]
    household_no: Field<String>,
    #[schema(value_type = Option<String>, example = "junior_high")]
    education: Field<String>,
    #[schema(value_type = Option<Vec<String>>)]
    skills: Field<Vec<String>>,
    #[schema(value_type = Option<Vec<String>>)]
    desired_occupations: Field<Vec<String>>,
    #[schema(value_type = Option<Vec<String>>)]
    desired_region_codes: Field<Vec<String>>,
    #[schema(value_type = Option<NaiveDate>)]
    available_from: Field<NaiveDate>,
    #[schema(value_type = Option<String>)]
    notes: Field<String>,
    /// Required with PATCH: the version you read.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Fields a trainee may change on their own record.
const TRAINEE_FIELDS: &[&str] =
    &["phone", "education", "skills", "desired_occupations", "desired_region_codes", "available_from", "version"];

fn reject_derived(errs: &mut Errors, extra: &mut serde_json::Map<String, serde_json::Value>) {
    for key in ["gender", "birth_date"] {
        if extra.remove(key).is_some() {
            errs.push(key, "derived", format!("`{key}` is derived from the ID number and cannot be set"));
        }
    }
    errs.unknown(extra);
}

fn list_of_text(errs: &mut Errors, field: &str, items: Vec<String>) -> Option<String> {
    let items: Vec<String> = items.into_iter().filter_map(|s| text(Some(s))).collect();
    if items.len() > 50 {
        errs.push(field, "length", "at most 50 entries");
        return None;
    }
    Some(list_to_text(&items))
}

fn region_list(errs: &mut Errors, field: &str, items: Vec<String>) -> Option<String> {
    let mut codes = Vec::new();
    for (i, raw) in items.iter().enumerate() {
        match RegionCode::parse(raw) {
            Ok(c) => codes.push(c.as_str().to_string()),
            Err(e) => errs.push(&format!("{field}[{i}]"), e.code, e.message),
        }
    }
    list_of_text(errs, field, codes)
}

fn name(errs: &mut Errors, v: Option<String>) -> Option<String> {
    let v = text(v);
    match &v {
        Some(n) if n.chars().count() > 50 => {
            errs.push("name", "length", "at most 50 characters");
            None
        }
        None => {
            errs.push("name", "required", "`name` is required");
            None
        }
        _ => v,
    }
}

fn poverty(errs: &mut Errors, v: String) -> Option<String> {
    match v.trim().parse::<PovertyStatus>() {
        Ok(p) => Some(p.as_str().to_string()),
        Err(_) => {
            errs.push(
                "poverty_status",
                "enum",
                format!("`{v}` is not one of registered_poor, lifted, monitored, none, unverified"),
            );
            None
        }
    }
}

fn education(errs: &mut Errors, v: String) -> Option<String> {
    match v.trim().parse::<Education>() {
        Ok(e) => Some(e.as_str().to_string()),
        Err(_) => {
            errs.push(
                "education",
                "enum",
                format!(
                    "`{v}` is not one of none, primary, junior_high, senior_high, vocational, college, bachelor_plus"
                ),
            );
            None
        }
    }
}

fn parse_create(mut b: LabourerBody, today: NaiveDate) -> Result<LabourerInsert, AppError> {
    let mut e = Errors::default();
    reject_derived(&mut e, &mut b.extra);
    let id = e.required("id_number", b.id_number).and_then(|s| e.check("id_number", IdNumber::parse(&s, today)));
    let name = e.required("name", b.name).and_then(|n| name(&mut e, Some(n)));
    let phone =
        e.optional("phone", b.phone).and_then(|p| text(Some(p))).and_then(|p| e.check("phone", Phone::parse(&p)));
    let region = e
        .optional("hukou_region_code", b.hukou_region_code)
        .and_then(|r| e.check("hukou_region_code", RegionCode::parse(&r)));
    let status = match e.optional("poverty_status", b.poverty_status) {
        Some(v) => poverty(&mut e, v),
        None => Some(PovertyStatus::Unverified.as_str().to_string()),
    };
    let education = e.optional("education", b.education).and_then(|v| education(&mut e, v));
    let skills = match e.optional("skills", b.skills) {
        Some(v) => list_of_text(&mut e, "skills", v),
        None => Some("[]".to_string()),
    };
    let desired = match e.optional("desired_occupations", b.desired_occupations) {
        Some(v) => list_of_text(&mut e, "desired_occupations", v),
        None => Some("[]".to_string()),
    };
    let regions = match e.optional("desired_region_codes", b.desired_region_codes) {
        Some(v) => region_list(&mut e, "desired_region_codes", v),
        None => Some("[]".to_string()),
    };
    let available_from = e.optional("available_from", b.available_from);
    let township = text(e.optional("hukou_township", b.hukou_township));
    let village = text(e.optional("hukou_village", b.hukou_village));
    let household_no = text(e.optional("household_no", b.household_no));
    let notes = text(e.optional("notes", b.notes));
    e.finish()?;
    // Every `None` below was recorded as an error, and finish() returned it.
    let (Some(id), Some(name), Some(status), Some(skills), Some(desired), Some(regions)) =
        (id, name, status, skills, desired, regions)
    else {
        return Err(AppError::Internal(anyhow::anyhow!("validation passed with a missing value")));
    };
    let at = now();
    Ok(LabourerInsert {
        hukou_region_code: Some(
            region
                .map(|r| r.as_str().to_string())
                .or_else(|| RegionCode::parse(id.region_code()).ok().map(|r| r.as_str().to_string()))
                .unwrap_or_default(),
        )
        .filter(|s| !s.is_empty()),
        gender: id.gender().as_str().to_string(),
        birth_date: id.birth_date(),
        id_number: id.as_str().to_string(),
        name,
        phone: phone.map(|p| p.as_str().to_string()),
        hukou_township: township,
        hukou_village: village,
        poverty_status: status,
        household_no,
        education,
        skills,
        desired_occupations: desired,
        desired_region_codes: regions,
        available_from,
        notes,
        created_at: at,
        updated_at: at,
        version: 1,
    })
}

/// A parsed PATCH: the changes, the version read, and a new ID number.
struct Patch {
    changes: LabourerChanges,
    version: i32,
    id_number: Option<IdNumber>,
}

fn parse_patch(mut b: LabourerBody, today: NaiveDate, caller: &Caller) -> Result<Patch, AppError> {
    if caller.role == Role::Trainee {
        let mut sent: Vec<&str> = Vec::new();
        let checks: [(&str, bool); 10] = [
            ("id_number", b.id_number != Field::Absent),
            ("name", b.name != Field::Absent),
            ("hukou_region_code", b.hukou_region_code != Field::Absent),
            ("hukou_township", b.hukou_township != Field::Absent),
            ("hukou_village", b.hukou_village != Field::Absent),
            ("poverty_status", b.poverty_status != Field::Absent),
            ("household_no", b.household_no != Field::Absent),
            ("notes", b.notes != Field::Absent),
            ("gender", b.extra.contains_key("gender")),
            ("birth_date", b.extra.contains_key("birth_date")),
        ];
        for (f, present) in checks {
            if present {
                sent.push(f);
            }
        }
        if !sent.is_empty() {
            return Err(AppError::Forbidden(format!(
                "a trainee may change only {}; a clerk must change {}",
                TRAINEE_FIELDS[..TRAINEE_FIELDS.len() - 1].join(", "),
                sent.join(", ")
            )));
        }
    }
    let mut e = Errors::default();
    reject_derived(&mut e, &mut b.extra);
    let version = e.required("version", b.version);
    let id_number =
        e.patch_required("id_number", b.id_number).and_then(|s| e.check("id_number", IdNumber::parse(&s, today)));
    let name = e.patch_required("name", b.name).and_then(|n| name(&mut e, Some(n)));
    let phone = match e.patch("phone", b.phone) {
        Some(Some(p)) => match text(Some(p)) {
            Some(p) => e.check("phone", Phone::parse(&p)).map(|p| Some(Some(p.as_str().to_string()))).unwrap_or(None),
            None => Some(None),
        },
        other => other.map(|_| None),
    };
    let region = match e.patch("hukou_region_code", b.hukou_region_code) {
        Some(Some(r)) => e.check("hukou_region_code", RegionCode::parse(&r)).map(|r| Some(r.as_str().to_string())),
        other => other.map(|_| None),
    };
    let status = e.patch_required("poverty_status", b.poverty_status).and_then(|v| poverty(&mut e, v));
    let education = match e.patch("education", b.education) {
        Some(Some(v)) => education(&mut e, v).map(Some),
        other => other.map(|_| None),
    };
    let skills = e.patch_required("skills", b.skills).and_then(|v| list_of_text(&mut e, "skills", v));
    let desired = e
        .patch_required("desired_occupations", b.desired_occupations)
        .and_then(|v| list_of_text(&mut e, "desired_occupations", v));
    let regions = e
        .patch_required("desired_region_codes", b.desired_region_codes)
        .and_then(|v| region_list(&mut e, "desired_region_codes", v));
    let changes = LabourerChanges {
        name,
        phone,
        hukou_region_code: region,
        hukou_township: e.patch("hukou_township", b.hukou_township).map(text),
        hukou_village: e.patch("hukou_village", b.hukou_village).map(text),
        poverty_status: status,
        household_no: e.patch("household_no", b.household_no).map(text),
        education,
        skills,
        desired_occupations: desired,
        desired_region_codes: regions,
        available_from: e.patch("available_from", b.available_from),
        notes: e.patch("notes", b.notes).map(text),
    };
    e.finish()?;
    let version = version.ok_or_else(|| AppError::invalid("version", "required", "`version` is required"))?;
    Ok(Patch { changes, version, id_number })
}

/// Query parameters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabourerQuery {
    /// Exact ID number (the desk's first question); lower-case x is fine.
    id_number: Option<String>,
    /// Exact name.
    name: Option<String>,
    /// 户籍地 region code.
    hukou_region_code: Option<String>,
    /// Poverty status.
    poverty_status: Option<String>,
    /// Page size, 1–500 (default 50).
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Create a labourer (admin, clerk).
#[utoipa::path(post, path = "/api/v1/labourers", tag = "labourers", request_body = LabourerBody,
    responses((status = 201, body = CreatedLabourer), (status = 409, description = "ID number already registered; `existing_id` names the record", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<LabourerBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "register labourers")?;
    let new = parse_create(body.0, today())?;
    let actor = Actor::from(&caller);
    let (row, twins) = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                if let Some(existing) = model::id_by_id_number(c, &new.id_number)? {
                    return Err(AppError::Conflict {
                        detail: format!("this ID number is already registered as labourer {existing}"),
                        errors: vec![crate::error::FieldError::new("id_number", "duplicate", "already registered")],
                        existing_id: Some(existing),
                    });
                }
                let row = model::insert(c, &new)?;
                let twins = model::twins(c, &row.name, row.birth_date, &row.id_number)?;
                audit::record(c, &actor, "create", "labourer", Some(row.id), None::<&()>, Some(&row))?;
                outbox::append(c, "labourer", row.id, Op::Upsert)?;
                Ok((row, twins))
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .json(CreatedLabourer { labourer: LabourerView::of(row, true), possible_duplicates: twins }))
}

/// One labourer (admin, clerk; a trainee only their own, masked).
#[utoipa::path(get, path = "/api/v1/labourers/{id}", tag = "labourers",
    responses((status = 200, body = LabourerDetail), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk (full ID number, audited); trainee: own record only, masked; organiser: people checked in at their unit's fairs, masked.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let organiser_unit = match caller.role {
        Role::Organiser => Some(caller.unit.clone().unwrap_or_default()),
        _ if caller.sees_full_id_numbers() || caller.owns_labourer(id) => None,
        _ => return Err(AppError::Forbidden("you may read only your own labourer record".into())),
    };
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let (row, certificates) = state
        .db
        .run(move |c| {
            if let Some(unit) = organiser_unit {
                if !crate::db::models::job_fair::attended_fair_of(c, id, &unit)? {
                    return Err(AppError::Forbidden(
                        "an organiser sees only people checked in at their own fairs".into(),
                    ));
                }
            }
            let row = model::get(c, id)?.ok_or(AppError::NotFound("labourer"))?;
            let certificates = crate::db::models::training::certificates(c, id)?;
            if full {
                audit::record(c, &actor, "view_unmasked", "labourer", Some(id), None::<&()>, None::<&()>)?;
            }
            Ok((row, certificates))
        })
        .await?;
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
    require(&caller, REGISTRY, "list labourers")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let filter = LabourerFilter {
        id_number: match text(q.id_number) {
            Some(s) => Some(
                IdNumber::parse(&s, today())
                    .map(|i| i.as_str().to_string())
                    .map_err(|e| AppError::bad_param("id_number", e.message))?,
            ),
            None => None,
        },
        name: text(q.name),
        hukou_region_code: text(q.hukou_region_code),
        poverty_status: match text(q.poverty_status) {
            Some(s) => Some(
                param::<PovertyStatus>("poverty_status", &Some(s))?.map(|p| p.as_str().to_string()).unwrap_or_default(),
            ),
            None => None,
        },
    };
    let actor = Actor::from(&caller);
    let rows = state
        .db
        .run(move |c| {
            let rows = model::list(c, &filter, page.after, page.limit + 1)?;
            let shown: Vec<i64> = rows.iter().take(page.limit as usize).map(|r| r.id).collect();
            if !shown.is_empty() {
                let seen = serde_json::json!({ "labourer_ids": shown });
                audit::record(c, &actor, "view_unmasked", "labourer", None, None::<&()>, Some(&seen))?;
            }
            Ok(rows)
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let items = rows.into_iter().map(|r| LabourerView::of(r, true)).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

/// Change a labourer (admin, clerk; a trainee their own job-search fields).
#[utoipa::path(patch, path = "/api/v1/labourers/{id}", tag = "labourers", request_body = LabourerBody,
    responses((status = 200, body = LabourerView), (status = 409, description = "stale version or duplicate ID number", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk; trainee: own record, fields phone, education, skills, desired_occupations, desired_region_codes, available_from.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<LabourerBody>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    if !(caller.is(REGISTRY) || caller.owns_labourer(id)) {
        return Err(AppError::Forbidden("you may change only your own labourer record".into()));
    }
    let Patch { changes, version, id_number } = parse_patch(body.0, today(), &caller)?;
    let full = caller.sees_full_id_numbers();
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("labourer"))?;
                if before.version != version {
                    return Err(AppError::stale(before.version));
                }
                if let Some(new_id) = &id_number {
                    if new_id.as_str() != before.id_number {
                        if let Some(existing) = model::id_by_id_number(c, new_id.as_str())? {
                            return Err(AppError::Conflict {
                                detail: format!("this ID number is already registered as labourer {existing}"),
                                errors: vec![crate::error::FieldError::new(
                                    "id_number",
                                    "duplicate",
                                    "already registered",
                                )],
                                existing_id: Some(existing),
                            });
                        }
                        model::set_id_number(c, id, new_id)?;
                    }
                }
                let row = model::update(c, id, version, &changes)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "labourer", Some(id), Some(&before), Some(&row))?;
                outbox::append(c, "labourer", id, Op::Upsert)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(LabourerView::of(row, full)))
}

/// Delete a labourer no placement or account refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/labourers/{id}", tag = "labourers",
    responses((status = 204), (status = 409, description = "placements or accounts refer to the labourer", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete labourers")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("labourer"))?;
                let refs = model::references(c, id)?;
                if !refs.is_empty() {
                    let list: Vec<String> = refs.iter().map(|(what, n)| format!("{n} {what}")).collect();
                    return Err(AppError::conflict(format!(
                        "labourer {id} is referred to by {}; remove those first",
                        list.join(", ")
                    )));
                }
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "labourer", Some(id), Some(&before), None::<&()>)?;
                outbox::append(c, "labourer", id, Op::Delete)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A pair of records that may be the same person.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatePair {
    /// The older record.
    pub a: i64,
    /// The newer record.
    pub b: i64,
}

/// Query of the duplicates list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicatesQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Pairs of labourers with the same name and birth date (admin, clerk).
#[utoipa::path(get, path = "/api/v1/labourers/duplicates", tag = "labourers", params(DuplicatesQuery),
    responses((status = 200, body = ListOf<DuplicatePair>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn duplicates(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<DuplicatesQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "review duplicates")?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let mut pairs = state.db.run(move |c| Ok(model::duplicate_pairs(c, page.after, page.limit + 1)?)).await?;
    // Pages end on a whole group of one `a`, so the cursor (the last `a`)
    // never splits a person's pairs across pages.
    let mut next_cursor = None;
    if pairs.len() as i64 > page.limit {
        let cut_a = pairs[page.limit as usize].0;
        let keep = pairs.iter().take(page.limit as usize).filter(|p| p.0 != cut_a).count();
        let keep = if keep == 0 { page.limit as usize } else { keep };
        pairs.truncate(keep);
        next_cursor = pairs.last().map(|p| p.0.to_string());
    }
    let items = pairs.into_iter().map(|(a, b)| DuplicatePair { a, b }).collect();
    Ok(HttpResponse::Ok().json(ListOf { items, next_cursor }))
}

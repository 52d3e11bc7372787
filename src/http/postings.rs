//! `/api/v1/postings`. Roles: every role reads; admin and clerk write.
//! Writes append to the outbox so search can follow them.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, ANYONE, REGISTRY};
use super::input::{param, text, Errors, Field, Json, Page, Query};
use super::views::{region_full_name, utc, ListOf};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::models::outbox::{self, Op};
use crate::db::models::posting::{self as model, PostingChanges, PostingFilter, PostingInsert, PostingRow};
use crate::db::models::{employer, list_to_text, now, text_to_list};
use crate::db::write_tx;
use crate::domain::{Education, RegionCode};
use crate::error::AppError;
use crate::startup::AppState;

/// A posting as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    /// Id.
    pub id: i64,
    /// The employer offering it.
    pub employer_id: i64,
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
    pub gender_requirement: String,
    /// Minimum education.
    pub education_min: Option<String>,
    /// Subset of housing, meals, transport, insurance.
    pub benefits: Vec<String>,
    /// `open` or `closed`.
    pub status: String,
    /// Opens on.
    pub opens_on: Option<NaiveDate>,
    /// Closes on.
    pub closes_on: Option<NaiveDate>,
    /// The job fair it was brought to, if any.
    pub job_fair_id: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version; send it back with PATCH.
    pub version: i32,
}

impl PostingView {
    /// The view of a row.
    pub fn of(r: PostingRow) -> PostingView {
        PostingView {
            id: r.id,
            region_name: region_full_name(&r.region_code),
            employer_id: r.employer_id,
            title: r.title,
            occupation: r.occupation,
            description: r.description,
            headcount: r.headcount,
            salary_min: r.salary_min,
            salary_max: r.salary_max,
            region_code: r.region_code,
            min_age: r.min_age,
            max_age: r.max_age,
            gender_requirement: r.gender_requirement,
            education_min: r.education_min,
            benefits: text_to_list(&r.benefits),
            status: r.status,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            job_fair_id: r.job_fair_id,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            version: r.version,
        }
    }
}

/// Body of POST and PATCH.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PostingBody {
    #[schema(value_type = Option<i64>)]
    employer_id: Field<i64>,
    #[schema(value_type = Option<String>, example = "粤菜厨师")]
    title: Field<String>,
    #[schema(value_type = Option<String>, example = "中式烹调师")]
    occupation: Field<String>,
    #[schema(value_type = Option<String>)]
    description: Field<String>,
    #[schema(value_type = Option<i32>, example = 5)]
    headcount: Field<i32>,
    #[schema(value_type = Option<i32>, example = 4500)]
    salary_min: Field<i32>,
    #[schema(value_type = Option<i32>, example = 7000)]
    salary_max: Field<i32>,
    #[schema(value_type = Option<String>, example = "440704")]
    region_code: Field<String>,
    #[schema(value_type = Option<i32>)]
    min_age: Field<i32>,
    #[schema(value_type = Option<i32>)]
    max_age: Field<i32>,
    #[schema(value_type = Option<String>, example = "any")]
    gender_requirement: Field<String>,
    #[schema(value_type = Option<String>)]
    education_min: Field<String>,
    #[schema(value_type = Option<Vec<String>>)]
    benefits: Field<Vec<String>>,
    #[schema(value_type = Option<String>, example = "open")]
    status: Field<String>,
    #[schema(value_type = Option<NaiveDate>)]
    opens_on: Field<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>)]
    closes_on: Field<NaiveDate>,
    /// The job fair the employer brings it to.
    #[schema(value_type = Option<i64>)]
    job_fair_id: Field<i64>,
    /// Required with PATCH.
    #[schema(value_type = Option<i32>)]
    version: Field<i32>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

const BENEFITS: &[&str] = &["housing", "meals", "transport", "insurance"];

fn one_of(e: &mut Errors, field: &str, v: String, allowed: &[&str]) -> Option<String> {
    let v = v.trim().to_string();
    if allowed.contains(&v.as_str()) {
        Some(v)
    } else {
        e.push(field, "enum", format!("`{v}` is not one of {}", allowed.join(", ")));
        None
    }
}

fn education(e: &mut Errors, v: String) -> Option<String> {
    match v.trim().parse::<Education>() {
        Ok(x) => Some(x.as_str().to_string()),
        Err(_) => {
            e.push(
                "education_min",
                "enum",
                format!(
                    "`{v}` is not one of none, primary, junior_high, senior_high, vocational, college, bachelor_plus"
                ),
            );
            None
        }
    }
}

fn benefits(e: &mut Errors, v: Vec<String>) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, b) in v.into_iter().enumerate() {
        let b = b.trim().to_string();
        if !BENEFITS.contains(&b.as_str()) {
            e.push(&format!("benefits[{i}]"), "enum", format!("`{b}` is not one of {}", BENEFITS.join(", ")));
        } else if !out.contains(&b) {
            out.push(b);
        }
    }
    Some(list_to_text(&out))
}

fn range(e: &mut Errors, field: &str, v: Option<i32>, lo: i32, hi: i32) -> Option<i32> {
    match v {
        Some(n) if n < lo || n > hi => {
            e.push(field, "range", format!("must be between {lo} and {hi}"));
            None
        }
        other => other,
    }
}

/// Checks that hold across fields, on the record as it would be saved.
fn cross_checks(e: &mut Errors, r: &PostingInsert) {
    if let (Some(lo), Some(hi)) = (r.salary_min, r.salary_max) {
        if lo > hi {
            e.push("salary_max", "range", "salary_max is below salary_min");
        }
    }
    if let (Some(lo), Some(hi)) = (r.min_age, r.max_age) {
        if lo > hi {
            e.push("max_age", "range", "max_age is below min_age");
        }
    }
    if let (Some(a), Some(b)) = (r.opens_on, r.closes_on) {
        if b < a {
            e.push("closes_on", "date_order", "closes_on is before opens_on");
        }
    }
}

/// Parses a body laid over `base` (the stored record for PATCH, defaults
/// for POST), so cross-field rules see the record as it would be saved.
fn parse(b: PostingBody, base: PostingInsert, creating: bool) -> Result<(PostingInsert, Option<i32>), AppError> {
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let mut r = base;
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
    if let Some(v) = req!(employer_id) {
        r.employer_id = v;
    }
    if let Some(v) = req!(title) {
        match text(Some(v)) {
            Some(t) if t.chars().count() <= 100 => r.title = t,
            Some(_) => e.push("title", "length", "at most 100 characters"),
            None => e.push("title", "required", "`title` is required"),
        }
    }
    if let Some(v) = opt!(occupation) {
        r.occupation = text(v);
    }
    if let Some(v) = opt!(description) {
        r.description = text(v);
    }
    if let Some(v) = req!(headcount) {
        if let Some(n) = range(&mut e, "headcount", Some(v), 1, 100_000) {
            r.headcount = n;
        }
    }
    if let Some(v) = opt!(salary_min) {
        r.salary_min = range(&mut e, "salary_min", v, 0, 1_000_000);
    }
    if let Some(v) = opt!(salary_max) {
        r.salary_max = range(&mut e, "salary_max", v, 0, 1_000_000);
    }
    if let Some(v) = req!(region_code) {
        if let Some(code) = e.check("region_code", RegionCode::parse(&v)) {
            r.region_code = code.as_str().to_string();
        }
    }
    if let Some(v) = opt!(min_age) {
        r.min_age = range(&mut e, "min_age", v, 16, 80);
    }
    if let Some(v) = opt!(max_age) {
        r.max_age = range(&mut e, "max_age", v, 16, 80);
    }
    if let Some(v) = if creating {
        e.optional("gender_requirement", b.gender_requirement)
    } else {
        e.patch_required("gender_requirement", b.gender_requirement)
    } {
        if let Some(g) = one_of(&mut e, "gender_requirement", v, &["any", "male", "female"]) {
            r.gender_requirement = g;
        }
    }
    if let Some(v) = opt!(education_min) {
        r.education_min = v.and_then(|v| education(&mut e, v));
    }
    if let Some(v) =
        if creating { e.optional("benefits", b.benefits) } else { e.patch_required("benefits", b.benefits) }
    {
        if let Some(list) = benefits(&mut e, v) {
            r.benefits = list;
        }
    }
    if let Some(v) = if creating { e.optional("status", b.status) } else { e.patch_required("status", b.status) } {
        if let Some(s) = one_of(&mut e, "status", v, &["open", "closed"]) {
            r.status = s;
        }
    }
    if let Some(v) = opt!(opens_on) {
        r.opens_on = v;
    }
    if let Some(v) = opt!(closes_on) {
        r.closes_on = v;
    }
    if let Some(v) = opt!(job_fair_id) {
        r.job_fair_id = v;
    }
    cross_checks(&mut e, &r);
    e.finish()?;
    Ok((r, version))
}

fn blank() -> PostingInsert {
    let at = now();
    PostingInsert {
        employer_id: 0,
        title: String::new(),
        occupation: None,
        description: None,
        headcount: 1,
        salary_min: None,
        salary_max: None,
        region_code: String::new(),
        min_age: None,
        max_age: None,
        gender_requirement: "any".into(),
        education_min: None,
        benefits: "[]".into(),
        status: "open".into(),
        opens_on: None,
        closes_on: None,
        job_fair_id: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

fn as_insert(r: &PostingRow) -> PostingInsert {
    PostingInsert {
        employer_id: r.employer_id,
        title: r.title.clone(),
        occupation: r.occupation.clone(),
        description: r.description.clone(),
        headcount: r.headcount,
        salary_min: r.salary_min,
        salary_max: r.salary_max,
        region_code: r.region_code.clone(),
        min_age: r.min_age,
        max_age: r.max_age,
        gender_requirement: r.gender_requirement.clone(),
        education_min: r.education_min.clone(),
        benefits: r.benefits.clone(),
        status: r.status.clone(),
        opens_on: r.opens_on,
        closes_on: r.closes_on,
        job_fair_id: r.job_fair_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

fn check_fair(c: &mut crate::db::DbConnection, fair: Option<i64>) -> Result<(), AppError> {
    match fair {
        Some(id) if crate::db::models::job_fair::get(c, id)?.is_none() => {
            Err(AppError::invalid("job_fair_id", "not_found", "no job fair has this id"))
        }
        _ => Ok(()),
    }
}

fn no_employer() -> AppError {
    AppError::invalid("employer_id", "not_found", "no employer has this id")
}

/// Create a posting (admin, clerk).
#[utoipa::path(post, path = "/api/v1/postings", tag = "postings", request_body = PostingBody,
    responses((status = 201, body = PostingView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<PostingBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "create postings")?;
    let (new, _) = parse(body.0, blank(), true)?;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                employer::get(c, new.employer_id)?.ok_or_else(no_employer)?;
                check_fair(c, new.job_fair_id)?;
                let row = model::insert(c, &new)?;
                audit::record(c, &actor, "create", "posting", Some(row.id), None::<&()>, Some(&row))?;
                outbox::append(c, "posting", row.id, Op::Upsert)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(PostingView::of(row)))
}

/// One posting (every role).
#[utoipa::path(get, path = "/api/v1/postings/{id}", tag = "postings",
    responses((status = 200, body = PostingView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "read postings")?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, id)?.ok_or(AppError::NotFound("posting"))).await?;
    Ok(HttpResponse::Ok().json(PostingView::of(row)))
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

/// List postings (every role).
#[utoipa::path(get, path = "/api/v1/postings", tag = "postings", params(PostingQuery),
    responses((status = 200, body = ListOf<PostingView>), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk, organiser, trainee.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PostingQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "list postings")?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let status = text(q.status);
    if let Some(s) = &status {
        if s != "open" && s != "closed" {
            return Err(AppError::bad_param("status", "must be `open` or `closed`"));
        }
    }
    let filter = PostingFilter {
        employer_id: param::<i64>("employer_id", &q.employer_id)?,
        status,
        region_code: text(q.region_code),
        occupation: text(q.occupation),
        job_fair_id: param::<i64>("job_fair_id", &q.job_fair_id)?,
    };
    let rows = state.db.run(move |c| Ok(model::list(c, &filter, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(PostingView::of).collect(), next_cursor }))
}

/// Change a posting (admin, clerk).
#[utoipa::path(patch, path = "/api/v1/postings/{id}", tag = "postings", request_body = PostingBody,
    responses((status = 200, body = PostingView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    body: Json<PostingBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "change postings")?;
    let id = path.into_inner();
    let body = body.0;
    let actor = Actor::from(&caller);
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("posting"))?;
                let (after, version) = parse(body, as_insert(&before), false)?;
                let version = version.unwrap_or_default();
                if before.version != version {
                    return Err(AppError::stale(before.version));
                }
                if after.employer_id != before.employer_id {
                    employer::get(c, after.employer_id)?.ok_or_else(no_employer)?;
                }
                if after.job_fair_id != before.job_fair_id {
                    check_fair(c, after.job_fair_id)?;
                }
                let changes = PostingChanges {
                    employer_id: Some(after.employer_id),
                    title: Some(after.title),
                    occupation: Some(after.occupation),
                    description: Some(after.description),
                    headcount: Some(after.headcount),
                    salary_min: Some(after.salary_min),
                    salary_max: Some(after.salary_max),
                    region_code: Some(after.region_code),
                    min_age: Some(after.min_age),
                    max_age: Some(after.max_age),
                    gender_requirement: Some(after.gender_requirement),
                    education_min: Some(after.education_min),
                    benefits: Some(after.benefits),
                    status: Some(after.status),
                    opens_on: Some(after.opens_on),
                    closes_on: Some(after.closes_on),
                    job_fair_id: Some(after.job_fair_id),
                };
                let row = model::update(c, id, version, &changes)?.ok_or_else(|| AppError::stale(version + 1))?;
                audit::record(c, &actor, "update", "posting", Some(id), Some(&before), Some(&row))?;
                outbox::append(c, "posting", id, Op::Upsert)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(PostingView::of(row)))
}

/// Delete a posting no placement refers to (admin, clerk).
#[utoipa::path(delete, path = "/api/v1/postings/{id}", tag = "postings",
    responses((status = 204), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "delete postings")?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let before = model::get(c, id)?.ok_or(AppError::NotFound("posting"))?;
                let n = model::references(c, id)?;
                if n > 0 {
                    return Err(AppError::conflict(format!(
                        "posting {id} is referred to by {n} placement(s); close it instead (status `closed`)"
                    )));
                }
                model::delete(c, id)?;
                audit::record(c, &actor, "delete", "posting", Some(id), Some(&before), None::<&()>)?;
                outbox::append(c, "posting", id, Op::Delete)?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

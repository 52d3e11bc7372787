//! `/desk/postings` for clerks: publishing and changing an employer's
//! postings with each rule's message beside its field (pay and ages in
//! order, dates, places, the employer named). Writes go through the
//! registry, as the API's do; the employer's page lists the result.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::employer_choice::{self, EMPLOYER_OPTIONS};
use super::forms::{changed_meanwhile, json_of, list_of, messages_of, options, record_form, Field, Frame};
use super::session::{Posted, Viewer};
use super::{see_other, FieldMessages};
use crate::db::models::audit::Actor;
use crate::db::models::employer;
use crate::db::models::posting::PostingRow;
use crate::db::DbConnection;
use crate::domain::{Benefit, Education, EmployerId, GenderRequirement, PostingId, PostingStatus};
use crate::error::AppError;
use crate::http::auth::REGISTRY;
use crate::http::input::{param, read_form, Query, Read};
use crate::http::state::AppState;
use crate::registry::postings::{self as registry, NewPosting, PostingChanges};
use crate::registry::{kinds, load};

/// The form's choice of employer, always with `chosen` among them.
fn employer_choices(c: &mut DbConnection, chosen: Option<i64>) -> Result<Vec<(String, String)>, AppError> {
    employer_choice::employer_choices(c, chosen)
}

/// The values of a closed list, without a blank (the list has a default).
fn all_of<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), label(*v).to_string())).collect()
}

/// The form's fields, the employer chosen among `employers` (from
/// [`employer_choices`], the blank choice first).
fn posting_fields(employers: Vec<(String, String)>) -> Vec<Field> {
    let mut education = options(Education::ALL, Education::as_str, Education::label_zh);
    if let Some(blank) = education.first_mut() {
        blank.1 = "不限".to_string();
    }
    vec![
        Field::text("employer_id", "用人单位").choice(employers).found_at(EMPLOYER_OPTIONS).required(),
        Field::text("title", "岗位名称").required(),
        Field::text("occupation", "工种（如 中式烹调师）"),
        Field::text("description", "岗位描述").typed("textarea"),
        Field::text("headcount", "招聘人数").typed("number").required(),
        Field::text("salary_min", "最低月薪（元）").typed("number"),
        Field::text("salary_max", "最高月薪（元）").typed("number"),
        Field::text("region_code", "工作地区县（代码或名称，如 440704 或 江门市江海区）").required(),
        Field::text("min_age", "最低年龄").typed("number"),
        Field::text("max_age", "最高年龄").typed("number"),
        Field::text("gender_requirement", "性别要求").choice(all_of(
            GenderRequirement::ALL,
            GenderRequirement::as_str,
            GenderRequirement::label_zh,
        )),
        Field::text("education_min", "最低学历").choice(education),
        Field::text("benefits", "福利待遇").choices(all_of(Benefit::ALL, Benefit::as_str, Benefit::label_zh)),
        Field::text("status", "岗位状态").choice(all_of(
            PostingStatus::ALL,
            PostingStatus::as_str,
            PostingStatus::label_zh,
        )),
        Field::text("opens_on", "开始招聘日期").typed("date"),
        Field::text("closes_on", "截止日期").typed("date"),
    ]
}

/// The fields posted as text or numbers (`benefits` is a list).
const POSTING_FIELDS: [&str; 15] = [
    "employer_id",
    "title",
    "occupation",
    "description",
    "headcount",
    "salary_min",
    "salary_max",
    "region_code",
    "min_age",
    "max_age",
    "gender_requirement",
    "education_min",
    "status",
    "opens_on",
    "closes_on",
];

const NUMBERS: [&str; 6] = ["employer_id", "headcount", "salary_min", "salary_max", "min_age", "max_age"];

/// The posted form as the API's JSON body.
fn posting_json(posted: &Posted) -> serde_json::Value {
    let mut json = json_of(posted, &POSTING_FIELDS, &NUMBERS);
    list_of(&mut json, posted, "benefits");
    json
}

/// Where 取消 leads: the employer's page, or the list when none is known.
fn back_to(employer: Option<i64>) -> String {
    employer.map_or_else(|| "/desk/employers".to_string(), |id| format!("/desk/employers/{id}"))
}

/// The page's query: the employer a new posting is for.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    employer_id: Option<String>,
}

/// `GET /desk/postings/new?employer_id=`: the employer chosen and its
/// place as the work place, both changeable.
pub async fn new_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("发布岗位", "create postings"))?;
    let chosen = param::<i64>("employer_id", &q.0.employer_id)?;
    let (employers, place) = state
        .db
        .run(move |c| {
            let place = match chosen {
                Some(id) => employer::get(c, EmployerId(id))?.map(|e| e.data.region_code),
                None => None,
            };
            Ok((employer_choices(c, chosen)?, place))
        })
        .await?;
    let chosen = chosen.filter(|_| place.is_some());
    let fields = posting_fields(employers)
        .into_iter()
        .map(|f| match (f.name, chosen, &place) {
            ("employer_id", Some(id), _) => f.value(id.to_string()),
            ("region_code", _, Some(p)) => f.value(p.clone()),
            _ => f,
        })
        .collect();
    let frame =
        Frame {
            heading: "发布岗位".into(), action: "/desk/postings/new".into(), back: back_to(chosen), version: None
        };
    record_form(&viewer, frame, fields, None, &FieldMessages::default())
}

/// `POST /desk/postings/new`: creates by the registry's rules and goes to
/// the employer's page; each failing rule's message is shown beside its
/// field.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let mut posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("发布岗位", "create postings"))?;
    let frame = |chosen| Frame {
        heading: "发布岗位".into(),
        action: "/desk/postings/new".into(),
        back: back_to(chosen),
        version: None,
    };
    if let Some(errors) = employer_choice::resolve_typed(&state, &mut posted).await? {
        return again(&state, &viewer, &posted, &errors, frame).await;
    }
    let (value, keys, errors) = read_form::<NewPosting>(posting_json(&posted))?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::create(c, &actor, v))).await {
        Ok(row) => Ok(see_other(&format!("/desk/employers/{}?posted=1#postings", row.data.employer_id.get()))),
        Err(e) => again(&state, &viewer, &posted, &messages_of(e)?, frame).await,
    }
}

/// A stored posting's values, in the order of [`posting_fields`].
fn values_of(row: &PostingRow) -> Vec<String> {
    let d = &row.data;
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        d.employer_id.get().to_string(),
        d.title.clone(),
        d.occupation.clone().unwrap_or_default(),
        d.description.clone().unwrap_or_default(),
        d.headcount.to_string(),
        number(d.salary_min),
        number(d.salary_max),
        d.region_code.clone(),
        number(d.min_age),
        number(d.max_age),
        d.gender_requirement.as_str().to_string(),
        d.education_min.map(|e| e.as_str().to_string()).unwrap_or_default(),
        d.benefits.0.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(","),
        d.status.as_str().to_string(),
        date(d.opens_on),
        date(d.closes_on),
    ]
}

/// `GET /desk/postings/{id}/edit`.
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("修改岗位", "change postings"))?;
    let id = path.into_inner();
    let (row, employers) = state
        .db
        .run(move |c| {
            let row = load::<PostingRow>(c, kinds::POSTING, PostingId(id))?;
            let employers = employer_choices(c, Some(row.data.employer_id.get()))?;
            Ok((row, employers))
        })
        .await?;
    let fields = posting_fields(employers).into_iter().zip(values_of(&row)).map(|(f, v)| f.value(v)).collect();
    let frame = Frame {
        heading: format!("修改岗位：{}", row.data.title),
        action: format!("/desk/postings/{id}/edit"),
        back: back_to(Some(row.data.employer_id.get())),
        version: Some(row.version),
    };
    record_form(&viewer, frame, fields, None, &FieldMessages::default())
}

/// `POST /desk/postings/{id}/edit`: a change by the registry's rules
/// (blank optional fields are cleared, no box ticked clears the benefits;
/// a stale version is refused), then the employer's page.
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let mut posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("修改岗位", "change postings"))?;
    let id = path.into_inner();
    let version = posted.get("version").and_then(|v| v.parse().ok());
    let frame = |chosen| Frame {
        heading: "修改岗位".into(),
        action: format!("/desk/postings/{id}/edit"),
        back: back_to(chosen),
        version,
    };
    if let Some(errors) = employer_choice::resolve_typed(&state, &mut posted).await? {
        return again(&state, &viewer, &posted, &errors, frame).await;
    }
    let mut json = posting_json(&posted);
    if let Some(m) = json.as_object_mut() {
        for f in [
            "occupation",
            "description",
            "salary_min",
            "salary_max",
            "min_age",
            "max_age",
            "education_min",
            "opens_on",
            "closes_on",
            // Left out, these cannot be cleared: the registry says so.
            "employer_id",
            "headcount",
        ] {
            m.entry(f).or_insert(serde_json::Value::Null);
        }
        for f in ["title", "region_code", "gender_requirement", "status"] {
            m.entry(f).or_insert_with(|| "".into());
        }
        let version = posted.get("version").and_then(|v| v.parse::<i64>().ok());
        m.insert("version".into(), version.into());
    }
    let (value, keys, errors) = read_form::<PostingChanges>(json)?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::change(c, &actor, PostingId(id), v))).await {
        Ok(row) => Ok(see_other(&format!("/desk/employers/{}?posting_saved=1#postings", row.data.employer_id.get()))),
        Err(e) => {
            let errors = messages_of(e)?;
            if !errors.is_stale() {
                return again(&state, &viewer, &posted, &errors, frame).await;
            }
            // Saved by someone else meanwhile: what is on record now, the
            // employer list as the clerk left it.
            let chosen = posted.get("employer_id").and_then(|v| v.parse().ok());
            let find = posted.get("find");
            let (row, employers) = state
                .db
                .run(move |c| {
                    let row = load::<PostingRow>(c, kinds::POSTING, PostingId(id))?;
                    let employers = employer_choice::choices_after_post(c, chosen, find.as_deref())?;
                    Ok((row, employers))
                })
                .await?;
            let now = posting_fields(employers).into_iter().zip(values_of(&row)).map(|(f, v)| f.value(v)).collect();
            changed_meanwhile(&viewer, frame(chosen), now, row.version, &posted)
        }
    }
}

/// The posting form drawn again after a refused post, `errors` beside the
/// fields and the employer list as [`employer_choice::choices_after_post`]
/// gives it; `frame` from the employer chosen.
async fn again(
    state: &AppState,
    viewer: &Viewer,
    posted: &Posted,
    errors: &FieldMessages,
    frame: impl FnOnce(Option<i64>) -> Frame,
) -> Result<HttpResponse, AppError> {
    let chosen = posted.get("employer_id").and_then(|v| v.parse().ok());
    let find = posted.get("find");
    let employers = state.db.run(move |c| employer_choice::choices_after_post(c, chosen, find.as_deref())).await?;
    record_form(viewer, frame(chosen), posting_fields(employers), Some(posted), errors)
}

//! `/desk/employers` for clerks: the employers who offer the jobs — a list
//! filtered by name, one employer's record and postings, registering and
//! changing an employer with each rule's message beside its field. Reads
//! and writes go through the registry, as the API's do.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::forms::{bool_of, changed_meanwhile, json_of, messages_of, record_form, Field, Frame};
use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome, FieldMessages};
use crate::db::models::audit::Actor;
use crate::db::models::employer::{self as model, EmployerFilter, EmployerRow};
use crate::db::models::posting as postings;
use crate::domain::region::region_full_name;
use crate::domain::{EmployerId, Uscc};
use crate::error::AppError;
use crate::http::api::postings::{with_hires, PostingView};
use crate::http::auth::REGISTRY;
use crate::http::input::{read_form, text, Page, Query, Read};
use crate::http::state::AppState;
use crate::messages::Thing;
use crate::registry::employers::{self as registry, EmployerChanges, NewEmployer};

/// An employer as the desk lists it.
struct Listed {
    id: i64,
    name: String,
    uscc: String,
    place: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "employers.html")]
struct ListPage {
    chrome: Chrome,
    /// Said after a deletion.
    notice: Option<&'static str>,
    q: String,
    employers: Vec<Listed>,
    next: Option<String>,
}

/// The list's query: part of the name, the page's cursor, and whether
/// an employer was just deleted.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
    deleted: Option<String>,
}

/// The place of a region code in words (the code itself when unknown).
pub fn place_of(code: &str) -> String {
    region_full_name(code).unwrap_or_else(|| code.to_string())
}

/// `GET /desk/employers?q=`: employers whose name contains `q`, 50 a page.
pub async fn list(state: web::Data<AppState>, viewer: Viewer, q: Query<ListQuery>) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("查看用人单位", "list employers"))?;
    let q = q.0;
    let deleted = q.deleted.is_some();
    let page_of = Page::parse(&None, &q.cursor)?;
    // By its USCC too, and by a name typed with spaces (华 粤), as the
    // forms' employer search finds them.
    let typed: Option<String> = text(q.q.clone()).map(|t| t.split_whitespace().collect());
    let filter = match typed.as_deref().map(Uscc::parse) {
        Some(Ok((code, _))) => EmployerFilter { uscc: Some(code.as_str().to_string()), ..Default::default() },
        _ => EmployerFilter { name: typed, ..Default::default() },
    };
    let rows = state.db.run(move |c| Ok(model::list(c, &filter, page_of.after, page_of.limit + 1)?)).await?;
    let (rows, next) = page_of.finish(rows, |r| r.id.get());
    let employers = rows
        .into_iter()
        .map(|r| {
            let d = r.data;
            let contact = [d.contact_name, d.contact_phone].into_iter().flatten().collect::<Vec<_>>().join(" ");
            Listed {
                id: r.id.get(),
                place: place_of(&d.region_code),
                name: d.name,
                uscc: d.uscc.unwrap_or_default(),
                contact,
            }
        })
        .collect();
    let q = q.q.map(|s| s.trim().to_string()).unwrap_or_default();
    let next = next.map(|cursor| {
        let query = serde_urlencoded::to_string([("q", q.as_str()), ("cursor", cursor.as_str())]).unwrap_or_default();
        format!("/desk/employers?{query}")
    });
    let notice = deleted.then_some("已删除该用人单位。");
    let p = ListPage { chrome: Chrome::new(&viewer, "用人单位与岗位"), notice, q, employers, next };
    page(&viewer, &p)
}

/// A posting as the employer's page lists it.
struct Job {
    id: i64,
    title: String,
    status: &'static str,
    taking: bool,
    not_taking: String,
    places: String,
    pay: String,
}

/// Monthly pay as the pages write it: "4500–7000 元/月", one end, or "面议".
pub fn pay_of(min: Option<i32>, max: Option<i32>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("{a} 元/月"),
        (Some(a), Some(b)) => format!("{a}–{b} 元/月"),
        (Some(a), None) => format!("{a} 元/月起"),
        (None, Some(b)) => format!("最高 {b} 元/月"),
        (None, None) => "面议".to_string(),
    }
}

#[derive(Template)]
#[template(path = "employer.html")]
struct EmployerPage {
    chrome: Chrome,
    e: EmployerRow,
    place: String,
    uscc_warning: Option<String>,
    notice: Option<&'static str>,
    /// Other employers of the same name: `(id, USCC)`.
    same_name: Vec<(i64, String)>,
    /// The latest postings, the latest first.
    jobs: Vec<Job>,
    /// How many postings the employer has, in all.
    total: i64,
}

/// The most postings an employer's page lists (the latest).
const POSTINGS_LISTED: i64 = 300;

/// `GET /desk/employers/{id}`: the employer's record and its postings,
/// each saying whether it takes applications today (the one rule).
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("查看用人单位", "read employers"))?;
    let id = EmployerId(path.into_inner());
    let (e, rows, total) = state
        .db
        .run(move |c| {
            let e = model::get(c, id)?.ok_or(AppError::NotFound(Thing::Employer))?;
            let (rows, total) = postings::latest_of_employer(c, id, POSTINGS_LISTED)?;
            let same: Vec<(i64, String)> = model::with_name(c, &e.data.name, 6)?
                .into_iter()
                .filter(|(other, _)| *other != id)
                .map(|(other, uscc)| (other.get(), uscc.unwrap_or_else(|| "未填".into())))
                .collect();
            Ok((e, (with_hires(c, rows)?, same), total))
        })
        .await?;
    let (rows, same_name) = rows;
    let jobs = rows
        .into_iter()
        .map(PostingView::with_hired)
        .map(|v| Job {
            id: v.record.id,
            title: v.title,
            status: v.status.label_zh(),
            taking: v.taking_applications,
            not_taking: v.not_taking.map(|n| n.text).unwrap_or_default(),
            places: format!("{} 人（已录用 {}）", v.headcount, v.hired),
            pay: pay_of(v.salary_min, v.salary_max),
        })
        .collect();
    let notice = q.iter().find_map(|(k, _)| match k.as_str() {
        "registered" => Some("已登记。"),
        "saved" => Some("已保存。"),
        "posted" => Some("已发布岗位。"),
        "posting_saved" => Some("岗位已保存。"),
        "posting_deleted" => Some("岗位已删除。"),
        _ => None,
    });
    let uscc_warning =
        e.data.uscc.as_deref().and_then(|u| Uscc::parse(u).ok()).and_then(|(_, w)| w).map(|w| w.message.zh.clone());
    let p = EmployerPage {
        chrome: Chrome::new(&viewer, e.data.name.clone()),
        place: place_of(&e.data.region_code),
        e,
        uscc_warning,
        notice,
        same_name,
        jobs,
        total,
    };
    page(&viewer, &p)
}

/// The registration and edit form's fields.
fn employer_fields() -> Vec<Field> {
    let yes_no = vec![("false".to_string(), "否".to_string()), ("true".to_string(), "是".to_string())];
    vec![
        Field::text("name", "单位名称").required(),
        Field::text("uscc", "统一社会信用代码（18位）"),
        Field::text("region_code", "所在地区县（代码或名称，如 440704 或 江门市江海区）").required(),
        Field::text("address", "地址"),
        Field::text("industry", "行业"),
        Field::text("contact_name", "联系人"),
        Field::text("contact_phone", "联系电话").typed("tel"),
        Field::text("is_poverty_workshop", "是否扶贫车间").choice(yes_no),
    ]
}

const EMPLOYER_FIELDS: [&str; 8] =
    ["name", "uscc", "region_code", "address", "industry", "contact_name", "contact_phone", "is_poverty_workshop"];

/// The frame of an employer's form; 取消 goes back to `back`.
fn employer_frame(heading: &str, action: String, back: String, version: Option<i32>) -> Frame {
    Frame { heading: heading.to_string(), action, back, version }
}

/// The posted form as the API's JSON body.
fn employer_json(posted: &Posted) -> serde_json::Value {
    let mut json = json_of(posted, &EMPLOYER_FIELDS, &[]);
    bool_of(&mut json, "is_poverty_workshop");
    json
}

/// `GET /desk/employers/new`.
pub async fn new_form(viewer: Viewer) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("登记用人单位", "register employers"))?;
    let frame = employer_frame("登记用人单位", "/desk/employers/new".into(), "/desk/employers".into(), None);
    record_form(&viewer, frame, employer_fields(), None, &FieldMessages::default())
}

/// `POST /desk/employers/new`: registers by the registry's rules; each
/// failing rule's message is shown beside its field.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("登记用人单位", "register employers"))?;
    let (value, keys, errors) = read_form::<NewEmployer>(employer_json(&posted))?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::register(c, &actor, v))).await {
        Ok(done) => Ok(see_other(&format!("/desk/employers/{}?registered=1", done.row.id.get()))),
        Err(e) => {
            let errors = messages_of(e)?;
            let frame = employer_frame("登记用人单位", "/desk/employers/new".into(), "/desk/employers".into(), None);
            record_form(&viewer, frame, employer_fields(), Some(&posted), &errors)
        }
    }
}

/// `GET /desk/employers/{id}/edit`.
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("修改用人单位", "change employers"))?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::get(c, EmployerId(id))?.ok_or(AppError::NotFound(Thing::Employer))).await?;
    let fields = employer_now(&row);
    let frame = employer_frame(
        &format!("修改：{}", row.data.name),
        format!("/desk/employers/{id}/edit"),
        format!("/desk/employers/{id}"),
        Some(row.version),
    );
    record_form(&viewer, frame, fields, None, &FieldMessages::default())
}

/// A stored employer's form: the fields filled with what is on record.
fn employer_now(row: &EmployerRow) -> Vec<Field> {
    let d = &row.data;
    let values = [
        d.name.clone(),
        d.uscc.clone().unwrap_or_default(),
        d.region_code.clone(),
        d.address.clone().unwrap_or_default(),
        d.industry.clone().unwrap_or_default(),
        d.contact_name.clone().unwrap_or_default(),
        d.contact_phone.clone().unwrap_or_default(),
        d.is_poverty_workshop.to_string(),
    ];
    employer_fields().into_iter().zip(values).map(|(f, v)| f.value(v)).collect()
}

/// `POST /desk/employers/{id}/edit`: a change by the registry's rules
/// (blank optional fields are cleared; a stale version is refused).
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("修改用人单位", "change employers"))?;
    let id = path.into_inner();
    let mut json = employer_json(&posted);
    if let Some(m) = json.as_object_mut() {
        for f in ["uscc", "address", "industry", "contact_name", "contact_phone"] {
            m.entry(f).or_insert(serde_json::Value::Null);
        }
        for f in ["name", "region_code"] {
            m.entry(f).or_insert_with(|| "".into());
        }
        let version = posted.get("version").and_then(|v| v.parse::<i64>().ok());
        m.insert("version".into(), version.into());
    }
    let (value, keys, errors) = read_form::<EmployerChanges>(json)?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::change(c, &actor, EmployerId(id), v))).await {
        Ok(_) => Ok(see_other(&format!("/desk/employers/{id}?saved=1"))),
        Err(e) => {
            let errors = messages_of(e)?;
            let version = posted.get("version").and_then(|v| v.parse().ok());
            let frame = employer_frame(
                "修改用人单位",
                format!("/desk/employers/{id}/edit"),
                format!("/desk/employers/{id}"),
                version,
            );
            if errors.is_stale() {
                // Saved by someone else meanwhile: what is on record now.
                let row = state
                    .db
                    .run(move |c| model::get(c, EmployerId(id))?.ok_or(AppError::NotFound(Thing::Employer)))
                    .await?;
                return changed_meanwhile(&viewer, frame, employer_now(&row), row.version, &posted);
            }
            record_form(&viewer, frame, employer_fields(), Some(&posted), &errors)
        }
    }
}

//! `/desk` for clerks: find a person by ID number or name (the desk's first
//! question), register and edit a person with each rule's message beside
//! its field. Reads and writes go through the registry, as the API's do.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::forms::{changed_meanwhile, json_of, messages_of, options, record_form, Field, Frame};
use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome, FieldMessages};
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::models::labourer::{LabourerFilter, LabourerRow};
use crate::domain::{normalise, Education, IdNumber, LabourerId, PovertyStatus};
use crate::error::AppError;
use crate::http::auth::REGISTRY;
use crate::http::input::{read_form, Read};
use crate::http::state::AppState;
use crate::registry::labourers::{self as registry, LabourerChanges, NewLabourer};
use crate::registry::reads;

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    chrome: Chrome,
    q: String,
    searched: bool,
    error: Option<String>,
    people: Vec<LabourerRow>,
    /// More people have the name than are listed.
    more: bool,
}

/// The most people a search by name lists.
const FOUND_BY_NAME: usize = 50;

/// `GET /desk?q=`: find a person by ID number (full, typed or scanned) or
/// name. Clerks see full ID numbers; the read is audited.
pub async fn find(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(REGISTRY, ("使用服务台", "use the desk"))?;
    let typed = q.iter().find(|(k, _)| k == "q").map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut error = None;
    let mut people = Vec::new();
    let mut more = false;
    if !typed.is_empty() {
        // Full-width digits (an input method's ４５１４２４…) count as digits.
        let looks_like_number = normalise::code(&typed).chars().filter(|c| c.is_ascii_digit()).count() >= 6;
        let filter = if looks_like_number {
            match IdNumber::parse(&typed, clock::today()) {
                Ok(id) => Some(LabourerFilter { id_number: Some(id), ..Default::default() }),
                Err(e) => {
                    error = Some(e.message.zh.clone());
                    None
                }
            }
        } else {
            Some(LabourerFilter { name: Some(normalise::name(&typed)), ..Default::default() })
        };
        if let Some(filter) = filter {
            let actor = Actor::from(&caller);
            people = state.db.write(move |c| reads::labourers(c, &actor, &filter, 0, FOUND_BY_NAME as i64)).await?;
            more = people.len() > FOUND_BY_NAME;
            people.truncate(FOUND_BY_NAME);
        }
    }
    let p =
        DeskPage {
            chrome: Chrome::new(&viewer, "服务台"), searched: !typed.is_empty(), q: typed, error, people, more
        };
    page(&viewer, &p)
}

/// The registration and edit form's fields.
fn person_fields() -> Vec<Field> {
    vec![
        Field::text("id_number", "身份证号").required(),
        Field::text("name", "姓名").required(),
        Field::text("phone", "手机号").typed("tel"),
        Field::text("hukou_region_code", "户籍地区县（代码或名称，如 451424 或 大新县；不填取身份证号前6位）"),
        Field::text("hukou_township", "乡镇"),
        Field::text("hukou_village", "村"),
        Field::text("poverty_status", "贫困户属性").choice(options(
            PovertyStatus::ALL,
            PovertyStatus::as_str,
            PovertyStatus::label_zh,
        )),
        Field::text("education", "文化程度").choice(options(Education::ALL, Education::as_str, Education::label_zh)),
        Field::text("notes", "备注"),
    ]
}

const PERSON_FIELDS: [&str; 9] = [
    "id_number",
    "name",
    "phone",
    "hukou_region_code",
    "hukou_township",
    "hukou_village",
    "poverty_status",
    "education",
    "notes",
];

/// The frame of a person's form: 取消 goes back to the person's page (to
/// the desk, for a new one).
fn person_frame(heading: &str, action: String, version: Option<i32>) -> Frame {
    let back = match action.strip_suffix("/edit") {
        Some(person) => person.to_string(),
        None => "/desk".into(),
    };
    Frame { heading: heading.to_string(), action, back, version }
}

/// A stored person's form: the fields filled with what is on record, and
/// the version read.
fn person_now(row: &LabourerRow) -> Vec<Field> {
    let d = &row.data;
    let values = [
        d.id_number.as_str().to_string(),
        d.name.clone(),
        d.phone.clone().unwrap_or_default(),
        d.hukou_region_code.clone().unwrap_or_default(),
        d.hukou_township.clone().unwrap_or_default(),
        d.hukou_village.clone().unwrap_or_default(),
        d.poverty_status.as_str().to_string(),
        d.education.map(|e| e.as_str().to_string()).unwrap_or_default(),
        d.notes.clone().unwrap_or_default(),
    ];
    person_fields().into_iter().zip(values).map(|(f, v)| f.value(v)).collect()
}

/// `GET /desk/labourers/new`.
pub async fn new_form(viewer: Viewer) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("登记劳动力", "register labourers"))?;
    let frame = person_frame("登记劳动力", "/desk/labourers/new".into(), None);
    record_form(&viewer, frame, person_fields(), None, &FieldMessages::default())
}

/// `POST /desk/labourers/new`: registers by the registry's rules; each
/// failing rule's message is shown beside its field.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("登记劳动力", "register labourers"))?;
    let (value, keys, errors) = read_form::<NewLabourer>(json_of(&posted, &PERSON_FIELDS, &[]))?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::register(c, &actor, v))).await {
        Ok(done) => {
            // The people of the same name and birth day (the API's
            // possible_duplicates): the person's page names them once.
            let similar: Vec<String> = done.possible_duplicates.iter().take(10).map(|p| p.get().to_string()).collect();
            let also = if similar.is_empty() { String::new() } else { format!("&similar={}", similar.join(",")) };
            Ok(see_other(&format!("/desk/labourers/{}?registered=1{also}", done.row.id.get())))
        }
        Err(e) => {
            let errors = messages_of(e)?;
            let frame = person_frame("登记劳动力", "/desk/labourers/new".into(), None);
            record_form(&viewer, frame, person_fields(), Some(&posted), &errors)
        }
    }
}

/// `GET /desk/labourers/{id}/edit`.
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(REGISTRY, ("修改劳动力信息", "change labourers"))?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    let (row, _) = state.db.write(move |c| reads::labourer(c, &actor, LabourerId(id))).await?;
    let fields = person_now(&row);
    let frame =
        person_frame(&format!("修改：{}", row.data.name), format!("/desk/labourers/{id}/edit"), Some(row.version));
    record_form(&viewer, frame, fields, None, &FieldMessages::default())
}

/// `POST /desk/labourers/{id}/edit`: a change by the registry's rules
/// (blank optional fields are cleared; a stale version is refused).
pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("修改劳动力信息", "change labourers"))?;
    let id = path.into_inner();
    let mut json = json_of(&posted, &PERSON_FIELDS, &[]);
    if let Some(m) = json.as_object_mut() {
        for f in ["phone", "hukou_region_code", "hukou_township", "hukou_village", "education", "notes"] {
            m.entry(f).or_insert(serde_json::Value::Null);
        }
        for f in ["id_number", "name", "poverty_status"] {
            m.entry(f).or_insert_with(|| "".into());
        }
        let version = posted.get("version").and_then(|v| v.parse::<i64>().ok());
        m.insert("version".into(), version.into());
    }
    let (value, keys, errors) = read_form::<LabourerChanges>(json)?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    let changed = state
        .db
        .write(move |c| {
            let row = read.then(|v| registry::change(c, &actor, LabourerId(id), v))?;
            // Changed into someone of the same name and birth day: said as
            // on registering (an edit once gave no notice).
            Ok(crate::db::models::labourer::twins(c, &row.data.name, row.data.birth_date, &row.data.id_number)?)
        })
        .await;
    match changed {
        Ok(twins) => {
            let similar: Vec<String> = twins.iter().take(10).map(|p| p.get().to_string()).collect();
            let also = if similar.is_empty() { String::new() } else { format!("&similar={}", similar.join(",")) };
            Ok(see_other(&format!("/desk/labourers/{id}?saved=1{also}")))
        }
        Err(e) => {
            let errors = messages_of(e)?;
            let version = posted.get("version").and_then(|v| v.parse().ok());
            let frame = person_frame("修改劳动力信息", format!("/desk/labourers/{id}/edit"), version);
            if errors.is_stale() {
                // Saved by someone else meanwhile: what is on record now.
                let actor = Actor::from(&caller);
                let (row, _) = state.db.write(move |c| reads::labourer(c, &actor, LabourerId(id))).await?;
                return changed_meanwhile(&viewer, frame, person_now(&row), row.version, &posted);
            }
            record_form(&viewer, frame, person_fields(), Some(&posted), &errors)
        }
    }
}

//! `/desk/labourers/{id}`: one person at the clerk's desk — their record,
//! placements, trainings and certificates, job-fair visits and matches — and adding a placement by the
//! registry's rules.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::employer_choice;
use super::forms::{self, json_of, messages_of, options, refill, Field};
use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome, FieldMessages};
use crate::db::models::audit::Actor;
use crate::db::models::employer;
use crate::db::models::enrolment::{self, Certificate, Training};
use crate::db::models::job_fair::{self, Visit};
use crate::db::models::labourer::LabourerRow;
use crate::db::models::placement::{self, PlacementFilter, PlacementRow};
use crate::domain::region::region_full_name;
use crate::domain::{region_name, Channel, EmployerId, LabourerId, PlacementId};
use crate::error::AppError;
use crate::http::api::search::matches_of;
use crate::http::auth::REGISTRY;
use crate::http::input::{read_form, Read};
use crate::http::state::AppState;
use crate::messages::Thing;
use crate::registry::placements::{self as registry, NewPlacement, PlacementChanges};
use crate::registry::reads;
use crate::search::query::MatchHit;

/// A placement as the desk lists it.
struct Job {
    id: i64,
    version: i32,
    employer: String,
    place: String,
    occupation: String,
    started_on: String,
    ended_on: String,
    channel: &'static str,
    /// 兼职 (may overlap a full-time job).
    part_time: bool,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    p: LabourerRow,
    notice: Option<&'static str>,
    jobs: Vec<Job>,
    certificates: Vec<Certificate>,
    trainings: Vec<Training>,
    /// 职业院校就读 records (the duplicates' merge names them by number).
    schools: Vec<crate::db::models::vocational::VocationalRow>,
    visits: Vec<Visit>,
    matches: Vec<MatchHit>,
    placement_html: String,
    others: Vec<String>,
    /// The job whose end was just refused, and why (shown in its row).
    ending: Option<(i64, Vec<String>)>,
    /// Just registered: the people of the same name and birth day.
    similar: Vec<i64>,
    /// The 户籍 county by name (广西壮族自治区崇左市大新县), not its code alone.
    hukou: String,
    /// Why no 户籍 is on record: the ID number's region is unknown.
    hukou_unknown: Option<String>,
}

/// The placement form's fields, the employer chosen among `employers`
/// (from [`employer_choice::employer_choices`], the blank choice first).
fn placement_fields(employers: Vec<(String, String)>) -> Vec<Field> {
    vec![
        Field::text("employer_id", "就业单位").choice(employers).found_at(employer_choice::EMPLOYER_OPTIONS),
        Field::text("employer_name", "未登记的单位：填写单位名称（上面不选）"),
        Field::text(
            "region_code",
            "就业地区县（代码或名称，如 440704 或 江门市江海区；选了登记的单位可不填，取单位所在地）",
        ),
        Field::text("occupation", "岗位/工种"),
        Field::text("started_on", "就业时间").typed("date").required(),
        Field::text("ended_on", "离职时间（仍在岗不填）").typed("date"),
        Field::text("monthly_income", "月收入（元）").typed("number"),
        Field::text("channel", "就业渠道").choice(options(Channel::ALL, Channel::as_str, Channel::label_zh)).required(),
        Field::text("part_time", "全职或兼职")
            .choice(vec![("false".into(), "全职".into()), ("true".into(), "兼职（可与全职工作时间重叠）".into())]),
    ]
}

const PLACEMENT_FIELDS: [&str; 9] = [
    "employer_id",
    "employer_name",
    "region_code",
    "occupation",
    "started_on",
    "ended_on",
    "monthly_income",
    "channel",
    "part_time",
];

/// What a page shows besides the record: a notice after a write, or the
/// messages of a form sent back.
#[derive(Default)]
struct Shown<'a> {
    notice: Option<&'static str>,
    /// People who may be the same person (after registering).
    similar: Vec<i64>,
    /// The placement form as posted, and its messages.
    posted: Option<&'a Posted>,
    errors: FieldMessages,
    /// A job whose end was refused, and why.
    ending: Option<(i64, Vec<String>)>,
}

async fn show_person(state: &AppState, viewer: &Viewer, id: i64, shown: Shown<'_>) -> Result<HttpResponse, AppError> {
    let Shown { notice, similar, posted, errors, ending } = shown;
    let caller = viewer.allowed(REGISTRY, ("查看劳动力信息", "read labourers"))?;
    let actor = Actor::from(&caller);
    let posted_employer = posted.and_then(|p| p.get("employer_id"));
    let posted_find = posted.and_then(|p| p.get("find"));
    let (row, certificates, rows, employers, trainings, visits) = state
        .db
        .write(move |c| {
            let (row, certs) = reads::labourer(c, &actor, LabourerId(id))?;
            let jobs = placement::list(
                c,
                &PlacementFilter { labourer_id: Some(LabourerId(id)), ..Default::default() },
                0,
                200,
            )?;
            // The person's jobs name their employers wherever these fall
            // in the registry; the form's list keeps the one just posted.
            let ids: Vec<i64> = jobs.iter().filter_map(|p| p.data.employer_id.map(|e| e.get())).collect();
            let names: HashMap<i64, String> = employer::names_by_id(c, &ids)?.into_iter().collect();
            let chosen = posted_employer.and_then(|v| v.parse().ok());
            let employers = employer_choice::choices_after_post(c, chosen, posted_find.as_deref())?;
            let trainings = enrolment::trainings_of(c, LabourerId(id))?;
            let schools = crate::db::models::vocational::list(c, Some(LabourerId(id)), None, 0, 50)?;
            let trainings = (trainings, schools);
            let visits = job_fair::visits_of(c, LabourerId(id))?;
            Ok((row, certs, jobs, (names, employers), trainings, visits))
        })
        .await?;
    let (names, employers) = employers;
    let (trainings, schools) = trainings;
    let employer_name = |p: &PlacementRow| {
        p.data
            .employer_id
            .and_then(|e| names.get(&e.get()).cloned())
            .or_else(|| p.data.employer_name.clone())
            .unwrap_or_default()
    };
    let jobs = rows
        .iter()
        .map(|p| Job {
            id: p.id.get(),
            version: p.version,
            employer: employer_name(p),
            place: region_name(&p.data.region_code).unwrap_or(&p.data.region_code).to_string(),
            occupation: p.data.occupation.clone().unwrap_or_default(),
            part_time: p.data.part_time,
            started_on: p.data.started_on.to_string(),
            ended_on: p.data.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            channel: p.data.channel.label_zh(),
        })
        .collect();
    let matches = matches_of(state, id, 5, false).await?.hits;
    let mut fields = placement_fields(employers);
    let others = refill(&mut fields, posted, &errors);
    let hukou = match row.data.hukou_region_code.as_deref() {
        Some(code) => format!("{} {code}", region_full_name(code).unwrap_or_default()).trim().to_string(),
        None => String::new(),
    };
    let hukou_unknown = crate::registry::labourers::hukou_unknown(&row.data).map(|w| w.message.zh);
    let p = PersonPage {
        hukou,
        hukou_unknown,
        chrome: Chrome::new(viewer, row.data.name.clone()),
        p: row,
        notice,
        jobs,
        certificates,
        trainings,
        schools,
        visits,
        matches,
        placement_html: forms::html(&fields)?,
        others,
        ending,
        similar,
    };
    let mut res = page(viewer, &p)?;
    if !errors.is_empty() || p.ending.is_some() {
        *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /desk/labourers/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let notice = q.iter().find_map(|(k, _)| match k.as_str() {
        "registered" => Some("已登记。"),
        "saved" => Some("已保存。"),
        "placed" => Some("已添加就业登记。"),
        "ended" => Some("已登记离职。"),
        "job_deleted" => Some("已删除这条就业登记。"),
        _ => None,
    });
    let similar = q
        .iter()
        .find(|(k, _)| k == "similar")
        .map(|(_, v)| v.split(',').filter_map(|n| n.trim().parse::<i64>().ok()).take(10).collect())
        .unwrap_or_default();
    show_person(&state, &viewer, path.into_inner(), Shown { notice, similar, ..Shown::default() }).await
}

/// `POST /desk/labourers/{id}/placements`: a placement by the registry's
/// rules (overlaps, dates, places), messages beside the fields.
pub async fn add_placement(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let mut posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("登记就业", "record placements"))?;
    let id = path.into_inner();
    // Without JavaScript the search box's text comes with the form instead
    // of a choice: the one employer it finds, else the form again.
    if let Some(errors) = employer_choice::resolve_typed(&state, &mut posted).await? {
        return show_person(&state, &viewer, id, Shown { posted: Some(&posted), errors, ..Shown::default() }).await;
    }
    // A chosen employer is the employer: a name also typed beside it was
    // kept too, and the job then named one employer in its row and the
    // other on its delete page. A name typed alone that one registered
    // employer has is linked to it, as a roster's is.
    if posted.get("employer_id").is_some() {
        posted.set("employer_name", String::new());
    } else if let Some(name) = posted.get("employer_name") {
        let found = state.db.run(move |c| Ok(employer::with_name(c, &name, 2)?)).await?;
        if let [(only, _)] = found.as_slice() {
            posted.set("employer_id", only.get().to_string());
            posted.set("employer_name", String::new());
        }
    }
    // Where the job is, when not written: where the chosen employer is.
    if posted.get("region_code").is_none() {
        if let Some(e) = posted.get("employer_id").and_then(|v| v.parse::<i64>().ok()) {
            let at = state.db.run(move |c| Ok(employer::get(c, EmployerId(e))?.map(|r| r.data.region_code))).await?;
            if let Some(code) = at {
                posted.set("region_code", code);
            }
        }
    }
    let mut json = json_of(&posted, &PLACEMENT_FIELDS, &["employer_id", "monthly_income"]);
    forms::bool_of(&mut json, "part_time");
    if let Some(m) = json.as_object_mut() {
        m.insert("labourer_id".into(), id.into());
    }
    let (value, keys, errors) = read_form::<NewPlacement>(json)?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    match state.db.write(move |c| read.then(|v| registry::create(c, &actor, v))).await {
        Ok(_) => Ok(see_other(&format!("/desk/labourers/{id}?placed=1#placements"))),
        Err(e) => {
            let errors = messages_of(e)?;
            show_person(&state, &viewer, id, Shown { posted: Some(&posted), errors, ..Shown::default() }).await
        }
    }
}

/// `POST /desk/labourers/{id}/placements/{placement}/end`: the day a job
/// ended (离职时间), by the registry's change of a placement — the version
/// the page read, the same date rules — and audited like any change.
/// Refusals are shown in the job's row.
pub async fn end_placement(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::read(&req, &body)?;
    let caller = viewer.allowed(REGISTRY, ("登记离职", "record a job's end"))?;
    let (id, job) = path.into_inner();
    let version = posted.get("version").and_then(|v| v.parse::<i32>().ok());
    let Some(ended_on) = posted.get("ended_on") else {
        let messages = vec![crate::messages::general::required("ended_on").zh];
        return show_person(&state, &viewer, id, Shown { ending: Some((job, messages)), ..Shown::default() }).await;
    };
    let json = serde_json::json!({ "version": version, "ended_on": ended_on });
    let (value, keys, errors) = read_form::<PlacementChanges>(json)?;
    let read = Read { value, keys, errors };
    let actor = Actor::from(&caller);
    let done = state
        .db
        .write(move |c| {
            // The job must be this person's: a page's address names both.
            let row: PlacementRow = crate::registry::load(c, crate::registry::kinds::PLACEMENT, PlacementId(job))?;
            if row.data.labourer_id != LabourerId(id) {
                return Err(AppError::NotFound(Thing::Placement));
            }
            read.then(|v| registry::change(c, &actor, PlacementId(job), v))
        })
        .await;
    match done {
        Ok(_) => Ok(see_other(&format!("/desk/labourers/{id}?ended=1#placements"))),
        Err(AppError::NotFound(thing)) => Err(AppError::NotFound(thing)),
        Err(e) => {
            let errors = messages_of(e)?;
            let mut messages: Vec<String> = errors.get("ended_on").map(str::to_string).into_iter().collect();
            messages.extend(errors.others(&["ended_on"]));
            show_person(&state, &viewer, id, Shown { ending: Some((job, messages)), ..Shown::default() }).await
        }
    }
}

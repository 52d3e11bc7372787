//! `/fairs` and `/fairs/{id}/desk`: fair day for organisers. The check-in
//! box takes a typed or scanned ID number (Enter submits; the box comes
//! back empty and focused); an ID number not registered yet reveals name
//! and phone, and the registry registers the walk-in as unverified.
//! Intentions and hires go through the registry's fair-desk functions.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::fair_postings::{fair_postings, FairPosting};
use super::session::{Posted, Viewer};
use super::{html, page, see_other, Chrome, FieldMessages};
use crate::auth::{Caller, Role};
use crate::db::models::audit::Actor;
use crate::db::models::job_fair::{self as model, JobFairRow};
use crate::db::models::labourer;

use crate::domain::{mask_id_number, JobFairId};
use crate::error::AppError;
use crate::http::auth::MANAGERS;
use crate::http::input::read_form;
use crate::http::state::AppState;
use crate::registry::fair_desk::{self as registry, CheckIn, IntentionOutcome, NewIntention};
use crate::registry::fairs::managed;
use crate::registry::reads;

#[derive(Template)]
#[template(path = "fairs.html")]
struct FairsPage {
    chrome: Chrome,
    year: i32,
    fairs: Vec<JobFairRow>,
    /// More fairs were held that year than the page lists.
    more: bool,
    /// The years with fairs the viewer may run, the latest first.
    years: Vec<i32>,
}

/// The most fairs the list shows for one year.
const FAIRS_A_YEAR: usize = 500;
/// The most years the list links to.
const YEARS_LISTED: usize = 30;

/// `GET /fairs?year=`: the fairs the viewer may run (an organiser: their
/// unit's) held in one year — this year unless another is asked — the
/// latest first, with links to the years that had fairs (stepping one year
/// at a time left a bureau clicking through empty years). (Listing the
/// first fairs ever registered instead lost the year's own once the
/// registry held a few hundred.)
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(MANAGERS, ("查看招聘会", "see fairs"))?;
    let unit = (caller.role == Role::Organiser).then(|| caller.unit.clone().unwrap_or_default());
    let year = super::year_asked(&q)?.unwrap_or_else(|| chrono::Datelike::year(&crate::clock::today()));
    let (mut fairs, years) = state
        .db
        .run(move |c| {
            let fairs = model::list(c, unit.as_deref(), Some(year), 0, FAIRS_A_YEAR as i64 + 1)?;
            Ok((fairs, model::years_held(c, unit.as_deref(), YEARS_LISTED)?))
        })
        .await?;
    let more = fairs.len() > FAIRS_A_YEAR;
    fairs.sort_unstable_by_key(|f| std::cmp::Reverse((f.data.held_on, f.id.get())));
    fairs.truncate(FAIRS_A_YEAR);
    page(&viewer, &FairsPage { chrome: Chrome::new(&viewer, format!("招聘会（{year} 年）")), year, fairs, more, years })
}

/// The check-in box and what the last check-in did (also the htmx fragment).
#[derive(Template)]
#[template(path = "fair_checkin.html")]
struct CheckInBox {
    fair_id: i64,
    csrf: String,
    id_number: String,
    name: String,
    phone: String,
    walk_in: bool,
    errors: FieldMessages,
    message: String,
}

/// One attendee as the desk lists them.
struct Attendee {
    id: i64,
    name: String,
    id_number: String,
    unverified: bool,
}

/// One intention as the desk lists it.
struct Intention {
    id: i64,
    person: String,
    posting: String,
    hired: bool,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "fair_desk.html")]
struct DeskPage {
    chrome: Chrome,
    fair: JobFairRow,
    checkin_html: String,
    /// The latest check-ins, the latest first.
    attendees: Vec<Attendee>,
    /// How many have checked in, in all.
    checked_in: i64,
    /// More intentions were recorded than the desk lists.
    more_intentions: bool,
    /// The postings taking applications on the fair's day.
    postings: Vec<FairPosting>,
    intentions: Vec<Intention>,
    today: String,
    error: Option<String>,
}

/// An empty check-in box. Callers who see ID numbers masked (organisers)
/// give name and phone for everyone, so the box asks for them from the
/// start: which numbers are registered is not told by the questions asked.
fn empty_box(fair: i64, csrf: &str, message: String, masked: bool) -> CheckInBox {
    CheckInBox {
        fair_id: fair,
        csrf: csrf.to_string(),
        id_number: String::new(),
        name: String::new(),
        phone: String::new(),
        walk_in: masked,
        errors: FieldMessages::default(),
        message,
    }
}

/// The most check-ins and intentions the desk lists (the latest).
const DESK_LISTS: i64 = 300;

async fn desk(
    state: &AppState,
    viewer: &Viewer,
    caller: &Caller,
    fair: JobFairId,
    checkin: CheckInBox,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(caller);
    let full = caller.sees_full_id_numbers();
    let (fair_row, people, postings, intentions) = state
        .db
        .write(move |c| {
            let row = managed(c, &actor, fair)?;
            let people = reads::latest_attendees(c, &actor, fair, DESK_LISTS)?;
            let postings = fair_postings(c, fair, row.data.held_on)?;
            let intentions = model::latest_intentions(c, fair, DESK_LISTS)?;
            let mut named = Vec::new();
            for i in intentions {
                let person = labourer::get(c, i.labourer_id)?.map(|l| l.data.name).unwrap_or_default();
                named.push((i, person));
            }
            Ok((row, people, postings, named))
        })
        .await?;
    let (people, checked_in) = people;
    // Outside the days check-ins are taken, the box says so before anyone
    // is typed in (a past fair's desk looked open and refused silently).
    let mut checkin = checkin;
    let margin = state.settings.check_in_margin_days;
    if checkin.message.is_empty() && (crate::clock::today() - fair_row.data.held_on).num_days().abs() > margin {
        checkin.message =
            format!("现在不能签到：{}", crate::messages::registry::fair_not_open(fair_row.data.held_on, margin).zh);
    }
    let attendees = people
        .into_iter()
        .map(|(_, l)| Attendee {
            id: l.id.get(),
            unverified: l.data.poverty_status.as_str() == "unverified",
            id_number: if full {
                l.data.id_number.as_str().to_string()
            } else {
                mask_id_number(l.data.id_number.as_str())
            },
            name: l.data.name,
        })
        .collect();
    let title_of =
        |id: i64| postings.iter().find(|p| p.row.id.get() == id).map(|p| p.row.data.title.clone()).unwrap_or_default();
    let more_intentions = intentions.len() as i64 == DESK_LISTS;
    let intentions = intentions
        .into_iter()
        .map(|(i, person)| Intention {
            id: i.id,
            person,
            posting: title_of(i.posting_id.get()),
            hired: i.status.as_str() == "hired",
            status: i.status.label_zh(),
        })
        .collect();
    let p = DeskPage {
        chrome: Chrome::new(viewer, format!("{} · 现场服务台", fair_row.data.name)),
        fair: fair_row,
        checkin_html: html(&checkin)?,
        attendees,
        checked_in,
        more_intentions,
        postings: postings.into_iter().filter(|p| p.taking).collect(),
        intentions,
        today: crate::clock::today().to_string(),
        error,
    };
    page(viewer, &p)
}

/// `GET /fairs/{id}/desk`.
pub async fn show(state: web::Data<AppState>, viewer: Viewer, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let caller = viewer.allowed(MANAGERS, ("使用招聘会服务台", "run a fair's desk"))?;
    let fair = path.into_inner();
    desk(
        &state,
        &viewer,
        &caller,
        JobFairId(fair),
        empty_box(fair, &viewer.csrf, String::new(), !caller.sees_full_id_numbers()),
        None,
    )
    .await
}

/// `POST /fairs/{id}/check-ins`: checks one person in; answers the box
/// (htmx) or the whole desk.
pub async fn check_in(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Posted::read(&req, &body)?;
    let caller = viewer.allowed(MANAGERS, ("为到场人员签到", "check people in"))?;
    let fair = path.into_inner();
    let mut json = serde_json::Map::new();
    for f in ["id_number", "name", "phone"] {
        if let Some(v) = form.get(f) {
            json.insert(f.into(), v.into());
        }
    }
    let margin = Some(state.settings.check_in_margin_days);
    let actor = Actor::from(&caller);
    let (value, _, unread) = read_form::<CheckIn>(serde_json::Value::Object(json))?;
    let read = crate::http::input::Read { value, keys: vec![], errors: unread };
    let done = match state.limits.check_ins.take(&caller.user_id.to_string()) {
        Err(secs) => Err(AppError::TooManyRequests(secs)),
        Ok(()) => {
            state.db.write(move |c| read.then(|v| registry::check_in(c, &actor, JobFairId(fair), v, margin))).await
        }
    };
    let checkin = match done {
        Ok(d) => {
            let who = &d.person.data.name;
            let masked = !caller.sees_full_id_numbers();
            let message = if masked && d.already_checked_in {
                // Already in the organiser's own list: telling it tells
                // nothing of whether the number was registered.
                format!("{} 已签到过（此号码已在本场签到名单中）", form.get("name").unwrap_or_default())
            } else if masked {
                // The same answer for a registered and a new number.
                format!("{} 签到成功", form.get("name").unwrap_or_default())
            } else if d.already_checked_in {
                format!("{who} 已签到过")
            } else if d.newly_registered {
                format!("{who} 已登记（待核实）并签到")
            } else {
                format!("{who} 签到成功")
            };
            // A name typed that is not the registered one (not told to an
            // organiser, whose answer never says who holds a number).
            let remarks: Vec<String> = d.warnings.iter().filter(|_| !masked).map(|w| w.message.zh.clone()).collect();
            let message = if remarks.is_empty() { message } else { format!("{message}。{}", remarks.join("；")) };
            empty_box(fair, &viewer.csrf, message, masked)
        }
        Err(AppError::Validation(list)) => {
            let errors = FieldMessages::of(&list);
            let masked = !caller.sees_full_id_numbers();
            let walk_in = masked || errors.has("name") || errors.has("phone") || form.get("name").is_some();
            CheckInBox {
                fair_id: fair,
                csrf: viewer.csrf.clone(),
                id_number: form.get("id_number").unwrap_or_default(),
                name: form.get("name").unwrap_or_default(),
                phone: form.get("phone").unwrap_or_default(),
                message: if masked {
                    "请填写身份证号、姓名和手机号后按回车".into()
                } else if walk_in {
                    "此人尚未登记：请填写姓名和手机号后按回车".into()
                } else {
                    String::new()
                },
                walk_in,
                errors,
            }
        }
        // Refused whole (too many a minute, the fair not open today): said
        // in the box, what was typed kept to send again — never the last
        // person's 签到成功 left standing while this one was not taken.
        Err(e @ (AppError::TooManyRequests(_) | AppError::Conflict { .. })) => {
            let masked = !caller.sees_full_id_numbers();
            let message = match e {
                AppError::TooManyRequests(secs) => format!(
                    "签到太快：每个账号每分钟最多签到 {} 次，请 {secs} 秒后按回车再试（此人尚未签到）",
                    state.settings.check_ins_per_minute
                ),
                other => format!("未签到：{}", other.detail().zh),
            };
            CheckInBox {
                fair_id: fair,
                csrf: viewer.csrf.clone(),
                id_number: form.get("id_number").unwrap_or_default(),
                name: form.get("name").unwrap_or_default(),
                phone: form.get("phone").unwrap_or_default(),
                walk_in: masked || form.get("name").is_some(),
                errors: FieldMessages::default(),
                message,
            }
        }
        Err(e) => return Err(e),
    };
    // The whole desk: htmx takes the box and the attendee list from it
    // (hx-select, hx-select-oob); without JavaScript it is the next page.
    desk(&state, &viewer, &caller, JobFairId(fair), checkin, None).await
}

/// `POST /fairs/{id}/intentions`: an attendee's interest in a posting.
pub async fn add_intention(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Posted::read(&req, &body)?;
    let caller = viewer.allowed(MANAGERS, ("登记求职意向", "record intentions"))?;
    let fair = path.into_inner();
    let labourer_id = form.get("labourer_id").and_then(|v| v.parse::<i64>().ok());
    let posting_id = form.get("posting_id").and_then(|v| v.parse::<i64>().ok());
    let json = serde_json::json!({ "labourer_id": labourer_id, "posting_id": posting_id });
    let (value, _, unread) = read_form::<NewIntention>(json)?;
    let read = crate::http::input::Read { value, keys: vec![], errors: unread };
    let actor = Actor::from(&caller);
    let done = state.db.write(move |c| read.then(|v| registry::add_intention(c, &actor, JobFairId(fair), v))).await;
    back_to_desk(&state, &viewer, &caller, fair, done).await
}

/// `POST /fairs/{id}/intentions/{intention_id}/hire`: records the hire,
/// which makes the placement (the registry's hire guard applies).
pub async fn hire(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Posted::read(&req, &body)?;
    let caller = viewer.allowed(MANAGERS, ("登记录用结果", "record hires"))?;
    let (fair, intention) = path.into_inner();
    let version = state.db.run(move |c| Ok(model::intention(c, intention)?.map(|i| i.version))).await?;
    let json = serde_json::json!({ "status": "hired", "started_on": form.get("started_on"), "version": version });
    let (value, _, unread) = read_form::<IntentionOutcome>(json)?;
    let read = crate::http::input::Read { value, keys: vec![], errors: unread };
    let actor = Actor::from(&caller);
    let done =
        state.db.write(move |c| read.then(|v| registry::set_outcome(c, &actor, JobFairId(fair), intention, v))).await;
    back_to_desk(&state, &viewer, &caller, fair, done).await
}

/// Where an intention or hire form leads: back to the fair's intentions,
/// or the desk again with the registry's refusal in words above them.
async fn back_to_desk<T>(
    state: &AppState,
    viewer: &Viewer,
    caller: &Caller,
    fair: i64,
    done: Result<T, AppError>,
) -> Result<HttpResponse, AppError> {
    match done {
        Ok(_) => Ok(see_other(&format!("/fairs/{fair}/desk#intentions"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let msg = e.field_errors().first().map(|f| f.message.zh.clone()).unwrap_or_else(|| e.detail().zh);
            let check_in = empty_box(fair, &viewer.csrf, String::new(), !caller.sees_full_id_numbers());
            desk(state, viewer, caller, JobFairId(fair), check_in, Some(msg)).await
        }
        Err(e) => Err(e),
    }
}

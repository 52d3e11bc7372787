//! Choosing a registered employer on a form (a posting's 用人单位, a
//! placement's 就业单位): a choice list of the first employers registered,
//! never without the one a record already names, and a search box above it
//! that finds any employer by part of its name or its 统一社会信用代码
//! (htmx swaps the list's options for the answer of [`employer_options`]).
//! Without JavaScript the box's text is posted with the form, and
//! [`resolve_typed`] takes the one employer it finds or sends the form back
//! with those found to choose from.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::session::{Posted, Viewer};
use super::{page, FieldMessages};
use crate::db::models::employer::{self as model, EmployerFilter, EmployerRow};
use crate::db::DbConnection;
use crate::domain::{EmployerId, Uscc};
use crate::error::AppError;
use crate::http::auth::REGISTRY;
use crate::http::input::Query;
use crate::http::state::AppState;

/// The most registered employers a form's list offers (the first by
/// registration): a province registers tens of thousands, more than a
/// choice list can usefully hold, and the search box above the list finds
/// the others; 200 names keep a person's page light (~10 KB of options).
pub const EMPLOYER_CHOICES: i64 = 200;

/// A form's choice of registered employer: a blank choice, then `(id,
/// name)` of the first [`EMPLOYER_CHOICES`] employers registered — and of
/// `chosen` (the employer a record already names, or a link asks for)
/// wherever it falls in the registry, so that a form never drops it. When
/// the registry holds more, the blank choice says so and points to the
/// search box above the list ([`employer_options`] answers it).
pub fn employer_choices(c: &mut DbConnection, chosen: Option<i64>) -> Result<Vec<(String, String)>, AppError> {
    let mut rows = model::list(c, &EmployerFilter::default(), 0, EMPLOYER_CHOICES + 1)?;
    let more = rows.len() as i64 > EMPLOYER_CHOICES;
    rows.truncate(EMPLOYER_CHOICES as usize);
    let blank = match more {
        true => format!("（请选择；此处只列出最先登记的 {EMPLOYER_CHOICES} 家，其余请在上方输入名称查找）"),
        false => "（请选择）".to_string(),
    };
    let mut listed = Vec::new();
    if let Some(id) = chosen.filter(|id| !rows.iter().any(|e| e.id.get() == *id)) {
        listed.extend(model::get(c, EmployerId(id))?);
    }
    listed.extend(rows);
    let mut choices = vec![(String::new(), blank)];
    choices.extend(labelled(listed));
    Ok(choices)
}

/// `(id, label)` of each employer: its name, and where two listed share
/// it, its USCC (else its place and number) after it, so that a clerk can
/// tell 江门市同名食品有限公司 from 江门市同名食品有限公司.
fn labelled(rows: Vec<EmployerRow>) -> Vec<(String, String)> {
    let shared = |name: &str| rows.iter().filter(|e| e.data.name == name).count() > 1;
    rows.iter()
        .map(|e| {
            let name = &e.data.name;
            let label = match (shared(name), &e.data.uscc) {
                (false, _) => name.clone(),
                (true, Some(code)) => format!("{name}（统一社会信用代码 {code}）"),
                (true, None) => {
                    let place = crate::domain::region_name(&e.data.region_code).unwrap_or(&e.data.region_code);
                    format!("{name}（{place}，单位编号 {}，未填代码）", e.id.get())
                }
            };
            (e.id.get().to_string(), label)
        })
        .collect()
}

/// Where an employer choice's search box asks ([`employer_options`]).
pub const EMPLOYER_OPTIONS: &str = "/desk/employers/options";

/// The most employers a search box's answer lists.
const FOUND_AT_MOST: i64 = 50;

/// What an employer search box asks: the text typed, and the employer
/// chosen so far (the choice's own value, kept among the answer).
#[derive(Debug, Default, Deserialize)]
pub struct FindEmployer {
    find: Option<String>,
    employer_id: Option<String>,
}

#[derive(Template)]
#[template(
    source = "{% for (v, l) in options %}<option value=\"{{ v }}\"{% if *v == chosen %} selected{% endif %}>{{ l }}</option>{% endfor %}",
    ext = "html"
)]
struct Options {
    options: Vec<(String, String)>,
    chosen: String,
}

/// `GET /desk/employers/options?find=&employer_id=`: the `<option>`s of an
/// employer choice for what was typed in the box above it — employers
/// whose name contains the text, or whose 统一社会信用代码 it is (at most
/// 50, the first registered first), after the blank choice and the one
/// chosen so far. One found is chosen at once; with nothing typed, the
/// form's own list comes back.
pub async fn employer_options(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: Query<FindEmployer>,
) -> Result<HttpResponse, AppError> {
    viewer.allowed(REGISTRY, ("查找用人单位", "find employers"))?;
    let typed = typed_text(q.0.find.as_deref());
    let chosen = q.0.employer_id.and_then(|v| v.parse::<i64>().ok());
    let (options, chosen) = state
        .db
        .run(move |c| match typed {
            None => Ok((employer_choices(c, chosen)?, chosen)),
            Some(typed) => {
                let found = found_choices(c, &typed, chosen)?;
                Ok((found.options, found.only.or(chosen)))
            }
        })
        .await?;
    let chosen = chosen.map(|id| id.to_string()).unwrap_or_default();
    page(&viewer, &Options { options, chosen })
}

/// The longest text a search box is searched for, in characters (a name
/// or a USCC is far shorter; SQLite refuses LIKE patterns of 50,000 bytes).
const TYPED_AT_MOST: usize = 100;

/// What was typed in a search box, without its spaces; `None` when blank.
fn typed_text(find: Option<&str>) -> Option<String> {
    Some(find?.split_whitespace().collect::<String>()).filter(|t| !t.is_empty())
}

/// What a search for some typed text found.
struct Found {
    /// The blank choice (saying what was found), `chosen` wherever it
    /// falls, then those found (at most [`FOUND_AT_MOST`]).
    options: Vec<(String, String)>,
    /// How many were found (more than [`FOUND_AT_MOST`] when so many).
    count: usize,
    /// The employer found, when exactly one was.
    only: Option<i64>,
}

/// Employers whose name contains `typed`, or whose 统一社会信用代码 it is
/// (the first registered first).
fn found_choices(c: &mut DbConnection, typed: &str, chosen: Option<i64>) -> Result<Found, AppError> {
    let (filter, by_code) = match Uscc::parse(typed) {
        Ok((code, _)) => (EmployerFilter { uscc: Some(code.as_str().to_string()), ..Default::default() }, true),
        Err(_) => (EmployerFilter { name: Some(typed.to_string()), ..Default::default() }, false),
    };
    let too_long = typed.chars().count() > TYPED_AT_MOST;
    let found = if too_long { vec![] } else { model::list(c, &filter, 0, FOUND_AT_MOST + 1)? };
    let blank = match found.len() as i64 {
        0 if too_long => format!("（查找的文字过长：最多 {TYPED_AT_MOST} 个字）"),
        0 if by_code => format!("（没有统一社会信用代码为 {typed} 的单位）"),
        0 => format!("（没有名称含“{typed}”的单位）"),
        n if n > FOUND_AT_MOST => {
            format!("（请选择：名称含“{typed}”的单位超过 {FOUND_AT_MOST} 家，请再输入几个字）")
        }
        n => format!("（请选择：找到 {n} 家）"),
    };
    let only = (found.len() == 1).then(|| found[0].id.get());
    let count = found.len();
    let mut listed = Vec::new();
    if let Some(id) = chosen.filter(|id| !found.iter().any(|e| e.id.get() == *id)) {
        listed.extend(model::get(c, EmployerId(id))?);
    }
    listed.extend(found.into_iter().take(FOUND_AT_MOST as usize));
    let mut options = vec![(String::new(), blank)];
    options.extend(labelled(listed));
    Ok(Found { options, count, only })
}

/// A form's employer list as it is drawn again after a post: what the
/// search box's text `find` finds when something was typed (so that a
/// browser without JavaScript offers those to choose from), else the
/// first registered ([`employer_choices`]); `chosen` kept either way.
pub fn choices_after_post(
    c: &mut DbConnection,
    chosen: Option<i64>,
    find: Option<&str>,
) -> Result<Vec<(String, String)>, AppError> {
    match typed_text(find) {
        Some(typed) => Ok(found_choices(c, &typed, chosen)?.options),
        None => employer_choices(c, chosen),
    }
}

/// The employer a form names when it was sent without JavaScript having
/// turned the search box's text into a choice: `Ok(None)` when a choice
/// was made or nothing typed; `Ok(Some(id))` when the text `find` finds
/// exactly one employer (by part of its name or its 统一社会信用代码);
/// `Err(message)` when it finds none or several — the form is then drawn
/// again with those found to choose from ([`choices_after_post`]), instead
/// of saving the record without the employer the clerk typed.
fn typed_employer(
    c: &mut DbConnection,
    employer_id: Option<&str>,
    find: Option<&str>,
) -> Result<Result<Option<i64>, String>, AppError> {
    let Some(typed) = typed_text(find).filter(|_| employer_id.is_none()) else { return Ok(Ok(None)) };
    if typed.chars().count() > TYPED_AT_MOST {
        return Ok(Err(format!("查找的文字过长：最多 {TYPED_AT_MOST} 个字")));
    }
    let found = found_choices(c, &typed, None)?;
    Ok(match (found.only, found.count) {
        (Some(id), _) => Ok(Some(id)),
        (None, 0) if Uscc::parse(&typed).is_ok() => {
            Err(format!("没有统一社会信用代码为 {typed} 的单位：请核对代码，或先登记该单位"))
        }
        (None, 0) => {
            Err(format!("没有名称含“{typed}”的单位：请改输入名称中的几个字或统一社会信用代码，或先登记该单位"))
        }
        (None, n) if n as i64 > FOUND_AT_MOST => {
            Err(format!("名称含“{typed}”的单位超过 {FOUND_AT_MOST} 家：请再输入几个字，或在列表中选择"))
        }
        (None, n) => Err(format!("名称含“{typed}”的单位有 {n} 家：请在列表中选择一家")),
    })
}

/// Applies [`typed_employer`] to a posted form: `employer_id` becomes the
/// one employer the search box's text finds; `Some(messages)` (beside the
/// choice) when it finds none or several, and the form must be drawn again.
pub async fn resolve_typed(state: &AppState, posted: &mut Posted) -> Result<Option<FieldMessages>, AppError> {
    let (chosen, find) = (posted.get("employer_id"), posted.get("find"));
    if chosen.is_some() || typed_text(find.as_deref()).is_none() {
        return Ok(None);
    }
    match state.db.run(move |c| typed_employer(c, chosen.as_deref(), find.as_deref())).await? {
        Ok(None) => Ok(None),
        Ok(Some(id)) => {
            posted.set("employer_id", id.to_string());
            Ok(None)
        }
        Err(message) => Ok(Some(FieldMessages::one("employer_id", message))),
    }
}

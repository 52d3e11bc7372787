//! Choosing a registered employer on a form (a posting's 用人单位, a
//! placement's 就业单位): a choice list of the first employers registered,
//! never without the one a record already names, and a search box above it
//! that finds any employer by part of its name or its 统一社会信用代码
//! (htmx swaps the list's options for the answer of [`employer_options`]).

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::page;
use super::session::Viewer;
use crate::db::models::employer::{self as model, EmployerFilter};
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
    let mut choices = vec![(String::new(), blank)];
    if let Some(id) = chosen.filter(|id| !rows.iter().any(|e| e.id.get() == *id)) {
        if let Some(e) = model::get(c, EmployerId(id))? {
            choices.push((id.to_string(), e.data.name));
        }
    }
    choices.extend(rows.into_iter().map(|e| (e.id.get().to_string(), e.data.name)));
    Ok(choices)
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
    let typed: String = q.0.find.unwrap_or_default().split_whitespace().collect();
    let chosen = q.0.employer_id.and_then(|v| v.parse::<i64>().ok());
    let (options, chosen) = state
        .db
        .run(move |c| {
            if typed.is_empty() {
                return Ok((employer_choices(c, chosen)?, chosen));
            }
            let filter = match Uscc::parse(&typed) {
                Ok((code, _)) => EmployerFilter { uscc: Some(code.as_str().to_string()), ..Default::default() },
                Err(_) => EmployerFilter { name: Some(typed.clone()), ..Default::default() },
            };
            let found = model::list(c, &filter, 0, FOUND_AT_MOST + 1)?;
            let blank = match found.len() as i64 {
                0 => format!("（没有名称含“{typed}”的单位）"),
                n if n > FOUND_AT_MOST => {
                    format!("（请选择：名称含“{typed}”的单位超过 {FOUND_AT_MOST} 家，请再输入几个字）")
                }
                n => format!("（请选择：找到 {n} 家）"),
            };
            let only = (found.len() == 1).then(|| found[0].id.get());
            let mut options = vec![(String::new(), blank)];
            if let Some(id) = chosen.filter(|id| !found.iter().any(|e| e.id.get() == *id)) {
                if let Some(e) = model::get(c, EmployerId(id))? {
                    options.push((id.to_string(), e.data.name));
                }
            }
            options
                .extend(found.into_iter().take(FOUND_AT_MOST as usize).map(|e| (e.id.get().to_string(), e.data.name)));
            Ok((options, only.or(chosen)))
        })
        .await?;
    let chosen = chosen.map(|id| id.to_string()).unwrap_or_default();
    page(&viewer, &Options { options, chosen })
}

//! `/saved-searches`: saving the search shown, and the searches a
//! signed-in user saved for job alerts —
//! what each looks for, whether alerts still go out, and the way to stop
//! one (DESIGN §6, saved searches). Through the registry, exactly as
//! `/api/v1/saved-searches`: a user sees and deletes only their own, and
//! every deletion is audited.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::search::{place_label, search_link};
use super::session::{Posted, Viewer};
use super::{page, see_other, Chrome};
use crate::db::models::audit::Actor;
use crate::db::models::mail::{self as store, SavedSearchRow};
use crate::domain::Benefit;
use crate::error::AppError;
use crate::http::input::read_form;
use crate::http::state::AppState;
use crate::mail::scheduler::AlertFilters;
use crate::registry::saved_searches::{self as registry, NewSavedSearch};

/// A saved search as the page lists it.
struct Line {
    id: i64,
    q: String,
    /// Its filters in words (工作地点、月薪、待遇), empty when none.
    filters: Vec<String>,
    /// The search page with these words and filters.
    href: String,
    active: bool,
    /// Where alerts go: the search's own address, or the account's.
    email: Option<String>,
    created: String,
}

impl Line {
    fn of(r: SavedSearchRow) -> Line {
        let f: AlertFilters = serde_json::from_str(&r.filters).unwrap_or_default();
        let mut filters = Vec::new();
        if let Some(code) = &f.region {
            filters.push(format!("工作地点：{}", place_label(code)));
        }
        if let Some(pay) = f.salary_min {
            filters.push(format!("月薪可达 {pay} 元"));
        }
        let benefits: Vec<&str> =
            f.benefits.iter().map(|b| b.parse::<Benefit>().map(|b| b.label_zh()).unwrap_or(b.as_str())).collect();
        if !benefits.is_empty() {
            filters.push(format!("待遇：{}", benefits.join("、")));
        }
        let pay = f.salary_min.map(|p| p.to_string()).unwrap_or_default();
        Line {
            id: r.id,
            href: search_link(&r.query, f.region.as_deref().unwrap_or_default(), &pay, &f.benefits),
            q: r.query,
            filters,
            active: r.active,
            email: r.email,
            created: crate::clock::china_time(r.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "saved_searches.html")]
struct SavedSearchesPage {
    chrome: Chrome,
    lines: Vec<Line>,
    /// The account's own address, where alerts go unless a search names one.
    account_email: Option<String>,
    notice: Option<&'static str>,
}

/// `GET /saved-searches`: the signed-in user's saved searches.
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let caller = viewer.signed_in()?.clone();
    let user = caller.user_id;
    let (rows, account_email) = state
        .db
        .run(move |c| {
            let rows = store::saved_searches_of(c, user)?;
            let email = crate::db::models::user::account(c, user)?.and_then(|a| a.email);
            Ok((rows, email))
        })
        .await?;
    let notice =
        q.iter().any(|(k, v)| k == "deleted" && v == "1").then_some("已删除这条订阅，不会再收到它的提醒邮件。");
    let lines = rows.into_iter().map(Line::of).collect();
    page(&viewer, &SavedSearchesPage { chrome: Chrome::new(&viewer, "我的订阅"), lines, account_email, notice })
}

/// `POST /saved-searches/{id}/delete`: deletes one of the user's saved
/// searches by the registry's rule (someone else's is refused with 403).
pub async fn delete(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    let actor = Actor::from(viewer.signed_in()?);
    let id = path.into_inner();
    state.db.write(move |c| registry::delete(c, &actor, id)).await?;
    Ok(see_other("/saved-searches?deleted=1"))
}

/// `POST /saved-searches`: saves the search shown for the signed-in user,
/// by the API's registry function, and shows it again.
pub async fn save(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Posted::read(&req, &body)?;
    let caller = viewer.signed_in()?.clone();
    let (q, region, salary_min, benefits) = (
        form.get("q").unwrap_or_default(),
        form.get("region").unwrap_or_default(),
        form.get("salary_min").unwrap_or_default(),
        form.all("benefits"),
    );
    let mut filters = serde_json::Map::new();
    if !region.is_empty() {
        filters.insert("region".into(), region.clone().into());
    }
    if let Ok(n) = salary_min.parse::<i64>() {
        filters.insert("salary_min".into(), n.into());
    }
    filters.insert("benefits".into(), benefits.clone().into());
    let json = serde_json::json!({ "q": q, "filters": filters });
    let actor = Actor::from(&caller);
    let (form, _, unread) = read_form::<NewSavedSearch>(json)?;
    if let Some(e) = unread.first() {
        return Err(AppError::invalid(&e.field, &e.code, e.message.clone()));
    }
    let outcome = state
        .db
        .write(move |c| {
            // The same words and filters saved before: kept once (pressing
            // the button again stored a second copy, and two alerts).
            let user = actor.id.unwrap_or_default();
            let filters = serde_json::to_string(&form.filters.clone().unwrap_or_default())
                .map_err(|e| AppError::Internal(e.into()))?;
            let q = form.q.as_deref().map(str::trim).unwrap_or_default().to_string();
            let kept = crate::db::models::mail::saved_searches_of(c, user)?;
            // Alerts go to the account's address: without one, none can.
            let email = crate::db::models::user::account(c, user)?.and_then(|a| a.email);
            if kept.iter().any(|r| r.active && r.query == q && r.filters == filters) {
                return Ok(if email.is_some() { "again" } else { "again_no_mail" });
            }
            registry::save(c, &actor, form)?;
            Ok(if email.is_some() { "1" } else { "no_mail" })
        })
        .await?;
    let back = search_link(&q, &region, &salary_min, &benefits);
    Ok(see_other(&format!("{back}&saved={outcome}")))
}

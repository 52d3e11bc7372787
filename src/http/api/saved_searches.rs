//! `/api/v1/saved-searches`: a trainee's job alerts. New postings matching a
//! saved search are e-mailed once each; every e-mail carries a one-click
//! unsubscribe link that needs no login and cannot be guessed.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::db::models::audit::Actor;
use crate::db::models::mail::{self as store, SavedSearchRow};
use crate::error::AppError;
use crate::http::auth::{require, ANYONE};
use crate::http::input::{text, Form, Query};
use crate::http::state::AppState;
use crate::http::views::{utc, ListOf};
use crate::mail::scheduler::AlertFilters;
use crate::messages::Text;
use crate::registry::saved_searches::{self as registry, NewSavedSearch};

/// A saved search as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchView {
    /// Id.
    pub id: i64,
    /// Words every matching posting contains.
    pub q: String,
    /// Filters.
    pub filters: AlertFilters,
    /// Where alerts go (null: the account's address, once it has one).
    pub email: Option<String>,
    /// Alerts on.
    pub active: bool,
    /// Postings up to this id have been considered.
    pub high_water: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

impl SavedSearchView {
    fn of(r: SavedSearchRow) -> Self {
        SavedSearchView {
            id: r.id,
            filters: serde_json::from_str(&r.filters).unwrap_or_default(),
            q: r.query,
            email: r.email,
            active: r.active,
            high_water: r.high_water,
            created_at: utc(r.created_at),
        }
    }
}

/// Save a search for job alerts (any signed-in user, for themselves).
#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "alerts", request_body = NewSavedSearch,
    responses((status = 201, body = SavedSearchView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: any signed-in user (trainees above all); the search is the caller's own.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<NewSavedSearch>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("订阅搜索", "save searches"))?;
    let form = form.read()?;
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|v| registry::save(c, &actor, v))).await?;
    Ok(HttpResponse::Created().json(SavedSearchView::of(row)))
}

/// The caller's saved searches.
#[utoipa::path(get, path = "/api/v1/saved-searches", tag = "alerts",
    responses((status = 200, body = ListOf<SavedSearchView>)), security(("bearer" = [])), description = "Roles: any signed-in user; their own searches.")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, AppError> {
    let user = caller.user_id;
    let rows = state.db.run(move |c| Ok(store::saved_searches_of(c, user)?)).await?;
    Ok(HttpResponse::Ok()
        .json(ListOf { items: rows.into_iter().map(SavedSearchView::of).collect(), next_cursor: None }))
}

/// Delete one of the caller's saved searches (an admin may delete any).
#[utoipa::path(delete, path = "/api/v1/saved-searches/{id}", tag = "alerts",
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: the search's owner; admin.")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, actor) = (path.into_inner(), Actor::from(&caller));
    state.db.write(move |c| registry::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The unsubscribe link's query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The token from the e-mail.
    token: Option<String>,
}

/// Turn a saved search's alerts off from the link in an alert (no login).
#[utoipa::path(get, path = "/api/v1/saved-searches/unsubscribe", tag = "alerts", params(UnsubscribeQuery),
    responses((status = 200, description = "a short page confirming it"), (status = 404, body = crate::error::Problem)),
    description = "No authentication: the unguessable token in the link is the permission.")]
pub async fn unsubscribe(state: web::Data<AppState>, q: Query<UnsubscribeQuery>) -> Result<HttpResponse, AppError> {
    let token = text(q.0.token)
        .ok_or_else(|| AppError::bad_param("token", Text::new("退订链接不完整", "the link is incomplete")))?;
    state.db.write(move |c| registry::unsubscribe(c, &token)).await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>已退订</title>\
         <body style=\"font-family:sans-serif;padding:2em\"><h1>已退订</h1><p>您将不再收到此岗位提醒邮件。</p></body></html>",
    ))
}

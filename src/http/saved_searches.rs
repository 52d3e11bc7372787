//! `/api/v1/saved-searches`: a trainee's job alerts. New postings matching a
//! saved search are e-mailed once each; every e-mail carries a one-click
//! unsubscribe link that needs no login and cannot be guessed.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{require, ANYONE};
use super::input::{text, Errors, Field, Json, Query};
use super::targets::is_mailbox;
use super::views::{utc, ListOf};
use crate::auth::{new_token, Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::mail::{self as store, SavedSearchRow};
use crate::db::write_tx;
use crate::error::AppError;
use crate::mail::scheduler::AlertFilters;
use crate::startup::AppState;

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

/// Body of saving a search.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SavedSearchBody {
    #[schema(value_type = String, example = "厨师")]
    q: Field<String>,
    #[schema(value_type = Option<AlertFilters>)]
    filters: Field<AlertFilters>,
    /// Where to send alerts (default: the account's address).
    #[schema(value_type = Option<String>, example = "trainee@example.com")]
    email: Field<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Save a search for job alerts (any signed-in user, for themselves).
#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "alerts", request_body = SavedSearchBody,
    responses((status = 201, body = SavedSearchView), (status = 422, body = crate::error::Problem)), security(("bearer" = [])),
    description = "Roles: any signed-in user (trainees above all); the search is the caller's own.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<SavedSearchBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, "save searches")?;
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let q = e.required("q", b.q).and_then(|q| text(Some(q)));
    if q.is_none() && !e.0.iter().any(|x| x.field == "q") {
        e.push("q", "required", "say what you are looking for, e.g. 厨师");
    }
    let filters = e.optional("filters", b.filters).unwrap_or_default();
    if let Some(r) = &filters.region {
        if r.len() > 6 || r.is_empty() || !r.bytes().all(|b| b.is_ascii_digit()) {
            e.push("filters.region", "format", "a region code or its leading digits, e.g. 44 or 4407");
        }
    }
    for (i, b) in filters.benefits.iter().enumerate() {
        if !["housing", "meals", "transport", "insurance"].contains(&b.as_str()) {
            e.push(
                &format!("filters.benefits[{i}]"),
                "enum",
                format!("`{b}` is not one of housing, meals, transport, insurance"),
            );
        }
    }
    if let Some(ed) = &filters.education {
        if ed.parse::<crate::domain::Education>().is_err() {
            e.push("filters.education", "enum", format!("`{ed}` is not an education level"));
        }
    }
    let email = e.optional("email", b.email).and_then(|s| text(Some(s)));
    if email.as_deref().is_some_and(|m| !is_mailbox(m)) {
        e.push("email", "format", "not an e-mail address");
    }
    e.finish()?;
    let q = q.unwrap_or_default();
    let token = new_token()?;
    let filters_json = serde_json::to_string(&filters).map_err(|e| AppError::Internal(e.into()))?;
    let (user_id, actor) = (caller.user_id, Actor::from(&caller));
    let row = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let row = store::insert_saved_search(c, user_id, email.as_deref(), &q, &filters_json, &token)?;
                audit::record(c, &actor, "create", "saved_search", Some(row.id), None::<&()>, Some(&row))?;
                Ok(row)
            })
        })
        .await?;
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
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let row = store::saved_search(c, id)?.ok_or(AppError::NotFound("saved search"))?;
                if row.user_id != caller.user_id && caller.role != Role::Admin {
                    return Err(AppError::Forbidden("this saved search is someone else's".into()));
                }
                store::delete_saved_search(c, id)?;
                audit::record(c, &actor, "delete", "saved_search", Some(id), Some(&row), None::<&()>)?;
                Ok(())
            })
        })
        .await?;
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
    let token = text(q.0.token).ok_or_else(|| AppError::bad_param("token", "the link is incomplete"))?;
    let found = state
        .db
        .run(move |c| {
            write_tx(c, |c| {
                let found = store::unsubscribe(c, &token)?;
                if let Some(id) = found {
                    let actor = Actor { name: "unsubscribe-link".into(), id: None };
                    audit::record(c, &actor, "unsubscribe", "saved_search", Some(id), None::<&()>, None::<&()>)?;
                }
                Ok(found)
            })
        })
        .await?;
    found.ok_or(AppError::NotFound("subscription"))?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>已退订</title>\
         <body style=\"font-family:sans-serif;padding:2em\"><h1>已退订</h1><p>您将不再收到此岗位提醒邮件。</p></body></html>",
    ))
}

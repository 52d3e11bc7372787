//! `/api/v1/audit`: the trail, for admins.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::db::models::audit::{Actor, AuditRow};
use crate::error::AppError;
use crate::http::auth::{require, ADMIN};
use crate::http::input::{param, text, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{utc, ListOf};
use crate::registry::reads;

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Entry id (newest first in lists).
    pub id: i64,
    /// Username, or `cli:<command>`.
    pub actor: String,
    /// What was done: create, update, delete, view_unmasked, login, …
    pub action: String,
    /// Resource name.
    pub resource: String,
    /// Record id.
    pub resource_id: Option<i64>,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The record before.
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    /// The record after (for views: whose ID numbers were seen).
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    /// The import that made the change (`GET /api/v1/imports/{id}`), if one did.
    pub import_id: Option<i64>,
}

impl AuditView {
    fn of(r: AuditRow) -> AuditView {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditView {
            id: r.id,
            actor: r.actor,
            action: r.action,
            resource: r.resource,
            resource_id: r.resource_id,
            at: utc(r.at),
            before: json(r.before),
            after: json(r.after),
            import_id: r.import_id,
        }
    }
}

/// Query of the trail.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Resource name, e.g. `labourer`.
    resource: Option<String>,
    /// Record id.
    resource_id: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Read the audit trail, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = ListOf<AuditView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin. Each read of the trail is itself audited (entries hold full ID numbers).")]
pub async fn list(state: web::Data<AppState>, caller: Caller, q: Query<AuditQuery>) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("查看审计日志", "read the audit trail"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let resource = text(q.resource);
    let resource_id = param::<i64>("resource_id", &q.resource_id)?;
    let before = if page.after > 0 { Some(page.after) } else { None };
    let actor = Actor::from(&caller);
    let rows = state
        .db
        .write(move |c| reads::audit_trail(c, &actor, resource.as_deref(), resource_id, before, page.limit))
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(AuditView::of).collect(), next_cursor }))
}

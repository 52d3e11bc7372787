//! `/api/v1/audit`: the trail, for admins.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::db::models::audit::{Actor, AuditRow};
use crate::domain::mask_id_number;
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
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after (for views: whose ID numbers were seen).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// The import that made the change (`GET /api/v1/imports/{id}`), if one did.
    pub import_id: Option<i64>,
}

impl AuditView {
    fn of(r: AuditRow, unmasked: bool) -> AuditView {
        let json = |s: Option<String>| {
            s.and_then(|s| serde_json::from_str(&s).ok()).map(|mut v| {
                if !unmasked {
                    mask_id_numbers(&mut v);
                }
                v
            })
        };
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

/// Masks every string in `v` that is an ID number (18 characters: 17
/// digits and a digit or X; or an old 15-digit one).
pub fn mask_id_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            let t = s.trim();
            let n = t.chars().count();
            let id_like = (n == 18
                && t.is_ascii()
                && t[..17].chars().all(|c| c.is_ascii_digit())
                && t[17..].chars().all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'))
                || (n == 15 && t.chars().all(|c| c.is_ascii_digit()));
            if id_like {
                *s = mask_id_number(t);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_id_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(mask_id_numbers),
        _ => {}
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
    /// `true` shows full ID numbers inside `before` and `after` (audited as
    /// `view_unmasked`); masked otherwise.
    unmasked: Option<String>,
}

/// Read the audit trail, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = ListOf<AuditView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin. ID numbers inside `before` and `after` are masked unless `unmasked=true`. Each read of the trail is itself audited (`view_audit`, or `view_unmasked` when unmasked).")]
pub async fn list(state: web::Data<AppState>, caller: Caller, q: Query<AuditQuery>) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("查看审计日志", "read the audit trail"))?;
    let q = q.0;
    let page = Page::parse(&q.limit, &q.cursor)?;
    let resource = text(q.resource);
    let resource_id = param::<i64>("resource_id", &q.resource_id)?;
    let unmasked = param::<bool>("unmasked", &q.unmasked)?.unwrap_or(false);
    let before = if page.after > 0 { Some(page.after) } else { None };
    let actor = Actor::from(&caller);
    let rows = state
        .db
        .write(move |c| reads::audit_trail(c, &actor, resource.as_deref(), resource_id, before, page.limit, unmasked))
        .await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok()
        .json(ListOf { items: rows.into_iter().map(|r| AuditView::of(r, unmasked)).collect(), next_cursor }))
}

//! `/api/v1/auth`: logging in with a password, and who am I.
//!
//! Repeated failures lock the account for a while (429 with Retry-After);
//! an unknown username costs the same argon2 work as a wrong password.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{Errors, Field, Json};
use crate::auth::{dummy_hash, new_token, token_hash, verify_password, Caller, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::{now, user};
use crate::db::write_tx;
use crate::error::AppError;
use crate::startup::AppState;

/// Login body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LoginBody {
    #[schema(value_type = String)]
    username: Field<String>,
    #[schema(value_type = String)]
    password: Field<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A fresh token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Log in with username and password (anyone).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer), (status = 401, body = crate::error::Problem), (status = 429, description = "too many failures; see Retry-After", body = crate::error::Problem)),
    description = "No authentication needed.")]
pub async fn login(state: web::Data<AppState>, body: Json<LoginBody>) -> Result<HttpResponse, AppError> {
    let b = body.0;
    let mut e = Errors::default();
    e.unknown(&b.extra);
    let username = e.required("username", b.username);
    let password = e.required("password", b.password);
    e.finish()?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(AppError::Unauthorized("username and password are required".into()));
    };
    let settings = state.settings.clone();
    let wrong = || AppError::Unauthorized("wrong username or password".into());
    state
        .db
        .run(move |c| {
            let found = user::by_username(c, username.trim())?;
            let at = now();
            let Some(u) = found else {
                verify_password(&password, dummy_hash());
                return Err(wrong());
            };
            if let Some(until) = u.locked_until.filter(|t| *t > at) {
                let secs = (until - at).num_seconds().max(1) as u64;
                return Err(AppError::TooManyRequests(secs));
            }
            let ok = match &u.password_hash {
                Some(h) => verify_password(&password, h),
                None => {
                    verify_password(&password, dummy_hash());
                    false
                }
            };
            let actor = Actor { name: u.username.clone(), id: Some(u.id) };
            if !ok {
                let lock_until = at + TimeDelta::seconds(settings.login_lock_seconds);
                write_tx(c, |c| {
                    user::login_failed(c, &u, settings.login_max_failures, lock_until)?;
                    audit::record(c, &actor, "login_failed", "user", Some(u.id), None::<&()>, None::<&()>)
                })?;
                return Err(wrong());
            }
            let token = new_token()?;
            let expires = at + TimeDelta::hours(settings.session_hours);
            write_tx(c, |c| {
                user::login_succeeded(c, u.id)?;
                user::add_token(c, u.id, &token_hash(&token), "session", Some(expires))?;
                audit::record(c, &actor, "login", "user", Some(u.id), None::<&()>, None::<&()>)
            })?;
            Ok(LoginAnswer { token, expires_at: expires.and_utc() })
        })
        .await
        .map(|answer| HttpResponse::Ok().json(answer))
}

/// The caller as the service sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Username.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Unit.
    pub unit: Option<String>,
    /// For trainees, their labourer record.
    pub labourer_id: Option<i64>,
}

/// Who the token belongs to (any role).
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: any.")]
pub async fn me(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        username: caller.username,
        role: caller.role,
        unit: caller.unit,
        labourer_id: caller.labourer_id,
    })
}

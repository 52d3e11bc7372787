//! `/api/v1/auth`: logging in with a password, and who am I.
//!
//! Repeated failures lock the account for a while (429 with Retry-After);
//! an unknown username costs the same argon2 work as a wrong password.
//! Failures from one client address across many accounts are limited too.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::http::input::Form;
use crate::http::state::AppState;
use crate::registry::accounts::{self, LoginPolicy};
use crate::registry::forms;

/// Login body.
#[derive(Debug, Default, Deserialize, validator::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Username.
    #[validate(required, length(max = 100))]
    #[schema(example = "demo-clerk")]
    username: Option<String>,
    /// Password.
    #[validate(required, length(max = 1000))]
    #[schema(example = "labour-bridge-demo")]
    password: Option<String>,
}

/// A fresh token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// The sign-in limits of the settings.
pub fn policy(state: &AppState) -> LoginPolicy {
    LoginPolicy {
        max_failures: state.settings.login_max_failures,
        lock_seconds: state.settings.login_lock_seconds,
        session_hours: state.settings.session_hours,
    }
}

/// Log in with username and password (anyone).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer), (status = 401, body = crate::error::Problem), (status = 429, description = "too many failures; see Retry-After", body = crate::error::Problem)),
    description = "No authentication needed. Too many failures for one account lock it; too many from one client address, across accounts, are refused with 429 for a while.")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Form<LoginBody>,
) -> Result<HttpResponse, AppError> {
    let b = form.read()?.valid()?;
    let (username, password) = (forms::required("username", b.username)?, forms::required("password", b.password)?);
    let policy = policy(&state);
    // Each attempt takes a slot of its address first, so parallel attempts
    // cannot all pass the check; a success gives its slot back.
    let address = crate::http::limits::client_address(&req, &state.settings.trusted_proxies);
    state.limits.login_addresses.take(&address).map_err(AppError::TooManyRequests)?;
    let result = state.db.run(move |c| accounts::login(c, policy, &username, &password)).await;
    if result.is_ok() {
        state.limits.login_addresses.give_back(&address);
    }
    let session = result?;
    Ok(HttpResponse::Ok().json(LoginAnswer { token: session.token, expires_at: session.expires_at.and_utc() }))
}

/// Sign out: the token used for this request stops working (any role).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "the token no longer works"), (status = 401, description = "no valid token", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: any. Revokes the bearer token of the request (a session token or an API token).")]
pub async fn logout(req: HttpRequest, state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, AppError> {
    let token = crate::http::auth::bearer(&req)?.unwrap_or_default();
    let actor = crate::db::models::audit::Actor::from(&caller);
    let user_id = caller.user_id;
    state.db.write(move |c| accounts::logout(c, &actor, user_id, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
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

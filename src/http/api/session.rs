//! `/api/v1/auth`: logging in with a password, and who am I.
//!
//! Repeated failures lock the account for a while (429 with Retry-After);
//! an unknown username costs the same argon2 work as a wrong password.

use actix_web::{web, HttpResponse};
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
    description = "No authentication needed.")]
pub async fn login(state: web::Data<AppState>, form: Form<LoginBody>) -> Result<HttpResponse, AppError> {
    let b = form.read()?.valid()?;
    let (username, password) = (forms::required("username", b.username)?, forms::required("password", b.password)?);
    let policy = policy(&state);
    let session = state.db.run(move |c| accounts::login(c, policy, &username, &password)).await?;
    Ok(HttpResponse::Ok().json(LoginAnswer { token: session.token, expires_at: session.expires_at.and_utc() }))
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

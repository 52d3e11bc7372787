//! The `Caller` extractor: every protected handler takes one, so a route
//! without a valid bearer token never reaches its body.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::{token_hash, Caller, Role};
use crate::db::models::{now, user};
use crate::error::AppError;
use crate::startup::AppState;

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            let token = token?.ok_or_else(|| {
                AppError::Unauthorized("send `Authorization: Bearer <token>`; log in at /api/v1/auth/login".into())
            })?;
            let hash = token_hash(&token);
            let row = state.db.run(move |c| Ok(user::by_token(c, &hash, now())?)).await?;
            row.and_then(|u| u.caller())
                .ok_or_else(|| AppError::Unauthorized("the token is unknown or has expired; log in again".into()))
        })
    }
}

/// The caller when a token is sent, `None` for anonymous requests; a bad
/// token is still a 401 (it never silently becomes anonymous).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<MaybeCaller, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        if req.headers().get(AUTHORIZATION).is_none() {
            return Box::pin(std::future::ready(Ok(MaybeCaller(None))));
        }
        let caller = Caller::from_request(req, payload);
        Box::pin(async move { caller.await.map(|c| MaybeCaller(Some(c))) })
    }
}

/// The bearer token, if the header is there; an error if it is malformed.
fn bearer(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value =
        value.to_str().map_err(|_| AppError::Unauthorized("the Authorization header is not readable text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(AppError::Unauthorized("the Authorization header must be `Bearer <token>`".into())),
    }
}

/// Refuses the request unless the caller has one of `roles`.
pub fn require(caller: &Caller, roles: &[Role], what: &str) -> Result<(), AppError> {
    if caller.is(roles) {
        Ok(())
    } else {
        let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(AppError::Forbidden(format!("role `{}` may not {what} (allowed: {})", caller.role, allowed.join(", "))))
    }
}

/// Roles that keep the registry.
pub const REGISTRY: &[Role] = &[Role::Admin, Role::Clerk];
/// Every role.
pub const ANYONE: &[Role] = &[Role::Admin, Role::Clerk, Role::Organiser, Role::Trainee];

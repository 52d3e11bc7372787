//! The `Caller` extractor: every protected handler takes one, so a route
//! without a valid bearer token never reaches its body.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};

use super::state::AppState;
use crate::auth::{token_hash, Caller, Role};
use crate::db::models::{now, user};
use crate::error::AppError;
use crate::messages::access;

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            let token = token?.ok_or_else(|| AppError::Unauthorized(access::sign_in()))?;
            let hash = token_hash(&token);
            let row = state.db.run(move |c| Ok(user::by_token(c, &hash, now())?)).await?;
            row.and_then(|u| u.caller()).ok_or_else(|| AppError::Unauthorized(access::token_expired()))
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
pub fn bearer(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| AppError::Unauthorized(access::bad_authorization()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(AppError::Unauthorized(access::bad_authorization())),
    }
}

/// Refuses the request unless the caller has one of `roles`; `what` says,
/// in Chinese and English, what they tried ("登记劳动力", "register labourers").
pub fn require(caller: &Caller, roles: &[Role], what: (&str, &str)) -> Result<(), AppError> {
    if caller.is(roles) {
        Ok(())
    } else {
        Err(AppError::Forbidden(access::role_may_not(caller.role, &what, roles)))
    }
}

/// Roles that keep the registry.
pub const REGISTRY: &[Role] = &[Role::Admin, Role::Clerk];
/// Every role.
pub const ANYONE: &[Role] = &[Role::Admin, Role::Clerk, Role::Organiser, Role::Trainee];
/// Roles that may manage fairs (organisers only their own).
pub const MANAGERS: &[Role] = &[Role::Admin, Role::Clerk, Role::Organiser];
/// Admins only.
pub const ADMIN: &[Role] = &[Role::Admin];

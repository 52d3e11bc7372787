//! `/login` and `/logout`: the sign-in form of the pages.

use actix_web::cookie::time::Duration;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::session::{random_token, safe_next, Posted, Viewer, CSRF_COOKIE, SESSION_COOKIE};
use super::{page, see_other, Chrome};
use crate::auth::{token_hash, Role};
use crate::db::models::user;
use crate::error::AppError;
use crate::http::api::session::policy;
use crate::http::state::AppState;
use crate::registry::accounts;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    username: String,
    error: Option<String>,
}

/// `?next=` of the sign-in form.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn form(viewer: Viewer, q: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(q.next.as_deref()).unwrap_or_default();
    page(&viewer, &LoginPage { chrome: Chrome::new(&viewer, "登录"), next, username: String::new(), error: None })
}

/// Where a role lands after signing in without a `next`.
fn landing(role: Role) -> &'static str {
    match role {
        Role::Admin => "/dashboard",
        Role::Clerk => "/desk",
        Role::Organiser => "/fairs",
        Role::Trainee => "/",
    }
}

/// `POST /login`: signs in with the API's own sign-in, sets the session
/// cookie and a fresh CSRF cookie, and goes on to `next`.
pub async fn submit(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Posted::read(&req, &body)?;
    let next = safe_next(form.get("next").as_deref());
    let username = form.get("username").unwrap_or_default();
    let password = form.pairs_value("password");
    let again = |error: &str, status| -> Result<HttpResponse, AppError> {
        let mut res = page(
            &viewer,
            &LoginPage {
                chrome: Chrome::new(&viewer, "登录"),
                next: next.clone().unwrap_or_default(),
                username: username.clone(),
                error: Some(error.to_string()),
            },
        )?;
        *res.status_mut() = status;
        Ok(res)
    };
    if username.is_empty() || password.is_empty() {
        return again("请填写用户名和密码", actix_web::http::StatusCode::UNPROCESSABLE_ENTITY);
    }
    let policy = policy(&state);
    let (u, p) = (username.clone(), password.clone());
    // The API's per-address limit too (the form had none): an address
    // guessing many names is slowed, whichever way in it uses.
    let address = crate::http::limits::client_address(&req, &state.settings.trusted_proxies);
    if let Err(secs) = state.limits.login_addresses.take(&address) {
        return again(
            &format!("这台电脑尝试登录的次数过多，请 {} 分钟后再试", secs.div_ceil(60)),
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let result = state.db.run(move |c| accounts::login(c, policy, &u, &p)).await;
    if result.is_ok() {
        state.limits.login_addresses.give_back(&address);
    }
    let session = match result {
        Ok(s) => s,
        Err(AppError::Unauthorized(_)) => {
            return again("用户名或密码不正确", actix_web::http::StatusCode::UNAUTHORIZED)
        }
        Err(AppError::TooManyRequests(secs)) => {
            return again(
                &format!("尝试次数过多，账号已暂时锁定，请 {} 分钟后再试", secs.div_ceil(60)),
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(e) => return Err(e),
    };
    let hash = token_hash(&session.token);
    let role = state
        .db
        .run(move |c| Ok(user::by_token(c, &hash, crate::db::models::now())?))
        .await?
        .and_then(|u| u.caller())
        .map(|c| c.role)
        .unwrap_or(Role::Trainee);
    let to = next.unwrap_or_else(|| landing(role).to_string());
    let mut res = see_other(&to);
    let hours = state.settings.session_hours;
    res.add_cookie(&viewer.cookie(SESSION_COOKIE, session.token, Some(Duration::hours(hours))))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    res.add_cookie(&viewer.cookie(CSRF_COOKIE, random_token()?, None))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(res)
}

/// `POST /logout`: ends the session (its token is deleted) and goes home.
pub async fn sign_out(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    Posted::read(&req, &body)?;
    // The API's own sign-out: the token is revoked and the sign-out audited.
    if let (Some(token), Some(caller)) =
        (req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()), viewer.caller.clone())
    {
        let actor = crate::db::models::audit::Actor::from(&caller);
        state.db.write(move |c| crate::registry::accounts::logout(c, &actor, caller.user_id, &token)).await?;
    }
    let mut res = see_other("/");
    for name in [SESSION_COOKIE, CSRF_COOKIE] {
        let mut gone = viewer.cookie(name, String::new(), Some(Duration::ZERO));
        gone.make_removal();
        res.add_cookie(&gone).map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    }
    Ok(res)
}

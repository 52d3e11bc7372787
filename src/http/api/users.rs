//! `/api/v1/users` (admins administer accounts) and
//! `/api/v1/auth/password` (anyone changes their own password).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{hash_password, token_hash, Caller, Role};
use crate::db::models::audit::Actor;
use crate::db::models::user::{self as model, AccountRow};
use crate::error::AppError;
use crate::http::api::session::policy;
use crate::http::auth::{bearer, require, ADMIN, ANYONE};
use crate::http::input::{param, Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::ListOf;
use crate::messages::Thing;
use crate::registry::users::{self as registry, PasswordForm, UserChanges, UserForm};

/// An account as an admin sees it (never a password or its hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: String,
    /// Unit.
    pub unit: Option<String>,
    /// A trainee's own labourer record.
    pub labourer_id: Option<i64>,
    /// Address of the account's own mail.
    pub email: Option<String>,
    /// Whether the account signs in with a password.
    pub has_password: bool,
    /// Whether it is disabled (no sign-in, no token works).
    pub disabled: bool,
    /// Whether the account may sign in (DESIGN §8's `active`: the
    /// opposite of `disabled`).
    pub active: bool,
    /// When it was disabled.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
    /// Send back when changing it.
    pub version: i32,
}

impl From<AccountRow> for UserView {
    fn from(a: AccountRow) -> Self {
        UserView {
            id: a.id,
            username: a.username,
            role: a.role,
            unit: a.unit,
            labourer_id: a.labourer_id,
            email: a.email,
            has_password: a.has_password,
            disabled: a.disabled_at.is_some(),
            active: a.disabled_at.is_none(),
            disabled_at: a.disabled_at.map(|d| d.and_utc()),
            created_at: a.created_at.and_utc(),
            updated_at: a.updated_at.and_utc(),
            version: a.version,
        }
    }
}

/// Query of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this role: admin, clerk, organiser, trainee.
    role: Option<String>,
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

async fn hashed(password: Option<String>) -> Result<Option<String>, AppError> {
    let Some(p) = password else { return Ok(None) };
    let h = web::block(move || hash_password(&p))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    Ok(Some(h))
}

/// Create an account (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserForm,
    responses((status = 201, body = UserView), (status = 403, body = crate::error::Problem),
        (status = 409, description = "the username is taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin. Audited (never the password).")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("新建账号", "create accounts"))?;
    let form = form.read()?.valid()?;
    let hash = hashed(form.password.clone()).await?.unwrap_or_default();
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| registry::create(c, &actor, form, hash)).await?;
    Ok(HttpResponse::Created().json(UserView::from(row)))
}

/// List accounts (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = ListOf<UserView>), (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn list(state: web::Data<AppState>, caller: Caller, q: Query<UserQuery>) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("查看账号", "list accounts"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let role = param::<Role>("role", &q.0.role)?;
    let rows = state.db.run(move |c| Ok(model::accounts(c, role, page.after, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(UserView::from).collect(), next_cursor }))
}

/// One account (admin).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("查看账号", "read accounts"))?;
    let id = path.into_inner();
    let row = state.db.run(move |c| model::account(c, id)?.ok_or(AppError::NotFound(Thing::User))).await?;
    Ok(HttpResponse::Ok().json(UserView::from(row)))
}

/// Change, disable, enable an account or reset its password (admin).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserChanges,
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, description = "stale version", body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin. Disabling revokes every token of the account at once; a password reset does too. Audited.")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
    form: Form<UserChanges>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ADMIN, ("修改账号", "change accounts"))?;
    let form = form.read()?;
    let hash = hashed(form.value.password.clone()).await?;
    let id = path.into_inner();
    let actor = Actor::from(&caller);
    let row = state.db.write(move |c| form.then(|f| registry::change(c, &actor, id, f, hash))).await?;
    Ok(HttpResponse::Ok().json(UserView::from(row)))
}

/// Change one's own password (any role).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordForm,
    responses((status = 204, description = "changed; every other token of the account is revoked"),
        (status = 401, body = crate::error::Problem), (status = 422, description = "the current password is wrong, or the new one too short", body = crate::error::Problem),
        (status = 429, description = "too many wrong guesses; see Retry-After", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: any. The current password is checked under the sign-in guess limit. Audited.")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    form: Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    require(&caller, ANYONE, ("修改密码", "change passwords"))?;
    let form = form.read()?.valid()?;
    let current = form.current_password.unwrap_or_default();
    let new = form.new_password.unwrap_or_default();
    if new == current {
        return Err(AppError::invalid("new_password", "unchanged", crate::messages::users::password_unchanged()));
    }
    let hash = hashed(Some(new)).await?.unwrap_or_default();
    let keep = bearer(&req)?.map(|t| token_hash(&t));
    let policy = policy(&state);
    let user_id = caller.user_id;
    state.db.run(move |c| registry::change_own_password(c, policy, user_id, &current, hash, keep)).await?;
    Ok(HttpResponse::NoContent().finish())
}

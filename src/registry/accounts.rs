//! Signing in: password checks under an atomic guess limit, session tokens.

use chrono::{NaiveDateTime, TimeDelta};

use crate::auth::{dummy_hash, new_token, token_hash, verify_password, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::{now, user};
use crate::db::{write_tx, DbConnection};
use crate::domain::LabourerId;
use crate::error::{AppError, Errors};
use crate::messages::users as msg;
use crate::messages::{access, Text, Thing};

/// How sign-ins are limited (from the settings).
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Wrong guesses that lock the account.
    pub max_failures: i32,
    /// How long the lock lasts.
    pub lock_seconds: i64,
    /// How long a session token lasts.
    pub session_hours: i64,
}

/// A fresh session token.
#[derive(Debug, Clone)]
pub struct Session {
    /// The token, shown once.
    pub token: String,
    /// When it stops working (UTC).
    pub expires_at: NaiveDateTime,
}

/// The account a sign-in names: by the name as typed (full-width letters
/// as plain ones), else by the one account whose name differs only in
/// letter case (accounts are told apart by more than case, see [`create`]).
fn account_named(c: &mut DbConnection, typed: &str) -> Result<Option<user::UserRow>, AppError> {
    let name = crate::domain::normalise::code(typed);
    if let Some(u) = user::by_username(c, &name)? {
        return Ok(Some(u));
    }
    let mut alike = user::by_username_any_case(c, &name)?;
    Ok(if alike.len() == 1 { alike.pop() } else { None })
}

/// Checks a username and password. Each guess is first claimed in the
/// database ([`user::claim_guess`]), so a locked account answers 429
/// without a check, and concurrent wrong guesses cannot slip past the
/// limit. An unknown user costs the same argon2 work as a wrong password.
/// Opens its own short transactions: the slow password check runs outside
/// any, so it never holds SQLite's write lock.
pub fn login(c: &mut DbConnection, policy: LoginPolicy, username: &str, password: &str) -> Result<Session, AppError> {
    let wrong = || AppError::Unauthorized(access::wrong_password());
    let Some(u) = account_named(c, username)? else {
        verify_password(password, dummy_hash());
        return Err(wrong());
    };
    let at = now();
    let lock_until = at + TimeDelta::seconds(policy.lock_seconds);
    let claimed = write_tx(c, |c| user::claim_guess(c, u.id, policy.max_failures, at, lock_until))?;
    if !claimed {
        let until = user::locked_until(c, u.id)?.unwrap_or(lock_until);
        return Err(AppError::TooManyRequests((until - at).num_seconds().max(1) as u64));
    }
    let ok = match &u.password_hash {
        Some(h) => verify_password(password, h),
        None => {
            verify_password(password, dummy_hash());
            false
        }
    };
    let actor = Actor { name: u.username.clone(), id: Some(u.id), role: None, unit: None, import_id: None };
    if !ok {
        write_tx(c, |c| audit::record(c, &actor, "login_failed", "user", Some(u.id), None::<&()>, None::<&()>))?;
        return Err(wrong());
    }
    if u.disabled_at.is_some() {
        return Err(AppError::Unauthorized(crate::messages::users::account_disabled()));
    }
    let token = new_token()?;
    let expires_at = at + TimeDelta::hours(policy.session_hours);
    write_tx(c, |c| {
        user::login_succeeded(c, u.id)?;
        user::add_token(c, u.id, &token_hash(&token), "session", Some(expires_at))?;
        audit::record(c, &actor, "login", "user", Some(u.id), None::<&()>, None::<&()>)
    })?;
    Ok(Session { token, expires_at })
}

/// Signs out: the token stops working at once. Audited.
pub fn logout(c: &mut DbConnection, actor: &Actor, user_id: i64, token: &str) -> Result<(), AppError> {
    user::revoke_token(c, user_id, &token_hash(token))?;
    Ok(audit::record(c, actor, "logout", "user", Some(user_id), None::<&()>, None::<&()>)?)
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Unique login name, 1–64 characters without spaces.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Unit (bureau, organising unit).
    pub unit: Option<String>,
    /// A trainee's own labourer record (trainees only, and required for them).
    pub labourer_id: Option<LabourerId>,
    /// argon2id hash of the password, for accounts that sign in with one.
    pub password_hash: Option<String>,
    /// Where the account's own mail (job alerts) goes.
    pub email: Option<String>,
}

/// Creates an account, audited; with `token`, also an API token that
/// expires then (`Some(None)`: never), returned and shown once.
pub fn create(
    c: &mut DbConnection,
    actor: &Actor,
    new: NewAccount,
    token: Option<Option<NaiveDateTime>>,
) -> Result<Option<String>, AppError> {
    let mut e = Errors::default();
    // Full-width letters and digits as the plain ones (ｃｌｅｒｋ１ is
    // clerk1): a name is typed as it will be signed in with.
    let name = crate::domain::normalise::code(&new.username);
    let name = name.as_str();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_whitespace) {
        e.push(
            "username",
            "format",
            Text::new("用户名应为1至64个字符，不含空格", "the username must be 1–64 characters without spaces"),
        );
    }
    match (new.role, new.labourer_id) {
        (Role::Trainee, None) => e.push(
            "labourer_id",
            "required",
            Text::new("学员账号需关联本人的劳动力记录", "a trainee needs their own labourer record (labourer_id)"),
        ),
        (Role::Trainee, Some(_)) | (_, None) => {}
        (_, Some(_)) => e.push(
            "labourer_id",
            "not_allowed",
            Text::new("只有学员账号可以关联劳动力记录", "labourer_id is only for trainees"),
        ),
    }
    if let Some(m) = &new.email {
        if super::checks::mailbox(m).is_err() {
            e.push("email", "format", crate::messages::general::not_an_email(m));
        }
    }
    e.finish()?;
    if let Some(id) = new.labourer_id {
        super::referenced::<crate::db::models::labourer::LabourerRow>(c, Thing::Labourer, "labourer_id", id)?;
    }
    // Names that differ only in letter case are one name (Zhang and zhang
    // would be two accounts that people cannot tell apart).
    if let Some(existing) = user::by_username_any_case(c, name)?.first() {
        return Err(AppError::duplicate(Thing::User, "username", existing.id));
    }
    // One account per person: a second trainee account on one record would
    // read and change the same person's data under two names.
    if let Some(id) = new.labourer_id {
        if let Some(existing) = user::of_labourer(c, id.get())? {
            return Err(AppError::Conflict {
                detail: msg::labourer_has_account(&existing.username),
                errors: vec![crate::error::FieldError::new(
                    "labourer_id",
                    "duplicate",
                    msg::labourer_has_account(&existing.username),
                )],
                existing_id: Some(existing.id),
            });
        }
    }
    let id = user::create(
        c,
        name,
        new.role,
        new.unit.as_deref(),
        new.labourer_id.map(|l| l.get()),
        new.password_hash.as_deref(),
    )?;
    user::set_email(c, id, new.email.as_deref())?;
    let token = match token {
        Some(expires_at) => {
            let token = new_token()?;
            user::add_token(c, id, &token_hash(&token), "api", expires_at)?;
            Some(token)
        }
        None => None,
    };
    let shown = serde_json::json!({
        "username": name, "role": new.role, "unit": new.unit, "labourer_id": new.labourer_id, "email": new.email
    });
    audit::record(c, actor, "create", "user", Some(id), None::<&()>, Some(&shown))?;
    Ok(token)
}

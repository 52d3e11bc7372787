//! Administering accounts (DESIGN §8): an admin creates, lists, changes,
//! disables and resets the password of accounts; anyone with a password
//! changes their own. A disabled account's tokens stop working at once
//! (they are revoked, and the token lookup refuses disabled accounts); a
//! password reset revokes every token of the account. Every change is
//! audited, never with a password or its hash.
//!
//! Passwords arrive here already hashed (argon2id is slow on purpose, so
//! callers hash before opening a write transaction).

use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::accounts::{self, LoginPolicy, NewAccount};
use super::{checks, forms};
use crate::auth::{dummy_hash, verify_password, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::now;
use crate::db::models::user::{self, AccountChange, AccountRow};
use crate::db::{write_tx, DbConnection};
use crate::domain::LabourerId;
use crate::error::{AppError, Errors};
use crate::messages::{access, users as msg, Thing};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: u64 = 10;

/// A new account (admin).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserForm {
    /// Login name, 1–64 characters without spaces; unique.
    #[validate(required, length(min = 1, max = 64))]
    #[schema(example = "daxin-clerk-2")]
    pub username: Option<String>,
    /// `admin`, `clerk`, `organiser` or `trainee`.
    #[validate(required, custom(function = "role_name"))]
    #[schema(example = "clerk")]
    pub role: Option<String>,
    /// Bureau or organising unit.
    #[validate(length(max = 100))]
    #[schema(example = "大新县人力资源和社会保障局")]
    pub unit: Option<String>,
    /// A trainee's own labourer record (trainees only, required for them).
    pub labourer_id: Option<LabourerId>,
    /// Initial password, at least 10 characters; the holder changes it.
    #[validate(required, length(min = 10, max = 200))]
    #[schema(example = "change-me-2019-daxin")]
    pub password: Option<String>,
    /// Address of the account's own mail (job alerts).
    #[validate(custom(function = "checks::mailbox"))]
    #[schema(example = "clerk2@example.org")]
    pub email: Option<String>,
}

/// Changes to an account (admin). Keys left out change nothing; `null`
/// clears `unit` or `email`.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// New role (not to or from `trainee`).
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "role_name"))]
    pub role: Option<String>,
    /// Unit.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 100))]
    #[schema(value_type = Option<String>)]
    pub unit: Option<Option<String>>,
    /// Mail address.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::mailbox"))]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// `true` disables the account (its tokens stop working at once),
    /// `false` enables it again.
    #[serde(default, deserialize_with = "forms::present")]
    pub disabled: Option<bool>,
    /// `false` disables the account, `true` enables it again (DESIGN §8's
    /// `PATCH {active: false}`; the same as `disabled` the other way round).
    #[serde(default, deserialize_with = "forms::present")]
    pub active: Option<bool>,
    /// A new password (a reset): every token of the account is revoked.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(min = 10, max = 200))]
    pub password: Option<String>,
}

/// Changing one's own password.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    /// The password now.
    #[validate(required, length(max = 200))]
    #[schema(example = "labour-bridge-demo")]
    pub current_password: Option<String>,
    /// The new one, at least 10 characters, not the same as now.
    #[validate(required, length(min = 10, max = 200))]
    #[schema(example = "a-longer-passphrase-2019")]
    pub new_password: Option<String>,
}

fn role_name(s: &str) -> Result<(), validator::ValidationError> {
    s.parse::<Role>().map(|_| ()).map_err(|_| checks::failure("one_of", msg::unknown_role(s)))
}

/// Creates an account with a password hashed by the caller; audited.
pub fn create(
    c: &mut DbConnection,
    actor: &Actor,
    form: UserForm,
    password_hash: String,
) -> Result<AccountRow, AppError> {
    checks::validate(&form)?;
    let username = forms::required("username", form.username)?;
    let role: Role = forms::required("role", form.role)?
        .parse()
        .map_err(|_| AppError::invalid("role", "one_of", msg::unknown_role("")))?;
    let new = NewAccount {
        username: username.clone(),
        role,
        unit: forms::text(form.unit),
        labourer_id: form.labourer_id,
        password_hash: Some(password_hash),
        email: forms::text(form.email),
    };
    accounts::create(c, actor, new, None)?;
    let stored = crate::domain::normalise::code(&username);
    let id = user::by_username(c, &stored)?.ok_or(AppError::NotFound(Thing::User))?.id;
    user::account(c, id)?.ok_or(AppError::NotFound(Thing::User))
}

/// Applies an admin's changes, with the new password (if any) hashed by
/// the caller. 409 on a stale version; 422 for a role change to or from
/// trainee, or an admin disabling or demoting themselves.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    form: UserChanges,
    password_hash: Option<String>,
) -> Result<AccountRow, AppError> {
    let mut e = checks::collect(&form);
    let before = user::account(c, id)?.ok_or(AppError::NotFound(Thing::User))?;
    let mut change = AccountChange::default();
    let myself = actor.id == Some(id);
    if let Some(r) = form.role.as_deref().and_then(|r| r.parse::<Role>().ok()) {
        let was_trainee = before.role == Role::Trainee.as_str();
        if was_trainee != (r == Role::Trainee) {
            e.push("role", "trainee_fixed", msg::trainee_role_fixed());
        } else if myself && r != Role::Admin {
            e.push("role", "own_account", msg::not_on_own_account());
        } else {
            change.role = Some(r.as_str().to_string());
        }
    }
    if let Some(unit) = form.unit {
        change.unit = Some(forms::text(unit));
    }
    if let Some(email) = form.email {
        change.email = Some(forms::text(email));
    }
    // `active` says the same as `disabled`, the other way round; both
    // given must agree.
    let disabled = match (form.disabled, form.active) {
        (Some(d), Some(a)) if d == a => {
            e.push("active", "contradicts", msg::active_contradicts_disabled());
            None
        }
        (Some(d), _) => Some(d),
        (None, a) => a.map(|a| !a),
    };
    match disabled {
        Some(true) if myself => e.push("disabled", "own_account", msg::not_on_own_account()),
        Some(true) => change.disabled_at = Some(Some(before.disabled_at.unwrap_or_else(now))),
        Some(false) => change.disabled_at = Some(None),
        None => {}
    }
    change.password_hash = password_hash.map(Some);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if before.version != version {
        return Err(AppError::stale(before.version));
    }
    let after = match user::change_account(c, id, version, &change)? {
        Some(a) => a,
        None => return Err(AppError::stale(user::account(c, id)?.ok_or(AppError::NotFound(Thing::User))?.version)),
    };
    let revoke = change.password_hash.is_some() || (after.disabled_at.is_some() && before.disabled_at.is_none());
    let revoked = if revoke { user::revoke_tokens(c, id, None)? } else { 0 };
    let what = |a: &AccountRow| serde_json::json!({"role": a.role, "unit": a.unit, "email": a.email, "disabled_at": a.disabled_at});
    let mut shown = what(&after);
    if change.password_hash.is_some() {
        shown["password_reset"] = serde_json::json!(true);
    }
    shown["tokens_revoked"] = serde_json::json!(revoked);
    audit::record(c, actor, "update", "user", Some(id), Some(&what(&before)), Some(&shown))?;
    Ok(after)
}

/// Changes the caller's own password after checking the current one under
/// the same guess limit as signing in ([`accounts::login`]): a locked
/// account answers 429 without a check. Every other token of the account
/// is revoked; `keep` (the hash of the token in use) keeps working.
/// Opens its own short transactions; the password check runs outside any.
pub fn change_own_password(
    c: &mut DbConnection,
    policy: LoginPolicy,
    user_id: i64,
    current: &str,
    new_hash: String,
    keep: Option<String>,
) -> Result<(), AppError> {
    let u = user::account(c, user_id)?.ok_or(AppError::NotFound(Thing::User))?;
    let Some(row) = user::by_username(c, &u.username)? else { return Err(AppError::NotFound(Thing::User)) };
    let at = now();
    let lock_until: NaiveDateTime = at + TimeDelta::seconds(policy.lock_seconds);
    if !write_tx(c, |c| user::claim_guess(c, user_id, policy.max_failures, at, lock_until))? {
        let until = user::locked_until(c, user_id)?.unwrap_or(lock_until);
        return Err(AppError::TooManyRequests((until - at).num_seconds().max(1) as u64));
    }
    let ok = match &row.password_hash {
        Some(h) => verify_password(current, h),
        None => {
            verify_password(current, dummy_hash());
            false
        }
    };
    let actor = Actor { name: u.username.clone(), id: Some(user_id), role: None, unit: None, import_id: None };
    if !ok {
        write_tx(c, |c| {
            audit::record(c, &actor, "password_change_failed", "user", Some(user_id), None::<&()>, None::<&()>)
        })?;
        let mut e = Errors::default();
        e.push("current_password", "wrong", access::wrong_password());
        return e.finish();
    }
    write_tx(c, |c| {
        user::set_password(c, user_id, &new_hash)?;
        let revoked = user::revoke_tokens(c, user_id, keep.as_deref())?;
        audit::record(
            c,
            &actor,
            "change_password",
            "user",
            Some(user_id),
            None::<&()>,
            Some(&serde_json::json!({"tokens_revoked": revoked})),
        )
    })?;
    Ok(())
}

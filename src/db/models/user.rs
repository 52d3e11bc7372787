//! Users and their tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{Caller, Role};
use crate::db::schema::{api_tokens, users};
use crate::db::DbConnection;

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Unique login name.
    pub username: String,
    /// Role name.
    pub role: String,
    /// Unit (bureau, organiser).
    pub unit: Option<String>,
    /// Trainee's own labourer record.
    pub labourer_id: Option<i64>,
    /// argon2id PHC string, for users who log in with a password.
    pub password_hash: Option<String>,
    /// Failed logins since the last success.
    pub failed_logins: i32,
    /// Logins refused until then.
    pub locked_until: Option<NaiveDateTime>,
    /// Disabled by an administrator then; no token works, no sign-in.
    pub disabled_at: Option<NaiveDateTime>,
}

impl UserRow {
    /// The caller this user acts as.
    pub fn caller(&self) -> Option<Caller> {
        Some(Caller {
            user_id: self.id,
            username: self.username.clone(),
            role: self.role.parse().ok()?,
            unit: self.unit.clone(),
            labourer_id: self.labourer_id,
        })
    }
}

/// Sets the address a user's own mail goes to.
pub fn set_email(conn: &mut DbConnection, user_id: i64, email: Option<&str>) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::email.eq(email)).execute(conn).map(|_| ())
}

/// Creates a user; the caller checks the inputs.
pub fn create(
    conn: &mut DbConnection,
    username: &str,
    role: Role,
    unit: Option<&str>,
    labourer_id: Option<i64>,
    password_hash: Option<&str>,
) -> QueryResult<i64> {
    let now = super::now();
    diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            users::role.eq(role.as_str()),
            users::unit.eq(unit),
            users::labourer_id.eq(labourer_id),
            users::password_hash.eq(password_hash),
            users::failed_logins.eq(0),
            users::created_at.eq(now),
            users::updated_at.eq(now),
            users::version.eq(1),
        ))
        .returning(users::id)
        .get_result(conn)
}

diesel::define_sql_function! {
    /// SQL `lower`: letters in lower case (ASCII ones on SQLite).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Users whose name is `username` but for the case of its letters
/// (`Daxin-Clerk` for `daxin-clerk`).
pub fn by_username_any_case(conn: &mut DbConnection, username: &str) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(lower(users::username).eq(username.to_lowercase()))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// The account linked to a labourer record (a trainee's), if any.
pub fn of_labourer(conn: &mut DbConnection, labourer_id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::labourer_id.eq(labourer_id))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Finds a user by name.
pub fn by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

/// Stores a token's hash for a user.
pub fn add_token(
    conn: &mut DbConnection,
    user_id: i64,
    hash: &str,
    kind: &str,
    expires_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(hash),
            api_tokens::kind.eq(kind),
            api_tokens::created_at.eq(super::now()),
            api_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes a token of a user (signing out); `false` when it was not theirs.
pub fn revoke_token(conn: &mut DbConnection, user_id: i64, hash: &str) -> QueryResult<bool> {
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::token_hash.eq(hash)))
        .execute(conn)
        .map(|n| n > 0)
}

/// The user a token belongs to, if the token exists and has not expired.
pub fn by_token(conn: &mut DbConnection, hash: &str, now: NaiveDateTime) -> QueryResult<Option<UserRow>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::expires_at.is_null().or(api_tokens::expires_at.gt(now)))
        .filter(users::disabled_at.is_null())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Claims one password guess for a user, atomically: the failure count goes
/// up by one (starting again from one when an earlier lock has run out)
/// and, when it reaches `max`, the account is locked until `lock_until`.
/// `false` when the account is locked now: no guess may be checked. A
/// successful guess then clears the count ([`login_succeeded`]), so at most
/// `max` wrong guesses are ever checked per lock window, however many
/// arrive at once (the single UPDATE is the serialisation point on both
/// backends).
pub fn claim_guess(
    conn: &mut DbConnection,
    user_id: i64,
    max: i32,
    now: NaiveDateTime,
    lock_until: NaiveDateTime,
) -> QueryResult<bool> {
    use diesel::sql_types::{BigInt, Integer, Timestamp};
    let n = diesel::sql_query(
        "UPDATE users SET \
           failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $1 THEN 1 ELSE failed_logins + 1 END, \
           locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= $1 THEN 1 \
                                          ELSE failed_logins + 1 END) >= $2 THEN $3 ELSE NULL END \
         WHERE id = $4 AND (locked_until IS NULL OR locked_until <= $1)",
    )
    .bind::<Timestamp, _>(now)
    .bind::<Integer, _>(max)
    .bind::<Timestamp, _>(lock_until)
    .bind::<BigInt, _>(user_id)
    .execute(conn)?;
    Ok(n == 1)
}

/// When the account is locked until, if it is.
pub fn locked_until(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<NaiveDateTime>> {
    users::table.find(user_id).select(users::locked_until).first(conn)
}

/// Clears the failure count after a successful login.
pub fn login_succeeded(conn: &mut DbConnection, user_id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::failed_logins.eq(0), users::locked_until.eq(None::<NaiveDateTime>)))
        .execute(conn)
        .map(|_| ())
}

/// An account as administrators see it (never its password hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct AccountRow {
    /// Id.
    pub id: i64,
    /// Unique login name.
    pub username: String,
    /// Role name.
    pub role: String,
    /// Unit (bureau, organiser).
    pub unit: Option<String>,
    /// Trainee's own labourer record.
    pub labourer_id: Option<i64>,
    /// Address of the account's own mail.
    pub email: Option<String>,
    /// Whether a password is set.
    #[diesel(select_expression = users::password_hash.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<users::password_hash>)]
    pub has_password: bool,
    /// Disabled then, if disabled.
    pub disabled_at: Option<NaiveDateTime>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-lock version.
    pub version: i32,
}

/// One account.
pub fn account(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AccountRow>> {
    users::table.find(id).select(AccountRow::as_select()).first(conn).optional()
}

/// A page of accounts with `id > after`, optionally of one role.
pub fn accounts(conn: &mut DbConnection, role: Option<Role>, after: i64, limit: i64) -> QueryResult<Vec<AccountRow>> {
    let mut q = users::table.select(AccountRow::as_select()).filter(users::id.gt(after)).into_boxed();
    if let Some(r) = role {
        q = q.filter(users::role.eq(r.as_str()));
    }
    q.order(users::id.asc()).limit(limit).load(conn)
}

/// What an administrator changes on an account.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct AccountChange {
    /// Role name.
    pub role: Option<String>,
    /// Unit; `Some(None)` clears it.
    pub unit: Option<Option<String>>,
    /// Mail address; `Some(None)` clears it.
    pub email: Option<Option<String>>,
    /// New password hash.
    pub password_hash: Option<Option<String>>,
    /// Disabled then, or `Some(None)` to enable.
    pub disabled_at: Option<Option<NaiveDateTime>>,
}

/// Applies `change` if the account is still at `version`; the row after,
/// or `None` when it is not (stale or gone).
pub fn change_account(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    change: &AccountChange,
) -> QueryResult<Option<AccountRow>> {
    let n = diesel::update(users::table.find(id).filter(users::version.eq(version)))
        .set((change, users::version.eq(version + 1), users::updated_at.eq(super::now())))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    account(conn, id)
}

/// Sets a user's own new password hash and clears the failure count.
pub fn set_password(conn: &mut DbConnection, id: i64, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::version.eq(users::version + 1),
            users::updated_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Revokes a user's tokens, all of them or all but the one with hash
/// `keep`; how many.
pub fn revoke_tokens(conn: &mut DbConnection, user_id: i64, keep: Option<&str>) -> QueryResult<usize> {
    let mine = api_tokens::table.filter(api_tokens::user_id.eq(user_id));
    match keep {
        Some(k) => diesel::delete(mine.filter(api_tokens::token_hash.ne(k))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

//! Messages about who may do what.

use super::Text;

/// No bearer token.
pub fn sign_in() -> Text {
    Text::new(
        "请先登录（发送 Authorization: Bearer <令牌>，或在 /api/v1/auth/login 登录）",
        "send `Authorization: Bearer <token>`; log in at /api/v1/auth/login",
    )
}
/// An unknown or expired token.
pub fn token_expired() -> Text {
    Text::new("登录已失效，请重新登录", "the token is unknown or has expired; log in again")
}
/// A malformed Authorization header.
pub fn bad_authorization() -> Text {
    Text::new("Authorization 请求头应为“Bearer <令牌>”", "the Authorization header must be `Bearer <token>`")
}
/// Wrong username or password.
pub fn wrong_password() -> Text {
    Text::new("用户名或密码不正确", "wrong username or password")
}
/// A role that may not do something.
pub fn role_may_not(role: &str, what: &(&str, &str), allowed: &[&str]) -> Text {
    Text::new(
        format!("“{role}”角色无权{}（允许：{}）", what.0, allowed.join("、")),
        format!("role `{role}` may not {} (allowed: {})", what.1, allowed.join(", ")),
    )
}
/// A refusal with its own words.
pub fn refused(zh: &str, en: &str) -> Text {
    Text::new(zh, en)
}

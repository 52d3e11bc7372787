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
/// A role that may not do something, named as the bureau names roles in
/// Chinese (经办人员, not `clerk`) and by their codes in English.
pub fn role_may_not(role: crate::auth::Role, what: &(&str, &str), allowed: &[crate::auth::Role]) -> Text {
    let zh: Vec<&str> = allowed.iter().map(|r| r.label_zh()).collect();
    let en: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
    Text::new(
        format!("{}无权{}（只有{}可以）", role.label_zh(), what.0, zh.join("、")),
        format!("role `{}` may not {} (allowed: {})", role.as_str(), what.1, en.join(", ")),
    )
}
/// A refusal with its own words.
pub fn refused(zh: &str, en: &str) -> Text {
    Text::new(zh, en)
}

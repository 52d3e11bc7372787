//! Who is looking at a page: the session cookie, the CSRF token, sign-in
//! and sign-out.
//!
//! The session cookie holds a session token made by the same sign-in as
//! `POST /api/v1/auth/login` ([`accounts::login`]), so roles, expiry, the
//! guess limit and the audit trail are the API's. The cookie is HttpOnly,
//! SameSite=Lax and Secure when the request came over https; a token never
//! appears in a URL. Every form carries the CSRF token, which must equal
//! the `lb_csrf` cookie (a random value the pages set, HttpOnly itself);
//! htmx requests send it as the `X-CSRF-Token` header instead.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};

use crate::auth::{token_hash, Caller};
use crate::db::models::{now, user};
use crate::error::AppError;
use crate::http::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lb_session";
/// The CSRF cookie's name.
pub const CSRF_COOKIE: &str = "lb_csrf";
/// The CSRF form field's name.
pub const CSRF_FIELD: &str = "csrf";
/// The CSRF header htmx sends.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The person looking at a page, if signed in, and the page's CSRF token.
#[derive(Clone)]
pub struct Viewer {
    /// The signed-in user, as the API would see them.
    pub caller: Option<Caller>,
    /// The CSRF token every form of the page carries.
    pub csrf: String,
    /// The CSRF cookie must be (re)set on the answer.
    pub fresh_csrf: bool,
    /// The request came over https.
    pub secure: bool,
    /// The path and query asked for (for `/login?next=`).
    pub here: String,
}

impl Viewer {
    /// The signed-in caller, or a 401 that the page layer turns into a
    /// redirect to `/login?next=…`.
    pub fn signed_in(&self) -> Result<&Caller, AppError> {
        self.caller.as_ref().ok_or_else(|| AppError::Unauthorized(crate::messages::access::sign_in()))
    }

    /// The signed-in caller, if their role is one of `roles` (the API's role
    /// check, `what` naming the action in its 403); a visitor is sent to
    /// sign in.
    pub fn allowed(&self, roles: &[crate::auth::Role], what: (&str, &str)) -> Result<Caller, AppError> {
        let caller = self.signed_in()?.clone();
        crate::http::auth::require(&caller, roles, what)?;
        Ok(caller)
    }

    /// A cookie with the pages' attributes.
    pub fn cookie(&self, name: &'static str, value: String, max_age: Option<Duration>) -> Cookie<'static> {
        let mut c = Cookie::build(name, value).path("/").http_only(true).same_site(SameSite::Lax).secure(self.secure);
        if let Some(age) = max_age {
            c = c.max_age(age);
        }
        c.finish()
    }

    /// Sets the CSRF cookie on `res` when this request had none.
    pub fn finish(&self, mut res: HttpResponse) -> HttpResponse {
        if self.fresh_csrf {
            let _ = res.add_cookie(&self.cookie(CSRF_COOKIE, self.csrf.clone(), None));
        }
        res
    }
}

/// A fresh random token, hex.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Whether the request came over https (directly or through a proxy that
/// says so).
pub fn is_https(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Viewer, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()).filter(|v| !v.is_empty());
        let csrf = req.cookie(CSRF_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() >= 32);
        let secure = is_https(req);
        let here = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            let caller = match session {
                None => None,
                Some(token) => {
                    let hash = token_hash(&token);
                    state.db.run(move |c| Ok(user::by_token(c, &hash, now())?)).await?.and_then(|u| u.caller())
                }
            };
            let (csrf, fresh_csrf) = match csrf {
                Some(t) => (t, false),
                None => (random_token()?, true),
            };
            Ok(Viewer { caller, csrf, fresh_csrf, secure, here })
        })
    }
}

/// A posted form (urlencoded), checked against the CSRF cookie: a post
/// without the right token is refused with 403 before anything is read.
pub struct Posted {
    pairs: Vec<(String, String)>,
}

impl Posted {
    /// Reads `body` as a form and checks its CSRF token (field or header).
    pub fn read(req: &HttpRequest, body: &[u8]) -> Result<Posted, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| AppError::BadRequest {
            detail: crate::messages::Text::new("表单无法识别", "the form could not be read"),
            errors: vec![],
        })?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.clone())
            .or_else(|| req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string));
        check_csrf(req, sent.as_deref())?;
        Ok(Posted { pairs })
    }

    /// The first value of `name`, trimmed; `None` when blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// The value of `name` as sent, trimmed: `Some("")` for a field sent
    /// blank, `None` for one not sent at all.
    pub fn sent(&self, name: &str) -> Option<String> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string())
    }

    /// Sets `name` to `value` in place of what was sent (e.g. the employer
    /// a search box's text found).
    pub fn set(&mut self, name: &str, value: String) {
        self.pairs.retain(|(k, _)| k != name);
        self.pairs.push((name.to_string(), value));
    }

    /// The first value of `name` exactly as sent (passwords are not trimmed).
    pub fn pairs_value(&self, name: &str) -> String {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every non-blank value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
}

/// Refuses (403) a post whose CSRF token is missing or is not the cookie's.
pub fn check_csrf(req: &HttpRequest, sent: Option<&str>) -> Result<(), AppError> {
    let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_string());
    let ok = match (cookie, sent) {
        (Some(c), Some(s)) if c.len() >= 32 => {
            c.len() == s.len() && c.bytes().zip(s.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::Forbidden(crate::messages::Text::new(
            "表单已过期或来源不明，请刷新页面后重试",
            "the form has expired or did not come from this site; reload the page and try again",
        )))
    }
}

/// Where to go after signing in: a local path only (never another site).
/// Browsers drop tabs and line breaks from a `Location` (`/\t/evil.example`
/// is `//evil.example`, another site) and a line break cannot be sent in
/// one at all: any control or white-space character refuses the path.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    let plain = !n.chars().any(|c| c.is_control() || c.is_whitespace());
    (plain && n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with("/login"))
        .then(|| n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_plain_local_path_is_a_place_to_go_after_signing_in() {
        for ok in ["/desk", "/fairs/3/desk?x=1", "/?q=%E5%8E%A8"] {
            assert_eq!(super::safe_next(Some(ok)).as_deref(), Some(ok));
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r\n/x",
            "/\\evil",
            "https://evil",
            "javascript:x",
            "/ /x",
            "/login",
        ] {
            assert_eq!(super::safe_next(Some(bad)), None, "{bad:?}");
        }
    }
}

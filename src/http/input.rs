//! Reading untrusted input at the HTTP edge: JSON bodies into the
//! registry's forms, query strings, paging.
//!
//! A body is read into a form in one pass that collects every problem: a
//! value of the wrong JSON type, a key the form does not have, a `null`
//! where a value is required, a control character (refused everywhere, on
//! both backends, before any database sees it), and then every rule the
//! form's `validator` attributes break. One 422 lists them all.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::Validate;

use super::state::AppState;
use crate::domain::normalise;
use crate::error::{AppError, FieldError};
use crate::messages::{general, Lang};
use crate::registry::forms;

/// A JSON body for a form, read only as far as JSON (media type, size,
/// syntax); the handler checks who is asking first, then calls
/// [`Form::read`], so a caller who may not write learns nothing about the
/// form's rules (403 before 422).
pub struct Form<T> {
    raw: serde_json::Value,
    form: std::marker::PhantomData<fn() -> T>,
}

/// A body read into its form: the form (with every key that could not be
/// read left out), the keys the client sent (for rules about who may change
/// which field), and what could not be read.
pub struct Read<T> {
    /// The form.
    pub value: T,
    /// The top-level keys sent.
    pub keys: Vec<String>,
    /// Keys of the wrong type, unknown, `null` where not allowed, or with a
    /// control character.
    pub errors: Vec<FieldError>,
}

impl<T: DeserializeOwned + Validate> Form<T> {
    /// The form as far as it could be read (see [`read_form`]).
    pub fn read(self) -> Result<Read<T>, AppError> {
        let (value, keys, errors) = read_form(self.raw)?;
        Ok(Read { value, keys, errors })
    }
}

impl<T> Read<T> {
    /// Runs a registry operation on the form, in the caller's transaction.
    /// What could not be read joins the operation's own 422 (one answer
    /// lists every field), and refuses an operation that would otherwise
    /// succeed, so its transaction rolls back: nothing is half-written.
    pub fn then<R>(self, op: impl FnOnce(T) -> Result<R, AppError>) -> Result<R, AppError> {
        let Read { value, errors, .. } = self;
        match op(value) {
            Ok(r) if errors.is_empty() => Ok(r),
            Ok(_) => Err(AppError::Validation(errors)),
            Err(AppError::Validation(more)) => {
                let mut all = errors;
                let failed: Vec<String> = all.iter().map(|e| top_key(&e.field).to_string()).collect();
                all.extend(more.into_iter().filter(|e| !failed.iter().any(|f| f == top_key(&e.field))));
                all.sort_by(|a, b| a.field.cmp(&b.field));
                Err(AppError::Validation(all))
            }
            Err(other) => Err(other),
        }
    }

    /// The form, validated by its own rules, for a form no registry
    /// operation takes (sign-in, a submission).
    pub fn valid(self) -> Result<T, AppError>
    where
        T: Validate,
    {
        self.then(|v| {
            crate::registry::checks::validate(&v)?;
            Ok(v)
        })
    }
}

/// Reads a JSON value into a form as far as it can be read: keys of the
/// wrong type, unknown keys, refused `null`s and control characters are
/// left out and listed. The form's rules are the registry's to apply.
pub fn read_form<T: DeserializeOwned>(value: serde_json::Value) -> Result<(T, Vec<String>, Vec<FieldError>), AppError> {
    let serde_json::Value::Object(mut map) = value else {
        return Err(AppError::BadRequest {
            detail: general::not_an_object(),
            errors: vec![FieldError::new("", "json", general::not_an_object())],
        });
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    let mut errors = Vec::new();
    for (key, v) in &map {
        control_characters(key, v, &mut errors);
    }
    for e in &errors {
        map.remove(top_key(&e.field));
    }
    let mut form = None;
    for _ in 0..=keys.len() + 1 {
        match serde_path_to_error::deserialize::<_, T>(serde_json::Value::Object(map.clone())) {
            Ok(t) => {
                form = Some(t);
                break;
            }
            Err(e) => {
                let message = e.inner().to_string();
                let path = e.path().to_string();
                let (field, error) = if let Some(name) = unknown_field(&message) {
                    (name.clone(), FieldError::new(name.clone(), "unknown_field", general::unknown_field(&name)))
                } else if message.contains(forms::NULL_REFUSED) {
                    (path.clone(), FieldError::new(path.clone(), "required", general::not_null(&path)))
                } else {
                    (path.clone(), FieldError::new(path.clone(), "type", general::wrong_type(&path, &message)))
                };
                errors.push(error);
                if map.remove(top_key(&field)).is_none() {
                    break;
                }
            }
        }
    }
    let Some(form) = form else {
        return Err(AppError::Validation(errors));
    };
    Ok((form, keys, errors))
}

/// The top-level key of a path such as `skills[2]` or `a.b`.
fn top_key(path: &str) -> &str {
    path.split(['[', '.']).next().unwrap_or(path)
}

/// The key named by serde's "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(name, _)| name.to_string())
}

/// Every string (or key) under `path` holding a refused control character.
fn control_characters(path: &str, v: &serde_json::Value, out: &mut Vec<FieldError>) {
    match v {
        serde_json::Value::String(s) if normalise::has_control(s) => {
            out.push(FieldError::new(path, "control_character", general::control_character()));
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                control_characters(&format!("{path}[{i}]"), item, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                control_characters(&format!("{path}.{k}"), item, out);
            }
        }
        _ => {}
    }
    if normalise::has_control(path) && !out.iter().any(|e| e.field == path) {
        out.push(FieldError::new(
            path.replace(normalise::is_refused_control, "?"),
            "control_character",
            general::control_character(),
        ));
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<AppState>>().map(|s| s.settings.max_body_bytes).unwrap_or(256 * 1024);
        let content_type_ok = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let v = v.to_ascii_lowercase();
                v.starts_with("application/json") || v.contains("+json")
            })
            .unwrap_or(false);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(AppError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|_| AppError::PayloadTooLarge(limit))?;
            if bytes.len() > limit {
                return Err(AppError::PayloadTooLarge(limit));
            }
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest {
                detail: general::not_json(&e.to_string()),
                errors: vec![FieldError::new("", "json", general::not_json(&e.to_string()))],
            })?;
            if !value.is_object() {
                return Err(AppError::BadRequest {
                    detail: general::not_an_object(),
                    errors: vec![FieldError::new("", "json", general::not_an_object())],
                });
            }
            Ok(Form { raw: value, form: std::marker::PhantomData })
        })
    }
}

/// A query string read into a struct of `Option<String>`s (which cannot
/// fail), parsed further by the handler with [`param`]; a control character
/// in any parameter is a 400 naming it.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()))
    }
}

fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<Query<T>, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).map_err(|e| AppError::BadRequest {
        detail: general::bad_query(&e.to_string()),
        errors: vec![FieldError::new("", "query", general::bad_query(&e.to_string()))],
    })?;
    if let Some((name, _)) = pairs.iter().find(|(k, v)| normalise::has_control(k) || normalise::has_control(v)) {
        let name = name.replace(normalise::is_refused_control, "?");
        return Err(AppError::BadRequest {
            detail: general::control_character(),
            errors: vec![FieldError::new(name, "control_character", general::control_character())],
        });
    }
    serde_urlencoded::from_str::<T>(raw).map(Query).map_err(|e| {
        let said = e.to_string();
        // A parameter that takes one value, given twice (year=2019&year=2020): named.
        let repeated = said.strip_prefix("duplicate field `").and_then(|rest| rest.split('`').next());
        match repeated {
            Some(name) => AppError::bad_param_code(name, "duplicate", general::repeated_param(name)),
            None => AppError::BadRequest {
                detail: general::bad_query(&said),
                errors: vec![FieldError::new("", "query", general::bad_query(&said))],
            },
        }
    })
}

/// Parses an optional query parameter with `FromStr`, as a 400 naming it.
pub fn param<T: std::str::FromStr>(name: &str, raw: &Option<String>) -> Result<Option<T>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        // Full-width digits (５０００) read as the digits they are.
        Some(s) => {
            normalise::code(s).parse().map(Some).map_err(|_| AppError::bad_param(name, general::bad_param(name, s)))
        }
    }
}

/// An optional closed-list or domain value in a query parameter, as a 400
/// naming it with the rule's own words.
pub fn domain_param<T: std::str::FromStr<Err = crate::domain::DomainError>>(
    name: &str,
    raw: &Option<String>,
) -> Result<Option<T>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|e: crate::domain::DomainError| AppError::bad_param(name, e.message)),
    }
}

/// Trims a free-text query value; blank counts as none.
pub fn text(v: Option<String>) -> Option<String> {
    v.map(|s| normalise::text(&s)).filter(|s| !s.is_empty())
}

/// Pagination: `limit` (default 50, at most 500) and an opaque `cursor`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Rows to return.
    pub limit: i64,
    /// Return rows after this id.
    pub after: i64,
}

impl Page {
    /// Reads `limit` and `cursor` from raw query values.
    pub fn parse(limit: &Option<String>, cursor: &Option<String>) -> Result<Page, AppError> {
        let limit = match param::<i64>("limit", limit)? {
            None => 50,
            Some(n) if (1..=500).contains(&n) => n,
            Some(_) => return Err(AppError::bad_param("limit", general::limit_range())),
        };
        let after = match param::<i64>("cursor", cursor) {
            Ok(None) => 0,
            Ok(Some(n)) if n >= 0 => n,
            _ => return Err(AppError::bad_param("cursor", general::bad_cursor())),
        };
        Ok(Page { limit, after })
    }

    /// Splits a fetch of `limit + 1` rows into the page and the next cursor.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next = if more { rows.last().map(|r| id(r).to_string()) } else { None };
        (rows, next)
    }
}

/// The language the caller prefers, for answers that carry messages
/// (warnings) outside an error.
impl FromRequest for Lang {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(super::problem::lang_of(req)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: DeserializeOwned>(body: serde_json::Value) -> Read<T> {
        let (value, keys, errors) = read_form(body).unwrap();
        Read { value, keys, errors }
    }

    #[test]
    fn every_problem_of_a_body_is_listed_once() {
        let body = json!({"id_number": "45142419900230123X", "name": 7, "phone": "1234", "poverty_status": "rich",
                          "birth_date": "1990-01-01", "education": "phd", "desired_region_codes": ["999999"],
                          "nickname": "x", "notes": "a\u{0}b"});
        let form = read::<crate::registry::labourers::NewLabourer>(body);
        let err = form.then(crate::registry::labourers::parse_new).unwrap_err();
        let AppError::Validation(errors) = err else { panic!("not a 422") };
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            [
                ("birth_date", "derived"),
                ("desired_region_codes[0]", "unknown_region"),
                ("education", "enum"),
                ("id_number", "birth_date"),
                ("name", "type"),
                ("nickname", "unknown_field"),
                ("notes", "control_character"),
                ("phone", "length"),
                ("poverty_status", "enum"),
            ]
        );
    }

    #[test]
    fn a_refused_null_is_a_missing_value() {
        let form = read::<crate::registry::labourers::LabourerChanges>(json!({"version": 1, "name": null}));
        assert_eq!((form.errors[0].field.as_str(), form.errors[0].code.as_str()), ("name", "required"));
    }

    #[test]
    fn what_could_not_be_read_refuses_an_operation_that_would_succeed() {
        let form = read::<crate::registry::labourers::NewLabourer>(
            json!({"id_number": "45142419850612104X", "name": "农秀英", "notes": 5}),
        );
        let err = form.then(crate::registry::labourers::parse_new).unwrap_err();
        let AppError::Validation(errors) = err else { panic!("not a 422") };
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("notes", "type"));
    }

    #[test]
    fn control_characters_in_query_parameters_are_a_400_naming_them() {
        #[derive(serde::Deserialize)]
        struct Q {
            #[allow(dead_code)]
            token: Option<String>,
        }
        let Err(AppError::BadRequest { errors, .. }) = parse_query::<Q>("token=%00") else { panic!("not refused") };
        assert_eq!(errors[0].field, "token");
        assert!(parse_query::<Q>("token=abc").is_ok());
    }
}

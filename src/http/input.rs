//! Reading untrusted input: JSON bodies and query strings.
//!
//! Bodies are read into structs whose fields are [`Field<T>`]: a field never
//! fails to deserialize, it records what it got (absent, null, a value, or a
//! value of the wrong type). Validation then walks every field and collects
//! every failure, so one 422 lists them all instead of the first serde error.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::domain::DomainError;
use crate::error::{AppError, FieldError};

/// One JSON field as received.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    /// The key was not in the object.
    #[default]
    Absent,
    /// The key was present with `null`.
    Null,
    /// A value of the right type.
    Value(T),
    /// A value of the wrong type; the text says what was expected.
    Invalid(String),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(d)?;
        if raw.is_null() {
            return Ok(Field::Null);
        }
        Ok(match serde_json::from_value::<T>(raw) {
            Ok(v) => Field::Value(v),
            Err(e) => Field::Invalid(e.to_string()),
        })
    }
}

/// Lets bodies appear in the OpenAPI document with examples.
impl<T: serde::Serialize> serde::Serialize for Field<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(v) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// Collects field errors while a request is parsed.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// Records one failing field.
    pub fn push(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Records a domain rule's failure against `field`; passes a success on.
    pub fn check<T>(&mut self, field: &str, r: Result<T, DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(field, e.code, e.message);
                None
            }
        }
    }

    /// A value that must be present and not null.
    pub fn required<T>(&mut self, field: &str, f: Field<T>) -> Option<T> {
        match f {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => {
                self.push(field, "required", format!("`{field}` is required"));
                None
            }
            Field::Invalid(why) => {
                self.push(field, "type", why);
                None
            }
        }
    }

    /// A value that may be absent or null (both mean "none").
    pub fn optional<T>(&mut self, field: &str, f: Field<T>) -> Option<T> {
        match f {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
            Field::Invalid(why) => {
                self.push(field, "type", why);
                None
            }
        }
    }

    /// A PATCH value: `None` leaves the column alone, `Some(None)` clears it.
    pub fn patch<T>(&mut self, field: &str, f: Field<T>) -> Option<Option<T>> {
        match f {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Value(v) => Some(Some(v)),
            Field::Invalid(why) => {
                self.push(field, "type", why);
                None
            }
        }
    }

    /// A PATCH value for a column that cannot be cleared.
    pub fn patch_required<T>(&mut self, field: &str, f: Field<T>) -> Option<T> {
        match f {
            Field::Null => {
                self.push(field, "required", format!("`{field}` cannot be null"));
                None
            }
            other => self.optional(field, other),
        }
    }

    /// A field laid over a stored value: on create an optional value (absent
    /// and null both mean none), on PATCH `None` leaves it alone.
    pub fn set<T>(&mut self, field: &str, f: Field<T>, creating: bool) -> Option<Option<T>> {
        if creating {
            Some(self.optional(field, f))
        } else {
            self.patch(field, f)
        }
    }

    /// A field that must have a value: required on create, not nullable on PATCH.
    pub fn set_required<T>(&mut self, field: &str, f: Field<T>, creating: bool) -> Option<T> {
        if creating {
            self.required(field, f)
        } else {
            self.patch_required(field, f)
        }
    }

    /// Rejects keys the resource does not have, so typos do not vanish.
    pub fn unknown(&mut self, extra: &serde_json::Map<String, serde_json::Value>) {
        for key in extra.keys() {
            self.push(key, "unknown_field", format!("`{key}` is not a field of this resource"));
        }
    }

    /// `Ok(())` when nothing failed, else the 422 listing every field.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// Trims a free-text value; an empty string counts as none.
pub fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A JSON body, read with the configured size limit and a problem+json error
/// for every way it can be wrong (not JSON, not an object, too large).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<crate::startup::AppState>>()
            .map(|s| s.settings.max_body_bytes)
            .unwrap_or(256 * 1024);
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
                detail: format!("the body is not valid JSON: {e}"),
                errors: vec![FieldError::new("", "json", e.to_string())],
            })?;
            if !value.is_object() {
                return Err(AppError::BadRequest {
                    detail: "the body must be a JSON object".to_string(),
                    errors: vec![FieldError::new("", "json", "expected a JSON object")],
                });
            }
            serde_path_to_error::deserialize(value).map(Json).map_err(|e| {
                let field = e.path().to_string();
                AppError::invalid(&field, "type", e.inner().to_string())
            })
        })
    }
}

/// A query string read into a struct of `Option<String>`s (which cannot fail),
/// parsed further by the handler with [`param`].
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let parsed = serde_urlencoded::from_str::<T>(req.query_string()).map(Query).map_err(|e| AppError::BadRequest {
            detail: format!("the query string cannot be read: {e}"),
            errors: vec![FieldError::new("", "query", e.to_string())],
        });
        std::future::ready(parsed)
    }
}

/// Parses an optional query parameter with `FromStr`, as a 400 naming it.
pub fn param<T: std::str::FromStr>(name: &str, raw: &Option<String>) -> Result<Option<T>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::bad_param(name, format!("`{s}` is not a valid value"))),
    }
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
            Some(_) => return Err(AppError::bad_param("limit", "must be between 1 and 500")),
        };
        let after = match param::<i64>("cursor", cursor) {
            Ok(None) => 0,
            Ok(Some(n)) if n >= 0 => n,
            _ => return Err(AppError::bad_param("cursor", "not a cursor this service gave out")),
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

//! The one error type and its HTTP mapping.
//!
//! Policy: every failure a client can cause is a 4xx `application/problem+json`
//! whose `errors` names each failing field; a 500 means a bug or an outage and
//! says nothing about internals (the cause goes to the log). Diesel's
//! `NotFound` is 404 and a unique violation 409, so a model function can
//! simply `?` its query.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One failing input field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct FieldError {
    /// JSON field or query parameter name (dotted path for nested values).
    pub field: String,
    /// Short machine-readable code, e.g. `required`, `checksum`, `format`.
    pub code: String,
    /// What is wrong, in words a clerk can act on.
    pub message: String,
}

impl FieldError {
    /// A field error from its parts.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// The problem+json body (RFC 9457) every error response carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened in this case.
    pub detail: String,
    /// Every failing field (empty when no field is to blame).
    pub errors: Vec<FieldError>,
    /// For a duplicate: the id of the record that already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    /// The record this problem concerns, e.g. a failed submission to retry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body or a field failed validation (422).
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldError>),
    /// The request could not be read at all: malformed JSON, bad query (400).
    #[error("bad request: {detail}")]
    BadRequest {
        /// What was wrong.
        detail: String,
        /// The fields to blame, if any.
        errors: Vec<FieldError>,
    },
    /// No token, or a token that is unknown or expired (401).
    #[error("authentication required: {0}")]
    Unauthorized(String),
    /// The caller may not do this (403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The resource does not exist, or the caller may not know it exists (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Duplicate, stale version, or still referenced (409).
    #[error("conflict: {detail}")]
    Conflict {
        /// What conflicts.
        detail: String,
        /// The fields to blame.
        errors: Vec<FieldError>,
        /// The id of the existing record, for duplicates.
        existing_id: Option<i64>,
    },
    /// The body is larger than allowed (413).
    #[error("payload too large")]
    PayloadTooLarge(usize),
    /// The media type is not JSON (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Too many failed logins (429).
    #[error("too many attempts; retry after {0} s")]
    TooManyRequests(u64),
    /// A server we depend on (the mail server) refused or failed (502).
    #[error("bad gateway: {detail}")]
    BadGateway {
        /// What failed, in words a clerk can act on.
        detail: String,
        /// The record that keeps the failure, e.g. `/api/v1/submissions/5`.
        instance: Option<String>,
    },
    /// The database could not be reached in time (503).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or an outage (500); the cause is logged, not shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 for a single field.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A 400 for a single query parameter.
    pub fn bad_param(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::BadRequest {
            detail: format!("query parameter `{field}`: {message}"),
            errors: vec![FieldError::new(field, "invalid", message)],
        }
    }

    /// A 409 with a detail and no field.
    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict { detail: detail.into(), errors: Vec::new(), existing_id: None }
    }

    /// The 409 for a PATCH whose `version` is no longer current.
    pub fn stale(current: i32) -> Self {
        AppError::Conflict {
            detail: format!(
                "the record was changed by someone else; it is now at version {current}, reload and try again"
            ),
            errors: vec![FieldError::new("version", "stale", format!("current version is {current}"))],
            existing_id: None,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "Invalid input",
            AppError::BadRequest { .. } => "Bad request",
            AppError::Unauthorized(_) => "Authentication required",
            AppError::Forbidden(_) => "Forbidden",
            AppError::NotFound(_) => "Not found",
            AppError::Conflict { .. } => "Conflict",
            AppError::PayloadTooLarge(_) => "Payload too large",
            AppError::UnsupportedMediaType => "Unsupported media type",
            AppError::TooManyRequests(_) => "Too many attempts",
            AppError::BadGateway { .. } => "Upstream server failed",
            AppError::Unavailable(_) => "Service unavailable",
            AppError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                format!("{} field(s) failed validation: {}", errors.len(), fields.join(", "))
            }
            AppError::BadRequest { detail, .. }
            | AppError::Conflict { detail, .. }
            | AppError::BadGateway { detail, .. } => detail.clone(),
            AppError::Unauthorized(why) | AppError::Forbidden(why) => why.clone(),
            AppError::NotFound(what) => format!("no such {what}, or you may not see it"),
            AppError::PayloadTooLarge(limit) => format!("the body is larger than the {limit} bytes allowed"),
            AppError::UnsupportedMediaType => "send the body as application/json".to_string(),
            AppError::TooManyRequests(secs) => {
                format!("too many failed attempts; try again in {secs} seconds")
            }
            AppError::Unavailable(_) => "the database is busy or unreachable; try again shortly".to_string(),
            AppError::Internal(_) => "something went wrong on our side; it has been logged".to_string(),
        }
    }

    /// The problem+json body for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (errors, existing_id) = match self {
            AppError::Validation(errors) | AppError::BadRequest { errors, .. } => (errors.clone(), None),
            AppError::Conflict { errors, existing_id, .. } => (errors.clone(), *existing_id),
            _ => (Vec::new(), None),
        };
        let instance = match self {
            AppError::BadGateway { instance, .. } => instance.clone(),
            _ => None,
        };
        Problem {
            instance,
            kind: format!("https://labour-bridge.invalid/problems/{}", status.as_u16()),
            title: self.title().to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            errors,
            existing_id,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            AppError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::TooManyRequests(secs) => {
                response.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::conflict(format!("a record with the same key already exists ({})", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::conflict("the record is referenced by, or refers to, records that do not allow this change")
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<crate::domain::DomainError> for FieldError {
    fn from(e: crate::domain::DomainError) -> Self {
        FieldError::new("", e.code, e.message)
    }
}

//! The one error type of labour-bridge's core, and the rules for it.
//!
//! Policy: every failure a person can cause is an [`AppError`] that names
//! what to fix — each failing field with a stable `code` and a [`Text`] in
//! Chinese and English — and a bug or an outage is [`AppError::Internal`],
//! whose cause goes to the log and never to the person. The registry, the
//! ledgers, the import and the mail code return this type; `http::problem`
//! maps it, once, to a status and an `application/problem+json` body (or a
//! page), and the import writes the same messages into its rejected rows.
//! Diesel's `NotFound` is 404 and a unique violation 409, so a model
//! function can simply `?` its query.

use serde::Serialize;
use utoipa::ToSchema;

use crate::messages::{general, Text, Thing};

/// One failing input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON field or query parameter name (`skills[2]`, `a.b` for nested values).
    pub field: String,
    /// Short machine-readable code, e.g. `required`, `checksum`, `format`.
    pub code: String,
    /// What is wrong, in words a clerk can act on.
    pub message: Text,
    /// The field's Chinese name as the record being written calls it,
    /// taken when the error is made (see `messages::Labels`), for summaries
    /// made later ("有 1 项填写不正确：工作地点").
    pub label: String,
}

impl FieldError {
    /// A field error from its parts.
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: Text) -> Self {
        let field = field.into();
        let label = crate::messages::field_label(&field).to_string();
        FieldError { field, code: code.into(), message, label }
    }

    /// A domain rule's failure, blamed on `field`.
    pub fn from_domain(field: impl Into<String>, e: crate::domain::DomainError) -> Self {
        FieldError::new(field, e.code, e.message)
    }
}

/// Everything that can go wrong while serving a request or running a job.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input failed validation (422): every failing field.
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldError>),
    /// The request could not be read at all: malformed JSON, bad query (400).
    #[error("bad request: {detail}")]
    BadRequest {
        /// What was wrong.
        detail: Text,
        /// The fields to blame, if any.
        errors: Vec<FieldError>,
    },
    /// No token, or a token that is unknown or expired (401).
    #[error("authentication required: {0}")]
    Unauthorized(Text),
    /// The caller may not do this (403).
    #[error("forbidden: {0}")]
    Forbidden(Text),
    /// The record does not exist, or the caller may not know it exists (404).
    #[error("{0:?} not found")]
    NotFound(Thing),
    /// Duplicate, stale version, or still referenced (409).
    #[error("conflict: {detail}")]
    Conflict {
        /// What conflicts.
        detail: Text,
        /// The fields to blame.
        errors: Vec<FieldError>,
        /// The id of the existing record, for duplicates.
        existing_id: Option<i64>,
    },
    /// The body is larger than allowed (413).
    #[error("payload too large")]
    PayloadTooLarge(usize),
    /// The media type is not one the route reads (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Too many attempts (429); retry after this many seconds.
    #[error("too many attempts; retry after {0} s")]
    TooManyRequests(u64),
    /// A server we depend on (the mail server) refused or failed (502).
    #[error("bad gateway: {detail}")]
    BadGateway {
        /// What failed, in words a clerk can act on.
        detail: Text,
        /// The record that keeps the failure, e.g. `/api/v1/submissions/5`.
        instance: Option<String>,
    },
    /// The database could not be reached in time (503).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The service runs but should get no traffic yet (503): each item
    /// names what is not ready (`database`, `search_index`).
    #[error("not ready: {0:?}")]
    NotReady(Vec<FieldError>),
    /// A bug or an outage (500); the cause is logged, not shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 for a single field.
    pub fn invalid(field: &str, code: &str, message: Text) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A 422 for a domain rule broken by `field`.
    pub fn domain(field: &str, e: crate::domain::DomainError) -> Self {
        AppError::Validation(vec![FieldError::from_domain(field, e)])
    }

    /// A 400 for a single query parameter.
    pub fn bad_param(field: &str, message: Text) -> Self {
        AppError::bad_param_code(field, "invalid", message)
    }

    /// A 400 naming query parameter `field`, with the rule's own `code`
    /// (e.g. `not_county`, `split_region`) where one was broken.
    pub fn bad_param_code(field: &str, code: &str, message: Text) -> Self {
        AppError::BadRequest {
            detail: Text::new(
                format!("查询参数“{field}”：{}", message.zh),
                format!("query parameter `{field}`: {}", message.en),
            ),
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    /// A 409 with a detail and no field.
    pub fn conflict(detail: Text) -> Self {
        AppError::Conflict { detail, errors: Vec::new(), existing_id: None }
    }

    /// The 409 for a duplicate: `field` already names record `existing`.
    pub fn duplicate(thing: Thing, field: &str, existing: i64) -> Self {
        AppError::Conflict {
            detail: general::duplicate(thing, existing),
            // Beside the field too, which record it is (a page shows only this).
            errors: vec![FieldError::new(field, "duplicate", general::duplicate(thing, existing))],
            existing_id: Some(existing),
        }
    }

    /// The 409 for a change whose `version` is no longer current; `current`
    /// is the version stored now (read, not guessed).
    pub fn stale(current: i32) -> Self {
        AppError::Conflict {
            detail: general::stale(current),
            errors: vec![FieldError::new("version", "stale", general::stale_field(current))],
            existing_id: None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::BadRequest { .. } => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict { .. } => 409,
            AppError::PayloadTooLarge(_) => 413,
            AppError::UnsupportedMediaType => 415,
            AppError::TooManyRequests(_) => 429,
            AppError::BadGateway { .. } => 502,
            AppError::Unavailable(_) | AppError::NotReady(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    /// The short summary of the kind of problem.
    pub fn title(&self) -> Text {
        let (zh, en) = match self {
            AppError::Validation(_) => ("填写有误", "Invalid input"),
            AppError::BadRequest { .. } => ("请求无法识别", "Bad request"),
            AppError::Unauthorized(_) => ("需要登录", "Authentication required"),
            AppError::Forbidden(_) => ("无权操作", "Forbidden"),
            AppError::NotFound(_) => ("未找到", "Not found"),
            AppError::Conflict { .. } => ("与现有记录冲突", "Conflict"),
            AppError::PayloadTooLarge(_) => ("内容过大", "Payload too large"),
            AppError::UnsupportedMediaType => ("格式不支持", "Unsupported media type"),
            AppError::TooManyRequests(_) => ("尝试次数过多", "Too many attempts"),
            AppError::BadGateway { .. } => ("上游服务出错", "Upstream server failed"),
            AppError::Unavailable(_) => ("服务暂不可用", "Service unavailable"),
            AppError::NotReady(_) => ("服务尚未就绪", "Not ready"),
            AppError::Internal(_) => ("服务器内部错误", "Internal error"),
        };
        Text::new(zh, en)
    }

    /// What happened in this case.
    pub fn detail(&self) -> Text {
        match self {
            AppError::Validation(errors) => {
                let fields: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.label.as_str())).collect();
                general::invalid_fields(&fields)
            }
            AppError::BadRequest { detail, .. }
            | AppError::Conflict { detail, .. }
            | AppError::BadGateway { detail, .. } => detail.clone(),
            AppError::Unauthorized(why) | AppError::Forbidden(why) => why.clone(),
            AppError::NotFound(what) => general::not_found(*what),
            AppError::PayloadTooLarge(limit) => general::too_large(*limit),
            AppError::UnsupportedMediaType => general::send_json(),
            AppError::TooManyRequests(secs) => general::too_many_attempts(*secs),
            AppError::Unavailable(_) => general::unavailable(),
            AppError::NotReady(_) => crate::messages::ops::not_ready(),
            AppError::Internal(_) => general::internal(),
        }
    }

    /// The failing fields, if any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors)
            | AppError::BadRequest { errors, .. }
            | AppError::Conflict { errors, .. }
            | AppError::NotReady(errors) => errors,
            _ => &[],
        }
    }

    /// The problem+json body (RFC 9457) in `lang`.
    pub fn problem(&self, lang: crate::messages::Lang) -> Problem {
        let status = self.status();
        let existing_id = match self {
            AppError::Conflict { existing_id, .. } => *existing_id,
            _ => None,
        };
        let instance = match self {
            AppError::BadGateway { instance, .. } => instance.clone(),
            _ => None,
        };
        Problem {
            kind: format!("https://labour-bridge.invalid/problems/{status}"),
            title: self.title().get(lang).to_string(),
            status,
            detail: self.detail().get(lang).to_string(),
            errors: self
                .field_errors()
                .iter()
                .map(|e| ProblemField {
                    field: e.field.clone(),
                    code: e.code.clone(),
                    message: e.message.get(lang).to_string(),
                })
                .collect(),
            existing_id,
            instance,
        }
    }
}

/// One failing field as problem+json shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// JSON field or query parameter name (dotted path for nested values,
    /// `name[i]` for list members).
    pub field: String,
    /// Short, stable, language-free code, e.g. `required`, `checksum`.
    pub code: String,
    /// What is wrong, in Chinese unless the request prefers English.
    pub message: String,
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
    pub errors: Vec<ProblemField>,
    /// For a duplicate: the id of the record that already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    /// The record this problem concerns, e.g. a failed submission to retry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound(Thing::Record),
            // The constraint's name and the SQL stay in the log: they are of
            // no use to a clerk and tell an attacker about the schema.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(constraint = ?info.constraint_name(), "unique violation answered as 409");
                AppError::conflict(general::same_key())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::conflict(general::still_referenced())
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

/// Collects field errors while an input is checked, so one answer lists
/// them all rather than the first.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// Records one failing field (one message per field: a field that
    /// already failed keeps its first reason).
    pub fn push(&mut self, field: &str, code: &str, message: Text) {
        if !self.has(field) {
            self.0.push(FieldError::new(field, code, message));
        }
    }

    /// Records a domain rule's failure against `field`; passes a success on.
    pub fn check<T>(&mut self, field: &str, r: Result<T, crate::domain::DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if !self.has(field) {
                    self.0.push(FieldError::from_domain(field, e));
                }
                None
            }
        }
    }

    /// Whether `field` already failed.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// Whether nothing failed so far.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The failures, in the order found.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `Ok(())` when nothing failed, else the 422 listing every field
    /// (sorted by field).
    pub fn finish(mut self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort_by(|a, b| a.field.cmp(&b.field));
            Err(AppError::Validation(self.0))
        }
    }
}

/// A domain rule broken by a value no field names (a constant, a setting).
impl From<crate::domain::DomainError> for AppError {
    fn from(e: crate::domain::DomainError) -> Self {
        AppError::Validation(vec![FieldError::from(e)])
    }
}

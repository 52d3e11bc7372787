//! Pieces shared by the JSON views.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::FieldError;
use crate::messages::Lang;

/// A stored UTC timestamp as RFC 3339.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The bookkeeping every versioned record shows: flattened into each view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    /// Id.
    pub id: i64,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version; send it back with PATCH.
    pub version: i32,
}

impl Record {
    /// The tail of a row.
    pub fn of(id: impl Into<i64>, created_at: NaiveDateTime, updated_at: NaiveDateTime, version: i32) -> Record {
        Record { id: id.into(), created_at: utc(created_at), updated_at: utc(updated_at), version }
    }
}

/// Builds the [`Record`] tail of a row with `id`, `created_at`,
/// `updated_at` and `version`.
macro_rules! record_of {
    ($row:expr) => {
        $crate::http::views::Record::of($row.id, $row.created_at, $row.updated_at, $row.version)
    };
}
pub(crate) use record_of;

/// `{items, next_cursor}` for every list endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOf<T> {
    /// This page's records.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A non-fatal remark about accepted input (e.g. a USCC checksum).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Warning {
    /// The field the warning is about.
    pub field: String,
    /// Machine-readable code.
    pub code: String,
    /// Explanation, in the caller's language.
    pub message: String,
}

impl Warning {
    /// The remarks as the caller reads them.
    pub fn all(list: &[FieldError], lang: Lang) -> Vec<Warning> {
        list.iter()
            .map(|w| Warning { field: w.field.clone(), code: w.code.clone(), message: w.message.get(lang).to_string() })
            .collect()
    }
}

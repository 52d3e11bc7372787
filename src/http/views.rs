//! Small pieces shared by the JSON views.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A stored UTC timestamp as RFC 3339.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// The name of a region code, if the table knows it (e.g. 广东省江门市江海区).
pub fn region_full_name(code: &str) -> Option<String> {
    crate::domain::RegionCode::parse(code).ok().map(|r| r.names().full_name())
}

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
    /// Explanation.
    pub message: String,
}

//! One file per table: row structs and the SQL that reads and writes them.

pub mod audit;
pub mod employer;
pub mod job_fair;
pub mod labourer;
pub mod ledger;
pub mod mail;
pub mod outbox;
pub mod placement;
pub mod posting;
pub mod search;
pub mod target;
pub mod training;
pub mod user;
pub mod vocational;

/// The current time as stored in `TIMESTAMP` columns (UTC, microseconds).
pub fn now() -> chrono::NaiveDateTime {
    let t = chrono::Utc::now().naive_utc();
    // PostgreSQL keeps microseconds; truncating here keeps both backends equal.
    chrono::DurationRound::duration_trunc(t, chrono::TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Encodes a list column (stored as JSON text on both backends).
pub fn list_to_text(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}

/// Decodes a list column; a damaged value reads as empty rather than failing
/// the whole request.
pub fn text_to_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

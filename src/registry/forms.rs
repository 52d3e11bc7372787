//! What the forms share: reading "absent / null / value" for changes, and
//! turning validated text into stored values.
//!
//! A change form (PATCH) keeps three states apart: a key left out changes
//! nothing (`None`), `null` clears the column (`Some(None)`), a value sets
//! it (`Some(Some(v))`). Columns that cannot be cleared use [`present`],
//! which refuses `null`.

use serde::{Deserialize, Deserializer};

use crate::domain::{normalise, DomainError};
use crate::error::{AppError, Errors};

/// The marker a refused `null` carries through serde, so the edge can
/// answer `required` for it (see `http::input`).
pub const NULL_REFUSED: &str = "\u{1}null";

/// `Some(None)` for `null`, `Some(Some(v))` for a value; use with
/// `#[serde(default, deserialize_with = "forms::nullable")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A value that may be left out but not set to `null`; use with
/// `#[serde(default, deserialize_with = "forms::present")]`.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(d)? {
        Some(v) => Ok(Some(v)),
        None => Err(serde::de::Error::custom(NULL_REFUSED)),
    }
}

/// Free text as stored: normalised ([`normalise::text`]); blank is none.
pub fn text(v: Option<String>) -> Option<String> {
    v.map(|s| normalise::text(&s)).filter(|s| !s.is_empty())
}

/// A list of free texts: each normalised, blanks dropped.
pub fn texts(v: Option<Vec<String>>) -> Vec<String> {
    v.unwrap_or_default().into_iter().filter_map(|s| text(Some(s))).collect()
}

/// A value that validation required: its absence here is a missing field
/// (422), never a silent default.
pub fn required<T>(field: &str, v: Option<T>) -> Result<T, AppError> {
    v.ok_or_else(|| AppError::invalid(field, "required", crate::messages::general::required(field)))
}

/// Parses a validated value with its domain parser; a failure (only
/// possible when a caller skipped validation) is the same 422 it would be.
pub fn parse<T>(errors: &mut Errors, field: &str, r: Result<T, DomainError>) -> Option<T> {
    errors.check(field, r)
}

/// Applies a change to a column that may be cleared.
pub fn apply<T>(slot: &mut T, change: Option<T>) {
    if let Some(v) = change {
        *slot = v;
    }
}

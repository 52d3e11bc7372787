//! Domain rules: pure parsing and classification with no I/O (DESIGN §3).
//!
//! Untrusted input becomes one of these types once, at the boundary; inside the
//! service an [`IdNumber`], [`Uscc`], [`Phone`] or [`RegionCode`] is always valid.
//! Failures are a [`DomainError`] (or, for a USCC whose check character is
//! wrong, a [`DomainWarning`]) whose `code` goes into the problem+json
//! `errors: [{field, code, message}]` list; the caller supplies `field`.

pub mod id_number;
pub mod phone;
pub mod poverty;
pub mod region;
pub mod uscc;

pub use id_number::{mask_id_number, Gender, IdNumber};
pub use phone::Phone;
pub use poverty::{Education, PovertyStatus};
pub use region::{region_name, EastProvinces, RegionCode, RegionNames};
pub use uscc::Uscc;

use serde::Serialize;

/// The short snake_case codes a [`DomainError`] or [`DomainWarning`] carries.
pub mod codes {
    /// The value is empty or only whitespace.
    pub const REQUIRED: &str = "required";
    /// The value has the wrong number of characters.
    pub const LENGTH: &str = "length";
    /// The value contains a character its format does not allow.
    pub const CHARSET: &str = "charset";
    /// The check character does not match the rest of the code.
    pub const CHECKSUM: &str = "checksum";
    /// The birth date inside an ID number is not a real or plausible date.
    pub const BIRTH_DATE: &str = "birth_date";
    /// A 15-digit first-generation ID number, which must be converted first.
    pub const OLD_FORMAT: &str = "old_format";
    /// The value is well-formed character by character but not a valid value.
    pub const FORMAT: &str = "format";
    /// A well-formed region code that is not in the GB/T 2260 table.
    pub const UNKNOWN_REGION: &str = "unknown_region";
}

/// A rule the input breaks; the value is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    /// Short snake_case code from [`codes`], stable for clients.
    pub code: &'static str,
    /// Plain-English explanation a clerk can act on.
    pub message: String,
}

impl DomainError {
    /// Builds an error from a code in [`codes`] and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// Something doubtful about an accepted value, reported alongside the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainWarning {
    /// Short snake_case code from [`codes`], stable for clients.
    pub code: &'static str,
    /// Plain-English explanation a clerk can act on.
    pub message: String,
}

impl DomainWarning {
    /// Builds a warning from a code in [`codes`] and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl std::fmt::Display for DomainWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Describes the first character that is not allowed, 1-based as a clerk counts.
fn describe_bad_char(s: &str, allowed: impl Fn(usize, char) -> bool) -> Option<String> {
    s.chars().enumerate().find(|&(i, c)| !allowed(i, c)).map(|(i, c)| format!("character {} ('{}')", i + 1, c))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::fmt;

    /// Renders a value through its `Serialize` impl using serde's own
    /// `fmt::Formatter` serializer, which handles strings and unit variants;
    /// enough to check wire spellings without a JSON crate.
    pub(crate) fn serialized<T: serde::Serialize>(value: &T) -> String {
        struct Show<'a, T>(&'a T);
        impl<T: serde::Serialize> fmt::Display for Show<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.serialize(f)
            }
        }
        Show(value).to_string()
    }
}

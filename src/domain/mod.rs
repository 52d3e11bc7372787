//! Domain rules: pure parsing and classification with no I/O (DESIGN §3).
//!
//! Untrusted input becomes one of these types once, at the boundary; inside the
//! service an [`IdNumber`], [`Uscc`], [`Phone`] or [`RegionCode`] is always valid.
//! Failures are a [`DomainError`] (or, for a USCC whose check character is
//! wrong, a [`DomainWarning`]) whose `code` goes into the problem+json
//! `errors: [{field, code, message}]` list; the caller supplies `field`.

pub mod enums;
pub mod id_number;
pub mod ids;
pub mod masking;
pub mod normalise;
pub mod phone;
pub mod region;
pub mod region_history;
pub mod region_names;
pub mod rules;
pub mod uscc;

pub use enums::{
    Benefit, CertificateKind, Channel, DeadlineKind, Education, EnrolmentStatus, GenderRequirement, IntentionStatus,
    PostingStatus, PovertyStatus, StudyStatus, TargetMetric,
};
pub use id_number::{Gender, IdNumber};
pub use ids::{EmployerId, EnrolmentId, JobFairId, LabourerId, PlacementId, PostingId, SessionId, UserId};
pub use masking::mask_id_number;
pub use phone::Phone;
pub use region::{region_name, EastProvinces, RegionCode, RegionNames};
pub use region_names::region_by_code_or_name;
pub use uscc::Uscc;

use serde::Serialize;

use crate::messages::Text;

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
    /// The value is not one of a closed list's values.
    pub const ENUM: &str = "enum";
    /// A well-formed region code that is not in the GB/T 2260 table.
    pub const UNKNOWN_REGION: &str = "unknown_region";
    /// An abolished region code that was split: the county must be given.
    pub const SPLIT_REGION: &str = "split_region";
    /// A region name that fits several regions.
    pub const AMBIGUOUS_REGION: &str = "ambiguous_region";
    /// A province or prefecture code where a county's is asked for.
    pub const NOT_COUNTY: &str = "not_county";
    /// A long number a spreadsheet rounded (e.g. `4.51424199001012E+17`).
    pub const SPREADSHEET_NUMBER: &str = "spreadsheet_number";
}

/// A rule the input breaks; the value is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    /// Short snake_case code from [`codes`], stable for clients.
    pub code: &'static str,
    /// What is wrong, in words a clerk can act on (from `crate::messages`).
    pub message: Text,
}

impl DomainError {
    /// Builds an error from a code in [`codes`] and a message.
    pub fn new(code: &'static str, message: Text) -> Self {
        Self { code, message }
    }
}

/// Something doubtful about an accepted value, reported alongside the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainWarning {
    /// Short snake_case code from [`codes`], stable for clients.
    pub code: &'static str,
    /// What is doubtful, in words a clerk can act on.
    pub message: Text,
}

impl DomainWarning {
    /// Builds a warning from a code in [`codes`] and a message.
    pub fn new(code: &'static str, message: Text) -> Self {
        Self { code, message }
    }
}

impl std::fmt::Display for DomainWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// The first character that is not allowed, with its 1-based position as a
/// clerk counts.
fn first_bad_char(s: &str, allowed: impl Fn(usize, char) -> bool) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(i, c)| !allowed(i, c)).map(|(i, c)| (i + 1, c))
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

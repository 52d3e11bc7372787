//! Mainland mobile phone numbers.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{codes, first_bad_char, normalise, DomainError};
use crate::messages::identity as msg;

/// An 11-digit mainland mobile number matching `1[3-9]\d{9}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile number as a clerk or a labourer types or pastes it.
    ///
    /// Normalised first ([`normalise::phone`]): full-width digits, invisible
    /// characters, separators (`138 0013 8000`, `138-0013-8000`) and a country
    /// prefix (`+86`, `0086`, `(+86)`) go; what remains must be 11 digits
    /// starting 13–19. Errors: `required`, `charset`, `length`, `format`.
    pub fn parse(s: &str) -> Result<Phone, DomainError> {
        let digits = normalise::phone(s);
        if digits.is_empty() {
            return Err(DomainError::new(codes::REQUIRED, msg::phone_required()));
        }
        if let Some((at, bad)) = first_bad_char(&digits, |_, c| c.is_ascii_digit()) {
            return Err(DomainError::new(codes::CHARSET, msg::phone_charset(at, bad)));
        }
        if digits.len() != 11 {
            return Err(DomainError::new(codes::LENGTH, msg::phone_length(digits.len())));
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(DomainError::new(codes::FORMAT, msg::phone_format()));
        }
        Ok(Phone(digits))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> &'static str {
        Phone::parse(s).unwrap_err().code
    }

    #[test]
    fn mobile_numbers_from_13_to_19_are_accepted() {
        for s in ["13800138000", "15977112233", "19912345678", "16612345678"] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn spaces_hyphens_and_country_code_are_stripped() {
        assert_eq!(Phone::parse(" 13800138000 ").unwrap().as_str(), "13800138000");
        assert_eq!(Phone::parse("138 0013 8000").unwrap().as_str(), "13800138000");
        assert_eq!(Phone::parse("138-0013-8000").unwrap().as_str(), "13800138000");
        assert_eq!(Phone::parse("+86 138 0013 8000").unwrap().as_str(), "13800138000");
    }

    #[test]
    fn pasted_numbers_from_chat_and_office_files_are_accepted() {
        for typed in [
            "１３８００１３８０００",
            "0086 13800138000",
            "(+86)13800138000",
            "13800138000\u{200B}",
            "\u{FEFF}138 0013 8000",
        ] {
            assert_eq!(Phone::parse(typed).unwrap().as_str(), "13800138000", "{typed:?}");
        }
    }

    #[test]
    fn bad_numbers_are_rejected_with_their_reason() {
        assert_eq!(code("  "), "required");
        assert_eq!(code("1380013800"), "length");
        assert_eq!(code("138001380001"), "length");
        assert_eq!(code("1380013800a"), "charset");
        assert_eq!(code("12800138000"), "format");
        assert_eq!(code("07503123456"), "format");
    }

    #[test]
    fn serialises_as_the_digits() {
        let phone = Phone::parse("13800138000").unwrap();
        assert_eq!(crate::domain::tests::serialized(&phone), "13800138000");
        assert_eq!(phone.to_string(), "13800138000");
    }
}

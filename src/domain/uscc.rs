//! Unified social credit codes (统一社会信用代码, GB 32100-2015) of employers.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{codes, first_bad_char, normalise, DomainError, DomainWarning};
use crate::messages::identity as msg;

/// The 31 characters a code may use; a character's value is its index.
/// I, O, S, V and Z are left out because they are easily misread.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^i mod 31 for i = 0..16, the standard's position weights.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// An 18-character unified social credit code of the right shape.
///
/// Its check character may still be wrong: early pilot codes are legal yet
/// fail the check, so [`Uscc::parse`] accepts them with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

/// The value (0..31) of a code character, if it is in the alphabet.
fn value_of(c: char) -> Option<u32> {
    let b = u8::try_from(c).ok()?;
    ALPHABET.iter().position(|&a| a == b).map(|p| p as u32)
}

/// Computes the check character for the first 17 characters of a code.
///
/// Returns `None` unless `first17` is exactly 17 characters from the alphabet
/// (upper-case only).
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.get(check as usize).map(|&b| char::from(b))
}

impl Uscc {
    /// Parses a code typed, pasted or imported by a clerk.
    ///
    /// Normalised first ([`normalise::code`]: full-width forms, invisible
    /// characters, white space), then upper-cased. A wrong length or
    /// character is an error (`required`, `length`, `charset`); a wrong check
    /// character is accepted with a `checksum` warning (DESIGN §3), whose
    /// message never names the expected character.
    pub fn parse(s: &str) -> Result<(Uscc, Option<DomainWarning>), DomainError> {
        let value = normalise::code(s).to_uppercase();
        if value.is_empty() {
            return Err(DomainError::new(codes::REQUIRED, msg::uscc_required()));
        }
        let len = value.chars().count();
        if len != 18 {
            return Err(DomainError::new(codes::LENGTH, msg::uscc_length(len)));
        }
        if let Some((at, bad)) = first_bad_char(&value, |_, c| value_of(c).is_some()) {
            return Err(DomainError::new(codes::CHARSET, msg::uscc_charset(at, bad)));
        }
        let warning = (check_char(&value[..17]) != value[17..].chars().next())
            .then(|| DomainWarning::new(codes::CHECKSUM, msg::uscc_checksum()));
        Ok((Uscc(value), warning))
    }

    /// The 18-character code, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Uscc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1;
        for expected in WEIGHTS {
            assert_eq!(expected, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn a_made_up_code_with_its_computed_check_character_is_accepted() {
        assert_eq!(check_char("91440704MA4UJ5X3A"), Some('L'));
        let (code, warning) = Uscc::parse("91440704MA4UJ5X3AL").unwrap();
        assert_eq!(code.as_str(), "91440704MA4UJ5X3AL");
        assert_eq!(warning, None);
    }

    #[test]
    fn published_codes_of_real_companies_pass_the_check() {
        // Huawei Technologies Co., Ltd. and Shenzhen Tencent Computer Systems
        // Co., Ltd., as printed on their business licences.
        for s in ["914403001922038216", "91440300708461136T"] {
            let (code, warning) = Uscc::parse(s).unwrap();
            assert_eq!(code.as_str(), s);
            assert_eq!(warning, None, "{s}");
        }
    }

    #[test]
    fn check_value_31_maps_to_zero() {
        // Find a prefix whose weighted sum is a multiple of 31.
        let prefix = (0..31u32)
            .map(|v| format!("9144070400000000{}", char::from(ALPHABET[v as usize])))
            .find(|p| {
                let sum: u32 = p.chars().zip(WEIGHTS).map(|(c, w)| value_of(c).unwrap() * w).sum();
                sum.is_multiple_of(31)
            })
            .unwrap();
        assert_eq!(check_char(&prefix), Some('0'));
        assert_eq!(Uscc::parse(&format!("{prefix}0")).unwrap().1, None);
    }

    #[test]
    fn lower_case_and_spaces_are_normalised() {
        let (code, warning) = Uscc::parse(" 91440300708461136t ").unwrap();
        assert_eq!(code.as_str(), "91440300708461136T");
        assert_eq!(warning, None);
        assert_eq!(code.to_string(), "91440300708461136T");
        assert_eq!(crate::domain::tests::serialized(&code), "91440300708461136T");
    }

    #[test]
    fn wrong_check_character_is_accepted_with_a_warning() {
        let (code, warning) = Uscc::parse("914403001922038217").unwrap();
        assert_eq!(code.as_str(), "914403001922038217");
        let warning = warning.unwrap();
        assert_eq!(warning.code, "checksum");
        assert!(!warning.message.zh.contains('6') && !warning.message.en.contains("'6'"), "{:?}", warning.message);
        assert!(warning.message.zh.contains("营业执照"), "{}", warning.message.zh);
    }

    #[test]
    fn full_width_and_invisible_characters_are_normalised() {
        let (code, _) = Uscc::parse("９１４４０３００７０８４６１１３６Ｔ\u{200B}").unwrap();
        assert_eq!(code.as_str(), "91440300708461136T");
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert_eq!(Uscc::parse("").unwrap_err().code, "required");
        assert_eq!(Uscc::parse("91440704MA4UJ5X3A").unwrap_err().code, "length");
        assert_eq!(Uscc::parse("91440704MA4UJ5X3ALL").unwrap_err().code, "length");
    }

    #[test]
    fn letters_i_o_s_v_z_and_punctuation_are_rejected() {
        for bad in ['I', 'O', 'S', 'V', 'Z', '-', '中'] {
            let s = format!("91440704MA4UJ5X3{bad}L");
            let err = Uscc::parse(&s).unwrap_err();
            assert_eq!(err.code, "charset", "{s}");
            assert!(err.message.en.contains(&format!("character 17 ('{bad}')")), "{}", err.message.en);
        }
        assert_eq!(check_char("91440704MA4UJ5X3O"), None);
        assert_eq!(check_char("91440704ma4uj5x3a"), None);
    }
}

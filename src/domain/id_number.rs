//! Resident ID numbers (居民身份证号, GB 11643-1999).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

use super::{codes, first_bad_char, mask_id_number, normalise, DomainError};
use crate::messages::identity as msg;

/// ISO 7064 MOD 11-2 weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each weighted sum modulo 11.
const CHECK_MAP: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-character resident ID number that passed every GB 11643 check.
///
/// Stored upper-case. `Debug` prints the masked form so that logging a record
/// never leaks the number; use [`IdNumber::as_str`] where the full number is due.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct IdNumber(String);

/// Sex as encoded in digit 17 of an ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Odd digit 17.
    Male,
    /// Even digit 17.
    Female,
}

impl Gender {
    /// The JSON / database spelling: `male` or `female`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// The label used on ledgers: 男 or 女.
    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

impl FromStr for Gender {
    type Err = DomainError;

    /// Accepts `male`/`female` or 男/女.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "male" | "男" => Ok(Gender::Male),
            "female" | "女" => Ok(Gender::Female),
            other => Err(DomainError::new(
                codes::FORMAT,
                msg::not_a_choice(("性别", "gender"), other, &["男", "女"], &["male", "female"]),
            )),
        }
    }
}

/// Computes the check character for the first 17 digits of an ID number.
///
/// Returns `None` unless `first17` is exactly 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_MAP.get((sum % 11) as usize).copied()
}

/// Reads the birth date in digits 7–14, if it is a real calendar date.
fn birth_date_of(digits: &str) -> Option<NaiveDate> {
    let year = digits.get(6..10)?.parse().ok()?;
    let month = digits.get(10..12)?.parse().ok()?;
    let day = digits.get(12..14)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl IdNumber {
    /// Parses an ID number typed, pasted or imported by a clerk.
    ///
    /// The value is normalised first ([`normalise::code`]: full-width digits,
    /// a BOM or a zero-width space from a chat app, surrounding white space),
    /// and spaces inside are dropped (451424 19900307 123X, as forms group it);
    /// a lower-case `x` is accepted. The birth date must be a real date
    /// between 1900-01-01 and `today`; `today` is a parameter so that the rule
    /// stays pure and testable.
    ///
    /// Errors (code, DESIGN §3): `required`, `old_format` (15 digits),
    /// `length`, `charset`, `spreadsheet_number` (a spreadsheet turned it into
    /// a number such as `4.51424199001012E+17`), `birth_date`, `checksum`.
    pub fn parse(s: &str, today: NaiveDate) -> Result<IdNumber, DomainError> {
        // Spaces inside are how numbers are grouped on forms and in chats
        // (451424 19900307 123X): they are not part of it.
        let normalised: String = normalise::code(s).chars().filter(|c| *c != ' ').collect();
        let s = normalised.as_str();
        if s.is_empty() {
            return Err(DomainError::new(codes::REQUIRED, msg::id_required()));
        }
        if looks_like_a_spreadsheet_number(s) {
            return Err(DomainError::new(codes::SPREADSHEET_NUMBER, msg::id_became_a_number(s)));
        }
        let len = s.chars().count();
        if len == 15 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::new(codes::OLD_FORMAT, msg::id_old_format()));
        }
        if len != 18 {
            return Err(DomainError::new(codes::LENGTH, msg::id_length(len)));
        }
        if s.contains('*') {
            // Copied from a masked export (451424**********55): the digits
            // are not there to be read.
            return Err(DomainError::new(codes::CHARSET, msg::id_masked()));
        }
        if let Some((at, bad)) =
            first_bad_char(s, |i, c| c.is_ascii_digit() || (i == 17 && c.eq_ignore_ascii_case(&'x')))
        {
            return Err(DomainError::new(codes::CHARSET, msg::id_charset(at, bad)));
        }
        let value = s.to_ascii_uppercase();
        let shown = format!("{}-{}-{}", &value[6..10], &value[10..12], &value[12..14]);
        let birth = birth_date_of(&value)
            .ok_or_else(|| DomainError::new(codes::BIRTH_DATE, msg::id_birth_not_a_date(&shown)))?;
        if birth > today {
            return Err(DomainError::new(codes::BIRTH_DATE, msg::id_birth_in_future(&shown, &today.to_string())));
        }
        if birth < earliest_birth_date() {
            return Err(DomainError::new(codes::BIRTH_DATE, msg::id_birth_too_early(&shown)));
        }
        if check_char(&value[..17]) != value[17..].chars().next() {
            return Err(DomainError::new(codes::CHECKSUM, msg::id_checksum()));
        }
        Ok(IdNumber(value))
    }

    /// A number read back from storage, which only ever holds numbers that
    /// [`IdNumber::parse`] accepted; it is trusted as it is.
    pub fn from_stored(value: String) -> IdNumber {
        IdNumber(value)
    }

    /// The full 18-character number, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in digits 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        // `parse` proved the date real, so the fallback is unreachable.
        birth_date_of(&self.0).unwrap_or_else(earliest_birth_date)
    }

    /// Sex from digit 17: odd is male, even female.
    pub fn gender(&self) -> Gender {
        let digit = self.0.as_bytes().get(16).map_or(0, |b| b.wrapping_sub(b'0'));
        if digit % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The six-digit GB/T 2260 code of the region of issue.
    ///
    /// It may be a code that has since been abolished, so it is not checked
    /// against the current region table.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// The number with all but the first 6 and last 2 characters masked.
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

/// Whether `s` is how a spreadsheet shows a long number it stored as a
/// number: `4.51424199001012E+17`, `4.51424E17`, or 18 digits ending in
/// zeros after a decimal point (`451424199001012000.0`).
fn looks_like_a_spreadsheet_number(s: &str) -> bool {
    let upper = s.to_ascii_uppercase();
    let scientific = upper.contains('E')
        && upper.split_once('E').is_some_and(|(m, e)| {
            m.chars().all(|c| c.is_ascii_digit() || c == '.')
                && e.trim_start_matches('+').chars().all(|c| c.is_ascii_digit())
                && !e.is_empty()
        });
    let decimal = upper.split_once('.').is_some_and(|(int, frac)| {
        int.len() >= 15 && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b == b'0')
    });
    scientific || decimal
}

/// Birth dates before this are taken as typing mistakes.
fn earliest_birth_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl Serialize for IdNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 6, 1).unwrap()
    }

    fn err_code(s: &str) -> &'static str {
        IdNumber::parse(s, today()).unwrap_err().code
    }

    #[test]
    fn valid_numbers_with_check_character_x_are_accepted() {
        for s in ["45142419850612104X", "44070419920315105X"] {
            let id = IdNumber::parse(s, today()).unwrap();
            assert_eq!(id.as_str(), s);
        }
    }

    #[test]
    fn valid_numbers_with_check_character_0_are_accepted() {
        for s in ["451424198506121090", "440704199203151180"] {
            assert_eq!(IdNumber::parse(s, today()).unwrap().as_str(), s);
        }
    }

    #[test]
    fn check_char_matches_the_standard_for_each_example() {
        assert_eq!(check_char("45142419850612104"), Some('X'));
        assert_eq!(check_char("44070419920315118"), Some('0'));
        assert_eq!(check_char("45142419850612103"), Some('1'));
        assert_eq!(check_char("4514241985061210"), None);
        assert_eq!(check_char("4514241985061210a"), None);
    }

    #[test]
    fn lower_case_x_and_surrounding_spaces_are_normalised() {
        let id = IdNumber::parse("  45142419850612104x\t", today()).unwrap();
        assert_eq!(id.as_str(), "45142419850612104X");
    }

    #[test]
    fn a_wrong_check_character_is_rejected_without_revealing_the_right_one() {
        // The right check character of each is X, 0, 1 and 4: no message may
        // name it, or a clerk who mistyped a middle digit fixes the last one.
        for wrong in ["451424198506121045", "451424198506121091", "451424198506121032", "440704199203151189"] {
            let err = IdNumber::parse(wrong, today()).unwrap_err();
            assert_eq!(err.code, "checksum", "{wrong}");
            for text in [&err.message.zh, &err.message.en] {
                assert!(!text.contains('\''), "{text}");
                assert!(text.contains("18"), "asks to check every character: {text}");
            }
        }
    }

    #[test]
    fn pasted_forms_of_a_number_are_the_number() {
        for typed in [
            "４５１４２４１９８５０６１２１０４Ｘ",
            "４５１４２４１９８５０６１２１０４ｘ",
            "\u{FEFF}45142419850612104X",
            "45142419850612104X\u{200B}",
            "45142419850612104X\u{2060}\u{00A0}",
            "4514241985\u{00AD}0612104X",
            "451424 19850612 104X",
            "\u{200B}451424 1985061210 4X",
            "４５１４２４　１９８５０６１２　１０４Ｘ",
        ] {
            assert_eq!(IdNumber::parse(typed, today()).unwrap().as_str(), "45142419850612104X", "{typed:?}");
        }
    }

    #[test]
    fn a_number_a_spreadsheet_rounded_is_named_as_such() {
        for shown in ["4.51424199001012E+17", "4.51424E17", "4.51424199001012e+17", "451424199001012000.0"] {
            let err = IdNumber::parse(shown, today()).unwrap_err();
            assert_eq!(err.code, "spreadsheet_number", "{shown}");
            assert!(err.message.zh.contains("文本"), "{}", err.message.zh);
        }
    }

    #[test]
    fn fifteen_digit_number_is_rejected_as_old_format() {
        let err = IdNumber::parse("451424850612104", today()).unwrap_err();
        assert_eq!(err.code, "old_format");
        assert!(err.message.en.contains("18-digit"), "{}", err.message.en);
        assert!(err.message.zh.contains("15位"), "{}", err.message.zh);
    }

    #[test]
    fn empty_wrong_length_and_non_digits_are_rejected() {
        assert_eq!(err_code("   "), "required");
        assert_eq!(err_code("4514241985061210"), "length");
        assert_eq!(err_code("4514241985061210X0"), "charset");
        assert_eq!(err_code("45142419850612104Y"), "charset");
        assert_eq!(err_code("4514241985０612104Ｙ"), "charset");
    }

    #[test]
    fn non_digit_message_names_the_position() {
        let err = IdNumber::parse("4514241985O612104X", today()).unwrap_err();
        assert!(err.message.en.contains("character 11 ('O')"), "{}", err.message.en);
        assert!(err.message.zh.contains("第11位"), "{}", err.message.zh);
    }

    #[test]
    fn impossible_birth_date_is_rejected() {
        // 1980-02-30 with a correct check character, so only the date is wrong.
        let err = IdNumber::parse("45142419800230108X", today()).unwrap_err();
        assert_eq!(err.code, "birth_date");
        assert!(err.message.zh.contains("1980-02-30"), "{}", err.message.zh);
    }

    #[test]
    fn leap_day_birth_date_is_accepted() {
        let id = IdNumber::parse("45142420000229107X", today()).unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(2000, 2, 29).unwrap());
    }

    #[test]
    fn birth_date_after_today_is_rejected() {
        assert_eq!(err_code("45142420300101105X"), "birth_date");
        // The same number is fine once that day has come.
        let later = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        assert!(IdNumber::parse("45142420300101105X", later).is_ok());
    }

    #[test]
    fn birth_date_before_1900_is_rejected_but_1900_is_not() {
        assert_eq!(err_code("45142418991231108X"), "birth_date");
        assert!(IdNumber::parse("45142419000101105X", today()).is_ok());
    }

    #[test]
    fn derived_fields_come_from_the_number() {
        let id = IdNumber::parse("451424198506121090", today()).unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1985, 6, 12).unwrap());
        assert_eq!(id.region_code(), "451424");
        assert_eq!(id.gender(), Gender::Male); // digit 17 is 9
    }

    #[test]
    fn even_seventeenth_digit_is_female_and_odd_is_male() {
        assert_eq!(IdNumber::parse("45142419850612104X", today()).unwrap().gender(), Gender::Female);
        assert_eq!(IdNumber::parse("440704199203151180", today()).unwrap().gender(), Gender::Female);
        assert_eq!(IdNumber::parse("44070419920315105X", today()).unwrap().gender(), Gender::Male);
    }

    #[test]
    fn masking_keeps_first_six_and_last_two() {
        let id = IdNumber::parse("45142419850612104X", today()).unwrap();
        assert_eq!(id.masked(), "451424**********4X");
        assert_eq!(format!("{id:?}"), "IdNumber(\"451424**********4X\")");
    }

    #[test]
    fn serialises_as_the_plain_string_and_gender_in_lower_case() {
        let id = IdNumber::parse("45142419850612104X", today()).unwrap();
        assert_eq!(crate::domain::tests::serialized(&id), "45142419850612104X");
        assert_eq!(crate::domain::tests::serialized(&Gender::Female), "female");
        assert_eq!(Gender::Male.as_str(), "male");
        assert_eq!("female".parse::<Gender>().unwrap(), Gender::Female);
        assert_eq!("男".parse::<Gender>().unwrap(), Gender::Male);
        assert_eq!("x".parse::<Gender>().unwrap_err().code, "format");
    }
}

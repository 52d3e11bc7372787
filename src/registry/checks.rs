//! The field rules of the registry's forms, for `validator`.
//!
//! Forms are `#[derive(Validate)]` structs: lengths and ranges are
//! validator's own attributes; the rules of DESIGN §3 are custom
//! validators here that call the domain parsers, so an ID number typed at
//! the desk, sent to the API, scanned at a fair or read from a workbook is
//! judged by the same code. [`field_errors`] turns validator's report into
//! the `errors` list of a problem (DESIGN §7), list members as `skills[2]`.

use std::borrow::Cow;

use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use crate::clock;
use crate::domain::{normalise, region_by_code_or_name, DomainError, IdNumber, Phone, Uscc};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::{general, Text};

/// A domain rule's failure as validator carries it: the code, the Chinese
/// message, and the English one as the `en` parameter.
pub fn from_domain(e: DomainError) -> ValidationError {
    let mut v = ValidationError::new(e.code);
    v.message = Some(Cow::Owned(e.message.zh));
    v.add_param(Cow::Borrowed("en"), &e.message.en);
    v
}

/// A failure with our own code and message.
pub fn failure(code: &'static str, text: Text) -> ValidationError {
    from_domain(DomainError::new(code, text))
}

/// The same failure blamed on member `index` of a list field.
fn at_index(mut e: ValidationError, index: usize) -> ValidationError {
    e.add_param(Cow::Borrowed("index"), &index);
    e
}

/// An 18-character resident ID number (GB 11643), judged as of today.
pub fn id_number(s: &str) -> Result<(), ValidationError> {
    IdNumber::parse(s, clock::today()).map(|_| ()).map_err(from_domain)
}

/// A person's name: not blank, at most 50 characters once normalised.
pub fn person_name(s: &str) -> Result<(), ValidationError> {
    let n = normalise::name(s);
    if n.is_empty() {
        return Err(ValidationError::new("required"));
    }
    if n.chars().count() > 50 {
        let mut e = ValidationError::new("length");
        e.add_param(Cow::Borrowed("max"), &50);
        return Err(e);
    }
    Ok(())
}

/// Free text that must not be blank.
pub fn not_blank(s: &str) -> Result<(), ValidationError> {
    if normalise::text(s).is_empty() {
        Err(ValidationError::new("required"))
    } else {
        Ok(())
    }
}

/// A mainland mobile number.
pub fn phone(s: &str) -> Result<(), ValidationError> {
    if normalise::text(s).is_empty() {
        return Ok(());
    }
    Phone::parse(s).map(|_| ()).map_err(from_domain)
}

/// An employer's contact number: a mobile number if it looks like one,
/// otherwise any landline of at most 30 characters.
pub fn contact_phone(s: &str) -> Result<(), ValidationError> {
    let digits = normalise::phone(s);
    if digits.starts_with('1') && digits.len() == 11 {
        return phone(s);
    }
    if normalise::text(s).chars().count() > 30 {
        let mut e = ValidationError::new("length");
        e.add_param(Cow::Borrowed("max"), &30);
        return Err(e);
    }
    Ok(())
}

/// A GB/T 2260 region code in the table, or a region's name as clerks
/// write it (江门市江海区, 大新县; see [`region_by_code_or_name`]).
pub fn region_code(s: &str) -> Result<(), ValidationError> {
    region_by_code_or_name(s).map(|_| ()).map_err(from_domain)
}

/// A list of region codes; the first bad one is named by its index.
pub fn region_codes(list: &[String]) -> Result<(), ValidationError> {
    for (i, s) in list.iter().enumerate() {
        region_code(s).map_err(|e| at_index(e, i))?;
    }
    Ok(())
}

/// A USCC of the right shape (a wrong check character is only a warning).
pub fn uscc(s: &str) -> Result<(), ValidationError> {
    if normalise::text(s).is_empty() {
        return Ok(());
    }
    Uscc::parse(s).map(|_| ()).map_err(from_domain)
}

/// A value of one of the closed lists of `domain::enums`.
pub fn choice<T: std::str::FromStr<Err = DomainError>>(s: &str) -> Result<(), ValidationError> {
    s.parse::<T>().map(|_| ()).map_err(from_domain)
}

/// A list of values of one closed list; the first bad one by index.
pub fn choices<T: std::str::FromStr<Err = DomainError>>(list: &[String]) -> Result<(), ValidationError> {
    for (i, s) in list.iter().enumerate() {
        choice::<T>(s).map_err(|e| at_index(e, i))?;
    }
    Ok(())
}

/// An e-mail address, by lettre's own parser (the one that will send to it).
pub fn mailbox(s: &str) -> Result<(), ValidationError> {
    s.trim().parse::<lettre::Address>().map(|_| ()).map_err(|_| failure("format", general::not_an_email(s.trim())))
}

/// A list of e-mail addresses; the first bad one by index.
pub fn mailboxes(list: &[String]) -> Result<(), ValidationError> {
    for (i, s) in list.iter().enumerate() {
        mailbox(s).map_err(|e| at_index(e, i))?;
    }
    Ok(())
}

/// A list of free texts with at least one that is not blank.
pub fn some_text(list: &[String]) -> Result<(), ValidationError> {
    if list.iter().any(|s| !normalise::text(s).is_empty()) {
        Ok(())
    } else {
        Err(ValidationError::new("required"))
    }
}

/// Days before a deadline: each 0–365; the first bad one by index.
pub fn days_before(list: &[i32]) -> Result<(), ValidationError> {
    for (i, n) in list.iter().enumerate() {
        if !(0..=365).contains(n) {
            return Err(at_index(failure("range", general::out_of_range(Some(0.0), Some(365.0))), i));
        }
    }
    Ok(())
}

/// A rule across two fields: `hi` must not be below `lo`; the failure is
/// blamed on `hi_field` (a struct-level `schema` check of validator, whose
/// failures carry the field they blame as the `field` parameter).
pub fn in_order<T: PartialOrd>(
    lo_field: &'static str,
    lo: Option<T>,
    hi_field: &'static str,
    hi: Option<T>,
    dates: bool,
) -> Result<(), ValidationError> {
    match (lo, hi) {
        (Some(lo), Some(hi)) if hi < lo => {
            let (code, text) = if dates {
                ("date_order", general::date_order(hi_field, lo_field))
            } else {
                ("range", general::below(hi_field, lo_field))
            };
            let mut e = failure(code, text);
            e.add_param(Cow::Borrowed("field"), &hi_field);
            Err(e)
        }
        _ => Ok(()),
    }
}

/// A field derived from the ID number, which a client may not send.
pub fn derived(_: &serde_json::Value) -> Result<(), ValidationError> {
    Err(ValidationError::new("derived"))
}

/// Runs validator on a form and keeps what fails, so the registry can add
/// the rules across fields and answer them all in one 422.
pub fn collect<T: validator::Validate>(form: &T) -> Errors {
    match form.validate() {
        Ok(()) => Errors::default(),
        Err(errors) => Errors(field_errors(&errors)),
    }
}

/// Runs validator on a form, as a 422 listing every failing field.
pub fn validate<T: validator::Validate>(form: &T) -> Result<(), AppError> {
    match form.validate() {
        Ok(()) => Ok(()),
        Err(errors) => Err(AppError::Validation(field_errors(&errors))),
    }
}

/// validator's report as problem+json field errors, sorted by field;
/// nested structs as `a.b`, list members as `a[i]`.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    gather("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn gather(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (name, kind) in errors.errors() {
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    // A rule across fields names the field it blames.
                    let path = match e.params.get("field").and_then(|v| v.as_str()) {
                        Some(f) if name == "__all__" => f.to_string(),
                        _ => path.clone(),
                    };
                    let field = match e.params.get("index").and_then(|v| v.as_u64()) {
                        Some(i) => format!("{path}[{i}]"),
                        None => path.clone(),
                    };
                    out.push(FieldError::new(field, e.code.to_string(), message_of(&path, e)));
                }
            }
            ValidationErrorsKind::Struct(inner) => gather(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    gather(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

/// The words for one failure: its own message when a rule gave one, else
/// the catalogue's wording of validator's built-in code.
fn message_of(field: &str, e: &ValidationError) -> Text {
    if let Some(zh) = &e.message {
        let en = e.params.get("en").and_then(|v| v.as_str()).unwrap_or(zh).to_string();
        return Text::new(zh.to_string(), en);
    }
    let num = |k: &str| e.params.get(k).and_then(|v| v.as_f64());
    match e.code.as_ref() {
        "required" => general::required(field),
        // Which bound was broken is read off the value (a rule with both
        // once said 最多 200 个字 of a password too short).
        "length" => {
            let value = e.params.get("value");
            let list = value.and_then(|v| v.as_array()).map(Vec::len);
            let chars = value.and_then(|v| v.as_str()).map(|s| s.chars().count());
            let size = list.or(chars).map(|n| n as f64);
            let below = |min: f64| size.is_none_or(|n| n < min);
            match (num("min"), num("max"), list.is_some()) {
                (Some(min), _, true) if below(min) => general::too_few(min as u64),
                (_, Some(max), true) => general::too_many(max as u64),
                (Some(min), _, false) if below(min) => general::too_short(min as u64),
                (_, Some(max), false) => general::too_long(max as u64),
                (Some(min), None, true) => general::too_few(min as u64),
                (Some(min), None, false) => general::too_short(min as u64),
                _ => general::too_long(0),
            }
        }
        "range" => general::out_of_range(num("min"), num("max")),
        "derived" => general::derived(field),
        "email" => general::not_an_email(e.params.get("value").and_then(|v| v.as_str()).unwrap_or("")),
        other => {
            Text::new(format!("“{}”不符合规则（{other}）", crate::messages::field_label(field)), other.to_string())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Sample {
        #[validate(required, custom(function = "crate::registry::checks::id_number"))]
        id_number: Option<String>,
        #[validate(custom(function = "crate::registry::checks::person_name"))]
        name: Option<String>,
        #[validate(length(max = 2), custom(function = "crate::registry::checks::region_codes"))]
        regions: Option<Vec<String>>,
        #[validate(range(min = 1, max = 10))]
        headcount: Option<i32>,
    }

    #[test]
    fn every_failure_becomes_a_field_error_with_a_stable_code_and_both_languages() {
        let s = Sample {
            id_number: Some("451424198506121045".into()),
            name: Some("农".repeat(51)),
            regions: Some(vec!["451424".into(), "999999".into()]),
            headcount: Some(0),
        };
        let errors = field_errors(&s.validate().unwrap_err());
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            [("headcount", "range"), ("id_number", "checksum"), ("name", "length"), ("regions[1]", "unknown_region")]
        );
        assert!(errors[0].message.zh.contains("1") && errors[0].message.en.contains("between 1 and 10"));
        assert!(errors[2].message.zh.contains("50"));
        assert!(errors[3].message.en.contains("999999"));
    }

    #[derive(Validate)]
    struct Bounds {
        #[validate(length(min = 10, max = 200))]
        password: Option<String>,
        #[validate(length(min = 1, max = 20))]
        recipients: Option<Vec<String>>,
    }

    #[test]
    fn a_length_rule_says_which_bound_was_broken() {
        let short = Bounds { password: Some("abc".into()), recipients: Some(vec![]) };
        let errors = field_errors(&short.validate().unwrap_err());
        let said: Vec<&str> = errors.iter().map(|e| e.message.zh.as_str()).collect();
        assert_eq!(said, ["至少 10 个字", "至少 1 项"]);
        let long = Bounds { password: Some("密".repeat(201)), recipients: Some(vec!["a".into(); 21]) };
        let errors = field_errors(&long.validate().unwrap_err());
        let said: Vec<&str> = errors.iter().map(|e| e.message.zh.as_str()).collect();
        assert_eq!(said, ["最多 200 个字", "最多 20 项"]);
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let s = Sample { id_number: None, name: None, regions: None, headcount: None };
        let errors = field_errors(&s.validate().unwrap_err());
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].field.as_str(), errors[0].code.as_str()), ("id_number", "required"));
        assert!(errors[0].message.zh.contains("身份证号"));
    }

    #[test]
    fn names_are_judged_as_normalised() {
        assert!(person_name("  \u{200B} ").is_err());
        assert!(person_name(&format!("{}\u{200B}", "农".repeat(50))).is_ok());
    }
}

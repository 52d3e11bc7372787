//! Regions written as names, the way rosters write them: 广东省江门市江海区,
//! 江门市江海区, 江海区, 江门市, or the code itself (DESIGN §8).
//!
//! A name is matched against every region's full name (province, prefecture
//! and county run together): an exact full name wins; otherwise the regions
//! whose full name ends with what was written. One match is the answer;
//! several are refused naming them (`ambiguous_region`: 城关区 exists in
//! many provinces), none is `unknown_region`. Names are compared after
//! NFKC and with white space removed.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::region::{all_regions, RegionCode};
use super::{codes, normalise, DomainError};
use crate::messages::identity as msg;

/// Every current region's full name, and the codes that carry it.
static FULL_NAMES: LazyLock<Vec<(String, &'static str)>> = LazyLock::new(|| {
    all_regions()
        .iter()
        .filter_map(|(code, _)| RegionCode::parse(code).ok().map(|r| (r.names().full_name(), *code)))
        .collect()
});

/// Full name → code, for the exact case.
static BY_FULL_NAME: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| FULL_NAMES.iter().map(|(name, code)| (name.as_str(), *code)).collect());

/// Reads a region written as a code (six digits, current or historical, as
/// [`RegionCode::parse`]) or as a name; see the module documentation.
pub fn region_by_code_or_name(written: &str) -> Result<RegionCode, DomainError> {
    let compact: String = normalise::code(written).split_whitespace().collect();
    if compact.is_empty() || compact.bytes().all(|b| b.is_ascii_digit()) {
        return RegionCode::parse(&compact);
    }
    if let Some(code) = BY_FULL_NAME.get(compact.as_str()) {
        return RegionCode::parse(code);
    }
    let matches: Vec<&(String, &'static str)> =
        FULL_NAMES.iter().filter(|(full, _)| full.ends_with(compact.as_str())).collect();
    if matches.is_empty() {
        if let Some(found) = county_within(&compact) {
            return found;
        }
    }
    match matches.as_slice() {
        [] => Err(DomainError::new(codes::UNKNOWN_REGION, msg::region_name_unknown(written.trim()))),
        [(_, code)] => RegionCode::parse(code),
        many => {
            let named: Vec<String> = many.iter().take(8).map(|(full, code)| format!("{full}（{code}）")).collect();
            Err(DomainError::new(codes::AMBIGUOUS_REGION, msg::region_name_ambiguous(written.trim(), &named)))
        }
    }
}

/// A county named inside what was written, as rosters write a place with
/// more or less around it: 广西大新县下雷镇三湖村 (its township and village
/// after it), 广东江门江海区 (省 and 市 left out). The county's own name
/// (大新县, 江海区) must appear whole; a name inside a longer one found too
/// (新县 in 大新县) gives way to it; several counties of one name are told
/// apart by the province written before it, else refused as ambiguous.
/// `None` when no county's name appears.
fn county_within(compact: &str) -> Option<Result<RegionCode, DomainError>> {
    let found: Vec<&(String, &'static str)> = FULL_NAMES
        .iter()
        .filter(|(_, code)| !code.ends_with("00"))
        .filter(|(_, code)| {
            super::region::region_name(code).is_some_and(|n| n.chars().count() >= 2 && compact.contains(n))
        })
        .collect();
    let name = |code: &str| super::region::region_name(code).unwrap_or_default();
    let longest: Vec<&(String, &'static str)> = found
        .iter()
        .copied()
        .filter(|(_, c)| !found.iter().any(|(_, o)| name(o) != name(c) && name(o).contains(name(c))))
        .collect();
    let in_province: Vec<&(String, &'static str)> = longest
        .iter()
        .copied()
        .filter(|(full, _)| compact.contains(full.chars().take(2).collect::<String>().as_str()))
        .collect();
    let chosen = if longest.len() > 1 && !in_province.is_empty() { in_province } else { longest };
    match chosen.as_slice() {
        [] => None,
        [(_, code)] => Some(RegionCode::parse(code)),
        many => {
            let named: Vec<String> = many.iter().take(8).map(|(full, code)| format!("{full}（{code}）")).collect();
            Some(Err(DomainError::new(codes::AMBIGUOUS_REGION, msg::region_name_ambiguous(compact, &named))))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> String {
        region_by_code_or_name(s).map(|r| r.as_str().to_string()).unwrap_or_else(|e| e.code.to_string())
    }

    #[test]
    fn names_in_every_length_offices_write_resolve() {
        assert_eq!(code("广东省江门市江海区"), "440704");
        assert_eq!(code("江门市江海区"), "440704");
        assert_eq!(code("江海区"), "440704");
        assert_eq!(code("江门市"), "440700");
        assert_eq!(code("广西壮族自治区崇左市大新县"), "451424");
        assert_eq!(code("大新县"), "451424");
        assert_eq!(code(" 台山市 "), "440781");
        assert_eq!(code("广东省"), "440000");
    }

    #[test]
    fn codes_still_work_and_old_codes_count_as_their_successor() {
        assert_eq!(code("440704"), "440704");
        assert_eq!(code("４４０７０４"), "440704");
        assert_eq!(code("452130"), "451424");
    }

    #[test]
    fn a_name_many_places_share_is_refused_naming_them() {
        let err = region_by_code_or_name("城关区").unwrap_err();
        assert_eq!(err.code, codes::AMBIGUOUS_REGION);
        assert!(err.message.zh.contains("城关区"), "{}", err.message.zh);
        assert_eq!(code("不存在县"), codes::UNKNOWN_REGION);
        // As rosters write a place: a township and village after the
        // county, 省 and 市 left out; a county inside a longer one's name.
        assert_eq!(code("广西大新县下雷镇三湖村"), "451424");
        assert_eq!(code("大新县硕龙镇"), "451424");
        assert_eq!(code("广东江门江海区"), "440704");
        assert_eq!(code("河南新县某乡"), "411523");
    }
}

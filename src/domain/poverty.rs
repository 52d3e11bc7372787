//! A person's poverty status and education level.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{codes, DomainError};

/// Poverty status of a person (DESIGN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyStatus {
    /// 建档立卡贫困户, registered and not yet lifted out of poverty.
    RegisteredPoor,
    /// 已脱贫户: lifted out, but still on the 建档立卡 register.
    Lifted,
    /// 边缘易致贫户: at risk, monitored.
    Monitored,
    /// Not poor.
    None,
    /// Registered on the spot (e.g. at a fair) until a clerk confirms.
    Unverified,
}

impl PovertyStatus {
    /// Every status, in the order forms list them.
    pub const ALL: [PovertyStatus; 5] = [
        PovertyStatus::RegisteredPoor,
        PovertyStatus::Lifted,
        PovertyStatus::Monitored,
        PovertyStatus::None,
        PovertyStatus::Unverified,
    ];

    /// The statuses ledgers count unless configured otherwise.
    pub const COUNTED_BY_DEFAULT: [PovertyStatus; 2] = [PovertyStatus::RegisteredPoor, PovertyStatus::Lifted];

    /// The JSON / database spelling, e.g. `registered_poor`.
    pub fn as_str(self) -> &'static str {
        match self {
            PovertyStatus::RegisteredPoor => "registered_poor",
            PovertyStatus::Lifted => "lifted",
            PovertyStatus::Monitored => "monitored",
            PovertyStatus::None => "none",
            PovertyStatus::Unverified => "unverified",
        }
    }

    /// The label used on ledgers (贫困户属性).
    pub fn label_zh(self) -> &'static str {
        match self {
            PovertyStatus::RegisteredPoor => "建档立卡贫困户",
            PovertyStatus::Lifted => "已脱贫户",
            PovertyStatus::Monitored => "边缘易致贫户",
            PovertyStatus::None => "非贫困户",
            PovertyStatus::Unverified => "待核实",
        }
    }
}

impl FromStr for PovertyStatus {
    type Err = DomainError;

    /// Accepts the snake_case spelling or the Chinese label, since imported
    /// spreadsheets carry the labels.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        PovertyStatus::ALL.into_iter().find(|v| v.as_str() == s || v.label_zh() == s).ok_or_else(|| {
            DomainError::new(
                codes::FORMAT,
                format!(
                    "poverty status must be one of registered_poor, lifted, monitored, \
                         none, unverified (or 建档立卡贫困户, 已脱贫户, 边缘易致贫户, 非贫困户, \
                         待核实); got '{s}'"
                ),
            )
        })
    }
}

/// Highest education completed, ordered from least to most.
///
/// `Vocational` (secondary vocational school) ranks just above `SeniorHigh`,
/// so a posting asking for senior high school accepts vocational graduates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    /// Never went to school.
    None,
    /// Primary school.
    Primary,
    /// Junior high school.
    JuniorHigh,
    /// Senior high school.
    SeniorHigh,
    /// Secondary vocational school (中专, 技校, 职高).
    Vocational,
    /// Junior college (大专).
    College,
    /// Bachelor's degree or higher.
    BachelorPlus,
}

impl Education {
    /// Every level, from least to most.
    pub const ALL: [Education; 7] = [
        Education::None,
        Education::Primary,
        Education::JuniorHigh,
        Education::SeniorHigh,
        Education::Vocational,
        Education::College,
        Education::BachelorPlus,
    ];

    /// The JSON / database spelling, e.g. `junior_high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Education::None => "none",
            Education::Primary => "primary",
            Education::JuniorHigh => "junior_high",
            Education::SeniorHigh => "senior_high",
            Education::Vocational => "vocational",
            Education::College => "college",
            Education::BachelorPlus => "bachelor_plus",
        }
    }

    /// The label used on forms (文化程度).
    pub fn label_zh(self) -> &'static str {
        match self {
            Education::None => "未上过学",
            Education::Primary => "小学",
            Education::JuniorHigh => "初中",
            Education::SeniorHigh => "高中",
            Education::Vocational => "中专/技校/职高",
            Education::College => "大专",
            Education::BachelorPlus => "本科及以上",
        }
    }
}

impl FromStr for Education {
    type Err = DomainError;

    /// Accepts the snake_case spelling or the Chinese label.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Education::ALL.into_iter().find(|v| v.as_str() == s || v.label_zh() == s).ok_or_else(|| {
            DomainError::new(
                codes::FORMAT,
                format!(
                    "education must be one of none, primary, junior_high, senior_high, \
                         vocational, college, bachelor_plus; got '{s}'"
                ),
            )
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::tests::serialized;

    #[test]
    fn poverty_status_round_trips_through_its_spelling_and_label() {
        for status in PovertyStatus::ALL {
            assert_eq!(serialized(&status), status.as_str());
            assert_eq!(status.as_str().parse::<PovertyStatus>().unwrap(), status);
            assert_eq!(status.label_zh().parse::<PovertyStatus>().unwrap(), status);
        }
        assert_eq!(PovertyStatus::RegisteredPoor.as_str(), "registered_poor");
        assert_eq!(PovertyStatus::Lifted.label_zh(), "已脱贫户");
        assert_eq!(PovertyStatus::Unverified.label_zh(), "待核实");
    }

    #[test]
    fn unknown_poverty_status_is_a_format_error() {
        let err = "poor".parse::<PovertyStatus>().unwrap_err();
        assert_eq!(err.code, "format");
        assert!(err.message.contains("'poor'"));
    }

    #[test]
    fn education_round_trips_and_is_ordered_by_level() {
        for level in Education::ALL {
            assert_eq!(serialized(&level), level.as_str());
            assert_eq!(level.as_str().parse::<Education>().unwrap(), level);
            assert_eq!(level.label_zh().parse::<Education>().unwrap(), level);
        }
        assert!(Education::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(Education::Vocational >= Education::SeniorHigh);
        assert!(Education::JuniorHigh < Education::SeniorHigh);
        assert_eq!(Education::BachelorPlus.as_str(), "bachelor_plus");
        assert_eq!("phd".parse::<Education>().unwrap_err().code, "format");
    }
}

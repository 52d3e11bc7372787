//! The one clock: what day it is for labour-bridge.
//!
//! Ages, "taking applications today", default as-of dates and reminders all
//! ask [`today`]. It is the date in China (UTC+8, where the bureaus work:
//! at 01:00 on 16 November in Daxin it is still the 15th in UTC), unless the
//! `today` setting (`LB_TODAY=YYYY-MM-DD`) fixes it — for demonstrations, and
//! for tests that need a given day. It is set once, at start-up.

use std::sync::OnceLock;

use chrono::{FixedOffset, NaiveDate, Utc};

static FIXED: OnceLock<NaiveDate> = OnceLock::new();

/// Fixes the day for the rest of the process; a second call is ignored
/// (the first setting wins, as one process serves one configuration).
pub fn fix_today(day: NaiveDate) {
    let _ = FIXED.set(day);
}

/// Today, in China, or the fixed day.
pub fn today() -> NaiveDate {
    FIXED.get().copied().unwrap_or_else(china_today)
}

/// The date in China now (UTC+8, no daylight saving).
pub fn china_today() -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(china) => Utc::now().with_timezone(&china).date_naive(),
        None => Utc::now().date_naive(),
    }
}

/// A stored UTC time as the bureaus read it: China time (UTC+8), to the
/// minute, e.g. `2019-11-25 09:30`.
pub fn china_time(utc: chrono::NaiveDateTime) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(china) => utc.and_utc().with_timezone(&china).format("%Y-%m-%d %H:%M").to_string(),
        None => utc.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn a_late_evening_in_utc_is_the_next_morning_in_china() {
        let utc = chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap().and_hms_opt(17, 30, 0).unwrap();
        assert_eq!(super::china_time(utc), "2019-11-16 01:30");
    }
}

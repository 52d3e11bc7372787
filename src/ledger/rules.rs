//! The ledger rules of DESIGN §5, as pure functions: rows in, ledger out.
//! The database layer fetches; these decide. Nothing here does I/O.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::EastProvinces;

/// The configurable parts of the rules.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rules {
    /// Poverty statuses that count (default `registered_poor`, `lifted`).
    pub counted_statuses: Vec<String>,
    /// Provinces that are "the east" (default the ten of DESIGN §3).
    pub east_provinces: EastProvinces,
    /// Months an east spell must have lasted to be "stable" (default 3).
    pub stable_months: u32,
    /// Longest gap between two placements of one spell, in days (default 31).
    pub max_gap_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            counted_statuses: vec!["registered_poor".into(), "lifted".into()],
            east_provinces: EastProvinces::default(),
            stable_months: 3,
            max_gap_days: 31,
        }
    }
}

impl Rules {
    /// Whether a poverty status is counted.
    pub fn counts(&self, status: &str) -> bool {
        self.counted_statuses.iter().any(|s| s == status)
    }

    /// Whether a work or school place is in the east.
    pub fn is_east(&self, region_code: &str) -> bool {
        self.east_provinces.is_east(region_code)
    }
}

/// A person as the rules need them.
#[derive(Debug, Clone)]
pub struct Person {
    /// `labourers.id`.
    pub id: i64,
    /// Poverty status.
    pub poverty_status: String,
}

/// A placement as the rules need it.
#[derive(Debug, Clone)]
pub struct Job {
    /// `placements.id`.
    pub id: i64,
    /// Whose.
    pub labourer_id: i64,
    /// Where the work is.
    pub region_code: String,
    /// First day.
    pub started_on: NaiveDate,
    /// Last day; `None` while ongoing.
    pub ended_on: Option<NaiveDate>,
}

impl Job {
    /// `started_on ≤ d` and not ended before `d`.
    pub fn ongoing_at(&self, d: NaiveDate) -> bool {
        self.started_on <= d && self.ended_on.is_none_or(|e| e >= d)
    }
}

/// A vocational enrolment as the rules need it.
#[derive(Debug, Clone)]
pub struct Study {
    /// `vocational_enrolments.id`.
    pub id: i64,
    /// Whose.
    pub labourer_id: i64,
    /// Where the school is.
    pub school_region_code: String,
    /// Enrolled on.
    pub enrolled_on: NaiveDate,
    /// Graduated on.
    pub graduated_on: Option<NaiveDate>,
    /// Left on.
    pub left_on: Option<NaiveDate>,
}

/// The first day of year `y`.
pub fn year_start(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of year `y`.
pub fn year_end(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The default as-of date: the earlier of today and the year's last day.
pub fn default_as_of(year: i32, today: NaiveDate) -> NaiveDate {
    today.min(year_end(year))
}

/// `n` calendar months from `start`, as the Civil Code counts a period
/// (民法典 arts. 201–202; DESIGN §5): the corresponding day `n` months on,
/// or the last day of that month where the day does not exist
/// (2019-08-30 + 3 = 2019-11-30; 2019-08-31 + 3 = 2019-11-30;
/// 2018-11-30 + 3 = 2019-02-28). `None` past the calendar's end.
pub fn months_after(start: NaiveDate, n: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(n))
}

/// Whether something that began on `start` has lasted `n` calendar months
/// by `as_of` (counted forward from the start, [`months_after`]).
pub fn has_lasted(start: NaiveDate, n: u32, as_of: NaiveDate) -> bool {
    months_after(start, n).is_some_and(|end| end <= as_of)
}

fn counted_ids(people: &[Person], rules: &Rules) -> HashSet<i64> {
    people.iter().filter(|p| rules.counts(&p.poverty_status)).map(|p| p.id).collect()
}

/// Groups items by person, keeping each person's items in input order.
fn by_person<T>(items: &[T], person: impl Fn(&T) -> i64) -> BTreeMap<i64, Vec<&T>> {
    let mut map: BTreeMap<i64, Vec<&T>> = BTreeMap::new();
    for item in items {
        map.entry(person(item)).or_default().push(item);
    }
    map
}

/// One person on a placement ledger: the placement the row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementEntry {
    /// The person.
    pub labourer_id: i64,
    /// The placement the row shows.
    pub placement_id: i64,
    /// For `stable-east`: the first day of the east spell.
    pub spell_started_on: Option<NaiveDate>,
}

/// 新增转移到东部地区就业: counted people with an east placement starting in
/// [Y-01-01, D] and no east placement ongoing at (Y−1)-12-31; the row shows
/// the earliest such placement.
pub fn new_transfers_east(
    people: &[Person],
    jobs: &[Job],
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
) -> Vec<PlacementEntry> {
    let counted = counted_ids(people, rules);
    let new_year_eve = year_end(year - 1);
    let from = year_start(year);
    let mut out = Vec::new();
    for (person, jobs) in by_person(jobs, |j| j.labourer_id) {
        if !counted.contains(&person) {
            continue;
        }
        let east: Vec<&&Job> = jobs.iter().filter(|j| rules.is_east(&j.region_code)).collect();
        if east.iter().any(|j| j.ongoing_at(new_year_eve)) {
            continue;
        }
        let first =
            east.iter().filter(|j| j.started_on >= from && j.started_on <= as_of).min_by_key(|j| (j.started_on, j.id));
        if let Some(j) = first {
            out.push(PlacementEntry { labourer_id: person, placement_id: j.id, spell_started_on: None });
        }
    }
    out
}

/// 已在东部省份稳定就业: counted people with an east placement ongoing at D
/// whose east spell, begun on S, has lasted `stable_months` calendar months
/// by D (S + `stable_months` months ≤ D, [`has_lasted`]). A spell
/// chains east placements each starting at most `max_gap_days` after the
/// spell so far ended. The row shows the current placement and the spell start.
pub fn stable_east(people: &[Person], jobs: &[Job], as_of: NaiveDate, rules: &Rules) -> Vec<PlacementEntry> {
    let counted = counted_ids(people, rules);
    let mut out = Vec::new();
    for (person, jobs) in by_person(jobs, |j| j.labourer_id) {
        if !counted.contains(&person) {
            continue;
        }
        let mut east: Vec<&Job> =
            jobs.into_iter().filter(|j| rules.is_east(&j.region_code) && j.started_on <= as_of).collect();
        east.sort_by_key(|j| (j.started_on, j.id));
        // Walk the spells in order; `None` as an end means "still going".
        let mut spell_start: Option<NaiveDate> = None;
        let mut spell_end: Option<Option<NaiveDate>> = None;
        let mut current: Option<(&Job, NaiveDate)> = None;
        for j in east {
            let continues = match spell_end {
                None => false,
                Some(None) => true,
                Some(Some(end)) => (j.started_on - end).num_days() <= rules.max_gap_days,
            };
            if !continues {
                spell_start = Some(j.started_on);
                spell_end = Some(j.ended_on);
            } else {
                spell_end = Some(match (spell_end.flatten(), j.ended_on) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                });
            }
            if j.ongoing_at(as_of) {
                // The latest-starting ongoing placement is the one shown.
                current = spell_start.map(|s| (j, s));
            }
        }
        if let Some((j, start)) = current {
            if has_lasted(start, rules.stable_months, as_of) {
                out.push(PlacementEntry { labourer_id: person, placement_id: j.id, spell_started_on: Some(start) });
            }
        }
    }
    out
}

/// One person on a school ledger: the enrolment the row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyEntry {
    /// The person.
    pub labourer_id: i64,
    /// The vocational enrolment the row shows.
    pub study_id: i64,
    /// For `graduates-employed`: whether they are employed.
    pub employed: Option<bool>,
    /// For `graduates-employed`: the placement that makes them employed.
    pub placement_id: Option<i64>,
}

/// 到东部就读职业学校: counted people with an enrolment at an eastern school,
/// enrolled on or before D, not graduated or left before Y-01-01; the row
/// shows the earliest such enrolment.
pub fn vocational_students_east(
    people: &[Person],
    studies: &[Study],
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
) -> Vec<StudyEntry> {
    let counted = counted_ids(people, rules);
    let from = year_start(year);
    let mut out = Vec::new();
    for (person, studies) in by_person(studies, |s| s.labourer_id) {
        if !counted.contains(&person) {
            continue;
        }
        let first = studies
            .iter()
            .filter(|s| rules.is_east(&s.school_region_code) && s.enrolled_on <= as_of)
            .filter(|s| s.graduated_on.is_none_or(|g| g >= from) && s.left_on.is_none_or(|l| l >= from))
            .min_by_key(|s| (s.enrolled_on, s.id));
        if let Some(s) = first {
            out.push(StudyEntry { labourer_id: person, study_id: s.id, employed: None, placement_id: None });
        }
    }
    out
}

/// 毕业贫困学生就业: every counted person who graduated in [Y-01-01, D] is a
/// row (their earliest such graduation); employed when a placement started on
/// or before D and had not ended before graduation.
pub fn graduates_employed(
    people: &[Person],
    studies: &[Study],
    jobs: &[Job],
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
) -> Vec<StudyEntry> {
    let counted = counted_ids(people, rules);
    let from = year_start(year);
    let jobs = by_person(jobs, |j| j.labourer_id);
    let mut out = Vec::new();
    for (person, studies) in by_person(studies, |s| s.labourer_id) {
        if !counted.contains(&person) {
            continue;
        }
        let graduation = studies
            .iter()
            .filter_map(|s| s.graduated_on.filter(|g| *g >= from && *g <= as_of).map(|g| (g, s.id)))
            .min();
        let Some((graduated_on, study_id)) = graduation else { continue };
        let job = jobs.get(&person).and_then(|js| {
            js.iter()
                .filter(|j| j.started_on <= as_of && j.ended_on.is_none_or(|e| e >= graduated_on))
                .min_by_key(|j| (j.started_on, j.id))
        });
        out.push(StudyEntry {
            labourer_id: person,
            study_id,
            employed: Some(job.is_some()),
            placement_id: job.map(|j| j.id),
        });
    }
    out
}

/// The year of a date (used when checking `as_of` against `year`).
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

mod programmes;
pub use programmes::*;

#[cfg(test)]
mod tests;

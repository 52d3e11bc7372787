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

/// What the database knows of one fair, for the fairs ledger.
#[derive(Debug, Clone)]
pub struct FairFacts {
    /// `job_fairs.id`.
    pub id: i64,
    /// Held on.
    pub held_on: NaiveDate,
    /// Participating employers.
    pub employers: i64,
    /// Postings brought.
    pub postings: i64,
    /// Positions offered (their headcount).
    pub positions: i64,
    /// Checked-in people.
    pub attendees: Vec<Person>,
    /// Intentions recorded.
    pub intentions: i64,
    /// Intentions that ended in a hire.
    pub hires: i64,
}

/// One row of the fairs ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairEntry {
    /// The fair.
    pub id: i64,
    /// Participating employers.
    pub employers: i64,
    /// Postings brought.
    pub postings: i64,
    /// Positions offered.
    pub positions: i64,
    /// Attendees.
    pub attendees: i64,
    /// Attendees who are counted.
    pub counted_attendees: i64,
    /// Intentions.
    pub intentions: i64,
    /// Hires.
    pub hires: i64,
}

/// 招聘会台账: one row per fair held in [Y-01-01, D], in date order.
pub fn job_fairs(fairs: &[FairFacts], year: i32, as_of: NaiveDate, rules: &Rules) -> Vec<FairEntry> {
    let from = year_start(year);
    let mut held: Vec<&FairFacts> = fairs.iter().filter(|f| f.held_on >= from && f.held_on <= as_of).collect();
    held.sort_by_key(|f| (f.held_on, f.id));
    held.into_iter()
        .map(|f| FairEntry {
            id: f.id,
            employers: f.employers,
            postings: f.postings,
            positions: f.positions,
            attendees: f.attendees.len() as i64,
            counted_attendees: f.attendees.iter().filter(|p| rules.counts(&p.poverty_status)).count() as i64,
            intentions: f.intentions,
            hires: f.hires,
        })
        .collect()
}

/// One trainee in a session, for the trainings ledger.
#[derive(Debug, Clone)]
pub struct Trainee {
    /// The person.
    pub person: Person,
    /// enrolled, completed or dropped.
    pub status: String,
    /// When completed.
    pub completed_on: Option<NaiveDate>,
    /// Holds a certificate from this enrolment.
    pub certified: bool,
    /// First days of the person's placements.
    pub placement_starts: Vec<NaiveDate>,
}

/// What the database knows of one session.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    /// `training_sessions.id`.
    pub id: i64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Its trainees.
    pub trainees: Vec<Trainee>,
}

/// One row of the trainings ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEntry {
    /// The session.
    pub id: i64,
    /// Enrolments (drop-outs included).
    pub enrolled: i64,
    /// Enrolled people who are counted.
    pub counted_enrolled: i64,
    /// Completed.
    pub completed: i64,
    /// Certified.
    pub certified: i64,
    /// Completed and in a placement that started after completion, by D.
    pub employed: i64,
}

/// 职业技能培训台账: one row per session starting in [Y-01-01, D].
pub fn trainings(sessions: &[SessionFacts], year: i32, as_of: NaiveDate, rules: &Rules) -> Vec<SessionEntry> {
    let from = year_start(year);
    let mut run: Vec<&SessionFacts> = sessions.iter().filter(|s| s.starts_on >= from && s.starts_on <= as_of).collect();
    run.sort_by_key(|s| (s.starts_on, s.id));
    run.into_iter()
        .map(|s| {
            let completed: Vec<&Trainee> = s
                .trainees
                .iter()
                .filter(|t| t.status == "completed" && t.completed_on.is_some_and(|c| c <= as_of))
                .collect();
            SessionEntry {
                id: s.id,
                enrolled: s.trainees.len() as i64,
                counted_enrolled: s.trainees.iter().filter(|t| rules.counts(&t.person.poverty_status)).count() as i64,
                completed: completed.len() as i64,
                certified: completed.iter().filter(|t| t.certified).count() as i64,
                employed: completed
                    .iter()
                    .filter(|t| {
                        let done = t.completed_on.unwrap_or(NaiveDate::MAX);
                        t.placement_starts.iter().any(|d| *d >= done && *d <= as_of)
                    })
                    .count() as i64,
            }
        })
        .collect()
}

/// One row of the summary: a target and how far it is met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetEntry {
    /// The metric.
    pub metric: String,
    /// The target.
    pub target: i64,
    /// The actual value by D.
    pub actual: i64,
    /// `actual ≥ target`.
    pub met: bool,
}

/// 目标完成情况: one row per target, its actual taken from `actual_of`.
pub fn summary(targets: &[(String, i64)], actual_of: impl Fn(&str) -> i64) -> Vec<TargetEntry> {
    targets
        .iter()
        .map(|(metric, target)| {
            let actual = actual_of(metric);
            TargetEntry { metric: metric.clone(), target: *target, actual, met: actual >= *target }
        })
        .collect()
}

/// The year of a date (used when checking `as_of` against `year`).
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn poor(id: i64) -> Person {
        Person { id, poverty_status: "registered_poor".into() }
    }
    fn with(id: i64, status: &str) -> Person {
        Person { id, poverty_status: status.into() }
    }
    fn job(id: i64, who: i64, region: &str, from: &str, to: Option<&str>) -> Job {
        Job { id, labourer_id: who, region_code: region.into(), started_on: d(from), ended_on: to.map(d) }
    }
    fn ids(e: &[PlacementEntry]) -> Vec<(i64, i64)> {
        e.iter().map(|e| (e.labourer_id, e.placement_id)).collect()
    }
    const JIANGHAI: &str = "440704";
    const DAXIN: &str = "451424";

    #[test]
    fn a_placement_starting_on_the_years_first_or_last_day_is_new() {
        let r = Rules::default();
        let jobs = [job(1, 1, JIANGHAI, "2019-01-01", None), job(2, 2, JIANGHAI, "2019-12-31", None)];
        let got = new_transfers_east(&[poor(1), poor(2)], &jobs, 2019, d("2019-12-31"), &r);
        assert_eq!(ids(&got), [(1, 1), (2, 2)]);
        // …but not if as_of is the day before.
        let got = new_transfers_east(&[poor(1), poor(2)], &jobs, 2019, d("2019-12-30"), &r);
        assert_eq!(ids(&got), [(1, 1)]);
        // A start on the previous New Year's Eve is not in the year.
        let eve = [job(3, 3, JIANGHAI, "2018-12-31", Some("2018-12-31"))];
        assert!(new_transfers_east(&[poor(3)], &eve, 2019, d("2019-12-31"), &r).is_empty());
    }

    #[test]
    fn a_placement_ongoing_across_new_year_is_not_new() {
        let r = Rules::default();
        // Ongoing on 2018-12-31, another east job in 2019: not new.
        let jobs = [job(1, 1, JIANGHAI, "2018-06-01", Some("2019-02-28")), job(2, 1, JIANGHAI, "2019-03-10", None)];
        assert!(new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r).is_empty());
        // Ended on 2018-12-30: the 2019 job is new.
        let jobs = [job(1, 1, JIANGHAI, "2018-06-01", Some("2018-12-30")), job(2, 1, JIANGHAI, "2019-03-10", None)];
        assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 2)]);
        // A west job across New Year does not matter.
        let jobs = [job(1, 1, DAXIN, "2018-06-01", None), job(2, 1, JIANGHAI, "2019-03-10", None)];
        assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 2)]);
    }

    #[test]
    fn a_person_with_two_qualifying_placements_appears_once_with_the_earliest() {
        let r = Rules::default();
        let jobs = [
            job(7, 1, JIANGHAI, "2019-07-01", None),
            job(5, 1, "320500", "2019-02-01", Some("2019-06-30")),
            job(9, 1, DAXIN, "2019-01-10", Some("2019-01-31")),
        ];
        assert_eq!(ids(&new_transfers_east(&[poor(1)], &jobs, 2019, d("2019-11-15"), &r)), [(1, 5)]);
    }

    #[test]
    fn monitored_and_unverified_people_are_not_counted_and_lifted_ones_are() {
        let r = Rules::default();
        let people = [with(1, "monitored"), with(2, "unverified"), with(3, "lifted"), with(4, "none"), poor(5)];
        let jobs: Vec<Job> = (1..=5).map(|i| job(i, i, JIANGHAI, "2019-04-01", None)).collect();
        let got = new_transfers_east(&people, &jobs, 2019, d("2019-11-15"), &r);
        assert_eq!(ids(&got), [(3, 3), (5, 5)]);
        let got = stable_east(&people, &jobs, d("2019-11-15"), &r);
        assert_eq!(got.iter().map(|e| e.labourer_id).collect::<Vec<_>>(), [3, 5]);
        // The counted set is configurable.
        let wide = Rules { counted_statuses: vec!["monitored".into()], ..Rules::default() };
        assert_eq!(ids(&new_transfers_east(&people, &jobs, 2019, d("2019-11-15"), &wide)), [(1, 1)]);
    }

    #[test]
    fn months_are_counted_forward_as_the_civil_code_counts_a_period() {
        assert_eq!(months_after(d("2019-08-30"), 3), Some(d("2019-11-30")));
        assert_eq!(months_after(d("2019-08-31"), 3), Some(d("2019-11-30")), "no 31 November: its last day");
        assert_eq!(months_after(d("2018-11-30"), 3), Some(d("2019-02-28")));
        assert_eq!(months_after(d("2019-11-30"), 3), Some(d("2020-02-29")), "a leap year's last day");
        assert_eq!(months_after(d("2019-01-31"), 1), Some(d("2019-02-28")));
        assert!(has_lasted(d("2019-08-31"), 3, d("2019-11-30")));
        assert!(!has_lasted(d("2019-09-01"), 3, d("2019-11-30")));
        assert!(has_lasted(d("2018-11-30"), 3, d("2019-02-28")));
        assert!(!has_lasted(d("2018-12-01"), 3, d("2019-02-28")));
    }

    #[test]
    fn a_spell_counts_once_it_has_lasted_stable_months_even_at_month_ends() {
        let r = Rules::default();
        // The plan's own deadline: begun on 30 or 31 August, three months by 30 November.
        let aug30 = [job(1, 1, JIANGHAI, "2019-08-30", None)];
        let aug31 = [job(2, 2, JIANGHAI, "2019-08-31", None)];
        let sep1 = [job(3, 3, JIANGHAI, "2019-09-01", None)];
        assert_eq!(stable_east(&[poor(1)], &aug30, d("2019-11-30"), &r).len(), 1);
        assert_eq!(stable_east(&[poor(2)], &aug31, d("2019-11-30"), &r).len(), 1);
        assert!(stable_east(&[poor(3)], &sep1, d("2019-11-30"), &r).is_empty());
        // Begun on 30 November, three months by 28 February, not a day earlier.
        let nov30 = [job(4, 4, JIANGHAI, "2018-11-30", None)];
        assert_eq!(stable_east(&[poor(4)], &nov30, d("2019-02-28"), &r).len(), 1);
        assert!(stable_east(&[poor(4)], &nov30, d("2019-02-27"), &r).is_empty());
        // End of May back to February: begun 2019-02-28, three months by 31 May.
        let feb28 = [job(5, 5, JIANGHAI, "2019-02-28", None)];
        let mar1 = [job(6, 6, JIANGHAI, "2019-03-01", None)];
        assert_eq!(stable_east(&[poor(5)], &feb28, d("2019-05-31"), &r).len(), 1);
        assert!(stable_east(&[poor(6)], &mar1, d("2019-05-31"), &r).is_empty());
    }

    #[test]
    fn a_31_day_gap_keeps_the_spell_and_a_32_day_gap_breaks_it() {
        let r = Rules::default();
        // First job ends 2019-05-31; the next starts 31 days later (2019-07-01).
        let kept = [job(1, 1, JIANGHAI, "2019-03-01", Some("2019-05-31")), job(2, 1, "330100", "2019-07-01", None)];
        let got = stable_east(&[poor(1)], &kept, d("2019-11-30"), &r);
        assert_eq!(got, [PlacementEntry { labourer_id: 1, placement_id: 2, spell_started_on: Some(d("2019-03-01")) }]);
        // 32 days later (2019-07-02): a new spell, which is too young on 2019-09-30.
        let broken = [job(1, 1, JIANGHAI, "2019-03-01", Some("2019-05-31")), job(2, 1, "330100", "2019-07-02", None)];
        assert!(stable_east(&[poor(1)], &broken, d("2019-09-30"), &r).is_empty());
        let got = stable_east(&[poor(1)], &broken, d("2019-11-30"), &r);
        assert_eq!(got[0].spell_started_on, Some(d("2019-07-02")), "the spell restarts after the gap");
        // A west job in between does not bridge the gap.
        let west = [
            job(1, 1, JIANGHAI, "2019-01-01", Some("2019-03-31")),
            job(3, 1, DAXIN, "2019-04-01", Some("2019-06-30")),
            job(2, 1, JIANGHAI, "2019-07-01", None),
        ];
        assert_eq!(stable_east(&[poor(1)], &west, d("2019-11-30"), &r)[0].spell_started_on, Some(d("2019-07-01")));
        // The gap is configurable.
        let strict = Rules { max_gap_days: 30, ..Rules::default() };
        assert_eq!(stable_east(&[poor(1)], &kept, d("2019-11-30"), &strict)[0].spell_started_on, Some(d("2019-07-01")));
    }

    #[test]
    fn stable_east_needs_an_east_placement_ongoing_at_d() {
        let r = Rules::default();
        let ended = [job(1, 1, JIANGHAI, "2018-01-01", Some("2019-11-29"))];
        assert!(stable_east(&[poor(1)], &ended, d("2019-11-30"), &r).is_empty());
        let ends_on_d = [job(1, 1, JIANGHAI, "2018-01-01", Some("2019-11-30"))];
        assert_eq!(stable_east(&[poor(1)], &ends_on_d, d("2019-11-30"), &r).len(), 1);
    }

    fn study(id: i64, who: i64, region: &str, enrolled: &str, graduated: Option<&str>, left: Option<&str>) -> Study {
        Study {
            id,
            labourer_id: who,
            school_region_code: region.into(),
            enrolled_on: d(enrolled),
            graduated_on: graduated.map(d),
            left_on: left.map(d),
        }
    }

    #[test]
    fn vocational_students_in_the_east_exclude_those_gone_before_the_year() {
        let r = Rules::default();
        let people: Vec<Person> = (1..=5).map(poor).collect();
        let studies = [
            study(1, 1, "440703", "2017-09-01", None, None),
            study(2, 2, "440703", "2016-09-01", Some("2018-06-30"), None),
            study(3, 3, "440703", "2016-09-01", Some("2019-06-30"), None),
            study(4, 4, "451402", "2018-09-01", None, None),
            study(5, 5, "440703", "2019-12-01", None, None),
        ];
        let got = vocational_students_east(&people, &studies, 2019, d("2019-11-15"), &r);
        assert_eq!(got.iter().map(|e| e.labourer_id).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn graduates_are_employed_when_a_job_outlasts_graduation() {
        let r = Rules::default();
        let people: Vec<Person> = (1..=4).map(poor).collect();
        let studies = [
            study(1, 1, "440703", "2016-09-01", Some("2019-06-30"), None),
            study(2, 2, "440703", "2016-09-01", Some("2019-06-30"), None),
            study(3, 3, "440703", "2015-09-01", Some("2018-06-30"), None),
            study(4, 4, "440703", "2016-09-01", Some("2019-06-30"), None),
        ];
        let jobs = [
            // Employed before graduation and still employed.
            job(1, 1, JIANGHAI, "2019-03-01", None),
            // The job ended before graduation.
            job(2, 2, JIANGHAI, "2019-03-01", Some("2019-06-29")),
            job(3, 3, JIANGHAI, "2018-07-01", None),
        ];
        let got = graduates_employed(&people, &studies, &jobs, 2019, d("2019-11-15"), &r);
        let rows: Vec<(i64, Option<bool>)> = got.iter().map(|e| (e.labourer_id, e.employed)).collect();
        // Person 3 graduated before 2019: not a row at all.
        assert_eq!(rows, [(1, Some(true)), (2, Some(false)), (4, Some(false))]);
        // A job that ends on graduation day still counts.
        let on_the_day = [job(2, 2, JIANGHAI, "2019-03-01", Some("2019-06-30"))];
        let got = graduates_employed(&people, &studies[1..2], &on_the_day, 2019, d("2019-11-15"), &r);
        assert_eq!(got[0].employed, Some(true));
    }

    #[test]
    fn fairs_and_sessions_are_counted_within_the_year() {
        let r = Rules::default();
        let fair = |id, day: &str| FairFacts {
            id,
            held_on: d(day),
            employers: 12,
            postings: 30,
            positions: 400,
            attendees: vec![poor(1), with(2, "none"), with(3, "lifted")],
            intentions: 20,
            hires: 8,
        };
        let got = job_fairs(
            &[fair(2, "2019-11-20"), fair(1, "2019-03-08"), fair(3, "2018-03-08")],
            2019,
            d("2019-11-15"),
            &r,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].counted_attendees, 2);
        let trainee = |status: &str, done: Option<&str>, cert: bool, jobs: &[&str]| Trainee {
            person: poor(1),
            status: status.into(),
            completed_on: done.map(d),
            certified: cert,
            placement_starts: jobs.iter().map(|s| d(s)).collect(),
        };
        let session = SessionFacts {
            id: 1,
            starts_on: d("2019-05-06"),
            trainees: vec![
                trainee("completed", Some("2019-06-14"), true, &["2019-07-01"]),
                trainee("completed", Some("2019-06-14"), true, &["2018-07-01"]),
                trainee("completed", Some("2019-06-14"), false, &[]),
                trainee("dropped", None, false, &["2019-07-01"]),
            ],
        };
        let got = trainings(&[session], 2019, d("2019-11-15"), &r);
        assert_eq!(
            got,
            [SessionEntry { id: 1, enrolled: 4, counted_enrolled: 4, completed: 3, certified: 2, employed: 1 }]
        );
    }

    #[test]
    fn the_summary_compares_each_target_with_its_actual() {
        let got = summary(&[("new-transfers-east".into(), 155), ("job_fairs".into(), 1)], |m| {
            if m == "job_fairs" {
                1
            } else {
                120
            }
        });
        assert!(!got[0].met && got[1].met);
        assert_eq!(got[0].actual, 120);
    }
}

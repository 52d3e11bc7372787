//! The rules of the three ledgers that count programmes rather than people
//! one by one (DESIGN §5): job fairs, training sessions and the targets'
//! summary. Pure functions, as the rest of [`super`].

use chrono::NaiveDate;

use super::*;

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

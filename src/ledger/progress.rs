//! Progress against a year's targets: each target's actual is the count of
//! the ledger that measures it (DESIGN §5), up to the earlier of today and
//! 31 December.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::build::{Counted, Request};
use super::rules::Rules;
use super::Kind;
use crate::clock;
use crate::db::models::target;
use crate::db::{read_as_one, DbConnection};
use crate::domain::TargetMetric;
use crate::error::AppError;

/// Progress against one target.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    /// The metric.
    pub metric: TargetMetric,
    /// The target.
    pub target: i32,
    /// The value so far; null for a metric no ledger counts.
    pub actual: Option<i64>,
    /// Whether the target is met; null where `actual` is.
    pub met: Option<bool>,
    /// How `actual` was counted, in Chinese (the ledger and the days), e.g.
    /// 按《招聘会》台账统计，2019-01-01 至 2019-11-15.
    pub basis: String,
}

/// The ledger that counts a metric.
pub fn ledger_of(metric: TargetMetric) -> Kind {
    match metric {
        TargetMetric::NewTransfersEast => Kind::NewTransfersEast,
        TargetMetric::StableEast => Kind::StableEast,
        TargetMetric::VocationalStudentsEast => Kind::VocationalStudentsEast,
        TargetMetric::GraduatesEmployed => Kind::GraduatesEmployed,
        TargetMetric::JobFairLedger | TargetMetric::JobFairs => Kind::JobFairs,
        TargetMetric::TrainingLedger | TargetMetric::TrainingSessions => Kind::Trainings,
    }
}

/// The as-of day and each target's progress for `year`, counted to
/// `as_of` (a day of the year, checked by the caller) or, without one, to
/// the earlier of today and 31 December.
///
/// Errors: 400 on `year` for a year not begun when no day is given.
pub fn of_year(
    c: &mut DbConnection,
    year: i32,
    as_of: Option<NaiveDate>,
    rules: &Rules,
) -> Result<(NaiveDate, Vec<Progress>), AppError> {
    read_as_one(c, None, |c, _| counted_progress(c, year, as_of, rules, &mut Counted::default()))
}

/// As [`of_year`], keeping the ledgers counted in `counted` for more
/// ledgers of the same year and as-of day (the dashboard). The targets and
/// every count are read in one committed state ([`read_as_one`]; within
/// the caller's, when it has one).
pub fn of_year_counted(
    c: &mut DbConnection,
    year: i32,
    rules: &Rules,
    counted: &mut Counted,
) -> Result<(NaiveDate, Vec<Progress>), AppError> {
    read_as_one(c, None, |c, _| counted_progress(c, year, None, rules, counted))
}

fn counted_progress(
    c: &mut DbConnection,
    year: i32,
    as_of: Option<NaiveDate>,
    rules: &Rules,
    counted: &mut Counted,
) -> Result<(NaiveDate, Vec<Progress>), AppError> {
    let as_of = match as_of {
        Some(day) => day,
        None => super::export::year_begun(year, clock::today())?,
    };
    let targets = target::list(c, Some(year), 0, 500)?;
    let request =
        Request { kind: Kind::Summary, year, as_of, county: None, unmasked: false, rules: rules.clone(), helper: None };
    let mut out = Vec::new();
    for t in targets {
        let kind = ledger_of(t.data.metric);
        let actual = Some(counted.count(c, &request, kind)?);
        let basis = format!("按《{}》台账统计，{year}-01-01 至 {as_of}", kind.title());
        out.push(Progress {
            met: actual.map(|a| a >= i64::from(t.data.min_value)),
            metric: t.data.metric,
            target: t.data.min_value,
            actual,
            basis,
        });
    }
    Ok((as_of, out))
}

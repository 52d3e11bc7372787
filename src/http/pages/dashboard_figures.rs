//! The dashboard's figures: each target's progress, the seven ledgers'
//! counts and the rows the charts are drawn from. They are computed from
//! the whole registry — seconds at a province's scale, where stable-east
//! alone weighs hundreds of thousands of placements — and kept until a
//! write commits anywhere on the database ([`WriteStamp`]) or the day
//! changes, so that clerks opening the dashboard one after another do not
//! each wait for the same figures.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::clock;
use crate::db::models::target;
use crate::db::{read_as_one, Db, DbConnection, KeptUntilWrite};
use crate::error::AppError;
use crate::ledger::build::{compute_counted, Counted, Request};
use crate::ledger::progress::{self, Progress};
use crate::ledger::rules::Rules;
use crate::ledger::sink::Collect;
use crate::ledger::{Kind, Ledger};

/// The ledgers whose rows the charts are drawn from; the others are only
/// counted (stable-east at a province's scale is hundreds of thousands of
/// rows, and its count is what the dashboard shows).
const CHARTED: [Kind; 3] = [Kind::NewTransfersEast, Kind::JobFairs, Kind::Trainings];

/// Dashboards kept at most (one per year asked and day); all dropped when full.
const CAPACITY: usize = 16;

/// What the dashboard shows of one year, as computed.
#[derive(Debug)]
pub struct Figures {
    /// The year shown.
    pub year: i32,
    /// The years with targets, oldest first.
    pub years: Vec<i32>,
    /// The day the figures count up to.
    pub as_of: NaiveDate,
    /// Each target's progress.
    pub progress: Vec<Progress>,
    /// Each ledger's count, in [`Kind::ALL`] order.
    pub counts: Vec<(Kind, i64)>,
    /// The charted ledgers' rows ([`CHARTED`]).
    pub charted: Vec<Ledger>,
}

impl Figures {
    /// Computes the figures of `asked` (default: the latest year with
    /// targets, else this year).
    /// Every figure is read in one committed state ([`read_as_one`]): the
    /// targets' progress is the ledgers' counts shown beside it.
    fn compute(c: &mut DbConnection, asked: Option<i32>, rules: &Rules) -> Result<Figures, AppError> {
        read_as_one(c, None, |c, _| Self::read(c, asked, rules))
    }

    fn read(c: &mut DbConnection, asked: Option<i32>, rules: &Rules) -> Result<Figures, AppError> {
        let mut years: Vec<i32> = target::list(c, None, 0, 10_000)?.iter().map(|t| t.data.year).collect();
        years.sort_unstable();
        years.dedup();
        let year = asked.or(years.last().copied()).unwrap_or_else(|| chrono::Datelike::year(&clock::today()));
        let mut counted = Counted::default();
        let (as_of, progress) = progress::of_year_counted(c, year, rules, &mut counted)?;
        let mut counts = Vec::new();
        let mut charted = Vec::new();
        for kind in Kind::ALL {
            let r = Request { kind, year, as_of, county: None, unmasked: false, rules: rules.clone(), helper: None };
            if CHARTED.contains(&kind) {
                let mut rows = Collect::default();
                compute_counted(c, &r, &mut counted, &mut rows)?;
                let ledger = rows.into_ledger()?;
                counts.push((kind, ledger.count));
                charted.push(ledger);
            } else {
                counts.push((kind, counted.count(c, &r, kind)?));
            }
        }
        Ok(Figures { year, years, as_of, progress, counts, charted })
    }
}

/// The year asked (none: the default year) and the day of a visit.
type Asked = (Option<i32>, NaiveDate);

/// Figures kept by (year asked, today) until a write commits.
#[derive(Debug)]
pub struct KeptFigures(KeptUntilWrite<Asked, Figures>);

impl Default for KeptFigures {
    fn default() -> Self {
        KeptFigures(KeptUntilWrite::new(CAPACITY))
    }
}

impl KeptFigures {
    /// The figures of `asked` as of now: the kept ones if nothing has been
    /// written since they were computed, else computed afresh (and kept).
    ///
    /// Errors: as computing a ledger.
    pub fn of(
        &self,
        db: &Db,
        c: &mut DbConnection,
        asked: Option<i32>,
        rules: &Rules,
    ) -> Result<Arc<Figures>, AppError> {
        let (figures, reused) =
            self.0.get_or_compute(db, c, (asked, clock::today()), |c| Figures::compute(c, asked, rules))?;
        crate::ops::metrics::dashboard_figures(reused);
        Ok(figures)
    }
}

/// A year's target progress: the day counted to and each target's figures.
pub type YearProgress = (NaiveDate, Vec<Progress>);

/// Target progress (`GET /api/v1/targets/progress`) kept by (year, today)
/// until a write commits, like the dashboard's figures: at a province's
/// scale it counts stable-east and the other targeted ledgers, seconds of
/// work the leadership office's repeated asking need not redo.
#[derive(Debug)]
pub struct KeptProgress(KeptUntilWrite<(i32, NaiveDate), YearProgress>);

impl Default for KeptProgress {
    fn default() -> Self {
        KeptProgress(KeptUntilWrite::new(CAPACITY))
    }
}

impl KeptProgress {
    /// Progress of `year` as of now, kept or counted afresh.
    ///
    /// Errors: as computing a ledger.
    pub fn of(&self, db: &Db, c: &mut DbConnection, year: i32, rules: &Rules) -> Result<Arc<YearProgress>, AppError> {
        let (progress, reused) =
            self.0.get_or_compute(db, c, (year, clock::today()), |c| progress::of_year(c, year, rules))?;
        crate::ops::metrics::target_progress(reused);
        Ok(progress)
    }
}

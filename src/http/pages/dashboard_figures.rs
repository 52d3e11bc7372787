//! The dashboard's figures: each target's progress, the seven ledgers'
//! counts and the rows the charts are drawn from. They are computed from
//! the whole registry — seconds at a province's scale, where stable-east
//! alone weighs hundreds of thousands of placements — and kept until a
//! write commits anywhere on the database ([`WriteStamp`]) or the day
//! changes, so that clerks opening the dashboard one after another do not
//! each wait for the same figures.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::clock;
use crate::db::models::target;
use crate::db::{read_as_one, Db, DbConnection, KeptUntilWrite, Snapshot};
use crate::error::AppError;
use crate::ledger::build::{compute_counted, Counted, Request};
use crate::ledger::progress::{self, Progress};
use crate::ledger::rules::Rules;
use crate::ledger::sink::{Head, Sink};
use crate::ledger::table::Cell;
use crate::ledger::Kind;

/// The ledgers whose rows the charts are drawn from, and what each chart
/// takes of which column; the others are only counted. The rows are
/// reduced to these figures as they are computed ([`Tallied`]): at a
/// province's scale new-transfers-east is over 100,000 rows, none of which
/// the dashboard needs to hold.
const CHARTED: [(Kind, &[(&str, By)]); 3] = [
    (Kind::NewTransfersEast, &[("started_on", By::Month), ("work_place", By::City), ("channel", By::Text)]),
    (Kind::JobFairs, &[("attendees", By::Sum), ("intentions", By::Sum), ("hires", By::Sum)]),
    (Kind::Trainings, &[("enrolled", By::Sum), ("completed", By::Sum), ("certified", By::Sum), ("employed", By::Sum)]),
];

/// How a chart reduces one column of a ledger's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Rows counted by the month of a date (`YYYY-MM`).
    Month,
    /// Rows counted by the city of a place's full name
    /// (see [`city`]: 广东省江门市蓬江区 → 江门市).
    City,
    /// Rows counted by the text.
    Text,
    /// The sum of the whole numbers (rows without one add nothing).
    Sum,
}

/// A charted ledger reduced, row by row as it is computed, to what its
/// charts draw: for each (column, [`By`]) of [`CHARTED`], the rows counted
/// by label (a [`By::Sum`] is one entry under the empty label).
#[derive(Debug)]
pub struct Tallied {
    /// The ledger.
    pub kind: Kind,
    figures: Vec<(&'static str, By, BTreeMap<String, i64>)>,
}

impl Tallied {
    /// The rows of column `key` counted by label, in label order (empty
    /// when the ledger has no such column).
    pub fn by(&self, key: &str, by: By) -> BTreeMap<String, i64> {
        self.figures.iter().find(|(k, b, _)| *k == key && *b == by).map(|(_, _, m)| m.clone()).unwrap_or_default()
    }

    /// The sum of column `key` (0 when the ledger has no such column).
    pub fn sum(&self, key: &str) -> i64 {
        self.by(key, By::Sum).values().sum()
    }
}

/// The [`Sink`] that reduces a ledger's rows to a [`Tallied`], keeping the
/// count from its head and nothing of the rows.
struct Tally {
    wanted: &'static [(&'static str, By)],
    at: Vec<Option<usize>>,
    count: i64,
    figures: Vec<BTreeMap<String, i64>>,
}

impl Tally {
    fn new(wanted: &'static [(&'static str, By)]) -> Tally {
        Tally { wanted, at: Vec::new(), count: 0, figures: vec![BTreeMap::new(); wanted.len()] }
    }

    fn into_tallied(self, kind: Kind) -> Tallied {
        let figures = self.wanted.iter().zip(self.figures).map(|(&(key, by), m)| (key, by, m)).collect();
        Tallied { kind, figures }
    }
}

impl Sink for Tally {
    fn begin(&mut self, head: &Head) -> Result<(), AppError> {
        self.count = head.count;
        self.at = self.wanted.iter().map(|(key, _)| head.columns.iter().position(|c| c.key == *key)).collect();
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError> {
        for ((&(_, by), at), figure) in self.wanted.iter().zip(&self.at).zip(&mut self.figures) {
            let Some(cell) = at.and_then(|i| cells.get(i)) else { continue };
            let (label, n) = match (by, cell) {
                (By::Sum, Cell::Int(n)) => (String::new(), *n),
                (By::Month, Cell::Date(d)) => (d.format("%Y-%m").to_string(), 1),
                (By::City, Cell::Text(place)) => (city(place).to_string(), 1),
                (By::Text, Cell::Text(s)) => (s.clone(), 1),
                _ => continue,
            };
            *figure.entry(label).or_insert(0) += n;
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), AppError> {
        Ok(())
    }
}

/// The city of a place's full name: what follows 省 (if any), up to and
/// including the first 市 (广东省江门市蓬江区 → 江门市; 北京市朝阳区 →
/// 北京市; 广西壮族自治区崇左市大新县 → 广西壮族自治区崇左市).
fn city(place: &str) -> &str {
    let after_province = place.split_once('省').map_or(place, |(_, rest)| rest);
    after_province.split_inclusive('市').next().unwrap_or(after_province)
}

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
    /// The charted ledgers, reduced to what the charts draw ([`CHARTED`]).
    pub charted: Vec<Tallied>,
}

impl Figures {
    /// Computes the figures of `asked` (default: the latest year with
    /// targets, else this year).
    /// Every figure is read in one committed state ([`read_as_one`]): the
    /// targets' progress is the ledgers' counts shown beside it. The
    /// placement ledgers are read on a second connection from `db` too,
    /// when one is spare.
    fn compute(db: &Db, c: &mut DbConnection, asked: Option<i32>, rules: &Rules) -> Result<Figures, AppError> {
        read_as_one(c, Some(db), |c, shared| Self::read(c, shared, asked, rules))
    }

    fn read(
        c: &mut DbConnection,
        shared: Option<&Snapshot>,
        asked: Option<i32>,
        rules: &Rules,
    ) -> Result<Figures, AppError> {
        // Years with targets that have begun: next year's targets, set in
        // December, open no page of figures that cannot be counted yet.
        let this_year = chrono::Datelike::year(&clock::today());
        let mut years: Vec<i32> = target::list(c, None, 0, 10_000)?.iter().map(|t| t.data.year).collect();
        years.retain(|y| *y <= this_year);
        years.sort_unstable();
        years.dedup();
        let year = asked.or(years.last().copied()).unwrap_or(this_year);
        let mut counted = Counted::default();
        let (as_of, progress) = progress::of_year_counted(c, year, rules, &mut counted)?;
        let mut counts = Vec::new();
        let mut charted = Vec::new();
        for kind in Kind::ALL {
            let helper = shared.cloned();
            let r = Request { kind, year, as_of, county: None, unmasked: false, rules: rules.clone(), helper };
            if let Some((_, wanted)) = CHARTED.iter().find(|(k, _)| *k == kind) {
                let mut tally = Tally::new(wanted);
                compute_counted(c, &r, &mut counted, &mut tally)?;
                counts.push((kind, tally.count));
                charted.push(tally.into_tallied(kind));
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
            self.0.get_or_compute(db, c, (asked, clock::today()), |c| Figures::compute(db, c, asked, rules))?;
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
    /// Progress of `year` to `as_of` (a day of the year) or, without one,
    /// as of now; kept or counted afresh.
    ///
    /// Errors: as computing a ledger.
    pub fn of(
        &self,
        db: &Db,
        c: &mut DbConnection,
        year: i32,
        as_of: Option<NaiveDate>,
        rules: &Rules,
    ) -> Result<Arc<YearProgress>, AppError> {
        // Kept by the day counted to (today's default lasts the day).
        let key = (year, as_of.unwrap_or_else(clock::today));
        let (progress, reused) = self.0.get_or_compute(db, c, key, |c| progress::of_year(c, year, as_of, rules))?;
        crate::ops::metrics::target_progress(reused);
        Ok(progress)
    }
}

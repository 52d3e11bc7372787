//! The two placement ledgers (new-transfers-east, stable-east) at a
//! province's scale. The database hands over, in person order, only the
//! east placements of counted people who can be a row; the pure rules of
//! [`super::rules`] decide person by person; then the chosen placements are
//! read once more, joined with their people and employers, and each row goes
//! to the sink as soon as it is laid out. What stays in memory is the rules'
//! choice (three numbers per row), never the rows themselves.

use super::build::{col, job_columns, person_cells, person_columns, tail_columns, Places, Request};
use super::rules::{self, Job, Person, PlacementEntry};
use super::sink::{Head, Sink};
use super::table::Cell;
use super::{Col, Kind};
use crate::db::models::ledger_jobs::{each_job, each_shown, Scope, Selection};
use crate::db::DbConnection;
use crate::error::AppError;

fn selection(r: &Request) -> Selection {
    match r.kind {
        Kind::NewTransfersEast => Selection::NewTransfers {
            from: rules::year_start(r.year),
            as_of: r.as_of,
            eve: rules::year_end(r.year - 1),
        },
        _ => Selection::Stable { as_of: r.as_of },
    }
}

fn scope(r: &Request) -> Scope<'_> {
    Scope { provinces: r.rules.east_provinces.codes(), counted: &r.rules.counted_statuses, county: r.county.as_deref() }
}

/// One person's placements, gathered from the ordered stream.
struct Person1 {
    person: Option<Person>,
    jobs: Vec<Job>,
}

impl Person1 {
    /// Hands the gathered person to the rules and starts afresh.
    fn decide(&mut self, r: &Request, out: &mut Vec<PlacementEntry>) {
        if let Some(p) = self.person.take() {
            let people = std::slice::from_ref(&p);
            out.extend(match r.kind {
                Kind::NewTransfersEast => rules::new_transfers_east(people, &self.jobs, r.year, r.as_of, &r.rules),
                _ => rules::stable_east(people, &self.jobs, r.as_of, &r.rules),
            });
        }
        self.jobs.clear();
    }
}

/// The rows the rules choose, in person order.
pub(super) fn entries(c: &mut DbConnection, r: &Request) -> Result<Vec<PlacementEntry>, AppError> {
    let mut out = Vec::new();
    let mut current = Person1 { person: None, jobs: Vec::new() };
    each_job(c, scope(r), selection(r), |(id, labourer_id, region_code, started_on, ended_on, status)| {
        if current.person.as_ref().map(|p| p.id) != Some(labourer_id) {
            current.decide(r, &mut out);
            current.person = Some(Person { id: labourer_id, poverty_status: status });
        }
        current.jobs.push(Job { id, labourer_id, region_code, started_on, ended_on });
        Ok::<(), AppError>(())
    })?;
    current.decide(r, &mut out);
    Ok(out)
}

/// The ledger's columns.
pub(super) fn columns(kind: Kind) -> Vec<Col> {
    let mut columns = person_columns();
    columns.extend(job_columns());
    if kind == Kind::StableEast {
        columns.push(col("spell_started_on", "东部连续就业起始时间", 8.0));
    }
    columns.extend(tail_columns());
    columns
}

/// Rows handed from the reading thread to the writing one at a time.
const BATCH: usize = 512;
/// Batches in flight between the two threads (bounds the memory held).
const IN_FLIGHT: usize = 8;

/// Lays out the rows the rules chose (`entries`, from [`entries`]) into
/// `sink`, a row at a time.
///
/// Once the rules have chosen the rows (and so their count, which heads
/// every format), the rows are read and laid out on a second thread while
/// this one writes them: reading from the database and rendering (JSON,
/// CSV, xlsx) each take about half the time, and a province's office has
/// two cores or more. At most `IN_FLIGHT` batches of `BATCH` rows wait
/// between the two, so memory still does not grow with the rows. If the
/// sink fails, the reader stops at its next batch.
pub(super) fn stream(
    c: &mut DbConnection,
    r: &Request,
    entries: Vec<PlacementEntry>,
    head: Head,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    sink.begin(&Head { columns: columns(r.kind), count: entries.len() as i64, graduates: None, ..head })?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<Cell>>>(IN_FLIGHT);
    let written = std::thread::scope(|s| {
        let reader = s.spawn(move || lay_out(c, r, &entries, tx));
        let mut written = Ok(());
        for batch in &rx {
            if let Err(e) = batch.into_iter().try_for_each(|row| sink.row(row)) {
                written = Err(e);
                break;
            }
        }
        drop(rx);
        let read = reader.join().unwrap_or_else(|_| Err(AppError::Internal(anyhow::anyhow!("ledger reader panicked"))));
        // A write error stops the reader (its next send fails): the write's is reported.
        written.and(read)
    });
    written?;
    sink.end()
}

/// Why the reading thread stopped early.
enum Stop {
    /// The writer is gone (it failed and reports why).
    Receiver,
    /// Reading failed.
    Failed(AppError),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Stop {
        Stop::Failed(e.into())
    }
}

/// Reads the rows the rules chose (`entries`, in person order), lays each
/// out, and sends them to the writer in batches.
fn lay_out(
    c: &mut DbConnection,
    r: &Request,
    entries: &[PlacementEntry],
    tx: std::sync::mpsc::SyncSender<Vec<Vec<Cell>>>,
) -> Result<(), AppError> {
    let mut chosen = entries.iter().peekable();
    let mut places = Places::default();
    let mut seq = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let read = each_shown(c, scope(r), selection(r), |(p, l, employer)| {
        // Both streams are in (person, placement) order.
        while chosen.next_if(|e| (e.labourer_id, e.placement_id) < (p.labourer_id, p.id)).is_some() {}
        let Some(e) = chosen.next_if(|e| e.placement_id == p.id) else { return Ok(()) };
        seq += 1;
        let mut row = person_cells(seq, &l, r.unmasked, &mut places);
        row.extend([
            Cell::Int(p.id),
            employer.or_else(|| p.employer_name.clone()).map(Cell::Text).unwrap_or(Cell::Empty),
            places.cell(&p.region_code),
            p.occupation.clone().filter(|s| !s.is_empty()).map(Cell::Text).unwrap_or(Cell::Empty),
            Cell::Date(p.started_on),
        ]);
        if r.kind == Kind::StableEast {
            row.push(e.spell_started_on.map(Cell::Date).unwrap_or(Cell::Empty));
        }
        row.extend(super::build::tail_cells(Some(&p), &l));
        batch.push(row);
        if batch.len() == BATCH {
            tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).map_err(|_| Stop::Receiver)?;
        }
        Ok(())
    });
    match read {
        Ok(()) => tx.send(batch).or(Ok(())),
        Err(Stop::Receiver) => Ok(()),
        Err(Stop::Failed(e)) => Err(e),
    }
}

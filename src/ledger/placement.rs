//! The two placement ledgers (new-transfers-east, stable-east) at a
//! province's scale. The database hands over, in person order, only the
//! east placements of counted people who can be a row; the pure rules of
//! [`super::rules`] decide person by person; then the chosen placements are
//! read once more, joined with their people and employers, and each row goes
//! to the sink as soon as it is laid out. What stays in memory is the rules'
//! choice (three numbers per row), never the rows themselves.
//!
//! With a second connection (`Request::helper`), both reads run on two
//! cores: the rules over the lower and upper halves of the people at once,
//! and the rows laid out a batch each in turn while a third thread writes
//! them in order.

use super::build::Request;
use super::cells::{col, job_columns, person_cells, person_columns, tail_cells, tail_columns, Places};
use super::rules::{self, Job, Person, PlacementEntry};
use super::sink::{Head, Sink};
use super::table::Cell;
use super::{Col, Kind};
use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::db::models::east_spells;
use crate::db::models::employer::names_by_id;
use crate::db::models::ledger::PlacementRow;
use crate::db::models::ledger_jobs::{
    each_job, each_ongoing_spell, last_labourer_id, shown, Scope, Selection, ShownRow, SpellRow,
};
use crate::db::{DbConnection, Joined};
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

fn scope(r: &Request, people: (i64, i64)) -> Scope<'_> {
    Scope {
        provinces: r.rules.east_provinces.codes(),
        counted: &r.rules.counted_statuses,
        county: r.county.as_deref(),
        people,
    }
}

/// A second connection in the caller's snapshot, if the request offers a
/// pool with one to spare ([`Snapshot::get_spare`](crate::db::Snapshot::get_spare): a busy server reads on
/// one connection instead of waiting, or of taking its last free one).
fn second(r: &Request) -> Option<Joined> {
    r.helper.as_ref()?.get_spare()
}

fn panicked(_: Box<dyn std::any::Any + Send>) -> AppError {
    AppError::Internal(anyhow::anyhow!("a ledger reading thread panicked"))
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
///
/// stable-east reads the east spells the registry keeps
/// ([`east_spells`]) when they were worked out under the request's rules,
/// and otherwise chains each person's east placements itself.
pub(super) fn entries(c: &mut DbConnection, r: &Request) -> Result<Vec<PlacementEntry>, AppError> {
    let kept = r.kind == Kind::StableEast && east_spells::kept_for(c, &r.rules)?;
    let entries_of = |c: &mut DbConnection, people| match kept {
        true => kept_entries_of(c, r, people),
        false => entries_of(c, r, people),
    };
    // PostgreSQL runs the chaining query on parallel workers itself: two
    // halves at once were slower there (3.2 s against 2.9 s for the
    // summary's counts at 1M people), so it gets the whole. The kept spells'
    // read is one merge of two indexes on one worker, and is read in halves.
    if matches!(c, DbConnection::Pg(_)) && !kept {
        return entries_of(c, (i64::MIN, i64::MAX));
    }
    // Two halves of the people, each in person order, the lower first, on
    // two connections and cores when there is a second one.
    let split = last_labourer_id(c)? / 2;
    let (lower, upper) = ((i64::MIN, split), (split + 1, i64::MAX));
    let (mut all, rest) = match second(r) {
        None => (entries_of(c, lower)?, entries_of(c, upper)?),
        Some(mut other) => std::thread::scope(|s| {
            let upper = s.spawn(move || entries_of(&mut other, upper));
            let lower = entries_of(c, lower);
            let upper = upper.join().map_err(panicked)?;
            Ok::<_, AppError>((lower?, upper?))
        })?,
    };
    all.extend(rest);
    Ok(all)
}

/// The rows the rules choose among the people with ids in `people`.
fn entries_of(c: &mut DbConnection, r: &Request, people: (i64, i64)) -> Result<Vec<PlacementEntry>, AppError> {
    let mut out = Vec::new();
    let mut current = Person1 { person: None, jobs: Vec::new() };
    each_job(c, scope(r, people), selection(r), |(id, labourer_id, region_code, started_on, ended_on, status)| {
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

/// stable-east's rows among the people with ids in `people`, from the
/// kept spells: a person's latest-starting east placement ongoing at D is
/// the one shown, and they are a row when its spell has lasted
/// `stable_months` by D (as [`rules::stable_east`] decides from the whole
/// history: every placement ongoing at D belongs to the one spell).
fn kept_entries_of(c: &mut DbConnection, r: &Request, people: (i64, i64)) -> Result<Vec<PlacementEntry>, AppError> {
    let mut out = Vec::new();
    let mut push = |(placement_id, labourer_id, start): SpellRow| {
        if rules::has_lasted(start, r.rules.stable_months, r.as_of) {
            out.push(PlacementEntry { labourer_id, placement_id, spell_started_on: Some(start) });
        }
    };
    let mut latest: Option<SpellRow> = None;
    each_ongoing_spell(c, scope(r, people), r.as_of, |row: SpellRow| {
        if let Some(before) = latest.filter(|before| before.1 != row.1) {
            push(before);
        }
        latest = Some(row);
        Ok::<(), AppError>(())
    })?;
    if let Some(last) = latest {
        push(last);
    }
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

/// Rows laid out together: one statement reads them, and they go from a
/// reading thread to the writing one at once.
const BATCH: usize = 512;
/// Batches in flight from each reading thread to the writing one (bounds
/// the memory held).
const IN_FLIGHT: usize = 4;

/// Lays out the rows the rules chose (`entries`, from [`entries`]) into
/// `sink`, a row at a time, in order.
///
/// The rows are read and laid out on one or two other threads (two with a
/// second connection: batch k on reader k mod 2) while this one writes
/// them; reading and laying out cost several times the writing. At most
/// `IN_FLIGHT` batches of `BATCH` rows wait per reader, so memory does not
/// grow with the rows. If the sink fails, the readers stop at their next
/// batch. 序号 is numbered here, as the rows are written.
pub(super) fn stream(
    c: &mut DbConnection,
    r: &Request,
    entries: Vec<PlacementEntry>,
    head: Head,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let columns = columns(r.kind);
    let seq_at = columns.iter().position(|c| c.key == "seq");
    sink.begin(&Head { columns, count: entries.len() as i64, graduates: None, ..head })?;
    let chunks: Vec<&[PlacementEntry]> = entries.chunks(BATCH).collect();
    let mut other = if chunks.len() > 1 { second(r) } else { None };
    let readers = if other.is_some() { 2 } else { 1 };
    let mut connections: Vec<&mut DbConnection> = vec![c];
    if let Some(o) = other.as_mut() {
        connections.push(&mut **o);
    }
    std::thread::scope(|s| {
        let mut receivers: Vec<Receiver<Vec<Vec<Cell>>>> = Vec::new();
        let mut handles = Vec::new();
        for (k, conn) in connections.into_iter().enumerate() {
            let (tx, rx) = sync_channel(IN_FLIGHT);
            receivers.push(rx);
            let mine: Vec<&[PlacementEntry]> = chunks.iter().skip(k).step_by(readers).copied().collect();
            handles.push(s.spawn(move || lay_out(conn, r, &mine, tx)));
        }
        let mut written = Ok(());
        let mut seq = 0;
        'chunks: for k in 0..chunks.len() {
            let Ok(batch) = receivers[k % readers].recv() else { break };
            for mut row in batch {
                seq += 1;
                if let Some(cell) = seq_at.and_then(|i| row.get_mut(i)) {
                    *cell = Cell::Int(seq);
                }
                if let Err(e) = sink.row(row) {
                    written = Err(e);
                    break 'chunks;
                }
            }
        }
        drop(receivers);
        // A write error stops the readers (their next send fails): the write's is reported.
        let mut read = Ok(());
        for h in handles {
            let result = h.join().map_err(panicked).and_then(|r| r);
            read = read.and(result);
        }
        written.and(read)
    })?;
    sink.end()
}

/// Reads the rows of `chunks` (each in person order), lays each out, and
/// sends each chunk's rows to the writer as one batch, in turn.
fn lay_out(
    c: &mut DbConnection,
    r: &Request,
    chunks: &[&[PlacementEntry]],
    tx: SyncSender<Vec<Vec<Cell>>>,
) -> Result<(), AppError> {
    let mut places = Places::default();
    let mut employers = EmployerNames::default();
    for chunk in chunks {
        let ids: Vec<i64> = chunk.iter().map(|e| e.placement_id).collect();
        let rows = shown(c, &ids)?;
        employers.look_up(c, rows.iter().filter_map(|(p, _)| p.employer_id))?;
        // The rows in the rules' order, whatever order the database gave
        // them in; a placement deleted (or moved to another person) since
        // the rules ran is skipped.
        let mut found: HashMap<i64, ShownRow> = rows.into_iter().map(|row| (row.0.id, row)).collect();
        let mut batch = Vec::with_capacity(chunk.len());
        for e in chunk.iter() {
            let Some((p, l)) = found.remove(&e.placement_id).filter(|(p, _)| p.labourer_id == e.labourer_id) else {
                continue;
            };
            // 序号 is numbered by the writer.
            let mut row = person_cells(0, &l, r.unmasked, &mut places);
            row.extend([
                Cell::Int(p.id),
                employers.name(&p).map(Cell::Text).unwrap_or(Cell::Empty),
                places.cell(&p.region_code),
                p.occupation.clone().filter(|s| !s.is_empty()).map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Date(p.started_on),
            ]);
            if r.kind == Kind::StableEast {
                row.push(e.spell_started_on.map(Cell::Date).unwrap_or(Cell::Empty));
            }
            row.extend(tail_cells(Some(&p), &l));
            batch.push(row);
        }
        if tx.send(batch).is_err() {
            // The writer failed and reports why.
            return Ok(());
        }
    }
    Ok(())
}

/// The registered employers' names a reader has looked up: a province's
/// ledger names its employers (20,000 in a registry of 1M people) hundreds
/// of thousands of times, so each is read once (at most the employers
/// table, never the rows).
#[derive(Default)]
struct EmployerNames(HashMap<i64, String>);

impl EmployerNames {
    /// Reads the names of the employers among `ids` not yet known.
    fn look_up(&mut self, c: &mut DbConnection, ids: impl Iterator<Item = i64>) -> Result<(), AppError> {
        let mut missing: Vec<i64> = ids.filter(|id| !self.0.contains_key(id)).collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            self.0.extend(names_by_id(c, &missing)?);
        }
        Ok(())
    }

    /// The 就业单位 of `p`: its registered employer's name (as looked up),
    /// else the name typed for an unregistered one.
    fn name(&self, p: &PlacementRow) -> Option<String> {
        p.employer_id.and_then(|id| self.0.get(&id)).or(p.employer_name.as_ref()).cloned()
    }
}

//! Delivering ledgers: one ledger rendered, the bundle of all of them, and
//! the audit of every unmasked export (the parameters a clerk gives are
//! read in [`super::params`]). Called alike by the API, the pages, the CLI
//! and the mail submissions.

use chrono::NaiveDate;

use std::io::{Seek, Write};

use super::build::{compute_counted, compute_into, Counted, Request};
pub use super::params::{parse_params, refuse_options, year_begun, Params, RawParams};
use super::render::{CsvOut, HtmlOut, XlsxOut};
use super::rules::Rules;
use super::sink::{Head, JsonOut, Printed, Sink};
use super::table::Cell;
use super::{Format, Kind, Ledger};
use crate::db::models::audit::{self, Actor};
use crate::db::{read_as_one, Db, DbConnection, Snapshot};
use crate::error::AppError;

/// Records who saw whose full ID numbers in an export.
pub fn audit_unmasked(c: &mut DbConnection, actor: &Actor, ledgers: &[&Ledger]) -> Result<(), AppError> {
    for l in ledgers.iter().filter(|l| l.kind.is_person_ledger()) {
        let ids = l.rows.iter().filter_map(|r| r.first()).map(|c| match c {
            Cell::Int(n) => Some(*n),
            _ => None,
        });
        audit_ids(c, actor, l.kind, l.year, l.as_of, ids.collect())?;
    }
    Ok(())
}

fn audit_ids(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    year: i32,
    as_of: NaiveDate,
    ids: Vec<Option<i64>>,
) -> Result<(), AppError> {
    let what = serde_json::json!({"kind": kind.as_str(), "year": year, "as_of": as_of, "labourer_ids": ids});
    audit::record(c, actor, "export_unmasked", "ledger", None, None::<&()>, Some(&what))?;
    Ok(())
}

/// Passes rows on, noting whose they are (for the audit of an unmasked export).
struct Noting<'a> {
    inner: &'a mut dyn Sink,
    ids: Vec<Option<i64>>,
}

impl Sink for Noting<'_> {
    fn begin(&mut self, head: &Head) -> Result<(), AppError> {
        self.inner.begin(head)
    }
    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError> {
        self.ids.push(match cells.first() {
            Some(Cell::Int(n)) => Some(*n),
            _ => None,
        });
        self.inner.row(cells)
    }
    fn end(&mut self) -> Result<(), AppError> {
        self.inner.end()
    }
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

/// The workbook's title: the first sheet's.
fn workbook_title(kind: Kind, year: i32) -> String {
    format!("{year}年{}台账", kind.title())
}

/// Computes one ledger into `sink` (a second connection from `helper`
/// when one is spare), auditing it when unmasked.
fn audited(
    c: &mut DbConnection,
    helper: Option<&Db>,
    actor: &Actor,
    req: &Request,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    if !(req.unmasked && req.kind.is_person_ledger()) {
        return compute_into(c, req, helper, sink);
    }
    let mut noting = Noting { inner: sink, ids: Vec::new() };
    compute_into(c, req, helper, &mut noting)?;
    audit_ids(c, actor, req.kind, req.year, req.as_of, noting.ids)
}

/// Computes one ledger, audits it when unmasked, and writes it to `out` a
/// row at a time (an xlsx workbook is assembled from its temporary sheet
/// file at the end).
///
/// With full ID numbers (`unmasked`, a person ledger) as json, csv or
/// html, the output goes to a temporary file first and reaches `out` only
/// once the audit entry naming whose numbers it shows is written: `out` may
/// be a download that the client cuts short, and no one may have seen a
/// full number that no audit entry names. (An xlsx workbook is assembled
/// after the audit anyway.)
#[allow(clippy::too_many_arguments)]
pub fn one_to<W: Write + Send>(
    c: &mut DbConnection,
    helper: Option<&Db>,
    actor: &Actor,
    kind: Kind,
    p: &Params,
    rules: &Rules,
    unit: &str,
    mut out: W,
) -> Result<(), AppError> {
    let req = Request {
        kind,
        year: p.year,
        as_of: p.as_of,
        county: p.county.clone(),
        unmasked: p.unmasked,
        rules: rules.clone(),
        helper: None,
    };
    if !(req.unmasked && req.kind.is_person_ledger() && p.format != Format::Xlsx) {
        return render(c, helper, actor, &req, p, unit, out);
    }
    let mut spool = tempfile::tempfile().map_err(internal)?;
    {
        let mut w = std::io::BufWriter::new(&mut spool);
        render(c, helper, actor, &req, p, unit, &mut w)?;
        w.flush().map_err(internal)?;
    }
    spool.rewind().map_err(internal)?;
    std::io::copy(&mut spool, &mut out).map_err(internal)?;
    out.flush().map_err(internal)
}

/// Computes one ledger in `p.format` into `out`, auditing it when unmasked
/// (after its rows are written).
fn render<W: Write + Send>(
    c: &mut DbConnection,
    helper: Option<&Db>,
    actor: &Actor,
    req: &Request,
    p: &Params,
    unit: &str,
    out: W,
) -> Result<(), AppError> {
    match p.format {
        Format::Json => audited(c, helper, actor, req, &mut JsonOut::new(out)),
        Format::Csv => audited(c, helper, actor, req, &mut Printed::new(&mut CsvOut(out), unit)),
        Format::Html => audited(c, helper, actor, req, &mut Printed::new(&mut HtmlOut(out), unit)),
        Format::Xlsx => {
            let mut book = XlsxOut::new(p.as_of, Some(&workbook_title(req.kind, p.year))).map_err(internal)?;
            audited(c, helper, actor, req, &mut Printed::new(&mut book, unit))?;
            book.finish_to(out).map_err(internal)
        }
    }
}

/// Computes one ledger, audits it when unmasked, and renders it.
pub fn one(
    c: &mut DbConnection,
    actor: &Actor,
    kind: Kind,
    p: &Params,
    rules: &Rules,
    unit: &str,
) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    one_to(c, None, actor, kind, p, rules, unit, &mut out)?;
    Ok(out)
}

/// Computes every ledger of a year and writes the one-workbook bundle (ID
/// numbers masked) to `out`; each sheet is filled a row at a time.
///
/// stable-east's sheet, hundreds of thousands of rows at a province's
/// scale, takes most of the time, on the thread that writes the workbook.
/// So its rows are chosen first, and while they are written another
/// connection from `helper` (when one is free) computes every other ledger
/// at the same time; those sheets follow, and the summary sheet, first in
/// the workbook, is filled last from the counts already made. Without a
/// free connection the same happens one step after another, with the same
/// workbook.
pub fn bundle_to<W: Write + Send>(
    c: &mut DbConnection,
    helper: Option<&Db>,
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
    unit: &str,
    out: W,
) -> Result<(), AppError> {
    let mut book = XlsxOut::new(as_of, Some(&workbook_title(Kind::ALL[0], year))).map_err(internal)?;
    book.reserve(Kind::ALL.len()).map_err(internal)?;
    // Every sheet, and the summary's figures, from one committed state.
    read_as_one(c, helper, |c, shared| {
        let base = Request {
            kind: Kind::Summary,
            year,
            as_of,
            county: None,
            unmasked: false,
            rules: rules.clone(),
            helper: shared.cloned(),
        };
        fill_bundle(c, &base, unit, &mut book)
    })?;
    book.finish_to(out).map_err(internal)
}

/// Fills every sheet of the bundle (see [`bundle_to`]) for `base`'s year
/// and day, on `c` and a spare connection of `base.helper`, all in the
/// caller's one snapshot.
fn fill_bundle(c: &mut DbConnection, base: &Request, unit: &str, book: &mut XlsxOut) -> Result<(), AppError> {
    let req = |kind: Kind| Request { kind, ..base.clone() };
    let mut counted = Counted::default();
    counted.count(c, &req(Kind::StableEast), Kind::StableEast)?;
    // Every ledger but stable-east and the summary, counted (and the small
    // ones built) on the spare connection, if there is one.
    let others = |conn: &mut DbConnection| -> Result<Counted, AppError> {
        let mut theirs = Counted::default();
        for kind in Kind::ALL.into_iter().filter(|k| !matches!(k, Kind::Summary | Kind::StableEast)) {
            theirs.count(conn, &req(kind), kind)?;
        }
        Ok(theirs)
    };
    let mut spare = base.helper.as_ref().and_then(Snapshot::get_spare);
    let mut fill = |c: &mut DbConnection, counted: &mut Counted, kind: Kind| -> Result<(), AppError> {
        let at = Kind::ALL.iter().position(|k| *k == kind).unwrap_or_default();
        book.fill(at).map_err(internal)?;
        compute_counted(c, &req(kind), counted, &mut Printed::new(&mut *book, unit))
    };
    let theirs = std::thread::scope(|s| {
        let theirs = spare.as_mut().map(|conn| {
            let conn: &mut DbConnection = conn;
            s.spawn(move || others(conn))
        });
        let written = fill(c, &mut counted, Kind::StableEast);
        let theirs =
            theirs.map(|h| h.join().unwrap_or_else(|_| Err(internal(anyhow::anyhow!("a ledger thread panicked")))));
        written?;
        theirs.transpose()
    })?;
    if let Some(theirs) = theirs {
        counted.merge(theirs);
    }
    drop(spare);
    for kind in Kind::ALL.into_iter().filter(|k| !matches!(k, Kind::Summary | Kind::StableEast)) {
        fill(c, &mut counted, kind)?;
    }
    fill(c, &mut counted, Kind::Summary)
}

/// Computes every ledger of a year and renders the one-workbook bundle
/// (ID numbers masked).
pub fn bundle(
    c: &mut DbConnection,
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
    unit: &str,
) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    bundle_to(c, None, year, as_of, rules, unit, &mut out)?;
    Ok(out)
}

/// The file names of one ledger: an ASCII one and the Chinese one offices keep.
pub fn file_names(kind: Kind, year: i32, format: Format) -> (String, String) {
    (
        format!("ledger-{}-{year}.{}", kind.as_str(), format.extension()),
        format!("{year}年{}台账.{}", kind.title(), format.extension()),
    )
}

/// The file names of a year's bundle.
pub fn bundle_names(year: i32) -> (String, String) {
    (format!("ledgers-{year}.xlsx"), format!("{year}年粤桂扶贫协作台账.xlsx"))
}

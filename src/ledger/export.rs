//! Delivering ledgers: the parameters a clerk gives (year, as-of day,
//! format, county, full ID numbers), one ledger rendered, the bundle of all
//! of them, and the audit of every unmasked export. Called alike by the
//! API, the pages, the CLI and the mail submissions.

use chrono::NaiveDate;

use std::io::{Seek, Write};

use super::build::{compute_counted, compute_into, Counted, Request};
use super::render::{CsvOut, HtmlOut, XlsxOut};
use super::rules::{default_as_of, year_of, Rules};
use super::sink::{Head, JsonOut, Printed, Sink};
use super::table::Cell;
use super::{Format, Kind, Ledger};
use crate::db::models::audit::{self, Actor};
use crate::db::{read_as_one, Db, DbConnection, Snapshot};
use crate::domain::{normalise, RegionCode};
use crate::error::AppError;
use crate::messages::{general, Text};

/// The parameters as given (query string or command line).
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    /// The year (required).
    pub year: Option<String>,
    /// Counted up to this day, within the year.
    pub as_of: Option<String>,
    /// json, csv, xlsx or html.
    pub format: Option<String>,
    /// `true` for full ID numbers.
    pub unmasked: Option<String>,
    /// Only people registered in this county.
    pub county: Option<String>,
}

/// The parsed, checked parameters.
#[derive(Debug, Clone)]
pub struct Params {
    /// Year.
    pub year: i32,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Format.
    pub format: Format,
    /// Full ID numbers.
    pub unmasked: bool,
    /// County restriction (a current code; an old one counts as its successor).
    pub county: Option<String>,
}

fn bad(field: &str, zh: String, en: String) -> AppError {
    AppError::bad_param(field, Text::new(zh, en))
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The day a year's figures are counted to when no day is given (DESIGN
/// §5: the earlier of `today` and 31 December) — for every ledger, the
/// bundle, target progress, the dashboard and a submission alike.
///
/// Errors: 400 on `year` when the year has not begun (its figures would
/// be counted to a day outside it).
pub fn year_begun(year: i32, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let as_of = default_as_of(year, today);
    if year_of(as_of) != year {
        return Err(bad("year", format!("{year} 年尚未开始"), format!("{year} has not begun yet")));
    }
    Ok(as_of)
}

/// Refuses, with a 400 naming it, an option a download cannot honour
/// instead of quietly giving what was not asked for: the bundle is one
/// masked xlsx of the whole cooperation (DESIGN §4), so a `format` other
/// than xlsx, `county` or `unmasked=true` is refused there; the pages'
/// downloads are masked, so `unmasked=true` is refused there
/// (`bundle` false).
pub fn refuse_options(q: &RawParams, bundle: bool) -> Result<(), AppError> {
    if let Some(f) = given(&q.format).filter(|f| bundle && !f.eq_ignore_ascii_case("xlsx")) {
        return Err(bad(
            "format",
            format!("汇总台账只有 xlsx 一种格式，不能按“{f}”下载；要其他格式请逐本下载台账"),
            format!("the bundle is xlsx only, not '{f}'; download the ledgers one by one for other formats"),
        ));
    }
    if given(&q.unmasked).is_some_and(|u| u != "false") {
        return Err(bad(
            "unmasked",
            "这里下载的台账一律隐去身份证号中间 10 位；要看全号，请通过接口下载单本台账并注明 unmasked=true（会留痕）"
                .into(),
            "ID numbers are always masked here; ask the API for one ledger with unmasked=true (audited)".into(),
        ));
    }
    if bundle && given(&q.county).is_some() {
        return Err(bad(
            "county",
            "汇总台账是整个协作的，不分县；按县查看请逐本下载台账（county=县级代码）".into(),
            "the bundle covers the whole cooperation; download the ledgers one by one with county= for one county"
                .into(),
        ));
    }
    Ok(())
}

/// Checks a ledger's year, as-of date and options (DESIGN §5: the as-of
/// day defaults to the earlier of `today` and 31 December).
pub fn parse_params(q: &RawParams, today: NaiveDate) -> Result<Params, AppError> {
    // Full-width digits (２０１９) read as the digits they are.
    let year = match given(&q.year) {
        None => return Err(AppError::bad_param("year", general::required("year"))),
        Some(y) => {
            normalise::code(y).parse::<i32>().map_err(|_| AppError::bad_param("year", general::bad_param("year", y)))?
        }
    };
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_param("year", general::out_of_range(Some(2000.0), Some(2100.0))));
    }
    let as_of = match given(&q.as_of) {
        Some(s) => {
            // 2019-02-30 is no day, 2019/06/01 is not written as asked: each said as such.
            let d = normalise::code(s).parse::<NaiveDate>().map_err(|e| {
                AppError::bad_param_code("as_of", "format", general::wrong_type("as_of", &e.to_string()))
            })?;
            if year_of(d) != year {
                return Err(bad(
                    "as_of",
                    format!("应为 {year} 年内的日期（YYYY-MM-DD）"),
                    format!("must be a day of {year} (YYYY-MM-DD)"),
                ));
            }
            d
        }
        None => year_begun(year, today)?,
    };
    let format = match given(&q.format) {
        None => Format::Json,
        Some(f) => f.to_ascii_lowercase().parse::<Format>().map_err(|_| {
            bad(
                "format",
                format!("“{f}”不是可选的格式：应为 json、csv、xlsx 或 html"),
                format!("'{f}' is no format: json, csv, xlsx or html"),
            )
        })?,
    };
    let unmasked = match given(&q.unmasked) {
        None => false,
        Some(u) => u.to_ascii_lowercase().parse::<bool>().map_err(|_| {
            bad("unmasked", format!("“{u}”无效：应为 true 或 false"), format!("'{u}' is neither true nor false"))
        })?,
    };
    let county = match given(&q.county) {
        Some(c) => Some(
            RegionCode::parse_county(c)
                .map_err(|e| AppError::bad_param_code("county", e.code, e.message))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    Ok(Params { year, as_of, format, unmasked, county })
}

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

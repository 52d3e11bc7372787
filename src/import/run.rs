//! Running one import: read, stage in short transactions, apply in one.

use chrono::TimeDelta;
use sha2::{Digest, Sha256};

use super::headers::{header_of, Layout};
use super::kinds::{self, Context, Outcome, Prepared};
use super::source::{self, SourceRow};
use super::{apply, workbooks, Mode, Options, RowIssue, Summary, CHUNK};
use crate::db::models::audit::{self, Actor};
use crate::db::models::import::{self as model, NewImport, StagedRow};
use crate::db::{write_tx, Db, DbConnection};
use crate::error::AppError;
use crate::messages::imports as msg;

/// Where an import is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The file has about this many rows.
    Total(u64),
    /// This many rows were read and checked.
    Read(u64),
    /// Writing: this many staged rows written.
    Applied(u64),
}

/// How far past the top of the file the header may be.
const HEADER_SEARCH_ROWS: u32 = 30;

/// An import still staging after this long was left by a process that
/// ended; its staged rows are dropped.
const STALE_AFTER_HOURS: i64 = 6;

/// Imports `bytes` as `opts` say, acting as `actor`: the summary, or a
/// 422 for a file that cannot be read at all (not what its name says, no
/// header, a required column missing), or a 409 when a commit's final step
/// meets a record written meanwhile (nothing is then written). Blocking:
/// call it off the HTTP workers.
pub fn run(
    db: &Db,
    actor: &Actor,
    bytes: &[u8],
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, AppError> {
    let _labels = crate::messages::Labels::of(opts.kind.thing());
    let format = source::format_of(opts.file_name.as_deref(), bytes)?;
    let mut conn = db.get()?;
    let c: &mut DbConnection = &mut conn;
    let started = crate::db::models::now();
    write_tx(c, |c| model::abandon_stale(c, started - TimeDelta::hours(STALE_AFTER_HOURS)))?;
    let new = NewImport {
        kind: opts.kind.as_str().into(),
        mode: match opts.mode {
            Mode::DryRun => "dry_run".into(),
            Mode::Commit => "commit".into(),
        },
        status: "staging".into(),
        accept_partial: opts.accept_partial,
        file_name: opts.file_name.clone(),
        file_sha256: hex::encode(Sha256::digest(bytes)),
        actor: actor.name.clone(),
        actor_id: actor.id,
        created_at: started,
    };
    let import_id = write_tx(c, |c| model::create(c, &new))?;
    let actor = actor.importing(import_id);
    let mut summary = Summary {
        import_id,
        kind: opts.kind,
        mode: opts.mode,
        status: "staging".into(),
        rows: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: Vec::new(),
        warnings: Vec::new(),
        header_row: None,
        unknown_columns: Vec::new(),
        detail: None,
    };
    let outcome = stage_file(c, opts, format, bytes, &mut summary, progress);
    let result = outcome.and_then(|()| finish(c, &actor, opts, &mut summary, progress));
    match result {
        Ok(()) => Ok(summary),
        Err(e) => {
            summary.status = "failed".into();
            summary.inserted = 0;
            summary.updated = 0;
            summary.detail = Some(e.detail().zh);
            let failed = serde_json::to_string(&summary).unwrap_or_default();
            write_tx(c, |c| model::finish(c, import_id, "failed", &failed))?;
            Err(e)
        }
    }
}

/// Reads the file and stages its rows chunk by chunk.
fn stage_file(
    c: &mut DbConnection,
    opts: &Options,
    format: source::Format,
    bytes: &[u8],
    summary: &mut Summary,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), AppError> {
    let columns = kinds::columns(opts.kind);
    let mut ctx = Context { strict: opts.mode == Mode::Commit, ..Context::default() };
    let mut layout: Option<Layout> = None;
    let mut chunk: Vec<SourceRow> = Vec::with_capacity(CHUNK);
    let progress = std::cell::RefCell::new(progress);
    source::read_rows_ahead(
        bytes,
        format,
        opts.encoding,
        &mut |n| (progress.borrow_mut())(Progress::Total(n)),
        &mut |row| {
            if layout.is_none() {
                if let Some(found) = header_of(&row, columns) {
                    start(c, opts, &found, summary)?;
                    layout = Some(found);
                } else if row.number > HEADER_SEARCH_ROWS {
                    return Err(no_header(opts, bytes, format));
                }
                return Ok(());
            }
            let Some(found) = &layout else { return Ok(()) };
            if row.is_blank()
                || is_total_or_signature(&row)
                || nothing_read(found, &row)
                || workbooks::is_example(opts.kind, found, &row)
            {
                return Ok(());
            }
            chunk.push(row);
            if chunk.len() >= CHUNK {
                let rows = std::mem::take(&mut chunk);
                stage_chunk(c, opts, &mut ctx, found, &rows, summary)?;
                (progress.borrow_mut())(Progress::Read(summary.rows));
            }
            Ok(())
        },
    )?;
    let Some(found) = &layout else { return Err(no_header(opts, bytes, format)) };
    // Sheets after the first are not read: said, never silently left.
    if let [first, others @ ..] = source::sheet_names(bytes, format).as_slice() {
        if !others.is_empty() {
            let e = crate::error::FieldError::new("file", "other_sheets", msg::other_sheets_not_read(first, others));
            summary.warnings.push(crate::import::RowIssue::of(0, &e));
        }
    }
    stage_chunk(c, opts, &mut ctx, found, &chunk, summary)?;
    (progress.borrow_mut())(Progress::Read(summary.rows));
    Ok(())
}

/// No header in the first 30 rows of the first sheet: what the header
/// should name, and, in a workbook of several sheets, that only the first
/// (named) is read (an instructions sheet first hid the roster behind it).
fn no_header(opts: &Options, bytes: &[u8], format: source::Format) -> AppError {
    let mut e = msg::no_header(opts.kind, kinds::columns(opts.kind));
    if let [first, others @ ..] = source::sheet_names(bytes, format).as_slice() {
        if !others.is_empty() {
            let more = msg::no_header_in_first_sheet(first, others);
            e = crate::messages::Text::new(format!("{}。{}", e.zh, more.zh), format!("{}. {}", e.en, more.en));
        }
    }
    AppError::invalid("file", "no_header", e)
}

/// The header is found: every required column must be there.
fn start(c: &mut DbConnection, opts: &Options, layout: &Layout, summary: &mut Summary) -> Result<(), AppError> {
    let missing: Vec<&str> = kinds::columns(opts.kind)
        .iter()
        .filter(|col| col.required && !layout.has(col.field))
        .map(|col| col.names[0])
        .collect();
    if !missing.is_empty() {
        return Err(AppError::invalid("file", "missing_columns", msg::missing_columns(layout.row, &missing)));
    }
    summary.header_row = Some(layout.row);
    summary.unknown_columns = layout.unknown.clone();
    for name in &layout.unknown {
        summary.warnings.push(RowIssue::of(
            layout.row,
            &crate::error::FieldError::new(name.as_str(), "unknown_column", msg::unknown_column(name)),
        ));
    }
    let headers = serde_json::to_string(&layout.written).unwrap_or_default();
    write_tx(c, |c| model::set_headers(c, summary.import_id, layout.row as i32, &headers))?;
    Ok(())
}

/// A row with something only in columns no field is read from — a 序号
/// numbered ahead on rows left empty, a note under the table — holds
/// nothing to import (each such row was rejected twice, for 身份证号 and
/// 姓名, burying the real refusals).
fn nothing_read(layout: &Layout, row: &SourceRow) -> bool {
    row.cells.iter().enumerate().all(|(i, cell)| cell.is_blank() || layout.fields.get(i).is_none_or(Option::is_none))
}

/// 合计 rows and the signature line under a ledger are not data.
fn is_total_or_signature(row: &SourceRow) -> bool {
    let Some(first) = row.cells.iter().find(|c| !c.is_blank()) else { return true };
    let text: String = first.shown().split_whitespace().collect();
    [
        "合计",
        "总计",
        "小计",
        "填报单位",
        "填报人",
        "填表人",
        "审核人",
        "制表人",
        "负责人",
        "单位负责人",
        "填表日期",
        "制表日期",
    ]
    .iter()
    .any(|w| text.starts_with(w))
}

/// Decides a chunk, then stages it in one short transaction: deciding only
/// reads, so the write lock (all of SQLite's writers share one) is held for
/// the staging inserts alone and the desk's writes get in between chunks.
fn stage_chunk(
    c: &mut DbConnection,
    opts: &Options,
    ctx: &mut Context,
    layout: &Layout,
    rows: &[SourceRow],
    summary: &mut Summary,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let import_id = summary.import_id;
    let prepared = kinds::prepare(opts.kind, c, ctx, layout, rows)?;
    let mut staged = Vec::new();
    for (p, row) in prepared.into_iter().zip(rows) {
        if let Some(s) = tally(summary, import_id, p, row) {
            staged.push(s);
        }
    }
    write_tx(c, |c| Ok(model::stage(c, &staged)?))
}

/// Counts a decided row into the summary; what must be staged.
fn tally(summary: &mut Summary, import_id: i64, p: Prepared, row: &SourceRow) -> Option<StagedRow> {
    summary.rows += 1;
    summary.warnings.extend(p.warnings.iter().map(|w| RowIssue::of(p.number, w)));
    let staged = |action: &str, target: Option<i64>, payload: Option<String>| StagedRow {
        import_id,
        row_no: p.number as i32,
        action: action.into(),
        target_id: target,
        payload,
        cells: None,
        errors: None,
    };
    match p.outcome {
        Outcome::Insert(form) => {
            summary.inserted += 1;
            Some(staged("insert", None, Some(form.to_string())))
        }
        Outcome::Update(id, changes) => {
            summary.updated += 1;
            Some(staged("update", Some(id), Some(changes.to_string())))
        }
        Outcome::Unchanged => {
            summary.unchanged += 1;
            None
        }
        Outcome::Rejected(errors) => {
            let issues: Vec<RowIssue> = errors.iter().map(|e| RowIssue::of(p.number, e)).collect();
            let mut s = staged("rejected", None, None);
            s.cells = serde_json::to_string(&row.cells).ok();
            s.errors = serde_json::to_string(&issues).ok();
            summary.rejected.extend(issues);
            Some(s)
        }
    }
}

/// Applies a commit (or not) and records the end of the import.
fn finish(
    c: &mut DbConnection,
    actor: &Actor,
    opts: &Options,
    summary: &mut Summary,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), AppError> {
    let import_id = summary.import_id;
    let write = opts.mode == Mode::Commit && (summary.rejected.is_empty() || opts.accept_partial);
    summary.status = match (opts.mode, write) {
        (Mode::DryRun, _) => "dry_run",
        (Mode::Commit, true) => "applied",
        (Mode::Commit, false) => "refused",
    }
    .into();
    if opts.mode == Mode::Commit && !write {
        summary.inserted = 0;
        summary.updated = 0;
    }
    let json = serde_json::to_string(&summary).unwrap_or_default();
    let status = summary.status.clone();
    write_tx(c, |c| {
        if write {
            apply::apply(c, actor, opts.kind, import_id, &mut |n| progress(Progress::Applied(n)))?;
            let counts = serde_json::json!({
                "kind": opts.kind, "rows": summary.rows, "inserted": summary.inserted,
                "updated": summary.updated, "unchanged": summary.unchanged,
                "rejected_rows": summary.rejected_rows(),
            });
            audit::record(c, actor, "import", "import", Some(import_id), None::<&()>, Some(&counts))?;
        }
        model::finish(c, import_id, &status, &json)?;
        Ok(())
    })
}

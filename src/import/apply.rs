//! The final step of a commit: the staged rows written in one transaction
//! through the registry, so that either every row of the import is on file
//! or none is (DESIGN §8). Labourers go in multi-row statements
//! (`registry::labourers::register_many`); other kinds and every update
//! through the registry's create and change, one row at a time, with the
//! same rules as a typed-in record. A rule broken now (a record someone
//! else wrote meanwhile) fails the whole step, naming the row.

use serde::de::DeserializeOwned;

use super::ImportKind;
use crate::db::models::audit::Actor;
use crate::db::models::import::{self as model, StagedRow};
use crate::db::DbConnection;
use crate::error::AppError;
use crate::messages::imports as msg;
use crate::registry;

/// Staged rows read back per round trip.
const CHUNK: i64 = 1000;

/// Writes every staged insert and update of `import_id`, in row order,
/// inside the caller's transaction; `progress` is told the rows done.
pub fn apply(
    c: &mut DbConnection,
    actor: &Actor,
    kind: ImportKind,
    import_id: i64,
    progress: &mut dyn FnMut(u64),
) -> Result<(), AppError> {
    if kind == ImportKind::Labourers {
        return labourers(c, actor, import_id, progress);
    }
    let mut after = 0;
    let mut done = 0u64;
    loop {
        let rows = model::staged(c, import_id, &["insert", "update"], after, CHUNK)?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.row_no;
        done += rows.len() as u64;
        for row in rows {
            let number = row.row_no;
            one(c, actor, kind, row).map_err(|e| at_row(number, e))?;
        }
        progress(done);
    }
}

fn payload<F: DeserializeOwned>(row: &StagedRow) -> Result<F, AppError> {
    let text = row.payload.as_deref().unwrap_or("{}");
    serde_json::from_str(text).map_err(|e| AppError::Internal(anyhow::anyhow!("staged row {}: {e}", row.row_no)))
}

fn target(row: &StagedRow) -> Result<i64, AppError> {
    row.target_id.ok_or_else(|| AppError::Internal(anyhow::anyhow!("staged update {} has no target", row.row_no)))
}

/// A chunk of staged labourers, parsed and checked.
struct Parsed {
    /// The first staged row of the chunk.
    first: i32,
    /// Rows in the chunk.
    rows: u64,
    /// New people, as the registry checked them.
    new: Vec<crate::db::models::labourer::LabourerData>,
    /// Changes to people on file: (row, id, changes).
    changes: Vec<(i32, i64, registry::labourers::LabourerChanges)>,
}

/// Reads a chunk's payloads into the registry's typed records by the
/// registry's own parsing (the rules of a typed-in person).
fn parse_labourers(rows: Vec<StagedRow>) -> Result<Parsed, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Labourer);
    let first = rows.first().map(|r| r.row_no).unwrap_or_default();
    let mut parsed = Parsed { first, rows: rows.len() as u64, new: Vec::new(), changes: Vec::new() };
    for row in &rows {
        match row.action.as_str() {
            "insert" => {
                parsed.new.push(registry::labourers::parse_new(payload(row)?).map_err(|e| at_row(row.row_no, e))?)
            }
            _ => parsed.changes.push((row.row_no, target(row)?, payload(row)?)),
        }
    }
    Ok(parsed)
}

/// Labourers, on two cores: a second thread parses and checks chunk k + 1
/// while this one writes chunk k (its changes one by one, its new people in
/// bulk), all in the caller's transaction.
fn labourers(
    c: &mut DbConnection,
    actor: &Actor,
    import_id: i64,
    progress: &mut dyn FnMut(u64),
) -> Result<(), AppError> {
    use std::sync::mpsc::sync_channel;
    std::thread::scope(|s| {
        let (to_parse, parse_in) = sync_channel::<Vec<StagedRow>>(1);
        let (parsed_out, parsed) = sync_channel::<Result<Parsed, AppError>>(1);
        s.spawn(move || {
            for rows in parse_in {
                if parsed_out.send(parse_labourers(rows)).is_err() {
                    return;
                }
            }
        });
        // Both ends of this side are moved in, so an early error drops
        // them and the parsing thread ends.
        let mut write = move || -> Result<(), AppError> {
            let mut after = 0;
            let mut pending = 0;
            let mut done = 0u64;
            loop {
                let rows = model::staged(c, import_id, &["insert", "update"], after, CHUNK)?;
                let more = !rows.is_empty();
                if let Some(last) = rows.last() {
                    after = last.row_no;
                    to_parse.send(rows).map_err(|_| stopped())?;
                    pending += 1;
                }
                if pending == 2 || (!more && pending == 1) {
                    let chunk = parsed.recv().map_err(|_| stopped())??;
                    pending -= 1;
                    done += chunk.rows;
                    write_labourers(c, actor, chunk)?;
                    progress(done);
                }
                if !more && pending == 0 {
                    return Ok(());
                }
            }
        };
        write()
    })
}

fn stopped() -> AppError {
    AppError::Internal(anyhow::anyhow!("the import's parsing thread stopped"))
}

/// Writes a parsed chunk of labourers.
fn write_labourers(c: &mut DbConnection, actor: &Actor, chunk: Parsed) -> Result<(), AppError> {
    for (number, id, changes) in chunk.changes {
        registry::labourers::change(c, actor, id.into(), changes).map_err(|e| at_row(number, e))?;
    }
    let first = chunk.first;
    registry::labourers::register_many(c, actor, chunk.new).map_err(|e| match e {
        AppError::Conflict { .. } => AppError::conflict(msg::registered_meanwhile(first)),
        other => other,
    })?;
    Ok(())
}

fn one(c: &mut DbConnection, actor: &Actor, kind: ImportKind, row: StagedRow) -> Result<(), AppError> {
    use registry::{employers, placements, postings, vocational};
    let insert = row.action == "insert";
    match kind {
        ImportKind::Labourers => {}
        ImportKind::Employers if insert => {
            employers::register(c, actor, payload(&row)?)?;
        }
        ImportKind::Employers => {
            employers::change(c, actor, target(&row)?.into(), payload(&row)?)?;
        }
        ImportKind::Postings if insert => {
            postings::create(c, actor, payload(&row)?)?;
        }
        ImportKind::Postings => {
            postings::change(c, actor, target(&row)?.into(), payload(&row)?)?;
        }
        ImportKind::Placements if insert => {
            placements::create(c, actor, payload(&row)?)?;
        }
        ImportKind::Placements => {
            placements::change(c, actor, target(&row)?.into(), payload(&row)?)?;
        }
        ImportKind::VocationalEnrolments if insert => {
            vocational::create(c, actor, payload(&row)?)?;
        }
        ImportKind::VocationalEnrolments => {
            vocational::change(c, actor, target(&row)?, payload(&row)?)?;
        }
    }
    Ok(())
}

/// An error of row `number`, said as such: the commit is refused whole.
fn at_row(number: i32, e: AppError) -> AppError {
    match e {
        AppError::Internal(_) | AppError::Unavailable(_) => e,
        other => AppError::Conflict {
            detail: msg::failed_at_row(number, &other.detail()),
            errors: other.field_errors().to_vec(),
            existing_id: None,
        },
    }
}

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
    let mut after = 0;
    let mut done = 0u64;
    loop {
        let rows = model::staged(c, import_id, &["insert", "update"], after, CHUNK)?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.row_no;
        done += rows.len() as u64;
        if kind == ImportKind::Labourers {
            labourers(c, actor, rows)?;
        } else {
            for row in rows {
                let number = row.row_no;
                one(c, actor, kind, row).map_err(|e| at_row(number, e))?;
            }
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

/// Labourers: the inserts of the chunk in bulk, the updates one by one.
fn labourers(c: &mut DbConnection, actor: &Actor, rows: Vec<StagedRow>) -> Result<(), AppError> {
    use registry::labourers::{change, parse_new, register_many};
    let mut new = Vec::new();
    let first = rows.first().map(|r| r.row_no).unwrap_or_default();
    for row in &rows {
        match row.action.as_str() {
            "insert" => new.push(parse_new(payload(row)?).map_err(|e| at_row(row.row_no, e))?),
            _ => {
                change(c, actor, target(row)?.into(), payload(row)?).map_err(|e| at_row(row.row_no, e))?;
            }
        }
    }
    register_many(c, actor, new).map_err(|e| match e {
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

//! `imports` and `import_rows`: a roster import, its summary, and its rows
//! staged between reading the file and applying it (DESIGN §8).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{import_rows, imports};
use crate::db::DbConnection;

/// One import as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    /// Id, the `import_id` of the summary and of the audit trail.
    pub id: i64,
    /// `labourers`, `employers`, …
    pub kind: String,
    /// `dry_run` or `commit`.
    pub mode: String,
    /// `staging`, `applied`, `dry_run`, `refused`, `failed` or `abandoned`.
    pub status: String,
    /// Whether good rows were to be written despite rejected ones.
    pub accept_partial: bool,
    /// The uploaded file's name.
    pub file_name: Option<String>,
    /// SHA-256 of the file, hex.
    pub file_sha256: String,
    /// Who imported it.
    pub actor: String,
    /// Their `users.id`.
    pub actor_id: Option<i64>,
    /// The spreadsheet row of the header.
    pub header_row: Option<i32>,
    /// JSON list of the header cells as written.
    pub headers: Option<String>,
    /// JSON of the summary.
    pub summary: Option<String>,
    /// Started (UTC).
    pub created_at: NaiveDateTime,
    /// Finished (UTC).
    pub finished_at: Option<NaiveDateTime>,
}

/// What starting an import records.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = imports)]
pub struct NewImport {
    /// Kind.
    pub kind: String,
    /// Mode.
    pub mode: String,
    /// `staging`.
    pub status: String,
    /// Accept partial.
    pub accept_partial: bool,
    /// File name.
    pub file_name: Option<String>,
    /// SHA-256, hex.
    pub file_sha256: String,
    /// Actor name.
    pub actor: String,
    /// Actor id.
    pub actor_id: Option<i64>,
    /// Started.
    pub created_at: NaiveDateTime,
}

/// A staged row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = import_rows, treat_none_as_null = true)]
pub struct StagedRow {
    /// The import.
    pub import_id: i64,
    /// The spreadsheet row number the clerk sees.
    pub row_no: i32,
    /// `insert`, `update` or `rejected`.
    pub action: String,
    /// The record an update changes.
    pub target_id: Option<i64>,
    /// JSON of the registry form.
    pub payload: Option<String>,
    /// JSON of the cells as they came.
    pub cells: Option<String>,
    /// JSON of the errors.
    pub errors: Option<String>,
}

/// Records a new import and returns its id.
pub fn create(c: &mut DbConnection, new: &NewImport) -> QueryResult<i64> {
    diesel::insert_into(imports::table).values(new).returning(imports::id).get_result(c)
}

/// One import.
pub fn get(c: &mut DbConnection, id: i64) -> QueryResult<Option<ImportRow>> {
    imports::table.find(id).select(ImportRow::as_select()).first(c).optional()
}

/// Stores where the header was and what it said.
pub fn set_headers(c: &mut DbConnection, id: i64, row: i32, headers: &str) -> QueryResult<()> {
    diesel::update(imports::table.find(id))
        .set((imports::header_row.eq(Some(row)), imports::headers.eq(Some(headers))))
        .execute(c)
        .map(|_| ())
}

/// Stages rows, in multi-row statements.
pub fn stage(c: &mut DbConnection, rows: &[StagedRow]) -> QueryResult<()> {
    match c {
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(500) {
                diesel::insert_into(import_rows::table).values(chunk).execute(c)?;
            }
        }
        // One cached single-row statement (cheaper per row on SQLite).
        DbConnection::Sqlite(c) => {
            for row in rows {
                diesel::insert_into(import_rows::table).values(row).execute(c)?;
            }
        }
    }
    Ok(())
}

/// Up to `limit` staged rows with `row_no > after` and one of `actions`,
/// in row order.
pub fn staged(c: &mut DbConnection, id: i64, actions: &[&str], after: i32, limit: i64) -> QueryResult<Vec<StagedRow>> {
    import_rows::table
        .filter(import_rows::import_id.eq(id))
        .filter(import_rows::action.eq_any(actions))
        .filter(import_rows::row_no.gt(after))
        .order(import_rows::row_no.asc())
        .limit(limit)
        .select(StagedRow::as_select())
        .load(c)
}

/// Ends an import: its status and summary; the staged rows that were to be
/// written are dropped (the rejected ones stay for the workbook).
pub fn finish(c: &mut DbConnection, id: i64, status: &str, summary: &str) -> QueryResult<()> {
    diesel::delete(import_rows::table.filter(import_rows::import_id.eq(id)).filter(import_rows::action.ne("rejected")))
        .execute(c)?;
    diesel::update(imports::table.find(id))
        .set((
            imports::status.eq(status),
            imports::summary.eq(Some(summary)),
            imports::finished_at.eq(Some(super::now())),
        ))
        .execute(c)
        .map(|_| ())
}

/// Marks imports still staging since before `before` as abandoned (their
/// process ended mid-way: nothing of theirs was applied) and drops their
/// staged rows. Returns how many.
pub fn abandon_stale(c: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    let stale: Vec<i64> = imports::table
        .filter(imports::status.eq("staging"))
        .filter(imports::created_at.lt(before))
        .select(imports::id)
        .load(c)?;
    if stale.is_empty() {
        return Ok(0);
    }
    diesel::delete(import_rows::table.filter(import_rows::import_id.eq_any(&stale))).execute(c)?;
    diesel::update(imports::table.filter(imports::id.eq_any(&stale)))
        .set((imports::status.eq("abandoned"), imports::finished_at.eq(Some(super::now()))))
        .execute(c)
}

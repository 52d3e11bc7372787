//! The outbox: writes to searchable resources, appended in the writing
//! transaction, so the search index can be brought up to date from the
//! database alone (it is the only source of truth).

use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::DbConnection;

/// What happened to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Created or changed: (re)index it.
    Upsert,
    /// Gone: drop it from the index.
    Delete,
}

/// Appends one entry; call inside the write's transaction.
pub fn append(conn: &mut DbConnection, resource: &str, resource_id: i64, op: Op) -> QueryResult<()> {
    append_many(conn, resource, &[resource_id], op)
}

/// Appends one entry per id, in multi-row statements (bulk writes).
pub fn append_many(conn: &mut DbConnection, resource: &str, ids: &[i64], op: Op) -> QueryResult<()> {
    let at = super::now();
    let op = match op {
        Op::Upsert => "upsert",
        Op::Delete => "delete",
    };
    let rows: Vec<_> = ids
        .iter()
        .map(|id| (outbox::resource.eq(resource), outbox::resource_id.eq(*id), outbox::op.eq(op), outbox::at.eq(at)))
        .collect();
    match conn {
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(1000) {
                diesel::insert_into(outbox::table).values(chunk).execute(c)?;
            }
        }
        // One cached single-row statement (cheaper per row on SQLite).
        DbConnection::Sqlite(c) => {
            for row in &rows {
                diesel::insert_into(outbox::table).values(*row).execute(c)?;
            }
        }
    }
    Ok(())
}

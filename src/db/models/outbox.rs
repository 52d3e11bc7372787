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
    diesel::insert_into(outbox::table)
        .values((
            outbox::resource.eq(resource),
            outbox::resource_id.eq(resource_id),
            outbox::op.eq(match op {
                Op::Upsert => "upsert",
                Op::Delete => "delete",
            }),
            outbox::at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

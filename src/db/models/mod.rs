//! One file per table: row structs and the SQL that reads and writes them.

pub mod audit;
pub mod deadline;
pub mod duplicates;
pub mod east_spells;
pub mod employer;
pub mod enrolment;
pub mod import;
pub mod job_fair;
pub mod job_fair_intention;
pub mod labourer;
pub mod ledger;
pub mod ledger_jobs;
pub mod mail;
pub mod outbox;
pub mod placement;
pub mod posting;
pub mod programme;
pub mod search;
pub mod session;
pub mod target;
pub mod user;
pub mod vocational;

/// The current time as stored in `TIMESTAMP` columns (UTC, microseconds).
pub fn now() -> chrono::NaiveDateTime {
    let t = chrono::Utc::now().naive_utc();
    // PostgreSQL keeps microseconds; truncating here keeps both backends equal.
    chrono::DurationRound::duration_trunc(t, chrono::TimeDelta::microseconds(1)).unwrap_or(t)
}

/// A record with an id, a version and data a write replaces as a whole:
/// what the registry's shared get-or-404, version-checked update and
/// audited delete work on. Implemented by [`versioned_table!`].
pub trait Versioned: Sized + serde::Serialize {
    /// The record's id type.
    type Id: Copy + std::fmt::Display + Into<i64>;
    /// The columns a write sets.
    type Data;
    /// The record's id.
    fn id(&self) -> Self::Id;
    /// Its current version.
    fn version(&self) -> i32;
    /// Its data.
    fn data(&self) -> &Self::Data;
    /// Reads one record.
    fn fetch(c: &mut crate::db::DbConnection, id: Self::Id) -> diesel::QueryResult<Option<Self>>;
    /// Replaces the data if still at `version`.
    fn replace(
        c: &mut crate::db::DbConnection,
        id: Self::Id,
        version: i32,
        data: &Self::Data,
    ) -> diesel::QueryResult<Option<Self>>;
    /// Deletes the record.
    fn remove(c: &mut crate::db::DbConnection, id: Self::Id) -> diesel::QueryResult<usize>;
}

/// The SQL every versioned table shares, for a table whose row is
/// `{ id, #[diesel(embed)] data, created_at, updated_at, version }` and whose
/// data struct is both insertable and a changeset: insert, get, a
/// version-checked update, delete, the row lock, and the stored version.
macro_rules! versioned_table {
    ($table:ident, $id:ty, $row:ty, $data:ty) => {
        /// Inserts a record (version 1) and returns it as stored.
        pub fn insert(c: &mut $crate::db::DbConnection, d: &$data) -> diesel::QueryResult<$row> {
            let at = $crate::db::models::now();
            let id: $id = diesel::insert_into($table::table)
                .values((d, $table::created_at.eq(at), $table::updated_at.eq(at), $table::version.eq(1)))
                .returning($table::id)
                .get_result(c)?;
            get(c, id)?.ok_or(diesel::result::Error::NotFound)
        }

        /// One record by id.
        pub fn get(c: &mut $crate::db::DbConnection, id: $id) -> diesel::QueryResult<Option<$row>> {
            $table::table.find(id).select(<$row>::as_select()).first(c).optional()
        }

        /// Replaces the record's data if it is still at `version`; `None`
        /// when it is not (someone else changed it first).
        pub fn update(
            c: &mut $crate::db::DbConnection,
            id: $id,
            version: i32,
            d: &$data,
        ) -> diesel::QueryResult<Option<$row>> {
            let n = diesel::update($table::table.filter($table::id.eq(id)).filter($table::version.eq(version)))
                .set((d, $table::version.eq(version + 1), $table::updated_at.eq($crate::db::models::now())))
                .execute(c)?;
            if n == 0 {
                return Ok(None);
            }
            get(c, id)
        }

        /// Deletes one record.
        pub fn delete(c: &mut $crate::db::DbConnection, id: $id) -> diesel::QueryResult<usize> {
            diesel::delete($table::table.find(id)).execute(c)
        }

        impl $crate::db::models::Versioned for $row {
            type Id = $id;
            type Data = $data;
            fn id(&self) -> $id {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn data(&self) -> &$data {
                &self.data
            }
            fn fetch(c: &mut $crate::db::DbConnection, id: $id) -> diesel::QueryResult<Option<Self>> {
                get(c, id)
            }
            fn replace(
                c: &mut $crate::db::DbConnection,
                id: $id,
                version: i32,
                data: &$data,
            ) -> diesel::QueryResult<Option<Self>> {
                update(c, id, version, data)
            }
            fn remove(c: &mut $crate::db::DbConnection, id: $id) -> diesel::QueryResult<usize> {
                delete(c, id)
            }
        }

        /// A record with its bookkeeping columns, for inserts in bulk.
        #[derive(diesel::Insertable)]
        #[diesel(table_name = $table)]
        pub struct Stamped {
            /// The record.
            #[diesel(embed)]
            pub data: $data,
            /// Created.
            pub created_at: chrono::NaiveDateTime,
            /// Last changed.
            pub updated_at: chrono::NaiveDateTime,
            /// Version 1.
            pub version: i32,
        }

        /// Inserts many records in multi-row statements per backend (diesel
        /// cannot batch through the `MultiConnection`); for the import and
        /// the benchmark generator, after the rules have been applied.
        pub fn insert_many(c: &mut $crate::db::DbConnection, rows: Vec<$data>) -> diesel::QueryResult<usize> {
            let at = $crate::db::models::now();
            let stamped: Vec<Stamped> =
                rows.into_iter().map(|data| Stamped { data, created_at: at, updated_at: at, version: 1 }).collect();
            let mut n = 0;
            match c {
                // 200 rows of ~20 columns stay well under PostgreSQL's limit
                // on bound parameters.
                $crate::db::DbConnection::Pg(c) => {
                    for chunk in stamped.chunks(200) {
                        n += diesel::insert_into($table::table).values(chunk).execute(c)?;
                    }
                }
                // SQLite runs in-process: one single-row statement, prepared
                // once and cached, costs less per row than a multi-row one,
                // which diesel never caches and SQLite compiles anew each time
                // (BENCHMARKS.md, the import).
                $crate::db::DbConnection::Sqlite(c) => {
                    for s in &stamped {
                        n += diesel::insert_into($table::table).values(s).execute(c)?;
                    }
                }
            }
            Ok(n)
        }

        /// As [`insert_many`], returning the records as stored (for their
        /// audit entries), in no promised order.
        pub fn insert_many_returning(
            c: &mut $crate::db::DbConnection,
            rows: Vec<$data>,
        ) -> diesel::QueryResult<Vec<$row>> {
            let at = $crate::db::models::now();
            let stamped: Vec<Stamped> =
                rows.into_iter().map(|data| Stamped { data, created_at: at, updated_at: at, version: 1 }).collect();
            let mut out = Vec::with_capacity(stamped.len());
            match c {
                $crate::db::DbConnection::Pg(c) => {
                    for chunk in stamped.chunks(200) {
                        let stored: Vec<$row> = diesel::insert_into($table::table)
                            .values(chunk)
                            .returning(<$row>::as_returning())
                            .get_results(c)?;
                        out.extend(stored);
                    }
                }
                // One cached single-row statement (see `insert_many`), and
                // only the id read back: the rest is what was written.
                $crate::db::DbConnection::Sqlite(c) => {
                    type Row = $row;
                    for s in stamped {
                        let id: i64 =
                            diesel::insert_into($table::table).values(&s).returning($table::id).get_result(c)?;
                        out.push(Row {
                            id: <$id>::from(id),
                            data: s.data,
                            created_at: s.created_at,
                            updated_at: s.updated_at,
                            version: s.version,
                        });
                    }
                }
            }
            Ok(out)
        }

        /// Takes the row lock until the transaction ends, so checks across
        /// related rows (capacity, headcount, overlap) cannot race on
        /// PostgreSQL; on SQLite `BEGIN IMMEDIATE` already serialises
        /// writers. `false` when the record does not exist.
        pub fn lock(c: &mut $crate::db::DbConnection, id: $id) -> diesel::QueryResult<bool> {
            diesel::update($table::table.find(id)).set($table::version.eq($table::version)).execute(c).map(|n| n == 1)
        }
    };
}
pub(crate) use versioned_table;

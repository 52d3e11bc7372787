//! The reads of the two placement ledgers (new-transfers-east, stable-east)
//! at a province's scale: only east placements (by the stored, indexed
//! `work_province`), only of counted people with something that can make
//! them a row, streamed in person order so that the rules see one person at
//! a time and nothing grows with the registry (on PostgreSQL in libpq's
//! row-by-row mode, which otherwise buffers a whole result). None of these decides who
//! is counted: they only leave out rows the rules would ignore.

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::ledger::{LabourerRow, PlacementRow};
use crate::db::schema::{labourers, placements};
use crate::db::DbConnection;

diesel::alias!(placements as probe: Probe);

/// Runs `$query!()` (a macro building the same query for either backend)
/// on `$c` and calls `$f` with each `$row` in turn, as it arrives:
/// PostgreSQL in libpq's row-by-row mode (which otherwise hands over the
/// whole result at once), inside a transaction with JIT off — its
/// compiling (~0.12 s at 1M people) cost more than it saved on these plans
/// (0.93 s with it, 0.83 s without, same plan).
macro_rules! stream {
    ($c:expr, $query:ident, $row:ty, $f:expr) => {{
        match $c {
            DbConnection::Pg(pg) => pg.transaction::<_, E, _>(|pg| {
                pg.batch_execute("SET LOCAL jit = off")?;
                for row in $query!().load_iter::<$row, diesel::pg::PgRowByRowLoadingMode>(pg)? {
                    $f(row?)?;
                }
                Ok(())
            })?,
            DbConnection::Sqlite(lite) => {
                for row in $query!().load_iter::<$row, diesel::connection::DefaultLoadingMode>(lite)? {
                    $f(row?)?;
                }
            }
        }
        Ok(())
    }};
}

/// Which people a placement ledger can list, and which of their placements
/// the rules need.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    /// new-transfers-east: people with an east placement begun in
    /// [`from`, `as_of`]; their east placements begun by `as_of` and not
    /// ended before `eve` (the previous New Year's Eve).
    NewTransfers {
        /// Y-01-01.
        from: NaiveDate,
        /// D.
        as_of: NaiveDate,
        /// (Y−1)-12-31.
        eve: NaiveDate,
    },
    /// stable-east: people with an east placement ongoing at `as_of`; all
    /// their east placements begun by `as_of` (the spell needs the history).
    Stable {
        /// D.
        as_of: NaiveDate,
    },
}

/// Whose placements: the east provinces, the counted statuses, a county.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Province codes (two digits) that are the east.
    pub provinces: &'a [String],
    /// Poverty statuses that count.
    pub counted: &'a [String],
    /// Only people registered in this hukou county.
    pub county: Option<&'a str>,
    /// Only people whose id is in this range (both ends included). A
    /// ledger is read in two halves, on two connections when it has them:
    /// on SQLite even one after the other the halves cost less than the
    /// whole, as each looks up its people by index instead of scanning
    /// every placement.
    pub people: (i64, i64),
}

/// A placement as the rules weigh it, with its person's poverty status:
/// (id, labourer_id, region_code, started_on, ended_on, poverty_status).
pub type JobRow = (i64, i64, String, NaiveDate, Option<NaiveDate>, String);

/// Calls `f` with every placement the rules need for `sel`, in person order
/// (`labourer_id`, then `id`), one row at a time.
pub fn each_job<E: From<diesel::result::Error>>(
    c: &mut DbConnection,
    scope: Scope<'_>,
    sel: Selection,
    mut f: impl FnMut(JobRow) -> Result<(), E>,
) -> Result<(), E> {
    // The same query for either backend; PostgreSQL streams it row by row
    // (libpq would otherwise hand over the whole result at once).
    macro_rules! query {
        () => {{
            // The probe looks only at the same people (so that each part of
            // a ledger read in parts reads only its own part).
            let (first, last) = scope.people;
            let east = || {
                probe
                    .field(placements::work_province)
                    .eq_any(scope.provinces.to_vec())
                    .and(probe.field(placements::labourer_id).between(first, last))
            };
            let mut q = placements::table
                .inner_join(labourers::table)
                .filter(placements::work_province.eq_any(scope.provinces.to_vec()))
                .filter(labourers::poverty_status.eq_any(scope.counted.to_vec()))
                .select((
                    placements::id,
                    placements::labourer_id,
                    placements::region_code,
                    placements::started_on,
                    placements::ended_on,
                    labourers::poverty_status,
                ))
                .order((placements::labourer_id.asc(), placements::id.asc()))
                .into_boxed();
            q = match sel {
                Selection::NewTransfers { from, as_of, eve } => q
                    .filter(placements::started_on.le(as_of))
                    .filter(placements::ended_on.is_null().or(placements::ended_on.ge(eve)))
                    .filter(
                        placements::labourer_id.eq_any(
                            probe
                                .filter(east())
                                .filter(probe.field(placements::started_on).between(from, as_of))
                                .select(probe.field(placements::labourer_id)),
                        ),
                    ),
                Selection::Stable { as_of } => q.filter(placements::started_on.le(as_of)).filter(
                    placements::labourer_id.eq_any(
                        probe
                            .filter(east())
                            .filter(probe.field(placements::started_on).le(as_of))
                            .filter(
                                probe
                                    .field(placements::ended_on)
                                    .is_null()
                                    .or(probe.field(placements::ended_on).ge(as_of)),
                            )
                            .select(probe.field(placements::labourer_id)),
                    ),
                ),
            };
            if let Some(county) = scope.county {
                q = q.filter(labourers::hukou_region_code.eq(county.to_string()));
            }
            q = q.filter(placements::labourer_id.between(first, last));
            q
        }};
    }
    stream!(c, query, JobRow, f)
}

/// A placement ongoing at D with its kept east spell start:
/// (id, labourer_id, east_spell_started_on).
pub type SpellRow = (i64, i64, NaiveDate);

/// An ongoing placement as read, with the day it began (the order within
/// a person): (id, labourer_id, started_on, east_spell_started_on).
type Ongoing = (i64, i64, NaiveDate, NaiveDate);

/// stable-east from the kept spells ([`super::east_spells`]): calls `f`
/// with every east placement of `scope`'s people ongoing at `as_of`, in
/// person order (`labourer_id`, then `started_on`, then `id`), one row at a
/// time.
///
/// Read in two parts, each from an index that holds all it needs: those
/// ended on or after `as_of` (`placements_east_ended`, by end day: few for
/// a recent D), gathered first and put in order, then the open ones in
/// person order (`placements_east_open`), the two merged as they stream.
/// What is held is the first part's rows (four numbers each), never the
/// open ones.
pub fn each_ongoing_spell<E: From<diesel::result::Error>>(
    c: &mut DbConnection,
    scope: Scope<'_>,
    as_of: NaiveDate,
    mut f: impl FnMut(SpellRow) -> Result<(), E>,
) -> Result<(), E> {
    // PostgreSQL merges the open part with the people in id order: told the
    // people's range too, it reads only that range of them (0.17 s a half
    // at 1M people instead of 0.41 s for the whole, each half on its own
    // connection). SQLite then chose worse indexes for both parts.
    let bound_people = matches!(c, DbConnection::Pg(_));
    // `open`: the still-open part, else the part ended on or after D.
    macro_rules! part {
        ($open:expr) => {{
            let (first, last) = scope.people;
            let mut q = placements::table
                .inner_join(labourers::table)
                .filter(placements::east_spell_started_on.is_not_null())
                .filter(placements::started_on.le(as_of))
                .filter(labourers::poverty_status.eq_any(scope.counted.to_vec()))
                .select((
                    placements::id,
                    placements::labourer_id,
                    placements::started_on,
                    placements::east_spell_started_on.assume_not_null(),
                ))
                .into_boxed();
            q = if $open {
                q.filter(placements::ended_on.is_null()).filter(placements::labourer_id.between(first, last)).order((
                    placements::labourer_id.asc(),
                    placements::started_on.asc(),
                    placements::id.asc(),
                ))
            } else {
                // `+ 0`: the people's range is a test on each row here, not
                // a range of an index by person (which SQLite, without
                // statistics, would otherwise prefer to the end day's).
                q.filter(placements::ended_on.ge(as_of)).filter((placements::labourer_id + 0i64).between(first, last))
            };
            if let Some(county) = scope.county {
                q = q.filter(labourers::hukou_region_code.eq(county.to_string()));
            }
            if bound_people {
                q = q.filter(labourers::id.between(first, last));
            }
            q
        }};
    }
    macro_rules! open_part {
        () => {
            part!(true)
        };
    }
    macro_rules! ended_part {
        () => {
            part!(false)
        };
    }
    let mut ended: Vec<Ongoing> = Vec::new();
    stream!(c, ended_part, Ongoing, |row| {
        ended.push(row);
        Ok::<(), E>(())
    })?;
    let key = |r: &Ongoing| (r.1, r.2, r.0);
    ended.sort_unstable_by_key(key);
    let mut ended = ended.into_iter().peekable();
    let spell = |(id, labourer_id, _, start): Ongoing| (id, labourer_id, start);
    stream!(c, open_part, Ongoing, |row: Ongoing| {
        while let Some(before) = ended.next_if(|e| key(e) < key(&row)) {
            f(spell(before))?;
        }
        f(spell(row))
    })?;
    ended.try_for_each(|row| f(spell(row)))
}

/// A placement a ledger row shows, with its person.
pub type ShownRow = (PlacementRow, LabourerRow);

/// The placements `ids` (at most a few hundred: one statement), each with
/// its person, in no particular order (the caller puts them in its own).
/// A placement deleted since its id was read is left out.
///
/// Read by primary key rather than by the ledger's own conditions: once the
/// rules have chosen the rows, looking up those alone costs a fraction of
/// scanning every placement again (on SQLite, 290,000 lookups against a
/// scan and sort of 3,000,000 rows). The registered employer's name is not
/// joined here: a ledger names the same employers over and over, and its
/// reader keeps the names it has looked up ([`crate::db::models::employer::names_by_id`]).
/// No `ORDER BY`: SQLite copied each whole row into its sorter.
pub fn shown(c: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ShownRow>> {
    macro_rules! query {
        () => {
            placements::table
                .inner_join(labourers::table)
                .filter(placements::id.eq_any(ids))
                .select((PlacementRow::as_select(), LabourerRow::as_select()))
        };
    }
    match c {
        DbConnection::Pg(pg) => query!().load(pg),
        DbConnection::Sqlite(lite) => query!().load(lite),
    }
}

/// The highest labourer id (0 for none): where a ledger read on two
/// connections splits its people.
pub fn last_labourer_id(c: &mut DbConnection) -> QueryResult<i64> {
    let q = labourers::table.select(diesel::dsl::max(labourers::id));
    let max: Option<i64> = match c {
        DbConnection::Pg(pg) => q.get_result(pg)?,
        DbConnection::Sqlite(lite) => q.get_result(lite)?,
    };
    Ok(max.unwrap_or(0))
}

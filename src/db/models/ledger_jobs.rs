//! The reads of the two placement ledgers (new-transfers-east, stable-east)
//! at a province's scale: only east placements (by the stored, indexed
//! `work_province`), only of counted people with something that can make
//! them a row, streamed in person order so that the rules see one person at
//! a time and nothing grows with the registry (on PostgreSQL in libpq's
//! row-by-row mode, which otherwise buffers a whole result). None of these decides who
//! is counted: they only leave out rows the rules would ignore.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::ledger::{LabourerRow, PlacementRow};
use crate::db::schema::{employers, labourers, placements};
use crate::db::DbConnection;

diesel::alias!(placements as probe: Probe);

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
            let east = || probe.field(placements::work_province).eq_any(scope.provinces.to_vec());
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
            q
        }};
    }
    match c {
        DbConnection::Pg(pg) => {
            for row in query!().load_iter::<JobRow, diesel::pg::PgRowByRowLoadingMode>(pg)? {
                f(row?)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for row in query!().load_iter::<JobRow, diesel::connection::DefaultLoadingMode>(lite)? {
                f(row?)?;
            }
        }
    }
    Ok(())
}

/// A placement a ledger row may show, with its person and employer's name.
pub type ShownRow = (PlacementRow, LabourerRow, Option<String>);

/// Calls `f` with every placement that can be shown on a row for `sel` (for
/// new-transfers-east: east, begun in [from, D]; for stable-east: east,
/// ongoing at D), joined with its person and registered employer, in person
/// order (`labourer_id`, then `id`). The caller picks the ones the rules chose.
pub fn each_shown<E: From<diesel::result::Error>>(
    c: &mut DbConnection,
    scope: Scope<'_>,
    sel: Selection,
    mut f: impl FnMut(ShownRow) -> Result<(), E>,
) -> Result<(), E> {
    macro_rules! query {
        () => {{
            let mut q = placements::table
                .inner_join(labourers::table)
                .left_join(employers::table.on(placements::employer_id.eq(employers::id.nullable())))
                .filter(placements::work_province.eq_any(scope.provinces.to_vec()))
                .filter(labourers::poverty_status.eq_any(scope.counted.to_vec()))
                .select((PlacementRow::as_select(), LabourerRow::as_select(), employers::name.nullable()))
                .order((placements::labourer_id.asc(), placements::id.asc()))
                .into_boxed();
            q = match sel {
                Selection::NewTransfers { from, as_of, .. } => q.filter(placements::started_on.between(from, as_of)),
                Selection::Stable { as_of } => q
                    .filter(placements::started_on.le(as_of))
                    .filter(placements::ended_on.is_null().or(placements::ended_on.ge(as_of))),
            };
            if let Some(county) = scope.county {
                q = q.filter(labourers::hukou_region_code.eq(county.to_string()));
            }
            q
        }};
    }
    match c {
        DbConnection::Pg(pg) => {
            for row in query!().load_iter::<ShownRow, diesel::pg::PgRowByRowLoadingMode>(pg)? {
                f(row?)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for row in query!().load_iter::<ShownRow, diesel::connection::DefaultLoadingMode>(lite)? {
                f(row?)?;
            }
        }
    }
    Ok(())
}

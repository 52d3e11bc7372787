//! What one run of several ledgers of the same request has computed so
//! far, so that none is computed twice (the bundle, the dashboard, target
//! progress).

use std::collections::HashMap;

use super::build::{built, Built, Request};
use super::rules::PlacementEntry;
use super::{placement, programmes, Kind};
use crate::db::DbConnection;
use crate::error::AppError;

/// The counts of the ledgers of one request (year, as-of day, county,
/// rules) computed so far, and the rows the rules chose for a placement
/// ledger counted but not yet laid out. The summary counts every ledger a
/// target names, and the bundle then lays the same ledgers out: with one
/// `Counted` for both, no ledger's rules run twice (at a province's scale
/// stable-east's alone take seconds). Only for one request: the counts do
/// not say which year or county they are of.
#[derive(Debug, Default)]
pub struct Counted {
    counts: HashMap<Kind, i64>,
    chosen: HashMap<Kind, Vec<PlacementEntry>>,
    built: HashMap<Kind, Built>,
}

impl Counted {
    /// The count of `kind` for `r`'s year, day, county and rules, as the
    /// summary and target progress use it (a placement ledger's count is
    /// the rules' choice; no row is laid out, and the choice is kept for
    /// [`compute_counted`](super::build::compute_counted)).
    pub fn count(&mut self, c: &mut DbConnection, r: &Request, kind: Kind) -> Result<i64, AppError> {
        if let Some(n) = self.counts.get(&kind) {
            return Ok(*n);
        }
        let sub = Request { kind, unmasked: false, ..r.clone() };
        let n = match kind {
            Kind::NewTransfersEast | Kind::StableEast => {
                let chosen = placement::entries(c, &sub)?;
                let n = chosen.len() as i64;
                self.chosen.insert(kind, chosen);
                n
            }
            // The summary's count is its number of rows (one a target);
            // what it counts is kept here for the other ledgers.
            Kind::Summary => programmes::summary(c, &sub, self)?.2,
            _ => {
                let b = built(c, &sub)?;
                let n = b.2;
                self.built.insert(kind, b);
                n
            }
        };
        self.counts.insert(kind, n);
        Ok(n)
    }

    /// Takes in what `other` counted for the same request (computed on
    /// another connection at the same time); what this one already holds
    /// stays.
    pub fn merge(&mut self, other: Counted) {
        for (kind, n) in other.counts {
            self.counts.entry(kind).or_insert(n);
        }
        for (kind, chosen) in other.chosen {
            self.chosen.entry(kind).or_insert(chosen);
        }
        for (kind, built) in other.built {
            self.built.entry(kind).or_insert(built);
        }
    }

    /// The whole ledger of `kind` (one held whole, see
    /// [`built`](super::build::built)) when it was counted, once.
    pub(super) fn take_built(&mut self, kind: Kind) -> Option<Built> {
        self.built.remove(&kind)
    }

    /// The rows the rules chose for `kind` when it was counted, once.
    pub(super) fn take_chosen(&mut self, kind: Kind) -> Option<Vec<PlacementEntry>> {
        self.chosen.remove(&kind)
    }

    /// Notes the count of a ledger just computed.
    pub(super) fn record(&mut self, kind: Kind, n: i64) {
        self.counts.insert(kind, n);
    }
}

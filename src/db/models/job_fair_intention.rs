//! `job_fair_intentions`: a person's intention (意向) for a posting at a
//! fair, which may end in a hire (a placement) or be declined.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::job_fair_intentions;
use crate::db::DbConnection;
use crate::domain::{IntentionStatus, JobFairId, LabourerId, PlacementId, PostingId};

/// A row of `job_fair_intentions`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = job_fair_intentions)]
pub struct IntentionRow {
    /// Id.
    pub id: i64,
    /// The fair.
    pub job_fair_id: JobFairId,
    /// The person.
    pub labourer_id: LabourerId,
    /// The posting.
    pub posting_id: PostingId,
    /// Intended, hired or declined.
    pub status: IntentionStatus,
    /// The placement a hire created.
    pub placement_id: Option<PlacementId>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// An intention of one person for one posting at a fair, if recorded.
pub fn intention_for(
    c: &mut DbConnection,
    fair: JobFairId,
    labourer: LabourerId,
    posting: PostingId,
) -> QueryResult<Option<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::job_fair_id.eq(fair))
        .filter(job_fair_intentions::labourer_id.eq(labourer))
        .filter(job_fair_intentions::posting_id.eq(posting))
        .select(IntentionRow::as_select())
        .first(c)
        .optional()
}

/// Records an intention.
pub fn add_intention(
    c: &mut DbConnection,
    fair: JobFairId,
    labourer: LabourerId,
    posting: PostingId,
) -> QueryResult<IntentionRow> {
    let at = super::now();
    let id: i64 = diesel::insert_into(job_fair_intentions::table)
        .values((
            job_fair_intentions::job_fair_id.eq(fair),
            job_fair_intentions::labourer_id.eq(labourer),
            job_fair_intentions::posting_id.eq(posting),
            job_fair_intentions::status.eq(IntentionStatus::Intended),
            job_fair_intentions::created_at.eq(at),
            job_fair_intentions::updated_at.eq(at),
            job_fair_intentions::version.eq(1),
        ))
        .returning(job_fair_intentions::id)
        .get_result(c)?;
    intention(c, id)?.ok_or(diesel::result::Error::NotFound)
}

/// One intention.
pub fn intention(c: &mut DbConnection, id: i64) -> QueryResult<Option<IntentionRow>> {
    job_fair_intentions::table.find(id).select(IntentionRow::as_select()).first(c).optional()
}

/// A page of a fair's intentions.
pub fn intentions(c: &mut DbConnection, fair: JobFairId, after: i64, limit: i64) -> QueryResult<Vec<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::job_fair_id.eq(fair))
        .filter(job_fair_intentions::id.gt(after))
        .order(job_fair_intentions::id.asc())
        .limit(limit)
        .select(IntentionRow::as_select())
        .load(c)
}

/// The fair's `limit` latest intentions, the latest first.
pub fn latest_intentions(c: &mut DbConnection, fair: JobFairId, limit: i64) -> QueryResult<Vec<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::job_fair_id.eq(fair))
        .order(job_fair_intentions::id.desc())
        .limit(limit)
        .select(IntentionRow::as_select())
        .load(c)
}

/// The intentions whose hire made placement `placement`.
pub fn hired_into(c: &mut DbConnection, placement: PlacementId) -> QueryResult<Vec<IntentionRow>> {
    job_fair_intentions::table
        .filter(job_fair_intentions::placement_id.eq(placement))
        .select(IntentionRow::as_select())
        .load(c)
}

/// Moves an intention to `status`, if it is still at `version`.
pub fn set_intention_status(
    c: &mut DbConnection,
    id: i64,
    version: i32,
    status: IntentionStatus,
    placement: Option<PlacementId>,
) -> QueryResult<Option<IntentionRow>> {
    let n = diesel::update(
        job_fair_intentions::table
            .filter(job_fair_intentions::id.eq(id))
            .filter(job_fair_intentions::version.eq(version)),
    )
    .set((
        job_fair_intentions::status.eq(status),
        job_fair_intentions::placement_id.eq(placement),
        job_fair_intentions::version.eq(version + 1),
        job_fair_intentions::updated_at.eq(super::now()),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    intention(c, id)
}

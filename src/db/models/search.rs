//! What the search index reads from the registry: postings with their
//! employer, labourers with their certificates, used headcount and ongoing
//! placements, in batches.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::enrolment::Certificate;
use super::labourer::LabourerRow;
use super::posting::PostingRow;
use crate::db::schema::{
    employers, enrolments, labourers, outbox, placements, postings, training_programmes, training_sessions,
};
use crate::db::DbConnection;

/// A posting with what search shows of its employer.
#[derive(Debug, Clone)]
pub struct PostingDoc {
    /// The posting.
    pub posting: PostingRow,
    /// The employer's name.
    pub employer_name: String,
    /// The employer's region code.
    pub employer_region: String,
    /// Placements filling its places (one query per batch, not per posting).
    pub hired: i64,
}

fn with_employer(c: &mut DbConnection, rows: Vec<(PostingRow, String, String)>) -> QueryResult<Vec<PostingDoc>> {
    let ids: Vec<i64> = rows.iter().map(|(p, _, _)| p.id.get()).collect();
    let hired: std::collections::HashMap<i64, i64> = hires_of(c, &ids)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|(posting, employer_name, employer_region)| {
            let hired = hired.get(&posting.id.get()).copied().unwrap_or(0);
            PostingDoc { posting, employer_name, employer_region, hired }
        })
        .collect())
}

/// Postings with these ids (missing ones are gone).
pub fn postings_by_ids(c: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<PostingDoc>> {
    postings::table
        .inner_join(employers::table.on(employers::id.eq(postings::employer_id)))
        .filter(postings::id.eq_any(ids))
        .select((PostingRow::as_select(), employers::name, employers::region_code))
        .load(c)
        .and_then(|rows| with_employer(c, rows))
}

/// The next page of postings after `after`, by id.
pub fn postings_page(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<PostingDoc>> {
    postings::table
        .inner_join(employers::table.on(employers::id.eq(postings::employer_id)))
        .filter(postings::id.gt(after))
        .order(postings::id.asc())
        .limit(limit)
        .select((PostingRow::as_select(), employers::name, employers::region_code))
        .load(c)
        .and_then(|rows| with_employer(c, rows))
}

/// Labourers with these ids.
pub fn labourers_by_ids(c: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<LabourerRow>> {
    labourers::table.filter(labourers::id.eq_any(ids)).select(LabourerRow::as_select()).load(c)
}

/// The next page of labourers after `after`, by id.
pub fn labourers_page(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<LabourerRow>> {
    labourers::table
        .filter(labourers::id.gt(after))
        .order(labourers::id.asc())
        .limit(limit)
        .select(LabourerRow::as_select())
        .load(c)
}

/// Certificates of these labourers, as `(labourer_id, certificate)`.
pub fn certificates_of(c: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, Certificate)>> {
    let rows: Vec<(crate::domain::LabourerId, Certificate)> = enrolments::table
        .inner_join(training_sessions::table.inner_join(training_programmes::table))
        .filter(enrolments::labourer_id.eq_any(ids))
        .filter(enrolments::status.eq(crate::domain::EnrolmentStatus::Completed))
        .filter(enrolments::certificate_no.is_not_null())
        .order(enrolments::id.asc())
        .select((
            enrolments::labourer_id,
            (
                enrolments::certificate_no.assume_not_null(),
                enrolments::certificate_kind,
                enrolments::certificate_level,
                enrolments::certified_on,
                training_programmes::certificate_name,
                training_programmes::occupation,
                enrolments::id,
            ),
        ))
        .load(c)?;
    Ok(rows.into_iter().map(|(l, c)| (l.get(), c)).collect())
}

/// Used headcount (placements filling them) of these postings.
pub fn hires_of(c: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    let rows: Vec<(Option<i64>, i64)> = placements::table
        .filter(placements::posting_id.eq_any(ids.iter().map(|&i| Some(i)).collect::<Vec<_>>()))
        .group_by(placements::posting_id)
        .select((placements::posting_id, diesel::dsl::count_star()))
        .load(c)?;
    Ok(rows.into_iter().filter_map(|(p, n)| p.map(|p| (p, n))).collect())
}

/// Which of these labourers are in a placement ongoing on `today`.
pub fn employed_of(c: &mut DbConnection, ids: &[i64], today: NaiveDate) -> QueryResult<Vec<i64>> {
    placements::table
        .filter(placements::labourer_id.eq_any(ids))
        .filter(placements::started_on.le(today))
        .filter(placements::ended_on.is_null().or(placements::ended_on.ge(today)))
        .select(placements::labourer_id)
        .distinct()
        .load(c)
}

/// Postings and labourers in the registry, for progress bars.
pub fn counts(c: &mut DbConnection) -> QueryResult<(i64, i64)> {
    Ok((postings::table.count().get_result(c)?, labourers::table.count().get_result(c)?))
}

/// The newest outbox entry's id (0 when empty).
pub fn outbox_head(c: &mut DbConnection) -> QueryResult<i64> {
    Ok(outbox::table.select(diesel::dsl::max(outbox::id)).first::<Option<i64>>(c)?.unwrap_or(0))
}

/// The newest outbox entry ever pruned (0 when none was): an index whose
/// cursor is below it has missed writes and must be rebuilt.
pub fn outbox_pruned_through(c: &mut DbConnection) -> QueryResult<i64> {
    use crate::db::schema::outbox_pruned;
    Ok(outbox_pruned::table.select(outbox_pruned::through_id).first::<i64>(c).optional()?.unwrap_or(0))
}

/// Deletes the outbox entries written before `before`, always keeping the
/// newest entry, and raises the pruning mark to the newest one deleted.
/// Returns how many were deleted. Call inside a write transaction; two
/// instances pruning at once delete the same entries.
pub fn prune_outbox(c: &mut DbConnection, before: chrono::NaiveDateTime) -> QueryResult<usize> {
    use crate::db::schema::outbox_pruned;
    let head = outbox_head(c)?;
    let through: Option<i64> = outbox::table
        .filter(outbox::at.lt(before))
        .filter(outbox::id.lt(head))
        .select(diesel::dsl::max(outbox::id))
        .first(c)?;
    let Some(through) = through else { return Ok(0) };
    let mark = outbox_pruned_through(c)?.max(through);
    let at = super::now();
    let row = (outbox_pruned::id.eq(1i16), outbox_pruned::through_id.eq(mark), outbox_pruned::at.eq(at));
    let set = (outbox_pruned::through_id.eq(mark), outbox_pruned::at.eq(at));
    match c {
        DbConnection::Pg(c) => diesel::insert_into(outbox_pruned::table)
            .values(row)
            .on_conflict(outbox_pruned::id)
            .do_update()
            .set(set)
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(outbox_pruned::table)
            .values(row)
            .on_conflict(outbox_pruned::id)
            .do_update()
            .set(set)
            .execute(c)?,
    };
    diesel::delete(outbox::table.filter(outbox::id.le(through))).execute(c)
}

/// Entries after `after`: how many, and when the oldest of them was written.
pub fn outbox_pending(c: &mut DbConnection, after: i64) -> QueryResult<(i64, Option<chrono::NaiveDateTime>)> {
    outbox::table
        .filter(outbox::id.gt(after))
        .select((diesel::dsl::count_star(), diesel::dsl::min(outbox::at)))
        .first(c)
}

/// One outbox entry.
#[derive(Debug, Clone, Queryable)]
pub struct OutboxEntry {
    /// Its place in the order of writes.
    pub id: i64,
    /// `posting` or `labourer`.
    pub resource: String,
    /// The record's id.
    pub resource_id: i64,
    /// `upsert` or `delete`.
    pub op: String,
    /// When it was written.
    pub at: chrono::NaiveDateTime,
}

/// Entries after `after`, oldest first.
pub fn outbox_after(c: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<OutboxEntry>> {
    outbox::table
        .filter(outbox::id.gt(after))
        .order(outbox::id.asc())
        .limit(limit)
        .select((outbox::id, outbox::resource, outbox::resource_id, outbox::op, outbox::at))
        .load(c)
}

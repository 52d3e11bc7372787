//! What the mail side keeps: submissions (for good), deadline reminders
//! (claimed once, so no two instances send the same one), saved searches.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{alert_deliveries, deadline_reminders, postings, saved_searches, submissions};
use crate::db::DbConnection;

/// A row of `submissions`, without the attachment bytes.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = submissions)]
pub struct SubmissionRow {
    pub id: i64,
    pub year: i32,
    pub as_of: NaiveDate,
    pub recipients: String,
    pub subject: String,
    pub attachment_name: String,
    pub attachment_sha256: String,
    pub status: String,
    pub attempts: i32,
    pub smtp_response: Option<String>,
    pub message_id: Option<String>,
    pub error: Option<String>,
    pub sent_by: String,
    pub sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new submission, before its first attempt.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = submissions)]
pub struct NewSubmission {
    pub year: i32,
    pub as_of: NaiveDate,
    pub recipients: String,
    pub subject: String,
    pub attachment_name: String,
    pub attachment: Vec<u8>,
    pub attachment_sha256: String,
    pub status: String,
    pub attempts: i32,
    pub sent_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Stores a submission about to be sent.
pub fn insert_submission(c: &mut DbConnection, s: &NewSubmission) -> QueryResult<SubmissionRow> {
    let id: i64 = diesel::insert_into(submissions::table).values(s).returning(submissions::id).get_result(c)?;
    submissions::table.find(id).select(SubmissionRow::as_select()).first(c)
}

/// One submission.
pub fn submission(c: &mut DbConnection, id: i64) -> QueryResult<Option<SubmissionRow>> {
    submissions::table.find(id).select(SubmissionRow::as_select()).first(c).optional()
}

/// The exact bytes that were (or will be) sent. A submission whose bytes
/// were already stored with an earlier one (the same SHA-256) keeps none of
/// its own and reads them there.
pub fn attachment(c: &mut DbConnection, id: i64) -> QueryResult<Option<Vec<u8>>> {
    let Some((bytes, sha)) = submissions::table
        .find(id)
        .select((submissions::attachment, submissions::attachment_sha256))
        .first::<(Vec<u8>, String)>(c)
        .optional()?
    else {
        return Ok(None);
    };
    if !bytes.is_empty() {
        return Ok(Some(bytes));
    }
    stored_bytes(c, &sha).map(|b| Some(b.unwrap_or_default()))
}

/// The bytes some submission already keeps for this SHA-256, if any does.
pub fn stored_bytes(c: &mut DbConnection, sha256: &str) -> QueryResult<Option<Vec<u8>>> {
    submissions::table
        .filter(submissions::attachment_sha256.eq(sha256))
        .filter(submissions::attachment.ne(Vec::<u8>::new()))
        .select(submissions::attachment)
        .order(submissions::id)
        .first(c)
        .optional()
}

/// Whether some submission already keeps the bytes of this SHA-256.
pub fn has_bytes(c: &mut DbConnection, sha256: &str) -> QueryResult<bool> {
    use diesel::dsl::exists;
    diesel::select(exists(
        submissions::table
            .filter(submissions::attachment_sha256.eq(sha256))
            .filter(submissions::attachment.ne(Vec::<u8>::new())),
    ))
    .get_result(c)
}

/// Submissions, newest first.
pub fn submissions(c: &mut DbConnection, before: Option<i64>, limit: i64) -> QueryResult<Vec<SubmissionRow>> {
    let mut q = submissions::table.select(SubmissionRow::as_select()).into_boxed();
    if let Some(b) = before {
        q = q.filter(submissions::id.lt(b));
    }
    q.order(submissions::id.desc()).limit(limit).load(c)
}

/// Moves a submission from `sending` to its outcome; `false` if another
/// attempt got there first.
pub fn finish_submission(
    c: &mut DbConnection,
    id: i64,
    ok: bool,
    smtp_response: Option<&str>,
    message_id: Option<&str>,
    error: Option<&str>,
) -> QueryResult<bool> {
    let now = super::now();
    let n = diesel::update(submissions::table.filter(submissions::id.eq(id)).filter(submissions::status.eq("sending")))
        .set((
            submissions::status.eq(if ok { "sent" } else { "failed" }),
            submissions::smtp_response.eq(smtp_response),
            submissions::message_id.eq(message_id),
            submissions::error.eq(error),
            submissions::sent_at.eq(if ok { Some(now) } else { None }),
            submissions::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(n == 1)
}

/// Minutes after which a submission still `sending` is stalled (its
/// process stopped mid-send; a send takes at most `transport::WHOLE_SEND`).
pub const STALLED_AFTER_MINUTES: i64 = 5;

/// Whether a submission in `status` since `updated_at` may be sent again.
pub fn may_retry(status: &str, updated_at: chrono::NaiveDateTime) -> bool {
    status == "failed"
        || (status == "sending" && updated_at < super::now() - chrono::Duration::minutes(STALLED_AFTER_MINUTES))
}

/// Claims a failed (or stalled) submission for another attempt; `false` if neither.
pub fn claim_retry(c: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let stalled = super::now() - chrono::Duration::minutes(STALLED_AFTER_MINUTES);
    let may =
        submissions::status.eq("failed").or(submissions::status.eq("sending").and(submissions::updated_at.lt(stalled)));
    let n = diesel::update(submissions::table.filter(submissions::id.eq(id)).filter(may))
        .set((
            submissions::status.eq("sending"),
            submissions::attempts.eq(submissions::attempts + 1),
            submissions::updated_at.eq(super::now()),
        ))
        .execute(c)?;
    Ok(n == 1)
}

/// Claims one reminder of a deadline: inserts its row, which only one
/// instance can do (the pair is unique). A `failed` reminder may be claimed
/// again. `true` means this caller now owns sending it.
pub fn claim_reminder(c: &mut DbConnection, deadline_id: i64, days_before: i32, by: &str) -> QueryResult<bool> {
    let existing: Option<(i64, String)> = deadline_reminders::table
        .filter(deadline_reminders::deadline_id.eq(deadline_id))
        .filter(deadline_reminders::days_before.eq(days_before))
        .select((deadline_reminders::id, deadline_reminders::status))
        .first(c)
        .optional()?;
    match existing {
        None => {
            let inserted = diesel::insert_into(deadline_reminders::table)
                .values((
                    deadline_reminders::deadline_id.eq(deadline_id),
                    deadline_reminders::days_before.eq(days_before),
                    deadline_reminders::status.eq("claimed"),
                    deadline_reminders::claimed_by.eq(by),
                    deadline_reminders::claimed_at.eq(super::now()),
                ))
                .execute(c);
            match inserted {
                Ok(_) => Ok(true),
                // Another instance inserted it between our read and write.
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        }
        Some((id, status)) if status == "failed" => {
            let n = diesel::update(
                deadline_reminders::table
                    .filter(deadline_reminders::id.eq(id))
                    .filter(deadline_reminders::status.eq("failed")),
            )
            .set((
                deadline_reminders::status.eq("claimed"),
                deadline_reminders::claimed_by.eq(by),
                deadline_reminders::claimed_at.eq(super::now()),
            ))
            .execute(c)?;
            Ok(n == 1)
        }
        Some(_) => Ok(false),
    }
}

/// Records how a claimed reminder went.
pub fn finish_reminder(
    c: &mut DbConnection,
    deadline_id: i64,
    days_before: i32,
    ok: bool,
    smtp_response: Option<&str>,
    error: Option<&str>,
) -> QueryResult<()> {
    diesel::update(
        deadline_reminders::table
            .filter(deadline_reminders::deadline_id.eq(deadline_id))
            .filter(deadline_reminders::days_before.eq(days_before)),
    )
    .set((
        deadline_reminders::status.eq(if ok { "sent" } else { "failed" }),
        deadline_reminders::sent_at.eq(if ok { Some(super::now()) } else { None }),
        deadline_reminders::smtp_response.eq(smtp_response),
        deadline_reminders::error.eq(error),
    ))
    .execute(c)
    .map(|_| ())
}

/// A row of `saved_searches`.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = saved_searches)]
pub struct SavedSearchRow {
    pub id: i64,
    pub user_id: i64,
    pub email: Option<String>,
    pub query: String,
    pub filters: String,
    pub high_water: i64,
    #[serde(skip)]
    pub unsubscribe_token: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The day of the last alert run that claimed this search (`None`
    /// before the first).
    pub last_run_on: Option<NaiveDate>,
}

/// The newest posting id: new saved searches start after it.
pub fn latest_posting_id(c: &mut DbConnection) -> QueryResult<i64> {
    postings::table.select(diesel::dsl::max(postings::id)).first::<Option<i64>>(c).map(|v| v.unwrap_or(0))
}

/// Saves a search.
pub fn insert_saved_search(
    c: &mut DbConnection,
    user_id: i64,
    email: Option<&str>,
    q: &str,
    filters: &str,
    unsubscribe_token: &str,
) -> QueryResult<SavedSearchRow> {
    let at = super::now();
    let high_water = latest_posting_id(c)?;
    let id: i64 = diesel::insert_into(saved_searches::table)
        .values((
            saved_searches::user_id.eq(user_id),
            saved_searches::email.eq(email),
            saved_searches::query.eq(q),
            saved_searches::filters.eq(filters),
            saved_searches::high_water.eq(high_water),
            saved_searches::unsubscribe_token.eq(unsubscribe_token),
            saved_searches::active.eq(true),
            saved_searches::created_at.eq(at),
            saved_searches::updated_at.eq(at),
        ))
        .returning(saved_searches::id)
        .get_result(c)?;
    saved_searches::table.find(id).select(SavedSearchRow::as_select()).first(c)
}

/// A user's saved searches.
pub fn saved_searches_of(c: &mut DbConnection, user_id: i64) -> QueryResult<Vec<SavedSearchRow>> {
    saved_searches::table
        .filter(saved_searches::user_id.eq(user_id))
        .order(saved_searches::id.asc())
        .select(SavedSearchRow::as_select())
        .load(c)
}

/// One saved search.
pub fn saved_search(c: &mut DbConnection, id: i64) -> QueryResult<Option<SavedSearchRow>> {
    saved_searches::table.find(id).select(SavedSearchRow::as_select()).first(c).optional()
}

/// Active saved searches for the alert run, each with its owner's account
/// address (used when the search names none).
pub fn active_saved_searches(c: &mut DbConnection) -> QueryResult<Vec<(SavedSearchRow, Option<String>)>> {
    use crate::db::schema::users;
    saved_searches::table
        .inner_join(users::table.on(users::id.eq(saved_searches::user_id)))
        .filter(saved_searches::active.eq(true))
        .order(saved_searches::id.asc())
        .select((SavedSearchRow::as_select(), users::email))
        .load(c)
}

/// Turns alerts off by the unsubscribe link's token; the search id if found.
pub fn unsubscribe(c: &mut DbConnection, hash: &str) -> QueryResult<Option<i64>> {
    let found: Option<i64> = saved_searches::table
        .filter(saved_searches::unsubscribe_token.eq(hash))
        .select(saved_searches::id)
        .first(c)
        .optional()?;
    if let Some(id) = found {
        diesel::update(saved_searches::table.find(id))
            .set((saved_searches::active.eq(false), saved_searches::updated_at.eq(super::now())))
            .execute(c)?;
    }
    Ok(found)
}

/// Deletes a saved search.
pub fn delete_saved_search(c: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(alert_deliveries::table.filter(alert_deliveries::saved_search_id.eq(id))).execute(c)?;
    diesel::delete(saved_searches::table.find(id)).execute(c)
}

/// Where a search's alert runs have got to: postings up to `high_water`
/// were looked at, on days up to `last_run_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertMark {
    pub high_water: i64,
    pub last_run_on: Option<NaiveDate>,
}

/// Moves a search's mark from `from` to `to`; `false` if another instance
/// already moved it (then that instance also sends the alert).
pub fn advance_alert_mark(c: &mut DbConnection, id: i64, from: AlertMark, to: AlertMark) -> QueryResult<bool> {
    let target =
        saved_searches::table.filter(saved_searches::id.eq(id)).filter(saved_searches::high_water.eq(from.high_water));
    let set = (
        saved_searches::high_water.eq(to.high_water),
        saved_searches::last_run_on.eq(to.last_run_on),
        saved_searches::updated_at.eq(super::now()),
    );
    let n = match from.last_run_on {
        Some(d) => diesel::update(target.filter(saved_searches::last_run_on.eq(d))).set(set).execute(c)?,
        None => diesel::update(target.filter(saved_searches::last_run_on.is_null())).set(set).execute(c)?,
    };
    Ok(n == 1)
}

/// Postings a search's runs have already passed (`id ≤ high_water`) whose
/// `opens_on` falls in `(after, today]`: they were not yet taking
/// applications when a run first saw them, and are now.
pub fn opened_since(
    c: &mut DbConnection,
    high_water: i64,
    after: NaiveDate,
    today: NaiveDate,
) -> QueryResult<Vec<super::posting::PostingRow>> {
    postings::table
        .select(super::posting::PostingRow::as_select())
        .filter(postings::id.le(high_water))
        .filter(postings::opens_on.gt(after))
        .filter(postings::opens_on.le(today))
        .order(postings::id.asc())
        .load(c)
}

/// The postings already mailed for a search.
pub fn delivered_postings(c: &mut DbConnection, search: i64) -> QueryResult<std::collections::HashSet<i64>> {
    let lists: Vec<String> = alert_deliveries::table
        .filter(alert_deliveries::saved_search_id.eq(search))
        .select(alert_deliveries::posting_ids)
        .load(c)?;
    Ok(lists.iter().flat_map(|l| serde_json::from_str::<Vec<i64>>(l).unwrap_or_default()).collect())
}

/// Records an alert e-mail.
pub fn record_delivery(
    c: &mut DbConnection,
    search: i64,
    posting_ids: &[i64],
    smtp_response: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(alert_deliveries::table)
        .values((
            alert_deliveries::saved_search_id.eq(search),
            alert_deliveries::posting_ids.eq(serde_json::to_string(posting_ids).unwrap_or_default()),
            alert_deliveries::sent_at.eq(super::now()),
            alert_deliveries::smtp_response.eq(smtp_response),
        ))
        .execute(c)
        .map(|_| ())
}

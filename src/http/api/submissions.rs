//! `/api/v1/submissions`: sending the year's ledger bundle to the leadership
//! office by e-mail, kept for good. Roles: admin and clerk.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ledgers::unit_of;
use crate::auth::Caller;
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::models::mail::{self as store, SubmissionRow};
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::{Form, Page, Query};
use crate::http::state::AppState;
use crate::http::views::{utc, ListOf};
use crate::ledger::rules::year_of;
use crate::messages::{Text, Thing};
use crate::registry::{checks, forms};

/// A submission as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    /// Id.
    pub id: i64,
    /// The ledgers' year.
    pub year: i32,
    /// Their as-of date.
    pub as_of: NaiveDate,
    /// Who it went to.
    pub recipients: Vec<String>,
    /// The subject line.
    pub subject: String,
    /// The attached workbook's name.
    pub attachment_name: String,
    /// SHA-256 of the attached bytes (hex).
    pub attachment_sha256: String,
    /// `sending`, `sent` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The mail server's answer to the message.
    pub smtp_response: Option<String>,
    /// The Message-ID sent.
    pub message_id: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// Who sent it.
    pub sent_by: String,
    /// When it was accepted by the mail server.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was first made.
    pub created_at: DateTime<Utc>,
}

impl SubmissionView {
    fn of(r: SubmissionRow) -> Self {
        SubmissionView {
            id: r.id,
            year: r.year,
            as_of: r.as_of,
            recipients: serde_json::from_str(&r.recipients).unwrap_or_default(),
            subject: r.subject,
            attachment_name: r.attachment_name,
            attachment_sha256: r.attachment_sha256,
            status: r.status,
            attempts: r.attempts,
            smtp_response: r.smtp_response,
            message_id: r.message_id,
            error: r.error,
            sent_by: r.sent_by,
            sent_at: r.sent_at.map(utc),
            created_at: utc(r.created_at),
        }
    }
}

/// Body of a submission.
#[derive(Debug, Default, Deserialize, validator::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionBody {
    /// The year.
    #[validate(required, range(min = 2000, max = 2100))]
    #[schema(example = 2019)]
    year: Option<i32>,
    /// Default: the earlier of today and 31 December.
    #[schema(example = "2019-11-15")]
    as_of: Option<NaiveDate>,
    /// Default: the configured ledger recipients (the plan's office mailbox).
    #[validate(length(min = 1, max = 20), custom(function = "checks::mailboxes"))]
    recipients: Option<Vec<String>>,
}

/// Build the year's ledger bundle and e-mail it (admin, clerk).
#[utoipa::path(post, path = "/api/v1/submissions", tag = "submissions", request_body = SubmissionBody,
    responses((status = 201, body = SubmissionView), (status = 422, body = crate::error::Problem),
        (status = 502, description = "kept as `failed`; `instance` names it for a retry", body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    form: Form<SubmissionBody>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("报送台账", "submit ledgers"))?;
    let form = form.read()?;
    let b = form.valid()?;
    let year = forms::required("year", b.year)?;
    if let Some(d) = b.as_of.filter(|d| year_of(*d) != year) {
        return Err(AppError::invalid(
            "as_of",
            "range",
            Text::new(format!("应为 {year} 年内的日期，现在是 {d}"), format!("must be a day of {year}")),
        ));
    }
    let as_of = match b.as_of {
        Some(d) => d,
        None => crate::ledger::export::year_begun(year, clock::today())?,
    };
    let recipients: Vec<String> = b
        .recipients
        .unwrap_or_else(|| state.settings.ledger_recipients.clone())
        .into_iter()
        .map(|r| r.trim().to_string())
        .collect();
    let unit = unit_of(&caller, &state);
    let row =
        crate::mail::submit(&state.db, &state.settings, &Actor::from(&caller), &unit, year, as_of, recipients).await?;
    Ok(HttpResponse::Created().json(SubmissionView::of(row)))
}

/// Send a failed (or stalled) submission again, with the same bytes (admin, clerk).
#[utoipa::path(post, path = "/api/v1/submissions/{id}/retry", tag = "submissions",
    responses((status = 200, body = SubmissionView), (status = 409, description = "sent, or being sent", body = crate::error::Problem), (status = 502, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. A submission still `sending` five minutes after its last change (its process stopped mid-send) may be sent again; a send is given up after two minutes.")]
pub async fn retry(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("重新报送", "retry submissions"))?;
    let unit = unit_of(&caller, &state);
    let row = crate::mail::retry(&state.db, &state.settings, &Actor::from(&caller), &unit, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SubmissionView::of(row)))
}

/// One submission (admin, clerk).
#[utoipa::path(get, path = "/api/v1/submissions/{id}", tag = "submissions",
    responses((status = 200, body = SubmissionView), (status = 404, body = crate::error::Problem)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn get(state: web::Data<AppState>, caller: Caller, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看报送记录", "read submissions"))?;
    let id = path.into_inner();
    let row = state.db.run(move |c| store::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))).await?;
    Ok(HttpResponse::Ok().json(SubmissionView::of(row)))
}

/// Paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Page size, 1–500.
    limit: Option<String>,
    /// From the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// Submissions, newest first (admin, clerk).
#[utoipa::path(get, path = "/api/v1/submissions", tag = "submissions", params(SubmissionQuery),
    responses((status = 200, body = ListOf<SubmissionView>)), security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<SubmissionQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看报送记录", "read submissions"))?;
    let page = Page::parse(&q.0.limit, &q.0.cursor)?;
    let before = (page.after > 0).then_some(page.after);
    let rows = state.db.run(move |c| Ok(store::submissions(c, before, page.limit + 1)?)).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(HttpResponse::Ok().json(ListOf { items: rows.into_iter().map(SubmissionView::of).collect(), next_cursor }))
}

/// Exactly the bytes that were sent (admin, clerk).
#[utoipa::path(get, path = "/api/v1/submissions/{id}/attachment", tag = "submissions",
    responses((status = 200, description = "the xlsx workbook as sent"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk.")]
pub async fn attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看报送记录", "read submissions"))?;
    let id = path.into_inner();
    let (row, bytes) = state
        .db
        .run(move |c| {
            let row = store::submission(c, id)?.ok_or(AppError::NotFound(Thing::Submission))?;
            let bytes = store::attachment(c, id)?.ok_or(AppError::NotFound(Thing::Submission))?;
            Ok((row, bytes))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(crate::mail::XLSX)
        .insert_header((
            header::CONTENT_DISPOSITION,
            super::ledgers::disposition(&format!("submission-{id}.xlsx"), &row.attachment_name),
        ))
        .body(bytes))
}

//! `/api/v1/reconciliations`: one of our ledgers against the partner side's
//! roster, by ID number (DESIGN §8). Roles: admin and clerk. ID numbers are
//! masked unless `unmasked=true`, which is audited.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::imports::UploadForm;
use super::ledgers::disposition;
use crate::auth::Caller;
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::write_tx;
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::input::Query;
use crate::http::state::AppState;
use crate::http::upload;
use crate::ledger::build::{compute, Request};
use crate::ledger::export::{parse_params, RawParams};
use crate::ledger::Kind;
use crate::messages::general;
use crate::reconcile::{reconcile, workbook, Reconciliation};

/// Query of a reconciliation.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconcileQuery {
    /// The ledger to compare: new-transfers-east, stable-east, vocational-students-east or graduates-employed (required).
    kind: Option<String>,
    /// Its year (required).
    year: Option<String>,
    /// Counted up to this day (default: the earlier of today and 31 December).
    as_of: Option<String>,
    /// `json` (default) or `xlsx` (four sheets).
    format: Option<String>,
    /// `true` for full ID numbers (audited).
    unmasked: Option<String>,
}

/// Compare a ledger with the partner side's roster (admin, clerk).
#[utoipa::path(post, path = "/api/v1/reconciliations", tag = "imports", params(ReconcileQuery),
    request_body(content = UploadForm, content_type = "multipart/form-data", description = "the partner's roster in the field `file`"),
    responses((status = 200, description = "`{matched, only_ours, only_theirs, conflicts, unreadable}`, or the same as a four-sheet xlsx with `format=xlsx`", body = Reconciliation),
        (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. `unmasked=true` shows full ID numbers and is audited.")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<ReconcileQuery>,
    form: Multipart,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("核对名册", "reconcile rosters"))?;
    let q = q.0;
    let kind = match q.kind.as_deref().map(str::trim) {
        None | Some("") => return Err(AppError::bad_param("kind", general::required("kind"))),
        Some(k) => k.parse::<Kind>().ok().filter(|k| k.is_person_ledger()).ok_or_else(|| {
            AppError::bad_param(
                "kind",
                general::not_one_of(
                    k,
                    &["new-transfers-east", "stable-east", "vocational-students-east", "graduates-employed"],
                ),
            )
        })?,
    };
    let xlsx = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("xlsx") => true,
        Some(other) => return Err(AppError::bad_param("format", general::not_one_of(other, &["json", "xlsx"]))),
    };
    let p = parse_params(
        &RawParams { year: q.year, as_of: q.as_of, format: None, unmasked: q.unmasked, county: None },
        clock::today(),
    )?;
    let file = upload::read(&req, form, state.settings.max_upload_bytes).await?;
    let (rules, actor) = (state.settings.ledger_rules.clone(), Actor::from(&caller));
    let unmasked = p.unmasked;
    let result = state
        .db
        .run(move |c| {
            let request =
                Request { kind, year: p.year, as_of: p.as_of, county: None, unmasked: true, rules, helper: None };
            // The ledger is read in one committed state of its own (not
            // inside the audit's write transaction, where PostgreSQL would
            // see each statement's own).
            let ledger = compute(c, &request)?;
            let r = reconcile(&ledger, &file.bytes, file.file_name.as_deref(), unmasked, clock::today())?;
            if unmasked {
                let what = serde_json::json!({"kind": kind.as_str(), "year": p.year, "as_of": p.as_of,
                    "matched": r.matched.len(), "only_ours": r.only_ours.len(), "only_theirs": r.only_theirs.len()});
                write_tx(c, |c| crate::registry::reads::unmasked_view(c, &actor, "reconciliation", None, Some(&what)))?;
            }
            Ok(r)
        })
        .await?;
    if xlsx {
        let bytes = workbook(&result)?;
        let (ascii, zh) = (
            format!("reconciliation-{}-{}.xlsx", kind.as_str(), result.year),
            format!("{}年{}核对.xlsx", result.year, kind.title()),
        );
        return Ok(HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((header::CONTENT_DISPOSITION, disposition(&ascii, &zh)))
            .body(bytes));
    }
    Ok(HttpResponse::Ok().json(result))
}

//! `/api/v1/ledgers`: the ledgers (台账) in json, csv, xlsx or html, and the
//! bundle of all of them in one workbook. Roles: admin and clerk. ID numbers
//! are masked unless `unmasked=true`; every unmasked export is audited.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock;
use crate::db::models::audit::Actor;
use crate::error::AppError;
use crate::http::auth::{require, REGISTRY};
use crate::http::download::streamed;
use crate::http::input::Query;
use crate::http::state::AppState;
use crate::ledger::export::{self, Params, RawParams};
use crate::ledger::{Format, Kind};
use crate::messages::Thing;

/// Query of a ledger.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// The year (required).
    year: Option<String>,
    /// Counted up to this day, within the year (default: the earlier of today and 31 December).
    as_of: Option<String>,
    /// json (default), csv, xlsx or html.
    format: Option<String>,
    /// `true` for full ID numbers (admin, clerk; audited).
    unmasked: Option<String>,
    /// Only people registered in this county (6-digit code; an old code counts as its successor).
    county: Option<String>,
}

/// Query of the bundle: one masked xlsx of the whole cooperation. A
/// ledger's `format` (other than xlsx), `county` or `unmasked=true` is
/// refused with a 400 naming it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BundleQuery {
    /// The year (required).
    pub year: Option<String>,
    /// Counted up to this day, within the year (default: the earlier of today and 31 December).
    pub as_of: Option<String>,
}

impl From<LedgerQuery> for RawParams {
    fn from(q: LedgerQuery) -> RawParams {
        RawParams { year: q.year, as_of: q.as_of, format: q.format, unmasked: q.unmasked, county: q.county }
    }
}

/// A file name offices can keep: ASCII fallback plus the Chinese name.
pub fn disposition(ascii: &str, chinese: &str) -> String {
    let encoded: String = chinese
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The unit named on ledgers: the caller's, else the configured one.
pub fn unit_of(caller: &Caller, state: &AppState) -> String {
    caller.unit.clone().unwrap_or_else(|| state.settings.unit_name.clone())
}

/// One ledger in the requested format (admin, clerk).
#[utoipa::path(get, path = "/api/v1/ledgers/{kind}", tag = "ledgers", params(LedgerQuery,
        ("kind" = String, Path, description = "new-transfers-east, stable-east, vocational-students-east, graduates-employed, job-fairs, trainings or summary")),
    responses((status = 200, description = "the ledger: json `{kind, year, as_of, generated_at, rules, count, rows}`, or csv/xlsx/html"),
        (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. `unmasked=true` shows full ID numbers and is audited.")]
pub async fn ledger(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    q: Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看台账", "read ledgers"))?;
    let kind: Kind = path.into_inner().parse().map_err(|_| AppError::NotFound(Thing::Route))?;
    let p = export::parse_params(&q.0.into(), clock::today())?;
    send_ledger(&state, &caller, kind, p).await
}

/// One ledger as a download, for the API and the dashboard alike: its
/// content type, a file name offices can keep (csv, xlsx), the rows sent
/// as they are written ([`streamed`]); an unmasked one is audited by the
/// export.
pub async fn send_ledger(state: &AppState, caller: &Caller, kind: Kind, p: Params) -> Result<HttpResponse, AppError> {
    let (unit, rules, actor) = (unit_of(caller, state), state.settings.ledger_rules.clone(), Actor::from(caller));
    let mut resp = HttpResponse::Ok();
    resp.content_type(p.format.content_type());
    if p.format != Format::Json && p.format != Format::Html {
        let (ascii, zh) = export::file_names(kind, p.year, p.format);
        resp.insert_header((header::CONTENT_DISPOSITION, disposition(&ascii, &zh)));
    }
    let db = state.db.clone();
    streamed(&state.db, resp, move |c, out| export::one_to(c, Some(&db), &actor, kind, &p, &rules, &unit, out)).await
}

/// The bundle (every ledger of `p`'s year to its as-of day, one masked
/// workbook) as a download, for the API and the dashboard alike.
pub async fn send_bundle(state: &AppState, caller: &Caller, p: &Params) -> Result<HttpResponse, AppError> {
    let (unit, rules) = (unit_of(caller, state), state.settings.ledger_rules.clone());
    let (year, as_of) = (p.year, p.as_of);
    let (ascii, zh) = export::bundle_names(year);
    let mut resp = HttpResponse::Ok();
    resp.content_type(Format::Xlsx.content_type())
        .insert_header((header::CONTENT_DISPOSITION, disposition(&ascii, &zh)));
    let db = state.db.clone();
    streamed(&state.db, resp, move |c, out| export::bundle_to(c, Some(&db), year, as_of, &rules, &unit, out)).await
}

/// Every ledger of a year in one workbook, the summary first (admin, clerk).
#[utoipa::path(get, path = "/api/v1/ledgers/bundle", tag = "ledgers", params(BundleQuery),
    responses((status = 200, description = "xlsx workbook, one sheet per ledger"), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. ID numbers masked.")]
pub async fn bundle_xlsx(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, ("查看台账", "read ledgers"))?;
    // Read as a ledger's query, so that a ledger's options are refused by name.
    let raw: RawParams = q.0.into();
    export::refuse_options(&raw, true)?;
    let p = export::parse_params(&raw, clock::today())?;
    send_bundle(&state, &caller, &p).await
}

//! `/api/v1/ledgers`: the ledgers (台账) in json, csv, xlsx or html, and the
//! bundle of all of them in one workbook. Roles: admin and clerk. ID numbers
//! are masked unless `unmasked=true`; every unmasked export is audited.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::{require, REGISTRY};
use super::input::{param, text, Query};
use crate::auth::Caller;
use crate::db::models::audit::{self, Actor};
use crate::db::DbConnection;
use crate::domain::RegionCode;
use crate::error::AppError;
use crate::ledger::build::{compute, Request};
use crate::ledger::rules::{default_as_of, year_of, Rules};
use crate::ledger::{render, Format, Kind, Ledger};
use crate::startup::AppState;

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
    /// Only people registered in this county (6-digit code).
    county: Option<String>,
}

impl LedgerQuery {
    /// The same parameters given on the command line.
    pub fn from_cli(
        year: String,
        as_of: Option<String>,
        format: String,
        unmasked: bool,
        county: Option<String>,
    ) -> Self {
        LedgerQuery { year: Some(year), as_of, format: Some(format), unmasked: Some(unmasked.to_string()), county }
    }
}

/// The parsed, checked parameters.
pub struct Params {
    /// Year.
    pub year: i32,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Format.
    pub format: Format,
    /// Full ID numbers.
    pub unmasked: bool,
    /// County restriction.
    pub county: Option<String>,
}

/// Checks a ledger's year, as-of date and options.
pub fn parse_params(q: &LedgerQuery, today: NaiveDate) -> Result<Params, AppError> {
    let year = param::<i32>("year", &q.year)?.ok_or_else(|| AppError::bad_param("year", "the year is required"))?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_param("year", "must be between 2000 and 2100"));
    }
    let as_of = match param::<NaiveDate>("as_of", &q.as_of)? {
        Some(d) if year_of(d) != year => {
            return Err(AppError::bad_param("as_of", format!("must be a day of {year} (YYYY-MM-DD)")));
        }
        Some(d) => d,
        None => default_as_of(year, today),
    };
    if year_of(as_of) != year {
        return Err(AppError::bad_param("year", format!("{year} has not begun yet")));
    }
    let format = match text(q.format.clone()) {
        None => Format::Json,
        Some(f) => f.parse::<Format>().map_err(|e| AppError::bad_param("format", e))?,
    };
    let unmasked = param::<bool>("unmasked", &q.unmasked)?.unwrap_or(false);
    let county = match text(q.county.clone()) {
        Some(c) => {
            Some(RegionCode::parse(&c).map_err(|e| AppError::bad_param("county", e.message))?.as_str().to_string())
        }
        None => None,
    };
    Ok(Params { year, as_of, format, unmasked, county })
}

/// Records who saw whose full ID numbers in an export.
pub fn audit_unmasked(c: &mut DbConnection, actor: &Actor, ledgers: &[&Ledger]) -> Result<(), AppError> {
    for l in ledgers.iter().filter(|l| l.kind.is_person_ledger()) {
        let ids: Vec<serde_json::Value> = l.rows.iter().filter_map(|r| r.first()).map(cell_value).collect();
        let what = serde_json::json!({"kind": l.kind.as_str(), "year": l.year, "as_of": l.as_of, "labourer_ids": ids});
        audit::record(c, actor, "export_unmasked", "ledger", None, None::<&()>, Some(&what))?;
    }
    Ok(())
}

fn cell_value(c: &crate::ledger::table::Cell) -> serde_json::Value {
    match c {
        crate::ledger::table::Cell::Int(n) => serde_json::Value::from(*n),
        _ => serde_json::Value::Null,
    }
}

/// The rendered bytes of one ledger.
pub fn render_one(l: &Ledger, format: Format, unit: &str) -> Result<Vec<u8>, AppError> {
    Ok(match format {
        Format::Json => l.to_json_bytes().map_err(|e| AppError::Internal(e.into()))?,
        Format::Csv => render::csv(&l.to_table(unit)),
        Format::Html => render::html(&l.to_table(unit)).into_bytes(),
        Format::Xlsx => render::xlsx(&[l.to_table(unit)], l.as_of).map_err(|e| AppError::Internal(e.into()))?,
    })
}

/// Computes every ledger of a year and renders the one-workbook bundle.
pub fn bundle(
    c: &mut DbConnection,
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
    unit: &str,
) -> Result<Vec<u8>, AppError> {
    let mut tables = Vec::new();
    for kind in Kind::ALL {
        let l = compute(c, &Request { kind, year, as_of, county: None, unmasked: false, rules: rules.clone() })?;
        tables.push(l.to_table(unit));
    }
    render::xlsx(&tables, as_of).map_err(|e| AppError::Internal(e.into()))
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

fn unit_of(caller: &Caller, state: &AppState) -> String {
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
    require(&caller, REGISTRY, "read ledgers")?;
    let kind: Kind = path.into_inner().parse().map_err(|_| AppError::NotFound("ledger kind"))?;
    let p = parse_params(&q.0, Utc::now().date_naive())?;
    let unit = unit_of(&caller, &state);
    let rules = state.settings.ledger_rules.clone();
    let actor = Actor::from(&caller);
    let format = p.format;
    let bytes = state
        .db
        .run(move |c| {
            let req = Request { kind, year: p.year, as_of: p.as_of, county: p.county, unmasked: p.unmasked, rules };
            let l = compute(c, &req)?;
            if p.unmasked {
                audit_unmasked(c, &actor, &[&l])?;
            }
            render_one(&l, format, &unit)
        })
        .await?;
    let mut resp = HttpResponse::Ok();
    resp.content_type(format.content_type());
    if format != Format::Json {
        let name = format!("ledger-{}-{}.{}", kind.as_str(), p.year, format.extension());
        let zh = format!("{}年{}台账.{}", p.year, kind.title(), format.extension());
        if format != Format::Html {
            resp.insert_header((header::CONTENT_DISPOSITION, disposition(&name, &zh)));
        }
    }
    Ok(resp.body(bytes))
}

/// Every ledger of a year in one workbook, the summary first (admin, clerk).
#[utoipa::path(get, path = "/api/v1/ledgers/bundle", tag = "ledgers", params(LedgerQuery),
    responses((status = 200, description = "xlsx workbook, one sheet per ledger"), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])), description = "Roles: admin, clerk. ID numbers masked.")]
pub async fn bundle_xlsx(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    require(&caller, REGISTRY, "read ledgers")?;
    let p = parse_params(&q.0, Utc::now().date_naive())?;
    let unit = unit_of(&caller, &state);
    let rules = state.settings.ledger_rules.clone();
    let (year, as_of) = (p.year, p.as_of);
    let bytes = state.db.run(move |c| bundle(c, year, as_of, &rules, &unit)).await?;
    Ok(HttpResponse::Ok()
        .content_type(Format::Xlsx.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            disposition(&format!("ledgers-{year}.xlsx"), &format!("{year}年粤桂扶贫协作台账.xlsx")),
        ))
        .body(bytes))
}

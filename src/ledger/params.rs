//! The parameters a clerk gives a ledger download — year, as-of day,
//! format, county, full ID numbers — read and checked alike for the API,
//! the pages and the command line (DESIGN §5: the as-of day defaults to the
//! earlier of today and 31 December).

use chrono::NaiveDate;

use super::rules::{default_as_of, year_of};
use super::Format;
use crate::domain::{normalise, RegionCode};
use crate::error::AppError;
use crate::messages::{general, Text};

/// The parameters as given (query string or command line).
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    /// The year (required).
    pub year: Option<String>,
    /// Counted up to this day, within the year.
    pub as_of: Option<String>,
    /// json, csv, xlsx or html.
    pub format: Option<String>,
    /// `true` for full ID numbers.
    pub unmasked: Option<String>,
    /// Only people registered in this county.
    pub county: Option<String>,
}

impl RawParams {
    /// From a page's query pairs.
    ///
    /// Errors: 400 (`duplicate`) naming a parameter given twice
    /// (`year=2019&year=2020`), as the API's query reader refuses it,
    /// rather than quietly taking one of them.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<RawParams, AppError> {
        let get = |k: &str| -> Result<Option<String>, AppError> {
            let mut given = pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone());
            let first = given.next();
            if given.next().is_some() {
                return Err(AppError::bad_param_code(k, "duplicate", general::repeated_param(k)));
            }
            Ok(first)
        };
        Ok(RawParams {
            year: get("year")?,
            as_of: get("as_of")?,
            format: get("format")?,
            unmasked: get("unmasked")?,
            county: get("county")?,
        })
    }
}

/// The parsed, checked parameters.
#[derive(Debug, Clone)]
pub struct Params {
    /// Year.
    pub year: i32,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Format.
    pub format: Format,
    /// Full ID numbers.
    pub unmasked: bool,
    /// County restriction (a current code; an old one counts as its successor).
    pub county: Option<String>,
}

fn bad(field: &str, zh: String, en: String) -> AppError {
    AppError::bad_param(field, Text::new(zh, en))
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The day a year's figures are counted to when no day is given (DESIGN
/// §5: the earlier of `today` and 31 December) — for every ledger, the
/// bundle, target progress, the dashboard and a submission alike.
///
/// Errors: 400 on `year` when the year has not begun (its figures would
/// be counted to a day outside it).
pub fn year_begun(year: i32, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let as_of = default_as_of(year, today);
    if year_of(as_of) != year {
        return Err(bad("year", format!("{year} 年尚未开始"), format!("{year} has not begun yet")));
    }
    Ok(as_of)
}

/// Refuses, with a 400 naming it, an option a download cannot honour
/// instead of quietly giving what was not asked for: the bundle is one
/// masked xlsx of the whole cooperation (DESIGN §4), so a `format` other
/// than xlsx, `county` or `unmasked=true` is refused there; the pages'
/// downloads are masked, so `unmasked=true` is refused there
/// (`bundle` false).
pub fn refuse_options(q: &RawParams, bundle: bool) -> Result<(), AppError> {
    if let Some(f) = given(&q.format).filter(|f| bundle && !f.eq_ignore_ascii_case("xlsx")) {
        return Err(bad(
            "format",
            format!("汇总台账只有 xlsx 一种格式，不能按“{f}”下载；要其他格式请逐本下载台账"),
            format!("the bundle is xlsx only, not '{f}'; download the ledgers one by one for other formats"),
        ));
    }
    if given(&q.unmasked).is_some_and(|u| u != "false") {
        return Err(bad(
            "unmasked",
            "这里下载的台账一律隐去身份证号中间 10 位；要看全号，请通过接口下载单本台账并注明 unmasked=true（会留痕）"
                .into(),
            "ID numbers are always masked here; ask the API for one ledger with unmasked=true (audited)".into(),
        ));
    }
    if bundle && given(&q.county).is_some() {
        return Err(bad(
            "county",
            "汇总台账是整个协作的，不分县；按县查看请逐本下载台账（county=县级代码）".into(),
            "the bundle covers the whole cooperation; download the ledgers one by one with county= for one county"
                .into(),
        ));
    }
    Ok(())
}

/// Checks a ledger's year, as-of date and options (DESIGN §5: the as-of
/// day defaults to the earlier of `today` and 31 December).
pub fn parse_params(q: &RawParams, today: NaiveDate) -> Result<Params, AppError> {
    // Full-width digits (２０１９) read as the digits they are.
    let year = match given(&q.year) {
        None => return Err(AppError::bad_param("year", general::required("year"))),
        Some(y) => {
            normalise::code(y).parse::<i32>().map_err(|_| AppError::bad_param("year", general::bad_param("year", y)))?
        }
    };
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_param("year", general::out_of_range(Some(2000.0), Some(2100.0))));
    }
    let as_of = match given(&q.as_of) {
        Some(s) => {
            // 2019-02-30 is no day, 2019/06/01 is not written as asked: each said as such.
            let d = normalise::code(s).parse::<NaiveDate>().map_err(|e| {
                AppError::bad_param_code("as_of", "format", general::wrong_type("as_of", &e.to_string()))
            })?;
            if year_of(d) != year {
                return Err(bad(
                    "as_of",
                    format!("应为 {year} 年内的日期（YYYY-MM-DD）"),
                    format!("must be a day of {year} (YYYY-MM-DD)"),
                ));
            }
            d
        }
        None => year_begun(year, today)?,
    };
    let format = match given(&q.format) {
        None => Format::Json,
        Some(f) => f.to_ascii_lowercase().parse::<Format>().map_err(|_| {
            bad(
                "format",
                format!("“{f}”不是可选的格式：应为 json、csv、xlsx 或 html"),
                format!("'{f}' is no format: json, csv, xlsx or html"),
            )
        })?,
    };
    let unmasked = match given(&q.unmasked) {
        None => false,
        Some(u) => u.to_ascii_lowercase().parse::<bool>().map_err(|_| {
            bad("unmasked", format!("“{u}”无效：应为 true 或 false"), format!("'{u}' is neither true nor false"))
        })?,
    };
    let county = match given(&q.county) {
        Some(c) => Some(
            RegionCode::parse_county(c)
                .map_err(|e| AppError::bad_param_code("county", e.code, e.message))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    Ok(Params { year, as_of, format, unmasked, county })
}

//! Cell values as clerks' files hold them, made into what the registry's
//! forms take (DESIGN §8): trimmed, full-width folded, dates in the forms
//! offices write them, money with its units, counts with 人, yes/no in
//! Chinese, lists split on the separators people use.
//!
//! Each function reads one cell and answers `Ok(None)` for a blank one, or
//! a [`DomainError`] whose code and message go into the rejected row.

use chrono::NaiveDate;

use super::source::Cell;
use crate::domain::{codes, normalise, region_by_code_or_name, DomainError};
use crate::messages::imports as msg;

/// The cell as text, trimmed; a whole number is written without decimals
/// (a phone typed into a number cell reads as its digits); `None` if blank.
pub fn text(cell: &Cell) -> Option<String> {
    let s = normalise::text(&cell.shown());
    (!s.is_empty()).then_some(s)
}

/// An ID number cell. A number cell is refused: a spreadsheet keeps 15
/// significant digits, so the last ones of an 18-digit number are gone.
pub fn id_number(cell: &Cell) -> Result<Option<String>, DomainError> {
    match cell {
        Cell::Number(n) if n.abs() >= 1e14 => {
            Err(DomainError::new(codes::SPREADSHEET_NUMBER, crate::messages::identity::id_became_a_number(&sci(*n))))
        }
        other => Ok(text(other)),
    }
}

/// How a spreadsheet shows a large number: 4.51424199001012E+17.
fn sci(n: f64) -> String {
    let exp = n.abs().log10().floor() as i32;
    let mantissa = n / 10f64.powi(exp);
    let digits = format!("{mantissa:.14}");
    let digits = digits.trim_end_matches('0').trim_end_matches('.');
    format!("{digits}E+{exp}")
}

/// The first of the month for a year and month.
fn first_of(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// A date: a date cell; an Excel serial (1900 system) in a number cell;
/// text as `2019-11-15`, `2019/11/5`, `2019.11.15`, `2019年11月15日`,
/// `20191115`; a month (`201911`, `2019-11`, `2019.09`, `2018年9月`) means
/// its first day. An impossible date (`2019-02-30`) is refused.
pub fn date(cell: &Cell) -> Result<Option<NaiveDate>, DomainError> {
    let bad = |s: &str| DomainError::new(codes::FORMAT, msg::not_a_date(s));
    match cell {
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) if n.fract() == 0.0 && (190_001.0..=210_012.0).contains(n) => {
            date_text(&format!("{}", *n as i64)).map(Some)
        }
        Cell::Number(n) if n.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(n) => {
            date_text(&format!("{}", *n as i64)).map(Some)
        }
        Cell::Number(n) if (1.0..100_000.0).contains(n) => {
            // Serial 60 is Excel's 1900-02-29, a day that never was; from 61
            // on the count runs one ahead of the real days since 1899-12-31.
            let days = n.floor() as i64;
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(|| bad(&cell.shown()))?;
            let day = if days < 60 {
                base + chrono::Days::new(days as u64 + 1)
            } else {
                base + chrono::Days::new(days as u64)
            };
            Ok(Some(day))
        }
        Cell::Number(_) | Cell::Bool(_) | Cell::Error(_) => Err(bad(&cell.shown())),
        Cell::Empty => Ok(None),
        Cell::Text(s) => {
            let s = normalise::code(s);
            if s.is_empty() {
                return Ok(None);
            }
            date_text(&s).map(Some)
        }
    }
}

/// Whether a date cell gives a month without its day (`2019年3月`,
/// `2019.3`, `201903`), which [`date`] reads as the month's first day.
pub fn month_only(cell: &Cell) -> bool {
    match cell {
        Cell::Number(n) => n.fract() == 0.0 && (190_001.0..=210_012.0).contains(n),
        Cell::Text(s) => {
            let s = normalise::code(s);
            if s.bytes().all(|b| b.is_ascii_digit()) {
                return s.len() == 6;
            }
            let parts = s
                .trim_end_matches(['日', '号'])
                .split(['-', '/', '.', '年', '月'])
                .filter(|p| !p.trim().is_empty())
                .count();
            parts == 2
        }
        _ => false,
    }
}

fn date_text(s: &str) -> Result<NaiveDate, DomainError> {
    let bad = || DomainError::new(codes::FORMAT, msg::not_a_date(s));
    let digits_only = s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = if digits_only {
        match s.len() {
            8 => vec![&s[..4], &s[4..6], &s[6..]],
            6 => vec![&s[..4], &s[4..]],
            _ => return Err(bad()),
        }
    } else {
        s.trim_end_matches(['日', '号'])
            .split(['-', '/', '.', '年', '月'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    };
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    match parts.as_slice() {
        [y, m] if y.len() == 4 => first_of(num(y)? as i32, num(m)?).ok_or_else(bad),
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// An amount of money, or a range of amounts, in whole yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Money {
    /// The lower bound (`None`: open, as in `5000元以下`).
    pub min: Option<i32>,
    /// The upper bound (`None`: open, as in `4500元以上`).
    pub max: Option<i32>,
}

impl Money {
    /// Whether this is one amount rather than a range.
    pub fn is_single(&self) -> bool {
        self.min.is_some() && self.min == self.max
    }
}

/// Money as written: `5000`, `5,000`, `5000元`, `5千`, `1.2万`,
/// `4000-6000元/月`, `5000~8000`, `4500元以上`, `3000元以下`; `面议`
/// (negotiable) is no amount.
pub fn money(cell: &Cell) -> Result<Option<Money>, DomainError> {
    if let Cell::Number(n) = cell {
        return yuan(*n, &cell.shown()).map(|v| Some(Money { min: Some(v), max: Some(v) }));
    }
    let Some(raw) = text(cell) else { return Ok(None) };
    let bad = || DomainError::new(codes::FORMAT, msg::not_money(&raw));
    let s: String = normalise::code(&raw).split_whitespace().collect::<String>().replace(',', "");
    if matches!(s.as_str(), "面议" | "待遇面议" | "薪资面议" | "工资面议") {
        return Ok(None);
    }
    let s = s
        .trim_start_matches(['月', '薪', '工', '资', '约', '：', ':'])
        .replace("元/月", "")
        .replace("/月", "")
        .replace("每月", "")
        .replace("元", "");
    let (s, open) = if let Some(rest) = s.strip_suffix("以上") {
        (rest.to_string(), Some(true))
    } else if let Some(rest) = s.strip_suffix("以下") {
        (rest.to_string(), Some(false))
    } else {
        (s, None)
    };
    let parts: Vec<&str> = s.split(['-', '~', '～', '至', '到', '—', '－']).collect();
    let amounts: Vec<i32> = parts.iter().map(|p| amount_text(p).ok_or_else(bad)).collect::<Result<_, _>>()?;
    match (amounts.as_slice(), open) {
        ([v], None) => Ok(Some(Money { min: Some(*v), max: Some(*v) })),
        ([v], Some(true)) => Ok(Some(Money { min: Some(*v), max: None })),
        ([v], Some(false)) => Ok(Some(Money { min: None, max: Some(*v) })),
        ([a, b], None) => Ok(Some(Money { min: Some(*a), max: Some(*b) })),
        _ => Err(bad()),
    }
}

fn amount_text(p: &str) -> Option<i32> {
    let (number, unit) = match p.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')) {
        Some((i, _)) => (&p[..i], &p[i..]),
        None => (p, ""),
    };
    let factor = match unit.to_lowercase().as_str() {
        "" => 1.0,
        "千" | "k" => 1_000.0,
        "万" | "w" => 10_000.0,
        _ => return None,
    };
    let v: f64 = number.parse().ok()?;
    let v = (v * factor).round();
    (0.0..=1_000_000_000.0).contains(&v).then_some(v as i32)
}

fn yuan(n: f64, shown: &str) -> Result<i32, DomainError> {
    if !(0.0..=1_000_000_000.0).contains(&n) {
        return Err(DomainError::new(codes::FORMAT, msg::not_money(shown)));
    }
    Ok(n.round() as i32)
}

/// One amount, where a range makes no sense (a placement's 月收入).
pub fn amount(cell: &Cell) -> Result<Option<i32>, DomainError> {
    match money(cell)? {
        None => Ok(None),
        Some(m) if m.is_single() => Ok(m.min),
        Some(_) => Err(DomainError::new("range_not_allowed", msg::range_not_allowed(&cell.shown()))),
    }
}

/// A count of people: `10`, `10人`, `10名`; `若干` is refused.
pub fn count(cell: &Cell) -> Result<Option<i32>, DomainError> {
    let Some(raw) = text(cell) else { return Ok(None) };
    let s = normalise::code(&raw);
    let s = s.trim_end_matches(['人', '名', '个', '位']).trim();
    s.parse::<i32>().map(Some).map_err(|_| DomainError::new(codes::FORMAT, msg::not_a_count(&raw)))
}

/// An age range: `18-45岁`, `18至50周岁`, `45岁以下`, `18岁以上`, `不限`.
pub fn ages(cell: &Cell) -> Result<(Option<i32>, Option<i32>), DomainError> {
    let Some(raw) = text(cell) else { return Ok((None, None)) };
    let s: String = normalise::code(&raw).split_whitespace().collect();
    if s == "不限" {
        return Ok((None, None));
    }
    let s = s.replace("周岁", "").replace('岁', "");
    let bad = || DomainError::new(codes::FORMAT, msg::not_ages(&raw));
    let num = |p: &str| p.parse::<i32>().map_err(|_| bad());
    if let Some(rest) = s.strip_suffix("以下") {
        return Ok((None, Some(num(rest)?)));
    }
    if let Some(rest) = s.strip_suffix("以上") {
        return Ok((Some(num(rest)?), None));
    }
    match s.split(['-', '~', '～', '至', '到', '—']).collect::<Vec<_>>().as_slice() {
        [a, b] => Ok((Some(num(a)?), Some(num(b)?))),
        _ => Err(bad()),
    }
}

/// Yes or no: 是/否, 有/无, Y/N, TRUE/FALSE, 1/0, √.
pub fn yes_no(cell: &Cell) -> Result<Option<bool>, DomainError> {
    if let Cell::Bool(b) = cell {
        return Ok(Some(*b));
    }
    let Some(raw) = text(cell) else { return Ok(None) };
    match normalise::code(&raw).to_lowercase().as_str() {
        "是" | "有" | "y" | "yes" | "true" | "1" | "√" => Ok(Some(true)),
        "否" | "无" | "n" | "no" | "false" | "0" | "×" => Ok(Some(false)),
        _ => Err(DomainError::new(codes::ENUM, msg::not_yes_no(&raw))),
    }
}

/// A list written in one cell: split on 、，,;；/ and line breaks.
pub fn list(cell: &Cell) -> Vec<String> {
    text(cell)
        .map(|s| {
            s.split(['、', '，', ',', ';', '；', '/', '\n']).map(normalise::text).filter(|p| !p.is_empty()).collect()
        })
        .unwrap_or_default()
}

/// A region as a code (text or number cell) or a name, as its current code.
pub fn region(cell: &Cell) -> Result<Option<String>, DomainError> {
    let Some(s) = text(cell) else { return Ok(None) };
    region_by_code_or_name(&s).map(|r| Some(r.as_str().to_string()))
}

/// Benefits as offices write them: 包吃住, 包住、购买五险一金, 交通补贴…,
/// as the API's codes. A phrase that names none of them is refused.
pub fn benefits(cell: &Cell) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<&'static str> = Vec::new();
    for phrase in list(cell) {
        let p = phrase.as_str();
        let mut found: Vec<&'static str> = Vec::new();
        if let Ok(b) = p.parse::<crate::domain::Benefit>() {
            found.push(b.as_str());
        } else {
            if p.contains("吃住") || p.contains("食宿") {
                found.extend(["meals", "housing"]);
            }
            if p.contains('住') || p.contains("宿舍") {
                found.push("housing");
            }
            if p.contains('吃') || p.contains('餐') || p.contains("伙食") {
                found.push("meals");
            }
            if p.contains("五险") || p.contains("社保") || p.contains("保险") {
                found.push("insurance");
            }
            if p.contains("交通") || p.contains("路费") || p.contains("车费") {
                found.push("transport");
            }
        }
        if found.is_empty() {
            return Err(DomainError::new(codes::ENUM, msg::unknown_benefit(p)));
        }
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out.into_iter().map(str::to_string).collect())
}

/// A gender as rosters write it (男/女, male/female); `None` if neither.
pub fn gender(written: &str) -> Option<crate::domain::Gender> {
    match normalise::code(written).to_lowercase().as_str() {
        "男" | "male" | "m" => Some(crate::domain::Gender::Male),
        "女" | "female" | "f" => Some(crate::domain::Gender::Female),
        _ => None,
    }
}

/// Whether a name holds a `?` (or U+FFFD) where an export lost a character
/// its encoding could not hold.
pub fn lost_character(s: &str) -> bool {
    s.contains(['?', '？', '\u{FFFD}'])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

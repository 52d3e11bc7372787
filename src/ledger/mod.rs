//! Ledgers (台账): the plan's measures of success, computed exactly by the
//! pure rules in [`rules`], fetched by [`build`], and laid out as a
//! [`table::Table`] that [`render`] draws as xlsx, csv or html.

pub mod build;
pub(crate) mod cells;
mod counted;
pub mod export;
pub mod params;
mod placement;
mod programmes;
pub mod progress;
pub mod render;
pub mod rules;
pub mod sink;
pub mod table;
pub mod xlsx;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use sink::{printed_head, Head, JsonOut, Sink};
use table::{Cell, Table, SIGNATURE};

/// The kinds of ledger, by their path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 新增转移到东部地区就业贫困人口.
    NewTransfersEast,
    /// 已在东部省份稳定就业贫困人口.
    StableEast,
    /// 到东部就读职业学校贫困学生.
    VocationalStudentsEast,
    /// 毕业贫困学生就业.
    GraduatesEmployed,
    /// 招聘会台账.
    JobFairs,
    /// 职业技能培训台账.
    Trainings,
    /// 目标完成情况.
    Summary,
}

impl Kind {
    /// Every kind, the summary first (the bundle's sheet order).
    pub const ALL: [Kind; 7] = [
        Kind::Summary,
        Kind::NewTransfersEast,
        Kind::StableEast,
        Kind::VocationalStudentsEast,
        Kind::GraduatesEmployed,
        Kind::JobFairs,
        Kind::Trainings,
    ];

    /// The path name, e.g. `new-transfers-east`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NewTransfersEast => "new-transfers-east",
            Kind::StableEast => "stable-east",
            Kind::VocationalStudentsEast => "vocational-students-east",
            Kind::GraduatesEmployed => "graduates-employed",
            Kind::JobFairs => "job-fairs",
            Kind::Trainings => "trainings",
            Kind::Summary => "summary",
        }
    }

    /// The ledger's Chinese name, as in the title row.
    pub fn title(self) -> &'static str {
        match self {
            Kind::NewTransfersEast => "新增转移到东部地区就业贫困人口",
            Kind::StableEast => "已在东部省份稳定就业贫困人口",
            Kind::VocationalStudentsEast => "到东部就读职业学校贫困学生",
            Kind::GraduatesEmployed => "毕业贫困学生就业",
            Kind::JobFairs => "招聘会",
            Kind::Trainings => "职业技能培训",
            Kind::Summary => "目标完成情况",
        }
    }

    /// A short sheet name (≤ 31 characters).
    pub fn sheet(self) -> &'static str {
        match self {
            Kind::NewTransfersEast => "新增转移东部就业",
            Kind::StableEast => "东部稳定就业",
            Kind::VocationalStudentsEast => "东部职校就读",
            Kind::GraduatesEmployed => "毕业生就业",
            Kind::JobFairs => "招聘会",
            Kind::Trainings => "职业技能培训",
            Kind::Summary => "目标完成情况",
        }
    }

    /// Whether each row is a person (and carries an ID number).
    pub fn is_person_ledger(self) -> bool {
        matches!(
            self,
            Kind::NewTransfersEast | Kind::StableEast | Kind::VocationalStudentsEast | Kind::GraduatesEmployed
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            format!("`{s}` is not a ledger; expected one of {}", names.join(", "))
        })
    }
}

/// How a ledger is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{kind, year, as_of, generated_at, rules, count, rows}`.
    Json,
    /// UTF-8 with BOM, Chinese header, a row per entry.
    Csv,
    /// A workbook with title, header, rows, total and signature line.
    Xlsx,
    /// A print-ready A4 landscape page.
    Html,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "html" => Ok(Format::Html),
            other => Err(format!("`{other}` is not a format; expected json, csv, xlsx or html")),
        }
    }
}

impl Format {
    /// The media type of the rendered bytes.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// One column of a ledger: its JSON key, and its Chinese header when it is
/// printed (`None`: JSON only, e.g. `labourer_id`).
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// JSON key.
    pub key: &'static str,
    /// Chinese header, when printed.
    pub header: Option<&'static str>,
    /// Width in CJK characters.
    pub width: f64,
}

/// A computed ledger, independent of format.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// Which ledger.
    pub kind: Kind,
    /// The year.
    pub year: i32,
    /// Counted up to this day.
    pub as_of: NaiveDate,
    /// When computed.
    pub generated_at: DateTime<Utc>,
    /// The rules used.
    pub rules: rules::Rules,
    /// The hukou county it is restricted to, if any.
    pub county: Option<String>,
    /// The columns.
    pub columns: Vec<Col>,
    /// The rows, cells aligned with `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// The ledger's count (for graduates-employed: the employed rows).
    pub count: i64,
    /// For graduates-employed: all graduates (the rows' total).
    pub graduates: Option<i64>,
}

impl Ledger {
    /// What is known of the ledger besides its rows.
    pub fn head(&self) -> Head {
        Head {
            kind: self.kind,
            year: self.year,
            as_of: self.as_of,
            generated_at: self.generated_at,
            rules: self.rules.clone(),
            county: self.county.clone(),
            columns: self.columns.clone(),
            count: self.count,
            graduates: self.graduates,
        }
    }

    /// The JSON form of DESIGN §5: `{kind, year, as_of, generated_at, rules, count, rows}`.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>, crate::error::AppError> {
        let mut out = JsonOut::new(Vec::new());
        out.begin(&self.head())?;
        for row in &self.rows {
            out.row(row.clone())?;
        }
        out.end()?;
        Ok(out.into_inner())
    }

    /// The printed form: title, unit line, header, rows, total, signature.
    pub fn to_table(&self, unit: &str) -> Table {
        let (head, shown, total) = printed_head(&self.head(), unit);
        let rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| shown.iter().map(|i| r.get(*i).cloned().unwrap_or(Cell::Empty)).collect())
            .collect();
        Table {
            sheet: head.sheet,
            title: head.title,
            subtitle: head.subtitle,
            columns: head.columns,
            rows,
            total,
            signature: SIGNATURE.to_string(),
        }
    }
}

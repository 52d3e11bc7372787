//! A ledger laid out for people: what every renderer (xlsx, csv, html)
//! draws. The ledger rules produce rows; `Table` is their printed form.

use chrono::NaiveDate;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (ID numbers are always text, never numbers).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A calendar date (a real date cell in xlsx).
    Date(NaiveDate),
    /// 是 / 否.
    Bool(bool),
    /// Nothing.
    Empty,
}

/// One column: its Chinese header and a width hint in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header, e.g. 身份证号.
    pub header: String,
    /// Width in CJK characters the column should fit (xlsx width, html hint).
    pub width: f64,
}

/// A ledger ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet name (≤ 31 chars), e.g. 新增转移东部就业.
    pub sheet: String,
    /// Title row, e.g. 2019年新增转移到东部地区就业贫困人口台账.
    pub title: String,
    /// Unit and as-of line, e.g. 填报单位：大新县人力资源和社会保障局　统计截至：2019-11-15.
    pub subtitle: String,
    /// Columns, left to right.
    pub columns: Vec<Column>,
    /// Body rows; each has `columns.len()` cells.
    pub rows: Vec<Vec<Cell>>,
    /// Total row, e.g. [Text("合计"), Text("15人"), Empty, …]; same length as columns.
    pub total: Vec<Cell>,
    /// Signature line: 填报单位（盖章）：  填报人：  审核人：  填报日期：
    pub signature: String,
}

/// The signature line every paper ledger ends with.
pub const SIGNATURE: &str = "填报单位（盖章）：          填报人：          审核人：          填报日期：";

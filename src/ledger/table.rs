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

/// Everything of a printed ledger above its body rows.
#[derive(Debug, Clone, PartialEq)]
pub struct TableHead {
    /// Sheet name.
    pub sheet: String,
    /// Title row.
    pub title: String,
    /// Unit and as-of line.
    pub subtitle: String,
    /// Columns, left to right.
    pub columns: Vec<Column>,
}

/// A printed form written a row at a time (xlsx, csv, html): the head, each
/// body row in order, then the total row and the signature line.
pub trait TableOut {
    /// Title, subtitle and header.
    fn begin(&mut self, head: &TableHead) -> Result<(), super::render::RenderError>;
    /// One body row; `cells` has as many cells as the head has columns.
    fn row(&mut self, cells: &[Cell]) -> Result<(), super::render::RenderError>;
    /// The total row and the signature line.
    fn end(&mut self, total: &[Cell], signature: &str) -> Result<(), super::render::RenderError>;
}

impl Table {
    /// Writes the whole table to `out`.
    pub fn write_to(&self, out: &mut impl TableOut) -> Result<(), super::render::RenderError> {
        out.begin(&TableHead {
            sheet: self.sheet.clone(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            columns: self.columns.clone(),
        })?;
        for row in &self.rows {
            out.row(row)?;
        }
        out.end(&self.total, &self.signature)
    }
}

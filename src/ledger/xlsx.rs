//! The xlsx renderer: a workbook with one sheet per ledger (title,
//! subtitle, header, rows, total, signature), written a row at a time.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, ResolvedFormat, RowNum, Workbook,
    Worksheet, XlsxError,
};

use super::render::{yes_no, RenderError};
use super::table::{Cell, Column, Table, TableHead, TableOut};

/// Excel's limit on a sheet name, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;
/// Rows above the body: title, subtitle, header.
const HEADER_ROWS: RowNum = 3;

/// One workbook holding one worksheet per table, in order; sheet names are
/// the tables' own, made valid and unique where they are not. The workbook's
/// creation date is `dated` (the ledgers' as-of day) rather than the clock,
/// so the same ledger always gives the same bytes, from the API or the CLI.
pub fn xlsx(tables: &[Table], dated: NaiveDate) -> Result<Vec<u8>, RenderError> {
    let mut out = XlsxOut::new(dated, tables.first().map(|t| t.title.as_str()))?;
    for table in tables {
        table.write_to(&mut out)?;
    }
    out.finish_to_buffer()
}

/// A workbook written a row at a time: each sheet is in rust_xlsxwriter's
/// constant-memory mode, which flushes every finished row to a temporary
/// file, so a ledger of hundreds of thousands of people never sits in memory.
///
/// Sheets are added in the order their tables begin, unless they were
/// [reserved](XlsxOut::reserve) beforehand: then each table fills the sheet
/// [chosen](XlsxOut::fill) for it, in any order (the bundle writes its
/// summary sheet, the first, last).
pub struct XlsxOut {
    workbook: Workbook,
    formats: Formats,
    taken: HashSet<String>,
    sheet: Option<usize>,
    /// The reserved sheet the next table fills, if one was chosen.
    next: Option<usize>,
    /// The body's formats, looked up once per sheet.
    body: Option<RowFormats>,
    ncols: ColNum,
    row: RowNum,
}

/// The workbook's deflate level (1–9; rust_xlsxwriter's default is 6).
const ZIP_LEVEL: u8 = 3;

impl XlsxOut {
    /// An empty workbook dated `dated`, titled `title` when given.
    pub fn new(dated: NaiveDate, title: Option<&str>) -> Result<XlsxOut, RenderError> {
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(
            u16::try_from(dated.year()).unwrap_or(2000),
            u8::try_from(dated.month()).unwrap_or(1),
            u8::try_from(dated.day()).unwrap_or(1),
        )?;
        let mut properties = DocProperties::new().set_creation_datetime(&created);
        if let Some(title) = title {
            properties = properties.set_title(title);
        }
        workbook.set_properties(&properties);
        // Deflate level 3 instead of 6: the bundle at a province's scale
        // (290 MB of sheet XML) is packed in 1.3 s instead of 2.5 s, for a
        // file 16 % larger (35 MB against 31 MB; BENCHMARKS.md).
        workbook.set_zip_compression_level(ZIP_LEVEL);
        Ok(XlsxOut {
            workbook,
            formats: Formats::new(),
            taken: HashSet::new(),
            sheet: None,
            next: None,
            body: None,
            ncols: 0,
            row: 0,
        })
    }

    /// Adds `n` empty sheets, in order, for [`fill`](XlsxOut::fill) to
    /// choose from; each takes its name when its table begins.
    pub fn reserve(&mut self, n: usize) -> Result<(), RenderError> {
        for _ in 0..n {
            self.workbook.add_worksheet_with_constant_memory()?;
        }
        Ok(())
    }

    /// The next table fills the reserved sheet `index` (0 the first).
    pub fn fill(&mut self, index: usize) -> Result<(), RenderError> {
        if index >= self.workbook.worksheets_mut().len() {
            return Err(XlsxError::UnknownWorksheetNameOrIndex(index.to_string()).into());
        }
        self.next = Some(index);
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish_to_buffer(mut self) -> Result<Vec<u8>, RenderError> {
        Ok(self.workbook.save_to_buffer()?)
    }

    /// Writes the workbook to `w`.
    pub fn finish_to<W: std::io::Write + Send>(mut self, w: W) -> Result<(), RenderError> {
        Ok(self.workbook.save_to_writer(w)?)
    }
}

impl TableOut for XlsxOut {
    fn begin(&mut self, table: &TableHead) -> Result<(), RenderError> {
        let name = sheet_name(&table.sheet, &mut self.taken);
        // Rows must go top to bottom in constant-memory mode.
        let i = match self.next.take() {
            Some(i) => i,
            None => {
                self.workbook.add_worksheet_with_constant_memory()?;
                self.workbook.worksheets_mut().len() - 1
            }
        };
        self.workbook.worksheet_from_index(i)?.set_name(name)?;
        self.sheet = Some(i);
        self.ncols = ColNum::try_from(table.columns.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        let (ncols, f) = (self.ncols, &self.formats);
        let i = self.sheet.unwrap_or_default();
        let sheet = self.workbook.worksheet_from_index(i)?;
        for (col, column) in (0..ncols).zip(&table.columns) {
            sheet.set_column_width(col, xlsx_width(column))?;
        }
        // Page setup lives outside the row data, so constant-memory mode allows it all.
        sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0).set_footer("&C第 &P 页 共 &N 页");
        sheet.set_repeat_rows(HEADER_ROWS - 1, HEADER_ROWS - 1)?;
        sheet.set_freeze_panes(HEADER_ROWS, 0)?;
        sheet.set_row_height(0, 30)?;
        merged_line(sheet, 0, ncols, &table.title, &f.title)?;
        merged_line(sheet, 1, ncols, &table.subtitle, &f.subtitle)?;
        for (col, column) in (0..ncols).zip(&table.columns) {
            sheet.write_string_with_format(2, col, &column.header, &f.header)?;
        }
        self.body = Some(RowFormats::of(sheet, &f.text, &f.body, &f.date));
        self.row = HEADER_ROWS;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), RenderError> {
        let row = self.row;
        let i = self.sheet.unwrap_or_default();
        let sheet = self.workbook.worksheet_from_index(i)?;
        let body = self.body.as_ref().ok_or(XlsxError::ParameterError("a row before its sheet began".into()))?;
        write_row(sheet, row, cells, body)?;
        self.row = next_row(row)?;
        Ok(())
    }

    fn end(&mut self, total: &[Cell], signature: &str) -> Result<(), RenderError> {
        let (mut row, ncols) = (self.row, self.ncols);
        let i = self.sheet.unwrap_or_default();
        let f = &self.formats;
        let sheet = self.workbook.worksheet_from_index(i)?;
        if !total.is_empty() {
            let formats = RowFormats::of(sheet, &f.total_text, &f.total, &f.total_date);
            write_row(sheet, row, total, &formats)?;
            row = next_row(row)?;
        }
        let signature_row = next_row(row)?;
        sheet.set_row_height(signature_row, 24)?;
        merged_line(sheet, signature_row, ncols, signature, &f.signature)?;
        Ok(())
    }
}

/// The cell formats of a ledger sheet, built once per workbook.
struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    text: Format,
    body: Format,
    date: Format,
    total_text: Format,
    total: Format,
    total_date: Format,
    signature: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let total = body.clone().set_bold();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            header: body
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0x00D9_E1F2)),
            // "@" keeps an edited ID number text in Excel, not a rounded number.
            text: body.clone().set_num_format("@"),
            date: body.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Center),
            total_text: total.clone().set_num_format("@"),
            total_date: total.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Center),
            body,
            total,
            signature: Format::new().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// The formats one row's cells take (body or total), each looked up once
/// in the sheet: rust_xlsxwriter's `write_*_with_format` would hash every
/// field of a cell's format for each cell, ~1 s of the writing thread for
/// stable-east's 290,000 rows (vendor/README.md).
struct RowFormats {
    text: ResolvedFormat,
    other: ResolvedFormat,
    date: ResolvedFormat,
}

impl RowFormats {
    fn of(sheet: &mut Worksheet, text: &Format, other: &Format, date: &Format) -> RowFormats {
        RowFormats {
            text: sheet.resolve_format(text),
            other: sheet.resolve_format(other),
            date: sheet.resolve_format(date),
        }
    }
}

/// Text across the whole width of the table. Merging works in constant-memory
/// mode (the merge is on the row being written), but Excel refuses a merge of
/// a single cell, so a one-column table gets a plain cell.
fn merged_line(
    sheet: &mut Worksheet,
    row: RowNum,
    ncols: ColNum,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if ncols > 1 {
        sheet.merge_range(row, 0, row, ncols - 1, text, format)?;
    } else {
        sheet.write_string_with_format(row, 0, text, format)?;
    }
    Ok(())
}

fn write_row(sheet: &mut Worksheet, row: RowNum, cells: &[Cell], f: &RowFormats) -> Result<(), XlsxError> {
    for (i, cell) in cells.iter().enumerate() {
        let col = ColNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        match cell {
            // Always a string: an 18-digit ID number must never become a float.
            Cell::Text(s) => sheet.write_string_resolved(row, col, s, &f.text)?,
            // Counts and incomes: far below 2^53, so f64 holds them exactly.
            Cell::Int(n) => sheet.write_number_resolved(row, col, *n as f64, &f.other)?,
            Cell::Date(d) => match excel_date(*d) {
                Some(date) => sheet.write_datetime_resolved(row, col, &date, &f.date)?,
                // Excel has no dates before 1900 or after 9999; keep the day as text.
                None => sheet.write_string_resolved(row, col, d.format("%Y-%m-%d").to_string(), &f.text)?,
            },
            Cell::Bool(b) => sheet.write_string_resolved(row, col, yes_no(*b), &f.other)?,
            // A formatted blank, so the grid's borders stay unbroken.
            Cell::Empty => sheet.write_blank_resolved(row, col, &f.other)?,
        };
    }
    Ok(())
}

fn next_row(row: RowNum) -> Result<RowNum, XlsxError> {
    row.checked_add(1).ok_or(XlsxError::RowColumnLimitError)
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?).ok()
}

/// A CJK character is about two xlsx width units wide; the clamp keeps an odd
/// hint from making a column vanish or sprawl.
fn xlsx_width(column: &Column) -> f64 {
    let width = column.width * 2.0 + 1.0;
    // `clamp` passes NaN through, and Excel cannot read a NaN width.
    if width.is_nan() {
        6.0
    } else {
        width.clamp(6.0, 60.0)
    }
}

/// `raw` made a valid Excel sheet name not yet in `taken` (compared without
/// case, as Excel does), and recorded there.
fn sheet_name(raw: &str, taken: &mut HashSet<String>) -> String {
    // Excel reserves "History" for its change tracking.
    taken.insert("history".to_string());
    let cleaned: String = raw.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
    let base = match cleaned.trim().trim_matches('\'') {
        "" => "Sheet",
        name => name,
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("({n})") };
        let stem = truncate_utf16(base, SHEET_NAME_MAX - suffix.len()).trim_end_matches('\'');
        let name = format!("{stem}{suffix}");
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

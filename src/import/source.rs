//! Reading a roster file into rows of cells: xlsx and xls through calamine,
//! CSV through the `csv` crate after decoding UTF-8 (with or without BOM) or
//! GB18030/GBK with encoding_rs (DESIGN §8).
//!
//! Rows carry the number the clerk sees in the spreadsheet: 1-based,
//! counting title rows, blank rows and, for a CSV, records rather than text
//! lines (a quoted field may span lines). An xlsx is read as a stream of
//! cells, so memory does not grow with the file beyond calamine's shared
//! string table.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::messages::imports as msg;

mod workbook;

pub use workbook::sheet_names;
use workbook::{within_a_cell, within_unpacked_limits};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
pub enum Cell {
    /// Nothing there.
    Empty,
    /// Text.
    Text(String),
    /// A number (a spreadsheet keeps at most 15 significant digits).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDate),
    /// TRUE or FALSE.
    Bool(bool),
    /// A formula error such as `#N/A`.
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::domain::normalise::text(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as a clerk would read it: text as is, a whole number
    /// without decimals, a date as `YYYY-MM-DD`.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n:E}"),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A row of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// The spreadsheet's row number (1-based).
    pub number: u32,
    /// Cells from column A; missing trailing cells are absent.
    pub cells: Vec<Cell>,
}

impl SourceRow {
    /// The cell in column `i` (0-based), or an empty one.
    pub fn cell(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&Cell::Empty)
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// The format of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Office Open XML workbook.
    Xlsx,
    /// Excel 97–2003 (BIFF8) workbook.
    Xls,
    /// Comma-separated values.
    Csv,
}

/// A CSV's character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Decide from the bytes: UTF-8 (BOM or valid UTF-8), else GB18030.
    Detect,
    /// UTF-8.
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Encoding, String> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "auto" | "detect" => Ok(Encoding::Detect),
            "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Ok(Encoding::Gb18030),
            other => Err(format!("unknown encoding `{other}`; expected utf-8, gbk or gb18030")),
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the file name and checks the bytes agree: a file
/// named `.xlsx` that is not a zip archive (or `.xls` that is not an OLE
/// compound file) is refused with 422 rather than guessed at. Without a
/// known extension the bytes decide.
pub fn format_of(file_name: Option<&str>, bytes: &[u8]) -> Result<Format, AppError> {
    let ext = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let sniffed = if bytes.starts_with(ZIP_MAGIC) {
        Format::Xlsx
    } else if bytes.starts_with(OLE_MAGIC) {
        Format::Xls
    } else {
        Format::Csv
    };
    let claimed = match ext.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xls" | "et" => Format::Xls,
        "csv" | "txt" => Format::Csv,
        _ => return Ok(sniffed),
    };
    if claimed != sniffed {
        return Err(AppError::invalid("file", "not_xlsx", msg::not_what_it_says(&ext, sniffed)));
    }
    Ok(claimed)
}

/// Reads every row of the first worksheet (or the CSV), calling `each` in
/// order; `each` may stop the reading by returning an error. `total` is
/// told the number of rows when the format knows it in advance.
pub fn read_rows(
    bytes: &[u8],
    format: Format,
    encoding: Encoding,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(SourceRow) -> Result<(), AppError>,
) -> Result<(), AppError> {
    match format {
        Format::Xlsx => {
            within_unpacked_limits(bytes)?;
            read_xlsx(Cursor::new(bytes), total, each)
        }
        Format::Xls => read_xls(Cursor::new(bytes), total, each),
        Format::Csv => read_csv(&decode(bytes, encoding)?, total, each),
    }
}

/// As [`read_rows`], with the file read and decoded on a second thread
/// while `each` runs on this one: an import checks and stages rows on one
/// core while the next ones are unpacked on the other. Rows cross in
/// batches over a bounded channel, so only a few batches wait in memory.
/// `each` stopping with an error stops the reading; that error is returned.
pub fn read_rows_ahead(
    bytes: &[u8],
    format: Format,
    encoding: Encoding,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(SourceRow) -> Result<(), AppError>,
) -> Result<(), AppError> {
    enum Read {
        Total(u64),
        Rows(Vec<SourceRow>),
    }
    const BATCH: usize = 256;
    std::thread::scope(|s| {
        let (sender, received) = std::sync::mpsc::sync_channel::<Read>(4);
        let reader = s.spawn(move || {
            let stopped = || AppError::Internal(anyhow::anyhow!("the rows' reader stopped"));
            let mut batch = Vec::with_capacity(BATCH);
            let result = read_rows(
                bytes,
                format,
                encoding,
                &mut |n| {
                    let _ = sender.send(Read::Total(n));
                },
                &mut |row| {
                    batch.push(row);
                    if batch.len() == BATCH {
                        sender.send(Read::Rows(std::mem::take(&mut batch))).map_err(|_| stopped())?;
                    }
                    Ok(())
                },
            );
            if result.is_ok() && !batch.is_empty() {
                let _ = sender.send(Read::Rows(batch));
            }
            result
        });
        // Taking the receiver in: when `each` stops, it is dropped here and
        // the reader's next send fails, so the reader ends too.
        let consumed = (move || {
            for read in received {
                match read {
                    Read::Total(n) => total(n),
                    Read::Rows(rows) => rows.into_iter().try_for_each(&mut *each)?,
                }
            }
            Ok(())
        })();
        let read = reader.join().map_err(|_| AppError::Internal(anyhow::anyhow!("the rows' reader panicked")))?;
        consumed.and(read)
    })
}

fn unreadable(e: impl std::fmt::Display) -> AppError {
    AppError::invalid("file", "unreadable", msg::unreadable(&e.to_string()))
}

fn read_xlsx<RS: Read + Seek>(
    rs: RS,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(SourceRow) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let mut book: Xlsx<RS> = Xlsx::new(rs).map_err(unreadable)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(AppError::invalid("file", "empty", msg::no_sheet()));
    };
    let mut reader = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    total(u64::from(reader.dimensions().end.0) + 1);
    let mut row = SourceRow { number: 0, cells: Vec::new() };
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, col) = cell.get_position();
        if r + 1 != row.number {
            if row.number > 0 {
                each(std::mem::replace(&mut row, SourceRow { number: r + 1, cells: Vec::new() }))?;
            } else {
                row.number = r + 1;
            }
        }
        let value = cell.get_value();
        if let DataRef::String(text) = value {
            within_a_cell(text, r, col)?;
        } else if let DataRef::SharedString(text) = value {
            within_a_cell(text, r, col)?;
        }
        put(&mut row.cells, col as usize, of_ref(value));
    }
    if row.number > 0 {
        each(row)?;
    }
    Ok(())
}

fn read_xls<RS: Read + Seek>(
    rs: RS,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(SourceRow) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let mut book: Xls<RS> = Xls::new(rs).map_err(unreadable)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(AppError::invalid("file", "empty", msg::no_sheet()));
    };
    let range = book.worksheet_range(&sheet).map_err(unreadable)?;
    let Some((top, left)) = range.start() else { return Ok(()) };
    total(u64::from(top) + range.height() as u64);
    for (i, cells) in range.rows().enumerate() {
        for (k, c) in cells.iter().enumerate() {
            if let Data::String(text) = c {
                within_a_cell(text, top + i as u32, left + k as u32)?;
            }
        }
        let mut out = vec![Cell::Empty; left as usize];
        out.extend(cells.iter().map(of_data));
        each(SourceRow { number: top + i as u32 + 1, cells: out })?;
    }
    Ok(())
}

fn put(cells: &mut Vec<Cell>, col: usize, cell: Cell) {
    if cells.len() <= col {
        cells.resize(col + 1, Cell::Empty);
    }
    cells[col] = cell;
}

fn of_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => dt.as_datetime().map(|d| Cell::Date(d.date())).unwrap_or(Cell::Number(dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn of_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt.as_datetime().map(|d| Cell::Date(d.date())).unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// The text of a CSV: a UTF-8 BOM is dropped; valid UTF-8 is UTF-8; other
/// bytes are GB18030 (what Excel and WPS on Chinese Windows write, a
/// superset of GBK that also holds rare name characters). Bytes that are
/// neither are refused with 422 rather than read as replacement marks.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, AppError> {
    let utf8 = |b: &[u8]| -> Result<String, AppError> {
        let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| AppError::invalid("file", "encoding", msg::not_utf8()))
    };
    match encoding {
        Encoding::Utf8 => utf8(bytes),
        Encoding::Detect if bytes.starts_with(b"\xEF\xBB\xBF") || std::str::from_utf8(bytes).is_ok() => utf8(bytes),
        Encoding::Detect | Encoding::Gb18030 => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(AppError::invalid("file", "encoding", msg::unknown_encoding()));
            }
            Ok(text.into_owned())
        }
    }
}

/// A CSV field as a spreadsheet opening the file shows its cell: the text
/// formula `="…"` is the text inside it, and a leading `'` before `=`, `+`,
/// `-`, `@`, a tab or a carriage return is not part of the text. These are
/// how labour-bridge's own CSV ledgers keep an ID number's digits and keep a
/// note from running as a formula (docs/台账口径.md §6), and how offices
/// write such cells by hand; read as written, every exported row would be
/// refused (`="4514…"` is no ID number) or change its record on re-import.
pub fn as_shown(field: &str) -> &str {
    if let Some(inner) = field.strip_prefix("=\"").and_then(|rest| rest.strip_suffix('"')) {
        if !inner.contains('"') {
            return inner;
        }
    }
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => field,
    }
}

fn read_csv(
    text: &str,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(SourceRow) -> Result<(), AppError>,
) -> Result<(), AppError> {
    total(text.lines().count() as u64);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(unreadable)?;
        let cells = record
            .iter()
            .map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(as_shown(s).to_string()) })
            .collect();
        each(SourceRow { number: i as u32 + 1, cells })?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

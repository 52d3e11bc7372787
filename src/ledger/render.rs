//! Renderers: a [`Table`] drawn as an xlsx workbook (one sheet per ledger),
//! a CSV file for machines, or a print-ready HTML page for the paper copy.

use std::borrow::Cow;
use std::io::Write;

use rust_xlsxwriter::XlsxError;

use super::table::{Cell, Table, TableHead, TableOut};
pub use super::xlsx::{xlsx, XlsxOut};

/// Why a ledger could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// rust_xlsxwriter refused a cell, a sheet setting or the save.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    /// The output refused the bytes.
    #[error("cannot write the ledger: {0}")]
    Io(#[from] std::io::Error),
}

/// The table as CSV for machines: UTF-8 with a BOM (so Excel on Chinese
/// Windows reads it as UTF-8), the Chinese header, then one line per body row;
/// RFC 4180 quoting and CRLF line ends. No title, subtitle, total or signature.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = CsvOut(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = table.write_to(&mut out);
    out.0
}

/// CSV written a line at a time to `W`.
pub struct CsvOut<W>(pub W);

impl<W: Write> TableOut for CsvOut<W> {
    fn begin(&mut self, table: &TableHead) -> Result<(), RenderError> {
        let mut line = String::from("\u{feff}");
        csv_line(&mut line, table.columns.iter().map(|c| Cow::Borrowed(c.header.as_str())));
        Ok(self.0.write_all(line.as_bytes())?)
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), RenderError> {
        let mut line = String::with_capacity(256);
        csv_line(&mut line, cells.iter().map(csv_cell));
        Ok(self.0.write_all(line.as_bytes())?)
    }

    fn end(&mut self, _total: &[Cell], _signature: &str) -> Result<(), RenderError> {
        Ok(self.0.flush()?)
    }
}

/// A cell for CSV.
///
/// A long digit string (ID number, phone, household number, USCC,
/// certificate number) is written as the text formula `="…"`: Excel, WPS and
/// LibreOffice opening a CSV with their default settings read a bare
/// 18-digit number as a number, show it as `4.51424E+17` and keep only 15
/// digits, while `="…"` gives a cell holding the text, every digit kept.
/// Other text that a spreadsheet would run as a formula (a name or note
/// typed as `=HYPERLINK(…)`, `+…`, `-…`, `@…`) gets a leading `'`, as OWASP
/// advises, so opening the ledger never executes it.
fn csv_cell(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(s) if is_code_number(s) => Cow::Owned(format!("=\"{s}\"")),
        Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => Cow::Owned(format!("'{s}")),
        other => cell_text(other),
    }
}

/// Digits (an ID number may end in X) that a spreadsheet would turn into a
/// number and damage: 11 or more of them (past what fits a phone's width,
/// and past 15 the digits themselves are lost), or any with a leading zero.
fn is_code_number(s: &str) -> bool {
    let body = s.strip_suffix(['X', 'x']).unwrap_or(s);
    !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit())
        && (s.len() >= 11 || s.starts_with('0') || body.len() != s.len())
}

fn csv_line<'a>(out: &mut String, fields: impl Iterator<Item = Cow<'a, str>>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// A cell as text, the same in CSV and HTML.
fn cell_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::Int(n) => Cow::Owned(n.to_string()),
        Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        Cell::Bool(b) => Cow::Borrowed(yes_no(*b)),
        Cell::Empty => Cow::Borrowed(""),
    }
}

pub(super) fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

const HTML_STYLE: &str = r#"@page { size: A4 landscape; margin: 12mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; color: #000; margin: 0; }
@media screen { body { margin: 12mm; } }
h1 { text-align: center; font-size: 16pt; font-weight: bold; margin: 0 0 3mm; }
.subtitle { font-size: 10.5pt; margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: middle; }
th { font-weight: bold; text-align: center; background: #eee; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
td.num { text-align: right; }
td.date, td.bool { text-align: center; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.total td { font-weight: bold; }
.signature { margin-top: 8mm; font-size: 10.5pt; white-space: pre-wrap; break-inside: avoid; }
"#;

/// The table as a self-contained, print-ready HTML5 page (A4 landscape) for
/// the paper copy: title, subtitle, bordered table whose header repeats on
/// every printed page, bold total row, and the signature line.
pub fn html(table: &Table) -> String {
    let mut out = HtmlOut(Vec::with_capacity(2048 + table.rows.len() * 256));
    // Writing to a Vec cannot fail.
    let _ = table.write_to(&mut out);
    String::from_utf8(out.0).unwrap_or_default()
}

/// The HTML page written a row at a time to `W`.
pub struct HtmlOut<W>(pub W);

impl<W: Write> TableOut for HtmlOut<W> {
    fn begin(&mut self, table: &TableHead) -> Result<(), RenderError> {
        let mut h = String::with_capacity(4096);
        h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        escape_into(&mut h, &table.title);
        h.push_str("</title>\n<style>\n");
        h.push_str(HTML_STYLE);
        h.push_str("</style>\n</head>\n<body>\n<h1>");
        escape_into(&mut h, &table.title);
        h.push_str("</h1>\n<p class=\"subtitle\">");
        escape_into(&mut h, &table.subtitle);
        h.push_str("</p>\n<table>\n<colgroup>");
        for column in &table.columns {
            // The hint is in CJK characters, and one such character is about 1em.
            if column.width.is_finite() && column.width > 0.0 {
                h.push_str(&format!("<col style=\"width: {}em\">", column.width));
            } else {
                h.push_str("<col>");
            }
        }
        h.push_str("</colgroup>\n<thead><tr>");
        for column in &table.columns {
            h.push_str("<th>");
            escape_into(&mut h, &column.header);
            h.push_str("</th>");
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        Ok(self.0.write_all(h.as_bytes())?)
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), RenderError> {
        let mut h = String::with_capacity(512);
        html_row(&mut h, cells, "<tr>");
        Ok(self.0.write_all(h.as_bytes())?)
    }

    fn end(&mut self, total: &[Cell], signature: &str) -> Result<(), RenderError> {
        let mut h = String::with_capacity(512);
        if !total.is_empty() {
            html_row(&mut h, total, "<tr class=\"total\">");
        }
        h.push_str("</tbody>\n</table>\n<p class=\"signature\">");
        escape_into(&mut h, signature);
        h.push_str("</p>\n</body>\n</html>\n");
        self.0.write_all(h.as_bytes())?;
        Ok(self.0.flush()?)
    }
}

fn html_row(h: &mut String, cells: &[Cell], open: &str) {
    h.push_str(open);
    for cell in cells {
        h.push_str(match cell {
            Cell::Int(_) => "<td class=\"num\">",
            Cell::Date(_) => "<td class=\"date\">",
            Cell::Bool(_) => "<td class=\"bool\">",
            Cell::Text(_) | Cell::Empty => "<td>",
        });
        escape_into(h, &cell_text(cell));
        h.push_str("</td>");
    }
    h.push_str("</tr>\n");
}

/// Appends `s` with the five HTML-significant characters escaped, which is
/// safe both in element text and in quoted attributes.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

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
mod tests {
    use std::io::Cursor;

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    use chrono::NaiveDate;

    use super::super::table::{Column, SIGNATURE};
    use super::*;

    const TITLE: &str = "2019年新增转移到东部地区就业贫困人口台账";

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn date(y: i32, m: u32, d: u32) -> Cell {
        Cell::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn table(sheet: &str, second_name: &str) -> Table {
        let headers =
            [("序号", 4.0), ("姓名", 6.0), ("身份证号", 18.0), ("就业时间", 10.0), ("月收入", 6.0), ("是否就业", 4.0)];
        Table {
            sheet: sheet.to_string(),
            title: TITLE.to_string(),
            subtitle: "填报单位：大新县人力资源和社会保障局　　统计截至：2019-11-15".to_string(),
            columns: headers.iter().map(|(h, w)| Column { header: h.to_string(), width: *w }).collect(),
            rows: vec![
                vec![
                    Cell::Int(1),
                    text("农秀英"),
                    text("45142419850612104X"),
                    date(2019, 3, 1),
                    Cell::Int(4500),
                    Cell::Bool(true),
                ],
                vec![
                    Cell::Int(2),
                    text(second_name),
                    text("440704199203151180"),
                    Cell::Empty,
                    Cell::Int(3800),
                    Cell::Bool(false),
                ],
            ],
            total: vec![text("合计"), text("2人"), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
            signature: SIGNATURE.to_string(),
        }
    }

    fn read_back(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).unwrap()
    }

    fn string(s: &str) -> Data {
        Data::String(s.to_string())
    }

    #[test]
    fn the_workbook_shows_title_header_id_numbers_as_text_dates_total_and_signature() {
        let mut book = read_back(
            xlsx(&[table("新增转移东部就业", "黄志强")], chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap())
                .unwrap(),
        );
        let sheet = book.worksheet_range("新增转移东部就业").unwrap();
        let at = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);

        assert_eq!(at(0, 0), string(TITLE));
        assert!(at(1, 0).to_string().starts_with("填报单位：大新县"));
        let headers: Vec<String> = (0..6).map(|c| at(2, c).to_string()).collect();
        assert_eq!(headers, ["序号", "姓名", "身份证号", "就业时间", "月收入", "是否就业"]);
        assert_eq!(at(3, 2), string("45142419850612104X"));
        assert_eq!(at(4, 2), string("440704199203151180"));
        match at(3, 3) {
            Data::DateTime(dt) => {
                assert!(dt.is_datetime());
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                assert_eq!((y, m, d), (2019, 3, 1));
            }
            other => panic!("the date cell is {other:?}"),
        }
        assert_eq!(at(3, 4), Data::Float(4500.0));
        assert_eq!(at(3, 5), string("是"));
        assert_eq!(at(4, 5), string("否"));
        assert_eq!((at(5, 0), at(5, 1)), (string("合计"), string("2人")));
        assert_eq!(at(6, 0), Data::Empty);
        assert_eq!(at(7, 0), string(SIGNATURE));

        let merged: Vec<_> =
            book.merge_cells_by_sheet_name("新增转移东部就业").unwrap().iter().map(|d| (d.start, d.end)).collect();
        assert!(merged.contains(&((0, 0), (0, 5))), "title not merged: {merged:?}");
        assert!(merged.contains(&((7, 0), (7, 5))), "signature not merged: {merged:?}");
    }

    #[test]
    fn two_tables_make_two_sheets_with_the_given_names() {
        let book = read_back(
            xlsx(
                &[table("新增转移东部就业", "甲"), table("东部稳定就业", "乙")],
                chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap(),
            )
            .unwrap(),
        );
        assert_eq!(book.sheet_names(), ["新增转移东部就业", "东部稳定就业"]);
    }

    #[test]
    fn clashing_or_invalid_sheet_names_are_made_unique_and_valid() {
        let long = "很长".repeat(20);
        let tables =
            [table("招聘会", "甲"), table("招聘会", "乙"), table("a/b:c", "丙"), table("", "丁"), table(&long, "戊")];
        let book = read_back(xlsx(&tables, chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap()).unwrap());
        let names = book.sheet_names();
        assert_eq!(names[..4], ["招聘会", "招聘会(2)", "a_b_c", "Sheet"]);
        assert_eq!(names[4].chars().count(), 31);
    }

    #[test]
    fn a_date_excel_cannot_hold_is_written_as_text() {
        let mut t = table("旧", "甲");
        t.rows[0][3] = date(1850, 1, 2);
        let mut book = read_back(xlsx(&[t], chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap()).unwrap());
        let sheet = book.worksheet_range("旧").unwrap();
        assert_eq!(sheet.get_value((3, 3)), Some(&string("1850-01-02")));
    }

    #[test]
    fn the_csv_has_a_bom_the_header_and_one_quoted_line_per_person() {
        let bytes = csv(&table("新增转移东部就业", "黄\"小\",强"));
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(
            lines,
            [
                "序号,姓名,身份证号,就业时间,月收入,是否就业",
                "1,农秀英,\"=\"\"45142419850612104X\"\"\",2019-03-01,4500,是",
                "2,\"黄\"\"小\"\",强\",\"=\"\"440704199203151180\"\"\",,3800,否",
            ]
        );
        assert!(text.ends_with("\r\n") && !text.contains(TITLE) && !text.contains("合计"));
    }

    #[test]
    fn csv_text_that_would_run_as_a_formula_is_neutralised() {
        let bytes = csv(&table("新增转移东部就业", "=HYPERLINK(\"http://x\")"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let line = text.split_terminator("\r\n").nth(2).unwrap();
        assert!(line.starts_with("2,\"'=HYPERLINK(\"\"http://x\"\")\","), "{line}");
        // Numbers stay numbers, negative or not.
        assert_eq!(csv_cell(&Cell::Int(-5)), "-5");
        // Long digit strings and leading zeros are kept as text.
        for code in ["13800138000", "45142419850612104X", "914403001922038216", "0451424001", "12345678901234567890"] {
            assert_eq!(csv_cell(&Cell::Text(code.into())), format!("=\"{code}\""), "{code}");
        }
        for plain in ["4500", "451424", "451424**********4X", "粤菜师傅", "2019年"] {
            assert_eq!(csv_cell(&Cell::Text(plain.into())), plain, "{plain}");
        }
    }

    #[test]
    fn the_html_page_is_print_ready_and_escapes_text() {
        let page = html(&table("新增转移东部就业", "<script>alert('x')</script>"));
        assert!(
            page.starts_with("<!DOCTYPE html>")
                && page.contains("lang=\"zh-CN\"")
                && page.contains("charset=\"utf-8\"")
        );
        assert!(page.contains(&format!("<h1>{TITLE}</h1>")));
        assert!(page.contains("size: A4 landscape"));
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(!page.contains("<script>"));
        assert!(page.contains("<tr class=\"total\"><td>合计</td><td>2人</td>"));
        assert!(page.contains("45142419850612104X") && page.contains(SIGNATURE));
    }
}

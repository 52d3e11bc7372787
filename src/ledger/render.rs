//! Renderers: a [`Table`] drawn as an xlsx workbook (one sheet per ledger),
//! a CSV file for machines, or a print-ready HTML page for the paper copy.

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ColNum, Color, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet, XlsxError,
};

use super::table::{Cell, Column, Table};

/// Why a ledger could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// rust_xlsxwriter refused a cell, a sheet setting or the save.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Excel's limit on a sheet name, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;
/// Rows above the body: title, subtitle, header.
const HEADER_ROWS: RowNum = 3;

/// One workbook holding one worksheet per table, in order; sheet names are
/// the tables' own, made valid and unique where they are not. The workbook's
/// creation date is `dated` (the ledgers' as-of day) rather than the clock,
/// so the same ledger always gives the same bytes, from the API or the CLI.
pub fn xlsx(tables: &[Table], dated: chrono::NaiveDate) -> Result<Vec<u8>, RenderError> {
    use chrono::Datelike;
    let mut workbook = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(dated.year()).unwrap_or(2000),
        u8::try_from(dated.month()).unwrap_or(1),
        u8::try_from(dated.day()).unwrap_or(1),
    )?;
    let mut properties = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created);
    if let Some(first) = tables.first() {
        properties = properties.set_title(&first.title);
    }
    workbook.set_properties(&properties);
    let formats = Formats::new();
    let mut taken = HashSet::new();
    for table in tables {
        let name = sheet_name(&table.sheet, &mut taken);
        // A bundle may hold hundreds of thousands of rows: constant-memory
        // sheets flush each row to a temp file, so rows must go top to bottom.
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        write_sheet(sheet, table, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
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

/// The formats one row's cells take: body or total.
struct RowFormats<'a> {
    text: &'a Format,
    other: &'a Format,
    date: &'a Format,
}

fn write_sheet(sheet: &mut Worksheet, table: &Table, f: &Formats) -> Result<(), XlsxError> {
    let ncols = ColNum::try_from(table.columns.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
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

    let body = RowFormats { text: &f.text, other: &f.body, date: &f.date };
    let mut row = HEADER_ROWS;
    for cells in &table.rows {
        write_row(sheet, row, cells, &body)?;
        row = next_row(row)?;
    }
    if !table.total.is_empty() {
        let total = RowFormats { text: &f.total_text, other: &f.total, date: &f.total_date };
        write_row(sheet, row, &table.total, &total)?;
        row = next_row(row)?;
    }
    let signature_row = next_row(row)?;
    sheet.set_row_height(signature_row, 24)?;
    merged_line(sheet, signature_row, ncols, &table.signature, &f.signature)
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
            Cell::Text(s) => sheet.write_string_with_format(row, col, s, f.text)?,
            // Counts and incomes: far below 2^53, so f64 holds them exactly.
            Cell::Int(n) => sheet.write_number_with_format(row, col, *n as f64, f.other)?,
            Cell::Date(d) => match excel_date(*d) {
                Some(date) => sheet.write_datetime_with_format(row, col, &date, f.date)?,
                // Excel has no dates before 1900 or after 9999; keep the day as text.
                None => sheet.write_string_with_format(row, col, d.format("%Y-%m-%d").to_string(), f.text)?,
            },
            Cell::Bool(b) => sheet.write_string_with_format(row, col, yes_no(*b), f.other)?,
            // A formatted blank, so the grid's borders stay unbroken.
            Cell::Empty => sheet.write_blank(row, col, f.other)?,
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

/// The table as CSV for machines: UTF-8 with a BOM (so Excel on Chinese
/// Windows reads it as UTF-8), the Chinese header, then one line per body row;
/// RFC 4180 quoting and CRLF line ends. No title, subtitle, total or signature.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    csv_line(&mut out, table.columns.iter().map(|c| Cow::Borrowed(c.header.as_str())));
    for row in &table.rows {
        csv_line(&mut out, row.iter().map(csv_cell));
    }
    out.into_bytes()
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

fn yes_no(b: bool) -> &'static str {
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
    let mut h = String::with_capacity(2048 + table.rows.len() * 256);
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
    for row in &table.rows {
        html_row(&mut h, row, "<tr>");
    }
    if !table.total.is_empty() {
        html_row(&mut h, &table.total, "<tr class=\"total\">");
    }
    h.push_str("</tbody>\n</table>\n<p class=\"signature\">");
    escape_into(&mut h, &table.signature);
    h.push_str("</p>\n</body>\n</html>\n");
    h
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

    use super::super::table::SIGNATURE;
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

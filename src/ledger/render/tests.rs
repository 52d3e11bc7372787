//! Unit tests of the ledger renderers.

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
        xlsx(&[table("新增转移东部就业", "黄志强")], chrono::NaiveDate::from_ymd_opt(2019, 11, 15).unwrap()).unwrap(),
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
fn reserved_sheets_keep_their_order_whatever_order_they_are_filled_in() {
    let day = NaiveDate::from_ymd_opt(2019, 11, 15).unwrap();
    let mut out = XlsxOut::new(day, None).unwrap();
    out.reserve(2).unwrap();
    assert!(out.fill(2).is_err(), "only reserved sheets can be chosen");
    out.fill(1).unwrap();
    table("东部稳定就业", "乙").write_to(&mut out).unwrap();
    out.fill(0).unwrap();
    table("新增转移东部就业", "甲").write_to(&mut out).unwrap();
    let mut book = read_back(out.finish_to_buffer().unwrap());
    assert_eq!(book.sheet_names(), ["新增转移东部就业", "东部稳定就业"]);
    for (sheet, name) in [("新增转移东部就业", "甲"), ("东部稳定就业", "乙")] {
        let range = book.worksheet_range(sheet).unwrap();
        assert_eq!(range.get_value((4, 1)), Some(&string(name)), "{sheet}");
        assert_eq!(range.get_value((7, 0)), Some(&string(SIGNATURE)), "{sheet}");
    }
}

/// One stored file of an xlsx package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The value of attribute `name` in an XML start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

#[test]
fn body_cells_are_bordered_id_numbers_formatted_as_text_and_dates_as_dates() {
    let day = NaiveDate::from_ymd_opt(2019, 11, 15).unwrap();
    let bytes = xlsx(&[table("新增转移东部就业", "黄志强"), table("东部稳定就业", "乙")], day).unwrap();
    // Each cell format of the workbook: (number format code, border id).
    let styles = part(&bytes, "xl/styles.xml");
    let custom: Vec<(u32, String)> = styles
        .split("<numFmt ")
        .skip(1)
        .map(|tag| {
            let tag = format!(" {tag}");
            let id = attribute(&tag, "numFmtId").unwrap().parse::<u32>().unwrap();
            (id, attribute(&tag, "formatCode").unwrap().to_string())
        })
        .collect();
    let code = |id: u32| match id {
        0 => "General".to_string(),
        49 => "@".to_string(),
        _ => custom.iter().find(|(i, _)| *i == id).map(|(_, c)| c.clone()).unwrap_or_else(|| format!("builtin {id}")),
    };
    let cell_xfs = styles.split("<cellXfs").nth(1).unwrap().split("</cellXfs>").next().unwrap();
    let xfs: Vec<(String, u32)> = cell_xfs
        .split("<xf")
        .skip(1)
        .map(|tag| {
            let n = |a| attribute(tag, a).unwrap_or("0").parse::<u32>().unwrap();
            (code(n("numFmtId")), n("borderId"))
        })
        .collect();
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let xml = part(&bytes, sheet);
        let style = |cell: &str| {
            let tag = xml.split("<c").find(|t| attribute(t, "r") == Some(cell)).unwrap_or_else(|| panic!("{cell}"));
            xfs[attribute(tag, "s").unwrap_or("0").parse::<usize>().unwrap()].clone()
        };
        // Rows 4 and 5 are the body: every cell, the empty one too, has its border.
        for row in [4, 5] {
            for col in ["A", "B", "C", "D", "E", "F"] {
                assert_ne!(style(&format!("{col}{row}")).1, 0, "{sheet} {col}{row} has no border");
            }
        }
        // 身份证号 stays text when edited (number format "@").
        assert_eq!(style("C4").0, "@", "{sheet}");
        assert_eq!(style("C5").0, "@", "{sheet}");
        // 就业时间 as a day; 月收入 as a number.
        assert_eq!(style("D4").0, "yyyy-mm-dd", "{sheet}");
        assert_eq!(style("E4").0, "General", "{sheet}");
    }
}

#[test]
fn a_format_resolved_for_another_workbook_is_refused() {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut first = Workbook::new();
    let resolved = first.add_worksheet_with_constant_memory().unwrap().resolve_format(&bold);
    let mut second = Workbook::new();
    let other = second.add_worksheet_with_constant_memory().unwrap();
    assert!(other.write_string_resolved(0, 0, "x", &resolved).is_err());
    assert!(other.write_blank_resolved(0, 1, &resolved).is_err());
    // Another sheet of the same workbook shares its format table.
    let same = first.add_worksheet_with_constant_memory().unwrap();
    assert!(same.write_string_resolved(0, 0, "x", &resolved).is_ok());
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
        page.starts_with("<!DOCTYPE html>") && page.contains("lang=\"zh-CN\"") && page.contains("charset=\"utf-8\"")
    );
    assert!(page.contains(&format!("<h1>{TITLE}</h1>")));
    assert!(page.contains("size: A4 landscape"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(!page.contains("<script>"));
    assert!(page.contains("<tr class=\"total\"><td>合计</td><td>2人</td>"));
    assert!(page.contains("45142419850612104X") && page.contains(SIGNATURE));
}

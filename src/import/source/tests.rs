//! Unit tests of reading rows from workbooks and CSV.

use super::*;

#[test]
fn rows_read_ahead_arrive_in_order_and_a_stop_ends_the_reader() {
    let csv: String = (1..=2000).map(|i| format!("{i},名{i}\n")).collect();
    let mut numbers = Vec::new();
    read_rows_ahead(csv.as_bytes(), Format::Csv, Encoding::Utf8, &mut |_| {}, &mut |r| {
        numbers.push(r.number);
        Ok(())
    })
    .unwrap();
    assert_eq!(numbers, (1..=2000).collect::<Vec<u32>>());
    assert_eq!(rows(csv.as_bytes(), Format::Csv).len(), 2000, "the same rows as read in line");

    // The consumer's error stops the reading and is what comes back.
    let mut seen = 0;
    let e = read_rows_ahead(csv.as_bytes(), Format::Csv, Encoding::Utf8, &mut |_| {}, &mut |r| {
        seen += 1;
        if r.number == 300 {
            return Err(AppError::invalid("file", "no_header", crate::messages::Text::new("停", "stop")));
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!(seen, 300);
    assert_eq!(e.field_errors()[0].code, "no_header");

    // The reader's own error (not a workbook) comes back too.
    let e = read_rows_ahead(b"PK\x03\x04 not a zip", Format::Xlsx, Encoding::Detect, &mut |_| {}, &mut |_| Ok(()))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].code, "unreadable", "{e:?}");
}

fn rows(bytes: &[u8], format: Format) -> Vec<SourceRow> {
    let mut out = Vec::new();
    read_rows(bytes, format, Encoding::Detect, &mut |_| {}, &mut |r| {
        out.push(r);
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn a_gbk_csv_reads_as_gb18030_with_rare_characters() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,身份证号\r\n莫𠮷芳,451424198909085063\r\n");
    let got = rows(&bytes, Format::Csv);
    assert_eq!(got[1].cells[0], Cell::Text("莫𠮷芳".into()));
    assert_eq!(got[1].number, 2);
}

#[test]
fn a_bom_is_dropped_and_quoted_line_breaks_stay_in_one_record() {
    let got = rows("\u{FEFF}name,notes\n甲,\"a\nb\"\n乙,c\n".as_bytes(), Format::Csv);
    assert_eq!(got[0].cells[0], Cell::Text("name".into()));
    assert_eq!(got[1].cells[1], Cell::Text("a\nb".into()));
    assert_eq!(got[2].number, 3, "rows count records, not lines");
}

#[test]
fn bytes_that_are_no_known_encoding_are_refused() {
    let err = decode(&[0x81, 0x20, 0xFF, 0xFF], Encoding::Detect).unwrap_err();
    assert!(matches!(err, AppError::Validation(_) | AppError::BadRequest { .. }), "{err:?}");
}

#[test]
fn a_text_file_named_xlsx_is_refused_not_sniffed() {
    let err = format_of(Some("roster.xlsx"), b"name,id\n").unwrap_err();
    assert!(format!("{err:?}").contains("not_xlsx"));
    assert_eq!(format_of(Some("roster.csv"), b"name,id\n").unwrap(), Format::Csv);
    assert_eq!(format_of(None, b"PK\x03\x04rest").unwrap(), Format::Xlsx);
}

#[test]
fn csv_cells_read_as_a_spreadsheet_shows_them() {
    // What labour-bridge's CSV ledgers write, and what people type.
    for (field, shown) in [
        ("=\"45142419850612104X\"", "45142419850612104X"),
        ("=\"0750-3861234\"", "0750-3861234"),
        ("'=1+1", "=1+1"),
        ("'+86厂", "+86厂"),
        ("'-劳务协作站推荐", "-劳务协作站推荐"),
        ("'@某厂", "@某厂"),
        // Left as written: not the formula's shape, or no formula guarded.
        ("=1+1", "=1+1"),
        ("=\"a\"\"b\"", "=\"a\"\"b\""),
        ("'黄小强", "'黄小强"),
        ("O'Brien", "O'Brien"),
        ("", ""),
    ] {
        assert_eq!(as_shown(field), shown, "{field}");
    }
    let csv = "姓名,身份证号,备注\n农秀英,\"=\"\"45142419850612104X\"\"\",'=1+1\n";
    let read = rows(csv.as_bytes(), Format::Csv);
    assert_eq!(read[1].cells[1], Cell::Text("45142419850612104X".into()));
    assert_eq!(read[1].cells[2], Cell::Text("=1+1".into()));
}

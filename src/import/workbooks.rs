//! Workbooks the import hands back (DESIGN §8): the rejected rows as they
//! came with a red 错误原因 column, ready to fix and upload again; and an
//! empty template per kind with the headers, drop-down lists for the
//! closed lists, ID-number columns as text and one example row in grey.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, DataValidation, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::headers::Column;
use super::kinds::columns;
use super::source::Cell;
use super::{ImportKind, RowIssue};
use crate::domain::{Channel, Education, GenderRequirement, PostingStatus, PovertyStatus, StudyStatus};

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?)
        .ok()
}

fn internal(e: XlsxError) -> crate::error::AppError {
    crate::error::AppError::Internal(anyhow::anyhow!("writing a workbook: {e}"))
}

/// The rejected rows: `headers` as the file had them, then each row's cells
/// as they came and, in the first free column, its reasons in red.
pub fn rejected(
    headers: &[String],
    rows: &[(u32, Vec<Cell>, Vec<RowIssue>)],
) -> Result<Vec<u8>, crate::error::AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("被拒绝的行").map_err(internal)?;
    let bold = Format::new().set_bold();
    let red = Format::new().set_font_color(Color::Red).set_text_wrap();
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let width = rows.iter().map(|(_, c, _)| c.len()).chain([headers.len()]).max().unwrap_or(0);
    let reason_col = u16::try_from(width).map_err(|_| internal(XlsxError::ParameterError("too wide".into())))?;
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, h, &bold).map_err(internal)?;
    }
    sheet
        .write_string_with_format(0, reason_col, "错误原因", &bold.clone().set_font_color(Color::Red))
        .map_err(internal)?;
    sheet.write_string_with_format(0, reason_col + 1, "原行号", &bold).map_err(internal)?;
    sheet.set_column_width(reason_col, 60).map_err(internal)?;
    for (r, (number, cells, issues)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        for (i, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, i as u16, cell, &text, &date).map_err(internal)?;
        }
        let reasons: Vec<String> = issues
            .iter()
            .map(|i| {
                let label = crate::messages::field_label(&i.field);
                if label.is_empty() {
                    i.message.clone()
                } else {
                    format!("{label}：{}", i.message)
                }
            })
            .collect();
        sheet.write_string_with_format(row, reason_col, reasons.join("；"), &red).map_err(internal)?;
        sheet.write_number(row, reason_col + 1, f64::from(*number)).map_err(internal)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    text: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        // Text stays text: an ID number written back as a number would
        // lose its last digits again.
        Cell::Text(s) | Cell::Error(s) => {
            sheet.write_string_with_format(row, col, s, text)?;
        }
        Cell::Number(n) => {
            sheet.write_number(row, col, *n)?;
        }
        Cell::Date(d) => match excel_date(*d) {
            Some(x) => {
                sheet.write_datetime_with_format(row, col, &x, date)?;
            }
            None => {
                sheet.write_string(row, col, d.to_string())?;
            }
        },
        Cell::Bool(b) => {
            sheet.write_boolean(row, col, *b)?;
        }
    }
    Ok(())
}

/// The labels a column's drop-down offers, for the closed lists.
fn choices(field: &str) -> Option<Vec<&'static str>> {
    fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Option<Vec<&'static str>> {
        Some(all.iter().map(|v| label(*v)).collect())
    }
    match field {
        "poverty_status" => labels(PovertyStatus::ALL, PovertyStatus::label_zh),
        "education" | "education_min" => labels(Education::ALL, Education::label_zh),
        "gender_requirement" => labels(GenderRequirement::ALL, GenderRequirement::label_zh),
        "status" => None,
        "channel" => labels(Channel::ALL, Channel::label_zh),
        "is_poverty_workshop" | "part_time" => Some(vec!["是", "否"]),
        "gender" => Some(vec!["男", "女"]),
        _ => None,
    }
}

/// The choices of a kind's `status` column.
fn status_choices(kind: ImportKind) -> Option<Vec<&'static str>> {
    match kind {
        ImportKind::Postings => Some(PostingStatus::ALL.iter().map(|s| s.label_zh()).collect()),
        ImportKind::VocationalEnrolments => Some(StudyStatus::ALL.iter().map(|s| s.label_zh()).collect()),
        _ => None,
    }
}

/// One plausible row per kind, shown in grey under the header.
fn example(kind: ImportKind, field: &str) -> &'static str {
    match (kind, field) {
        (_, "name") if kind == ImportKind::Employers => "江门市江海区宏达电子有限公司",
        (_, "name") => "农秀英",
        (_, "id_number") => "45142419880312182X",
        (_, "gender") => "女",
        (_, "phone" | "contact_phone") => "13877101234",
        (_, "hukou_region_code") => "广西壮族自治区崇左市大新县",
        (_, "hukou_township") => "硕龙镇",
        (_, "hukou_village") => "义宁村",
        (_, "poverty_status") => "建档立卡贫困户",
        (_, "education") => "初中",
        (_, "skills") => "电子厂普工、缝纫",
        (_, "desired_occupations") => "普工",
        (_, "desired_region_codes") => "江海区",
        (_, "uscc") => "91440704MA51HD013D",
        (_, "region_code") => "广东省江门市江海区",
        (_, "address") => "江海区外海街道金瓯路8号",
        (_, "industry") => "电子制造",
        (_, "contact_name") => "张先生",
        (_, "is_poverty_workshop" | "part_time") => "否",
        (_, "employer" | "employer_name") => "江门市江海区宏达电子有限公司",
        (_, "title") => "普工",
        (_, "occupation") => "普工",
        (_, "headcount") => "50",
        (_, "salary") => "4000-6000",
        (_, "ages") => "18-45岁",
        (_, "gender_requirement") => "不限",
        (_, "education_min") => "初中",
        (_, "benefits") => "包吃住",
        (_, "closes_on") => "2019-12-31",
        (_, "started_on") => "2019-11-15",
        (_, "monthly_income") => "5000",
        (_, "channel") => "招聘会",
        (_, "school_name") => "台山市广东厨艺技工学校",
        (_, "school_region_code") => "台山市",
        (_, "major") => "中式烹调",
        (_, "enrolled_on") => "2019-09-01",
        (_, "status") if kind == ImportKind::VocationalEnrolments => "在读",
        _ => "",
    }
}

/// The columns a template offers: every field column once, by its first name.
fn template_columns(kind: ImportKind) -> Vec<&'static Column> {
    let mut out: Vec<&'static Column> = Vec::new();
    for c in columns(kind) {
        let english_only = c.names.first().is_some_and(|n| n.is_ascii());
        if !c.field.is_empty() && !english_only && !out.iter().any(|o| o.field == c.field) {
            out.push(c);
        }
    }
    out
}

/// An empty roster of `kind`: headers (required ones marked （必填）), one
/// example row in grey, drop-downs for the closed lists over 5000 rows,
/// ID-number columns formatted as text.
pub fn template(kind: ImportKind) -> Result<Vec<u8>, crate::error::AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(kind.label_zh()).map_err(internal)?;
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let grey = Format::new().set_font_color(Color::Gray).set_num_format("@");
    let text = Format::new().set_num_format("@");
    for (i, c) in template_columns(kind).into_iter().enumerate() {
        let col = i as u16;
        let header = if c.required { format!("{}（必填）", c.names[0]) } else { c.names[0].to_string() };
        sheet.write_string_with_format(0, col, &header, &bold).map_err(internal)?;
        sheet.set_column_width(col, (header.chars().count() as f64 * 2.2).max(12.0)).map_err(internal)?;
        if c.field == "id_number" || c.field == "uscc" || c.field.ends_with("phone") {
            sheet.set_column_format(col, &text).map_err(internal)?;
        }
        sheet.write_string_with_format(1, col, example(kind, c.field), &grey).map_err(internal)?;
        let list = if c.field == "status" { status_choices(kind) } else { choices(c.field) };
        if let Some(list) = list {
            let dv = DataValidation::new()
                .allow_list_strings(&list)
                .map_err(internal)?
                .set_error_message(format!("请从下拉列表中选择：{}", list.join("、")))
                .map_err(internal)?;
            sheet.add_data_validation(1, col, 5000, col, &dv).map_err(internal)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

/// Whether `row` is a template's example row left in by the clerk (every
/// example cell of the file's columns as the template wrote it): skipped.
pub fn is_example(kind: ImportKind, layout: &super::headers::Layout, row: &super::source::SourceRow) -> bool {
    let mut matched = 0;
    for (i, field) in layout.fields.iter().enumerate() {
        let Some(field) = field else { continue };
        let want = example(kind, field);
        if want.is_empty() {
            continue;
        }
        if row.cell(i).shown().trim() != want {
            return false;
        }
        matched += 1;
    }
    matched >= 3
}

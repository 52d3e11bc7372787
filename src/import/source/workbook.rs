//! What is checked of a workbook before its contents are copied: from an
//! xlsx's zip directory and one small part, the unpacked sizes of its
//! parts (a roster must not unpack to gigabytes) and its worksheets'
//! names; and each cell's length, within what Excel itself allows.

use std::io::{Cursor, Read};

use calamine::{Reader, Xls};

use super::{unreadable, Format};
use crate::error::AppError;
use crate::messages::imports as msg;

/// The workbook's worksheet names in order (none for a CSV, or a file
/// that cannot be read: reading it says why). Only the first is read.
pub fn sheet_names(bytes: &[u8], format: Format) -> Vec<String> {
    match format {
        Format::Xlsx => xlsx_sheet_names(bytes).unwrap_or_default(),
        Format::Xls => Xls::new(Cursor::new(bytes)).map(|b: Xls<_>| b.sheet_names()).unwrap_or_default(),
        Format::Csv => Vec::new(),
    }
}

/// The `name` of each `<sheet>` in an xlsx's `xl/workbook.xml`, in order:
/// read from that one small part (calamine would unpack every shared
/// string again to say).
fn xlsx_sheet_names(bytes: &[u8]) -> Option<Vec<String>> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    archive.by_name("xl/workbook.xml").ok()?.read_to_string(&mut xml).ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if AsRef::<str>::as_ref(&e.local_name()) == "sheet" => {
                let name = e.try_get_attribute("name").ok()??;
                names.push(name.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?.into_owned());
            }
            Event::Eof => return Some(names),
            _ => {}
        }
    }
}

/// The most one part of a workbook (a sheet, its shared strings) may
/// unpack to: a 20 MiB upload of real rosters unpacks to a few hundred MB
/// in all at most, while 3 MB can be made to unpack to gigabytes in one
/// cell (calamine holds the shared strings whole).
const MAX_PART_UNPACKED: u64 = 128 << 20;
/// The most a whole workbook may unpack to.
const MAX_UNPACKED: u64 = 512 << 20;

/// Refuses (422, `too_large`) an xlsx whose parts would unpack to more than
/// [`MAX_PART_UNPACKED`] each or [`MAX_UNPACKED`] in all, before calamine
/// unpacks anything: one such upload once took the whole service down.
pub(super) fn within_unpacked_limits(bytes: &[u8]) -> Result<(), AppError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut all: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(unreadable)?;
        let size = part.size();
        all = all.saturating_add(size);
        let (name, limit) = if size > MAX_PART_UNPACKED {
            (part.name().map(|n| n.to_string()).unwrap_or_default(), MAX_PART_UNPACKED)
        } else if all > MAX_UNPACKED {
            ("全部内容".to_string(), MAX_UNPACKED)
        } else {
            continue;
        };
        let shown = if limit == MAX_UNPACKED { all } else { size };
        return Err(AppError::invalid("file", "too_large", msg::unpacks_too_large(&name, shown >> 20, limit >> 20)));
    }
    Ok(())
}

/// The most characters a cell may hold: Excel's own limit (32,767).
const MAX_CELL_CHARS: usize = 32_767;

/// Refuses (422, `too_large`) a cell longer than any spreadsheet program
/// writes, before it is copied: one 200 MB shared string referred to by 40
/// cells was copied 40 times and took the service down.
pub(super) fn within_a_cell(text: &str, row: u32, col: u32) -> Result<(), AppError> {
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        return Err(AppError::invalid("file", "too_large", msg::cell_too_long(row + 1, col + 1, MAX_CELL_CHARS)));
    }
    Ok(())
}

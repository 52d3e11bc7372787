//! Finding the header row of a roster and what each column holds
//! (DESIGN §8): the first row whose cells name known columns; title rows
//! and merged cells above it are skipped. Chinese and English names and
//! their usual variants are accepted, ignoring white space, full-width
//! forms, a trailing `（必填）` or `*`, and a trailing unit such as `（元）`.

use unicode_normalization::UnicodeNormalization;

use super::source::SourceRow;

/// A column the import knows: the field it fills and the names it goes by.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The field the column fills (the API's name where there is one); an
    /// empty field is a known column that is read past (序号, or the
    /// person's details repeated on a placement ledger).
    pub field: &'static str,
    /// Header names, Chinese first; the first is what templates write.
    pub names: &'static [&'static str],
    /// Whether a template marks the column required.
    pub required: bool,
}

/// Shorthand for the column tables.
pub const fn col(field: &'static str, names: &'static [&'static str]) -> Column {
    Column { field, names, required: false }
}

/// A column a template marks required.
pub const fn must(field: &'static str, names: &'static [&'static str]) -> Column {
    Column { field, names, required: true }
}

/// A known column that is read past.
pub const fn skip(names: &'static [&'static str]) -> Column {
    Column { field: "", names, required: false }
}

/// What the header row says.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The header's spreadsheet row.
    pub row: u32,
    /// Field per column index (`None`: unknown or read past).
    pub fields: Vec<Option<&'static str>>,
    /// Header texts of the columns nobody knows, in order.
    pub unknown: Vec<String>,
    /// The header cells as written, for the rejected-rows workbook.
    pub written: Vec<String>,
}

impl Layout {
    /// The column index holding `field`.
    pub fn index(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.index(field).is_some()
    }
}

/// A header cell as compared: NFKC, no white space, lower case, without a
/// trailing `(必填)`, `*`, `:` or bracketed unit.
pub fn normalise(s: &str) -> String {
    let mut h: String = s.nfkc().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    loop {
        let before = h.len();
        h = h.trim_end_matches(['*', ':', '：']).trim_start_matches('*').to_string();
        if h.ends_with(')') {
            if let Some(open) = h.rfind('(') {
                if open > 0 {
                    h.truncate(open);
                }
            }
        }
        if h.len() == before {
            return h;
        }
    }
}

/// The column that `header` names, if any.
pub fn column_of<'a>(columns: &'a [Column], header: &str) -> Option<&'a Column> {
    let wanted = normalise(header);
    if wanted.is_empty() {
        return None;
    }
    columns.iter().find(|c| c.names.iter().any(|n| normalise(n) == wanted))
}

/// The columns a rejected rows' workbook adds (`import::workbooks`).
const OWN_COLUMNS: [&str; 2] = ["错误原因", "原行号"];

/// Reads `row` as the header if at least two of its cells (or one, when
/// the row has only one) name known columns that fill a field; otherwise
/// `None` (a title row, a unit line, a blank row).
pub fn header_of(row: &SourceRow, columns: &[Column]) -> Option<Layout> {
    let written: Vec<String> = row.cells.iter().map(|c| c.shown().trim().to_string()).collect();
    let filled = written.iter().filter(|w| !w.is_empty()).count();
    let known = written.iter().filter_map(|w| column_of(columns, w)).filter(|c| !c.field.is_empty()).count();
    if known == 0 || (known < 2 && filled > 1) {
        return None;
    }
    let mut layout = Layout { row: row.number, ..Layout::default() };
    for w in &written {
        match column_of(columns, w) {
            Some(c) if !c.field.is_empty() && !layout.has(c.field) => layout.fields.push(Some(c.field)),
            Some(_) => layout.fields.push(None),
            None => {
                layout.fields.push(None);
                // The two columns labour-bridge adds to a rejected rows'
                // workbook are its own: corrected and uploaded again, they
                // are not "unknown".
                if !w.is_empty() && !OWN_COLUMNS.contains(&normalise(w).as_str()) {
                    layout.unknown.push(w.clone());
                }
            }
        }
    }
    layout.written = written;
    Some(layout)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::import::source::Cell;

    const COLUMNS: &[Column] = &[
        skip(&["序号"]),
        must("name", &["姓名", "name"]),
        must("id_number", &["身份证号", "身份证号码", "公民身份号码", "id_number"]),
        col("monthly_income", &["月收入", "月工资", "monthly_income"]),
        col("hukou_village", &["村", "村（社区）"]),
    ];

    fn row(n: u32, cells: &[&str]) -> SourceRow {
        SourceRow {
            number: n,
            cells: cells.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
        }
    }

    #[test]
    fn header_variants_match_their_column() {
        for h in ["姓  名", "姓名（必填）", "*姓名", "姓名 ", "NAME", "name"] {
            assert_eq!(column_of(COLUMNS, h).map(|c| c.field), Some("name"), "{h}");
        }
        assert_eq!(column_of(COLUMNS, "公民身份号码（必填）").map(|c| c.field), Some("id_number"));
        assert_eq!(column_of(COLUMNS, "月收入（元）").map(|c| c.field), Some("monthly_income"));
        assert_eq!(column_of(COLUMNS, "村（社区）").map(|c| c.field), Some("hukou_village"));
        assert!(column_of(COLUMNS, "家庭人口").is_none());
    }

    #[test]
    fn title_rows_are_not_headers_and_unknown_columns_are_listed_once() {
        assert!(header_of(&row(1, &["大新县2019年建档立卡贫困劳动力花名册"]), COLUMNS).is_none());
        assert!(header_of(&row(2, &["填报单位：大新县人社局", "", "截至：2019年11月15日"]), COLUMNS).is_none());
        let layout = header_of(&row(3, &["序号", "姓  名", "公民身份号码（必填）", "家庭人口"]), COLUMNS).unwrap();
        assert_eq!(layout.row, 3);
        assert_eq!(layout.index("id_number"), Some(2));
        assert_eq!(layout.unknown, vec!["家庭人口"]);
    }
}

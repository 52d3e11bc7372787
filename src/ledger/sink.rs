//! Where a computed ledger goes, a row at a time: collected into a
//! [`Ledger`], written as JSON, or laid out for print (xlsx, csv, html).
//! The rows of a province's ledger (hundreds of thousands of people) pass
//! through one by one from the query to the output and are never all held.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};

use super::render::RenderError;
use super::table::{Cell, Column, TableHead, TableOut, SIGNATURE};
use super::{rules, Col, Kind, Ledger};
use crate::error::AppError;

/// What is known of a ledger before its rows: who, when, which columns, and
/// its count (the rules have chosen the rows before any is laid out).
#[derive(Debug, Clone)]
pub struct Head {
    /// Which ledger.
    pub kind: Kind,
    /// The year.
    pub year: i32,
    /// Counted up to this day.
    pub as_of: NaiveDate,
    /// When computed.
    pub generated_at: DateTime<Utc>,
    /// The rules used.
    pub rules: rules::Rules,
    /// The hukou county it is restricted to, if any.
    pub county: Option<String>,
    /// The columns.
    pub columns: Vec<Col>,
    /// The ledger's count (for graduates-employed: the employed rows).
    pub count: i64,
    /// For graduates-employed: all graduates (the rows' total).
    pub graduates: Option<i64>,
}

/// Receives a ledger: its head, then each row (cells aligned with the
/// head's columns) in order, then the end.
pub trait Sink {
    /// The head, before any row.
    fn begin(&mut self, head: &Head) -> Result<(), AppError>;
    /// One row.
    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError>;
    /// After the last row.
    fn end(&mut self) -> Result<(), AppError>;
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

/// Collects a ledger in memory (for reconciliation and small ledgers).
#[derive(Default)]
pub struct Collect {
    head: Option<Head>,
    rows: Vec<Vec<Cell>>,
}

impl Collect {
    /// The collected ledger.
    pub fn into_ledger(self) -> Result<Ledger, AppError> {
        let h = self.head.ok_or_else(|| internal(anyhow::anyhow!("a ledger without a head")))?;
        Ok(Ledger {
            kind: h.kind,
            year: h.year,
            as_of: h.as_of,
            generated_at: h.generated_at,
            rules: h.rules,
            county: h.county,
            columns: h.columns,
            rows: self.rows,
            count: h.count,
            graduates: h.graduates,
        })
    }
}

impl Sink for Collect {
    fn begin(&mut self, head: &Head) -> Result<(), AppError> {
        self.head = Some(head.clone());
        Ok(())
    }
    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError> {
        self.rows.push(cells);
        Ok(())
    }
    fn end(&mut self) -> Result<(), AppError> {
        Ok(())
    }
}

/// Writes one row as a JSON object, `{"key":value,…}` in the columns'
/// order, straight from the cells: the keys are escaped once per ledger
/// (`keys`, each with the `,` or `{` before it), texts through serde_json,
/// and dates as `"YYYY-MM-DD"` without a `String` each — a province's
/// ledger writes millions of cells, and going through serde's map
/// serialiser cost a sixth of stable-east's time. The bytes are those
/// serde_json writes for the same map.
fn write_row<W: Write>(out: &mut W, keys: &[Vec<u8>], cells: &[Cell]) -> std::io::Result<()> {
    if keys.is_empty() || cells.is_empty() {
        return out.write_all(b"{}");
    }
    for (key, cell) in keys.iter().zip(cells) {
        out.write_all(key)?;
        match cell {
            Cell::Text(t) => serde_json::to_writer(&mut *out, t)?,
            Cell::Int(n) => serde_json::to_writer(&mut *out, n)?,
            Cell::Date(d) => write_date(out, *d)?,
            Cell::Bool(b) => out.write_all(if *b { b"true" } else { b"false" })?,
            Cell::Empty => out.write_all(b"null")?,
        }
    }
    out.write_all(b"}")
}

/// `"YYYY-MM-DD"`, as `NaiveDate`'s `Display` writes a date of years
/// 0–9999 (any other through `Display` itself).
fn write_date<W: Write>(out: &mut W, d: NaiveDate) -> std::io::Result<()> {
    use chrono::Datelike;
    let year = d.year();
    if !(0..=9999).contains(&year) {
        return serde_json::to_writer(out, &d.to_string()).map_err(std::io::Error::from);
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (y, m, day) = (year as u32, d.month(), d.day());
    out.write_all(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
        b'"',
    ])
}

/// Each column's key as it opens its member: `{"key":` for the first,
/// `,"key":` for the others.
fn member_keys(columns: &[Col]) -> Vec<Vec<u8>> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut key = vec![if i == 0 { b'{' } else { b',' }];
            key.extend(serde_json::to_vec(c.key).unwrap_or_default());
            key.push(b':');
            key
        })
        .collect()
}

/// The JSON document of DESIGN §5 without its rows.
#[derive(serde::Serialize)]
struct HeadJson<'a> {
    kind: &'static str,
    year: i32,
    as_of: NaiveDate,
    generated_at: DateTime<Utc>,
    rules: &'a rules::Rules,
    #[serde(skip_serializing_if = "Option::is_none")]
    county: Option<&'a str>,
    count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    graduates: Option<i64>,
}

/// Writes `{kind, year, as_of, generated_at, rules, count, rows}` to `W`,
/// a row at a time.
pub struct JsonOut<W> {
    out: W,
    /// The columns' keys as written ([`member_keys`]).
    keys: Vec<Vec<u8>>,
    first: bool,
}

impl<W: Write> JsonOut<W> {
    /// JSON to `out`.
    pub fn new(out: W) -> JsonOut<W> {
        JsonOut { out, keys: Vec::new(), first: true }
    }

    /// The output, once ended.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Sink for JsonOut<W> {
    fn begin(&mut self, h: &Head) -> Result<(), AppError> {
        let mut head = serde_json::to_vec(&HeadJson {
            kind: h.kind.as_str(),
            year: h.year,
            as_of: h.as_of,
            generated_at: h.generated_at,
            rules: &h.rules,
            county: h.county.as_deref(),
            count: h.count,
            graduates: h.graduates,
        })
        .map_err(internal)?;
        // `{…}` becomes `{…,"rows":[`; the rows and `]}` follow.
        head.pop();
        head.extend_from_slice(b",\"rows\":[");
        self.out.write_all(&head).map_err(internal)?;
        self.keys = member_keys(&h.columns);
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError> {
        if !std::mem::take(&mut self.first) {
            self.out.write_all(b",").map_err(internal)?;
        }
        write_row(&mut self.out, &self.keys, &cells).map_err(internal)
    }

    fn end(&mut self) -> Result<(), AppError> {
        self.out.write_all(b"]}").map_err(internal)?;
        self.out.flush().map_err(internal)
    }
}

/// The printed head of a ledger: the table head, which of the ledger's
/// columns are printed, and the total row.
pub fn printed_head(h: &Head, unit: &str) -> (TableHead, Vec<usize>, Vec<Cell>) {
    let shown: Vec<usize> = (0..h.columns.len()).filter(|i| h.columns[*i].header.is_some()).collect();
    let columns = shown
        .iter()
        .map(|i| Column { header: h.columns[*i].header.unwrap_or_default().to_string(), width: h.columns[*i].width })
        .collect();
    let mut total = vec![Cell::Empty; shown.len()];
    if let Some(first) = total.first_mut() {
        *first = Cell::Text("合计".into());
    }
    if let Some(second) = total.get_mut(1) {
        *second = Cell::Text(match (h.kind, h.graduates) {
            (Kind::GraduatesEmployed, Some(g)) => format!("毕业{g}人，其中就业{}人", h.count),
            (k, _) if k.is_person_ledger() => format!("{}人", h.count),
            (Kind::Summary, _) => format!("{}项", h.count),
            _ => format!("{}期", h.count),
        });
    }
    let county = h.county.as_deref().map(|c| format!("　户籍县：{c}")).unwrap_or_default();
    let head = TableHead {
        sheet: h.kind.sheet().to_string(),
        title: format!("{}年{}台账", h.year, h.kind.title()),
        subtitle: format!("填报单位：{unit}　　统计截至：{}{county}", h.as_of),
        columns,
    };
    (head, shown, total)
}

/// Lays a ledger out for print as it comes, into any [`TableOut`].
pub struct Printed<'a, T> {
    out: &'a mut T,
    unit: &'a str,
    shown: Vec<usize>,
    total: Vec<Cell>,
}

impl<'a, T: TableOut> Printed<'a, T> {
    /// Printed into `out`, naming `unit` as the reporting unit.
    pub fn new(out: &'a mut T, unit: &'a str) -> Printed<'a, T> {
        Printed { out, unit, shown: Vec::new(), total: Vec::new() }
    }
}

fn render_error(e: RenderError) -> AppError {
    internal(e)
}

impl<T: TableOut> Sink for Printed<'_, T> {
    fn begin(&mut self, h: &Head) -> Result<(), AppError> {
        let (head, shown, total) = printed_head(h, self.unit);
        self.shown = shown;
        self.total = total;
        self.out.begin(&head).map_err(render_error)
    }

    fn row(&mut self, mut cells: Vec<Cell>) -> Result<(), AppError> {
        let row: Vec<Cell> = self
            .shown
            .iter()
            .map(|i| cells.get_mut(*i).map(|c| std::mem::replace(c, Cell::Empty)).unwrap_or(Cell::Empty))
            .collect();
        self.out.row(&row).map_err(render_error)
    }

    fn end(&mut self) -> Result<(), AppError> {
        self.out.end(&self.total, SIGNATURE).map_err(render_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row as serde's map serialiser writes it (what `write_row`
    /// replaced): the bytes must not change.
    struct AsMap<'a>(&'a [Col], &'a [Cell]);

    impl serde::Serialize for AsMap<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (col, cell) in self.0.iter().zip(self.1) {
                match cell {
                    Cell::Text(t) => m.serialize_entry(col.key, t)?,
                    Cell::Int(n) => m.serialize_entry(col.key, n)?,
                    Cell::Date(d) => m.serialize_entry(col.key, &d.to_string())?,
                    Cell::Bool(b) => m.serialize_entry(col.key, b)?,
                    Cell::Empty => m.serialize_entry(col.key, &())?,
                }
            }
            m.end()
        }
    }

    fn col(key: &'static str) -> Col {
        Col { key, header: None, width: 1.0 }
    }

    #[test]
    fn rows_are_written_as_serde_json_writes_the_same_map() {
        let day = |y, m, d| Cell::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let columns: Vec<Col> =
            ["seq", "name", "quote", "started_on", "early", "late", "ok", "notes", "n"].into_iter().map(col).collect();
        let rows = [
            vec![
                Cell::Int(1),
                Cell::Text("韦小燕".into()),
                Cell::Text("\"引号\"\\ 与\n换行\u{1}".into()),
                day(2019, 3, 1),
                day(7, 12, 31),
                day(12019, 1, 9),
                Cell::Bool(true),
                Cell::Empty,
                Cell::Int(-42),
            ],
            vec![Cell::Int(i64::MAX), Cell::Text(String::new()), Cell::Empty, day(2020, 2, 29)],
        ];
        for cells in &rows {
            let mut ours = Vec::new();
            write_row(&mut ours, &member_keys(&columns), cells).unwrap();
            let theirs = serde_json::to_vec(&AsMap(&columns, cells)).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
        }
        for (columns, cells) in [(&[][..], &[][..]), (&columns[..], &[][..]), (&[][..], &rows[1][..])] {
            let mut empty = Vec::new();
            write_row(&mut empty, &member_keys(columns), cells).unwrap();
            assert_eq!(empty, b"{}");
        }
    }
}

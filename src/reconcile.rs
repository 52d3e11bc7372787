//! Reconciliation with the partner side's roster (DESIGN §8): the people of
//! one of our ledgers and the people of their list, matched by ID number,
//! compared field by field — name, gender, hukou county, employer, work
//! region, start date — wherever both sides have the field.
//!
//! The partner's file is read exactly as an import reads it (formats,
//! encodings, header variants); nothing is written but the audit entry of
//! an unmasked answer.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{mask_id_number, normalise, region_by_code_or_name, IdNumber};
use crate::error::AppError;
use crate::import::headers::{col, header_of, must, skip, Column, Layout};
use crate::import::source::{self, Cell, Encoding, SourceRow};
use crate::import::values;
use crate::ledger::table::Cell as LedgerCell;
use crate::ledger::Ledger;

/// The columns read from the partner's roster.
pub const COLUMNS: &[Column] = &[
    skip(&["序号", "编号"]),
    must("id_number", &["身份证号", "身份证号码", "公民身份号码", "身份证", "id_number"]),
    col("name", &["姓名", "学生姓名", "name"]),
    col("gender", &["性别", "gender"]),
    col("hukou", &["户籍地", "户籍地址", "户籍所在地", "hukou_region_code"]),
    col("employer", &["就业单位", "用工单位", "工作单位", "务工单位", "employer_name"]),
    col("work_place", &["就业地", "务工地点", "就业地点", "务工地", "region_code"]),
    col("started_on", &["就业时间", "务工时间", "入职时间", "started_on"]),
];

/// One person on both sides.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    /// 身份证号 (masked unless asked for in full).
    pub id_number: String,
    /// 姓名 (ours when we have the person, else theirs).
    pub name: String,
    /// Their row, for people on their list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
}

/// One differing field of one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conflict {
    /// 身份证号 (masked unless asked for in full).
    pub id_number: String,
    /// `name`, `gender`, `hukou`, `employer`, `work_place` or `started_on`.
    pub field: String,
    /// Our value, as the ledger shows it.
    pub ours: String,
    /// Theirs, as their file has it.
    pub theirs: String,
}

/// The answer (DESIGN §8).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reconciliation {
    /// The ledger compared.
    pub kind: String,
    /// Its year.
    pub year: i32,
    /// Counted up to this day.
    pub as_of: NaiveDate,
    /// People on both sides (conflicting ones included).
    pub matched: Vec<Person>,
    /// On our ledger only.
    pub only_ours: Vec<Person>,
    /// On their list only.
    pub only_theirs: Vec<Person>,
    /// One entry per differing field.
    pub conflicts: Vec<Conflict>,
    /// Their rows whose ID number cannot be read (spreadsheet number, masked, wrong check character).
    pub unreadable: Vec<crate::import::RowIssue>,
}

/// A person's comparable fields, normalised; and as shown.
#[derive(Debug, Default, Clone)]
struct Side {
    name: Option<String>,
    fields: BTreeMap<&'static str, (String, String)>,
    row: Option<u32>,
}

const FIELDS: [&str; 6] = ["name", "gender", "hukou", "employer", "work_place", "started_on"];

/// The comparable form of a value of `field`, as written.
fn key(field: &str, shown: &str) -> String {
    match field {
        "name" => normalise::name(shown),
        "gender" => values::gender(shown).map(|g| g.as_str().to_string()).unwrap_or_else(|| shown.trim().to_string()),
        "hukou" | "work_place" => {
            region_by_code_or_name(shown).map(|r| r.as_str().to_string()).unwrap_or_else(|_| normalise::text(shown))
        }
        "started_on" => values::date(&Cell::Text(shown.to_string()))
            .ok()
            .flatten()
            .map(|d| d.to_string())
            .unwrap_or_else(|| shown.trim().to_string()),
        _ => normalise::text(shown),
    }
}

fn ledger_text(c: &LedgerCell) -> String {
    match c {
        LedgerCell::Text(s) => s.clone(),
        LedgerCell::Int(n) => n.to_string(),
        LedgerCell::Date(d) => d.to_string(),
        LedgerCell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        LedgerCell::Empty => String::new(),
    }
}

/// Ours: the ledger's people by full ID number (the ledger computed with
/// full numbers).
fn ours(l: &Ledger) -> BTreeMap<String, Side> {
    let index = |k: &str| l.columns.iter().position(|c| c.key == k);
    let Some(id_col) = index("id_number") else { return BTreeMap::new() };
    let mut out = BTreeMap::new();
    for row in &l.rows {
        let id = ledger_text(&row[id_col]);
        let mut side = Side::default();
        for f in FIELDS {
            if let Some(i) = index(f) {
                let shown = ledger_text(&row[i]);
                if f == "name" {
                    side.name = Some(shown.clone());
                }
                side.fields.insert(f, (key(f, &shown), shown));
            }
        }
        // A person with several rows (several jobs) is compared on the first.
        out.entry(id).or_insert(side);
    }
    out
}

/// Theirs: the roster's people by ID number, and the rows that cannot be read.
fn theirs(
    bytes: &[u8],
    file_name: Option<&str>,
    today: NaiveDate,
) -> Result<(BTreeMap<String, Side>, Vec<crate::import::RowIssue>), AppError> {
    let format = source::format_of(file_name, bytes)?;
    let mut layout: Option<Layout> = None;
    let mut people = BTreeMap::new();
    let mut unreadable = Vec::new();
    source::read_rows(bytes, format, Encoding::Detect, &mut |_| {}, &mut |row: SourceRow| {
        let Some(l) = &layout else {
            layout = header_of(&row, COLUMNS);
            return Ok(());
        };
        let Some(id_col) = l.index("id_number") else { return Ok(()) };
        if row.is_blank() {
            return Ok(());
        }
        let id = values::id_number(row.cell(id_col)).and_then(|raw| match raw {
            Some(raw) => IdNumber::parse(&raw, today).map(Some),
            None => Ok(None),
        });
        let id = match id {
            Ok(Some(id)) => id,
            // A total or signature line has no ID number.
            Ok(None) => return Ok(()),
            Err(e) => {
                let fe = crate::error::FieldError::new("id_number", e.code, e.message);
                unreadable.push(crate::import::RowIssue::of(row.number, &fe));
                return Ok(());
            }
        };
        let mut side = Side { row: Some(row.number), ..Side::default() };
        for f in FIELDS {
            if let Some(i) = l.index(f) {
                let shown = values::text(row.cell(i)).unwrap_or_default();
                if f == "name" {
                    side.name = Some(shown.clone());
                }
                side.fields.insert(f, (key(f, &shown), shown));
            }
        }
        people.entry(id.as_str().to_string()).or_insert(side);
        Ok(())
    })?;
    if layout.is_none() {
        return Err(AppError::invalid(
            "file",
            "no_header",
            crate::messages::Text::new(
                "找不到表头：对方名册应有“身份证号”等列",
                "no header row: the partner's roster needs an ID number column",
            ),
        ));
    }
    Ok((people, unreadable))
}

/// Compares ledger `l` (computed with full ID numbers) with the partner's
/// roster `bytes`; `unmasked` keeps full ID numbers in the answer.
pub fn reconcile(
    l: &Ledger,
    bytes: &[u8],
    file_name: Option<&str>,
    unmasked: bool,
    today: NaiveDate,
) -> Result<Reconciliation, AppError> {
    let ours = ours(l);
    let (theirs, unreadable) = theirs(bytes, file_name, today)?;
    let shown = |id: &str| if unmasked { id.to_string() } else { mask_id_number(id) };
    let mut out = Reconciliation {
        kind: l.kind.as_str().into(),
        year: l.year,
        as_of: l.as_of,
        matched: Vec::new(),
        only_ours: Vec::new(),
        only_theirs: Vec::new(),
        conflicts: Vec::new(),
        unreadable,
    };
    for (id, o) in &ours {
        let Some(t) = theirs.get(id) else {
            out.only_ours.push(Person { id_number: shown(id), name: o.name.clone().unwrap_or_default(), row: None });
            continue;
        };
        out.matched.push(Person { id_number: shown(id), name: o.name.clone().unwrap_or_default(), row: t.row });
        for (field, (ok, oshown)) in &o.fields {
            if let Some((tk, tshown)) = t.fields.get(field) {
                if !tk.is_empty() && ok != tk {
                    out.conflicts.push(Conflict {
                        id_number: shown(id),
                        field: (*field).into(),
                        ours: oshown.clone(),
                        theirs: tshown.clone(),
                    });
                }
            }
        }
    }
    for (id, t) in &theirs {
        if !ours.contains_key(id) {
            out.only_theirs.push(Person { id_number: shown(id), name: t.name.clone().unwrap_or_default(), row: t.row });
        }
    }
    Ok(out)
}

/// The answer as a workbook of four sheets: 一致 (matched), 仅我方, 仅对方, 不一致.
pub fn workbook(r: &Reconciliation) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("reconciliation workbook: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let people: [(&str, &Vec<Person>); 3] =
        [("一致（双方都有）", &r.matched), ("仅我方台账有", &r.only_ours), ("仅对方名册有", &r.only_theirs)];
    for (title, list) in people {
        let ws = book.add_worksheet();
        ws.set_name(title).map_err(err)?;
        for (i, h) in ["身份证号", "姓名", "对方名册行号"].iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold).map_err(err)?;
        }
        ws.set_column_width(0, 22).map_err(err)?;
        for (n, p) in list.iter().enumerate() {
            let row = n as u32 + 1;
            ws.write_string_with_format(row, 0, &p.id_number, &text).map_err(err)?;
            ws.write_string(row, 1, &p.name).map_err(err)?;
            if let Some(r) = p.row {
                ws.write_number(row, 2, f64::from(r)).map_err(err)?;
            }
        }
    }
    let ws = book.add_worksheet();
    ws.set_name("不一致").map_err(err)?;
    for (i, h) in ["身份证号", "项目", "我方", "对方"].iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold).map_err(err)?;
    }
    ws.set_column_width(0, 22).map_err(err)?;
    for (n, c) in r.conflicts.iter().enumerate() {
        let row = n as u32 + 1;
        ws.write_string_with_format(row, 0, &c.id_number, &text).map_err(err)?;
        ws.write_string(row, 1, field_name(&c.field)).map_err(err)?;
        ws.write_string(row, 2, &c.ours).map_err(err)?;
        ws.write_string(row, 3, &c.theirs).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn field_name(f: &str) -> &str {
    match f {
        "name" => "姓名",
        "gender" => "性别",
        "hukou" => "户籍地",
        "employer" => "就业单位",
        "work_place" => "就业地",
        "started_on" => "就业时间",
        other => other,
    }
}

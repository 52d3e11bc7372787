//! The columns the person ledgers share and the cells of a row as a clerk
//! reads them: names and labels for codes, places by name, ID numbers
//! masked unless the caller may see them.

use std::collections::HashMap;

use super::table::Cell;
use super::Col;
use crate::db::models::ledger::{LabourerRow, PlacementRow};
use crate::domain::{mask_id_number, PovertyStatus, RegionCode};

pub(super) fn col(key: &'static str, header: &'static str, width: f64) -> Col {
    Col { key, header: Some(header), width }
}

pub(super) fn hidden(key: &'static str) -> Col {
    Col { key, header: None, width: 0.0 }
}

pub(super) fn person_columns() -> Vec<Col> {
    vec![
        hidden("labourer_id"),
        col("seq", "序号", 3.0),
        col("name", "姓名", 5.0),
        col("gender", "性别", 2.0),
        col("id_number", "身份证号", 10.0),
        col("hukou", "户籍地", 12.0),
        col("township", "乡镇", 5.0),
        col("village", "村", 5.0),
        col("poverty_status", "贫困户属性", 6.0),
    ]
}

pub(super) fn job_columns() -> Vec<Col> {
    vec![
        hidden("placement_id"),
        col("employer", "就业单位", 14.0),
        col("work_place", "就业地", 12.0),
        col("occupation", "岗位", 6.0),
        col("started_on", "就业时间", 6.0),
    ]
}

pub(super) fn tail_columns() -> Vec<Col> {
    vec![
        col("monthly_income", "月收入（元）", 5.0),
        col("channel", "就业渠道", 6.0),
        col("phone", "联系电话", 7.0),
        col("notes", "备注", 8.0),
    ]
}

pub(super) fn text(s: Option<&str>) -> Cell {
    match s {
        Some(s) if !s.is_empty() => Cell::Text(s.to_string()),
        _ => Cell::Empty,
    }
}

pub(super) fn place(code: &str) -> Cell {
    match RegionCode::parse(code) {
        Ok(r) => Cell::Text(r.names().full_name()),
        Err(_) => Cell::Text(code.to_string()),
    }
}

/// Place names by region code, each looked up once per ledger (a province's
/// ledger names the same few dozen counties hundreds of thousands of times).
#[derive(Default)]
pub(super) struct Places(HashMap<String, Cell>);

impl Places {
    /// The full name of a region, e.g. 广西壮族自治区崇左市大新县.
    pub(super) fn cell(&mut self, code: &str) -> Cell {
        if let Some(c) = self.0.get(code) {
            return c.clone();
        }
        let c = place(code);
        self.0.insert(code.to_string(), c.clone());
        c
    }
}

/// The 就业渠道 a ledger prints; each reads back as its channel on import.
pub(crate) fn channel_label(c: &str) -> &str {
    match c {
        "job_fair" => "招聘会",
        "training" => "技能培训",
        "referral" => "劳务协作推荐",
        "self_found" => "自主就业",
        "public_service" => "公共就业服务",
        other => other,
    }
}

pub(super) fn person_cells(seq: usize, p: &LabourerRow, unmasked: bool, places: &mut Places) -> Vec<Cell> {
    // Room for the whole row (the job's and the tail's cells follow), so
    // that a province's ledger does not grow each row's vector twice.
    let mut cells = Vec::with_capacity(ROW_CELLS);
    cells.extend([
        Cell::Int(p.id),
        Cell::Int(seq as i64),
        Cell::Text(p.name.clone()),
        Cell::Text(if p.gender == "male" { "男" } else { "女" }.into()),
        Cell::Text(if unmasked { p.id_number.clone() } else { mask_id_number(&p.id_number) }),
        p.hukou_region_code.as_deref().map(|c| places.cell(c)).unwrap_or(Cell::Empty),
        text(p.hukou_township.as_deref()),
        text(p.hukou_village.as_deref()),
        Cell::Text(p.poverty_status.parse::<PovertyStatus>().map(|s| s.label_zh().to_string()).unwrap_or_default()),
    ]);
    cells
}

/// Cells in the widest person ledger's row (stable-east: 9 of the person,
/// 5 of the job, the spell's start, 4 more).
const ROW_CELLS: usize = 19;

/// 月收入, 就业渠道, 联系电话, 备注. 备注 is the notes of the placement the
/// row shows (the person's own when it shows none): a ledger workbook
/// imported back as placements then finds each job as it is, instead of
/// copying the person's notes into the job's.
pub(super) fn tail_cells(p: Option<&PlacementRow>, l: &LabourerRow) -> Vec<Cell> {
    vec![
        p.and_then(|p| p.monthly_income).map(|n| Cell::Int(i64::from(n))).unwrap_or(Cell::Empty),
        p.map(|p| Cell::Text(channel_label(&p.channel).to_string())).unwrap_or(Cell::Empty),
        text(l.phone.as_deref()),
        match p {
            Some(p) => text(p.notes.as_deref()),
            None => text(l.notes.as_deref()),
        },
    ]
}

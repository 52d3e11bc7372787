//! Bulk import of the rosters bureaus keep in Excel, WPS and CSV (DESIGN
//! §8): labourers, employers, postings, placements and vocational
//! enrolments.
//!
//! An import reads the file as a stream of rows ([`source`]), finds the
//! header ([`headers`]), reads each row into the very form an API client
//! would send ([`draft`], [`values`], [`kinds`]), has the registry parse
//! and check it, and decides per row: insert, update, unchanged or
//! rejected. Decisions are staged in `import_rows` in short transactions
//! of [`CHUNK`] rows, so other writers are never held up for the whole
//! file; a commit then writes every staged row in one final transaction
//! ([`apply`]): all rows or none, even if the process is killed midway.
//! A commit with rejected rows writes nothing unless `accept_partial`.
//! Re-importing the same file changes nothing: every row is then
//! `unchanged`.

pub mod apply;
pub mod draft;
pub mod headers;
pub mod kinds;
pub mod run;
pub mod source;
pub mod values;
pub mod workbooks;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

pub use run::{run, Progress};

/// Rows read and decided per staging transaction.
pub const CHUNK: usize = 1000;

/// What a roster lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// 劳动力花名册.
    Labourers,
    /// 用工单位名录.
    Employers,
    /// 岗位信息表.
    Postings,
    /// 就业台账 (placements; a ledger workbook reads back as these).
    Placements,
    /// 职业院校就读名单.
    VocationalEnrolments,
}

impl ImportKind {
    /// Every kind.
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Labourers,
        ImportKind::Employers,
        ImportKind::Postings,
        ImportKind::Placements,
        ImportKind::VocationalEnrolments,
    ];

    /// The spelling in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Labourers => "labourers",
            ImportKind::Employers => "employers",
            ImportKind::Postings => "postings",
            ImportKind::Placements => "placements",
            ImportKind::VocationalEnrolments => "vocational_enrolments",
        }
    }

    /// The kind of record a row becomes (for its fields' labels).
    pub fn thing(self) -> crate::messages::Thing {
        use crate::messages::Thing;
        match self {
            ImportKind::Labourers => Thing::Labourer,
            ImportKind::Employers => Thing::Employer,
            ImportKind::Postings => Thing::Posting,
            ImportKind::Placements => Thing::Placement,
            ImportKind::VocationalEnrolments => Thing::VocationalEnrolment,
        }
    }

    /// What clerks call such a roster.
    pub fn label_zh(self) -> &'static str {
        match self {
            ImportKind::Labourers => "劳动力花名册",
            ImportKind::Employers => "用工单位名录",
            ImportKind::Postings => "岗位信息表",
            ImportKind::Placements => "就业台账",
            ImportKind::VocationalEnrolments => "职业院校就读名单",
        }
    }
}

impl std::str::FromStr for ImportKind {
    type Err = crate::messages::Text;
    fn from_str(s: &str) -> Result<ImportKind, Self::Err> {
        let s = s.trim();
        ImportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
            .ok_or_else(|| crate::messages::imports::unknown_kind(s))
    }
}

/// Try or write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Read and check every row, write nothing.
    DryRun,
    /// Write the rows (all, or none if any is rejected, unless partial).
    Commit,
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// What the file lists.
    pub kind: ImportKind,
    /// Try or write.
    pub mode: Mode,
    /// Write the good rows even if some are rejected.
    pub accept_partial: bool,
    /// The file's name as uploaded (its extension decides the format).
    pub file_name: Option<String>,
    /// A CSV's encoding.
    pub encoding: source::Encoding,
}

/// One remark about one row (DESIGN §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RowIssue {
    /// The spreadsheet row the clerk sees (title and header rows counted).
    #[schema(example = 6)]
    pub row: u32,
    /// The API field (or the header, for an unknown column).
    #[schema(example = "id_number")]
    pub field: String,
    /// Stable code, e.g. `checksum`, `spreadsheet_number`, `labourer_not_found`.
    #[schema(example = "spreadsheet_number")]
    pub code: String,
    /// What is wrong, in Chinese.
    #[schema(example = "身份证号被表格软件存成了数字（4.51424199001012E+17），后几位已经丢失")]
    pub message: String,
    /// The same in English.
    pub message_en: String,
}

impl RowIssue {
    /// The issue of `e` on `row`.
    pub fn of(row: u32, e: &FieldError) -> RowIssue {
        RowIssue {
            row,
            field: e.field.clone(),
            code: e.code.clone(),
            message: e.message.zh.clone(),
            message_en: e.message.en.clone(),
        }
    }
}

/// What an import did, or would do on a dry run (DESIGN §8).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    /// The import's id (`GET /api/v1/imports/{id}`; the audit trail's `import_id`).
    pub import_id: i64,
    /// What the file lists.
    pub kind: ImportKind,
    /// Try or write.
    pub mode: Mode,
    /// `dry_run`, `applied` (written), or `refused` (rejected rows; nothing written).
    #[schema(example = "applied")]
    pub status: String,
    /// Data rows read (blank rows, title, header and total rows not counted).
    pub rows: u64,
    /// Records created (on a dry run or a refused commit: that would be).
    pub inserted: u64,
    /// Records changed.
    pub updated: u64,
    /// Rows whose record is on file with the same values.
    pub unchanged: u64,
    /// Rows that cannot be taken, one entry per failing field.
    pub rejected: Vec<RowIssue>,
    /// Remarks that do not stop a row, and columns nobody knows.
    pub warnings: Vec<RowIssue>,
    /// The header's row.
    pub header_row: Option<u32>,
    /// Header texts of the columns that were not read.
    pub unknown_columns: Vec<String>,
    /// Why a failed import failed (status `failed`; nothing was written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Summary {
    /// How many rows were rejected (not entries: a row may fail twice).
    pub fn rejected_rows(&self) -> usize {
        let mut rows: Vec<u32> = self.rejected.iter().map(|r| r.row).collect();
        rows.dedup();
        rows.len()
    }
}

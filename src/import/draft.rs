//! One row on its way to a registry form: the cells of the known columns
//! read into the JSON an API client would send for the same record, with
//! what could not be read kept as the row's errors and warnings.
//!
//! The form then goes through the very deserialisation and validation an
//! API request does (`registry::…::parse_new`), so an imported row obeys
//! exactly the rules of a typed-in one.

use serde_json::{Map, Value};

use super::headers::Layout;
use super::source::{Cell, SourceRow};
use super::values;
use crate::domain::DomainError;
use crate::error::{Errors, FieldError};

/// A row being read.
pub struct Draft<'a> {
    /// The row as it came.
    pub row: &'a SourceRow,
    layout: &'a Layout,
    /// The form so far (API field names).
    pub form: Map<String, Value>,
    /// What is wrong with the row.
    pub errors: Errors,
    /// What is doubtful but not wrong.
    pub warnings: Vec<FieldError>,
}

impl<'a> Draft<'a> {
    /// Starts reading `row` under `layout`. A cell of a known column that
    /// holds a control character (NUL, a stray escape from another system)
    /// fails its field at once, as it would in an API request: nothing of
    /// it is read.
    pub fn new(row: &'a SourceRow, layout: &'a Layout) -> Draft<'a> {
        let mut errors = Errors::default();
        for (i, field) in layout.fields.iter().enumerate() {
            if let (Some(field), Cell::Text(s)) = (field, row.cell(i)) {
                if crate::domain::normalise::has_control(s) {
                    errors.push(field, "control_character", crate::messages::general::control_character());
                }
            }
        }
        Draft { row, layout, form: Map::new(), errors, warnings: Vec::new() }
    }

    /// The cell of the column that fills `field` (empty if no such column).
    pub fn cell(&self, field: &str) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        match self.layout.index(field) {
            Some(i) => self.row.cell(i),
            None => &EMPTY,
        }
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.layout.has(field)
    }

    /// Reads `field` with `read`; a value goes into the form under `key`,
    /// an error is recorded against `field`.
    pub fn read<T: Into<Value>>(
        &mut self,
        field: &str,
        key: &str,
        read: impl FnOnce(&Cell) -> Result<Option<T>, DomainError>,
    ) {
        if !self.has(field) || self.errors.has(field) {
            return;
        }
        match read(self.cell(field)) {
            Ok(Some(v)) => {
                self.form.insert(key.to_string(), v.into());
            }
            Ok(None) => {
                // A blank cell never undoes what another column of the row
                // said (薪资待遇 beside an empty 最低月薪).
                self.form.entry(key.to_string()).or_insert(Value::Null);
            }
            Err(e) => self.errors.push(field, e.code, e.message),
        }
    }

    /// Reads a text column into the form under the same name.
    pub fn text(&mut self, field: &str) {
        self.read(field, field, |c| Ok(values::text(c)));
    }

    /// Reads a date column.
    pub fn date(&mut self, field: &str) {
        self.read(field, field, |c| values::date(c).map(|d| d.map(|d| d.to_string())));
        // A month without its day is taken as the 1st: said, since a day
        // decides a ledger's months (三个月稳定就业) and its year's edges.
        if self.has(field) && !self.errors.has(field) && values::month_only(self.cell(field)) {
            let written = self.cell(field).shown();
            self.warn(field, "month_only", crate::messages::imports::month_only(&written));
        }
    }

    /// Reads a region column (code or name).
    pub fn region(&mut self, field: &str) {
        self.read(field, field, values::region);
    }

    /// Reads a list column (`木工、泥水工`).
    pub fn list(&mut self, field: &str) {
        if self.has(field) && !self.errors.has(field) {
            let items: Vec<Value> = values::list(self.cell(field)).into_iter().map(Value::from).collect();
            self.form.insert(field.to_string(), Value::Array(items));
        }
    }

    /// Reads a yes/no column.
    pub fn yes_no(&mut self, field: &str) {
        self.read(field, field, values::yes_no);
    }

    /// Sets a form value directly.
    pub fn set(&mut self, key: &str, v: impl Into<Value>) {
        self.form.insert(key.to_string(), v.into());
    }

    /// Warns when the row's 姓名 differs from the registered person's: the
    /// ID number may be someone else's.
    pub fn check_name(&mut self, registered: &str) {
        if let Some(written) = values::text(self.cell("name")) {
            if crate::domain::normalise::name(&written) != registered {
                self.warn("name", "name_mismatch", crate::messages::imports::name_mismatch(&written, registered));
            }
        }
    }

    /// A warning about `field`.
    pub fn warn(&mut self, field: &str, code: &str, message: crate::messages::Text) {
        self.warnings.push(FieldError::new(field, code, message));
    }

    /// Checks a name-like column for a character lost in an export: a
    /// warning when only trying (`strict` false), an error when committing.
    pub fn check_lost_character(&mut self, field: &str, strict: bool) {
        let Some(s) = values::text(self.cell(field)) else { return };
        if values::lost_character(&s) {
            let m = crate::messages::imports::lost_character(&s);
            if strict {
                self.errors.push(field, "lost_character", m);
            } else {
                self.warn(field, "lost_character", m);
            }
        }
    }
}

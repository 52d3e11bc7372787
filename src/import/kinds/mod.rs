//! What each kind of roster holds and how its rows become registry forms:
//! one file per kind, each with its column table (the header names it
//! accepts) and a `prepare` that reads a chunk of rows, looks up the
//! records they refer to or may already be, and decides per row: insert,
//! update, unchanged or rejected.

pub mod employers;
pub mod labourers;
pub mod placements;
pub mod postings;
pub mod vocational;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::draft::Draft;
use super::headers::{Column, Layout};
use super::source::SourceRow;
use super::ImportKind;
use crate::db::DbConnection;
use crate::domain::{EmployerId, LabourerId};
use crate::error::{AppError, FieldError};

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new record from this form (the API's JSON).
    Insert(Value),
    /// A change to record `id`: the differing fields and the version read.
    Update(i64, Value),
    /// The record is on file with these very values.
    Unchanged,
    /// Why the row cannot be taken.
    Rejected(Vec<FieldError>),
}

/// A row read and decided.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The spreadsheet row.
    pub number: u32,
    /// What becomes of it.
    pub outcome: Outcome,
    /// Doubts that do not stop it.
    pub warnings: Vec<FieldError>,
}

/// What one import remembers from chunk to chunk.
#[derive(Debug, Default)]
pub struct Context {
    /// Committing: a doubtful value (a lost character) rejects its row
    /// instead of warning (DESIGN §8).
    pub strict: bool,
    /// The key of every row taken so far, and its row: a second row for the
    /// same person or record in one file is rejected naming the first.
    pub seen: HashMap<String, u32>,
    /// Employers by exact name (and USCC), as looked up so far.
    pub employers: HashMap<String, EmployerFound>,
    /// Full-time spans taken so far per person (placements): two rows that
    /// overlap each other are caught before anything is written.
    pub spans: HashMap<LabourerId, Vec<(u32, crate::domain::rules::Span)>>,
    /// The row of each person's 在读 enrolment taken so far (vocational).
    pub studying: HashMap<LabourerId, u32>,
}

impl Context {
    /// Records `key` for `row`; the row that had it first, if any.
    pub fn first_with(&mut self, key: String, row: u32) -> Option<u32> {
        match self.seen.get(&key) {
            Some(first) => Some(*first),
            None => {
                self.seen.insert(key, row);
                None
            }
        }
    }

    /// The employer with this USCC, else the one with exactly this name —
    /// or none, or several of that name (names are not unique).
    pub fn employer(
        &mut self,
        c: &mut DbConnection,
        name: Option<&str>,
        uscc: Option<&str>,
    ) -> Result<EmployerFound, AppError> {
        use crate::db::models::employer;
        if let Some(code) = uscc {
            let key = format!("uscc:{code}");
            if !self.employers.contains_key(&key) {
                let found = employer::id_by_uscc(c, code)?.map_or(EmployerFound::None, EmployerFound::One);
                self.employers.insert(key.clone(), found);
            }
            if let Some(EmployerFound::One(id)) = self.employers.get(&key) {
                return Ok(EmployerFound::One(*id));
            }
        }
        let Some(name) = name else { return Ok(EmployerFound::None) };
        let key = format!("name:{name}");
        if !self.employers.contains_key(&key) {
            let found = EmployerFound::of(employer::with_name(c, name, 4)?);
            self.employers.insert(key.clone(), found);
        }
        Ok(self.employers.get(&key).cloned().unwrap_or(EmployerFound::None))
    }
}

/// What a roster's employer name (or USCC) finds on file.
#[derive(Debug, Clone, PartialEq)]
pub enum EmployerFound {
    /// Exactly one employer.
    One(EmployerId),
    /// None registered.
    None,
    /// Several of that name: their USCCs (blank for one without), so that
    /// the row can say which to write.
    Several(Vec<Option<String>>),
}

impl EmployerFound {
    /// From the employers of one name (up to a few).
    pub fn of(found: Vec<(EmployerId, Option<String>)>) -> EmployerFound {
        match found.as_slice() {
            [] => EmployerFound::None,
            [(id, _)] => EmployerFound::One(*id),
            several => EmployerFound::Several(several.iter().map(|(_, u)| u.clone()).collect()),
        }
    }
}

/// The columns a kind's roster may have.
pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Labourers => labourers::COLUMNS,
        ImportKind::Employers => employers::COLUMNS,
        ImportKind::Postings => postings::COLUMNS,
        ImportKind::Placements => placements::COLUMNS,
        ImportKind::VocationalEnrolments => vocational::COLUMNS,
    }
}

/// Reads and decides a chunk of rows of `kind`.
pub fn prepare(
    kind: ImportKind,
    c: &mut DbConnection,
    ctx: &mut Context,
    layout: &Layout,
    rows: &[SourceRow],
) -> Result<Vec<Prepared>, AppError> {
    let drafts: Vec<Draft<'_>> = rows.iter().map(|r| Draft::new(r, layout)).collect();
    match kind {
        ImportKind::Labourers => labourers::prepare(c, ctx, drafts),
        ImportKind::Employers => employers::prepare(c, ctx, drafts),
        ImportKind::Postings => postings::prepare(c, ctx, drafts),
        ImportKind::Placements => placements::prepare(c, ctx, drafts),
        ImportKind::VocationalEnrolments => vocational::prepare(c, ctx, drafts),
    }
}

/// A row rejected for `errors`, keeping its warnings.
pub fn rejected(number: u32, errors: Vec<FieldError>, warnings: Vec<FieldError>) -> Prepared {
    Prepared { number, outcome: Outcome::Rejected(errors), warnings }
}

/// A row whose cells already failed to read (`d.errors`): rejected with
/// those errors and, after them, what the registry's own rules (`parse`,
/// the kind's form read as the API reads it) find in the rest of the row,
/// so that a clerk corrects every field of a row in one go instead of one
/// upload per field. Nothing is said again about a field that failed, or
/// about one `derived` from it (`(from, to)`: e.g. `labourer_id` is found
/// by `id_number`). If the rest cannot even be read as a form, the read
/// errors stand alone.
pub fn rejected_with_the_rest<F: serde::de::DeserializeOwned>(
    d: Draft<'_>,
    derived: &[(&str, &str)],
    parse: impl FnOnce(F) -> Result<(), AppError>,
) -> Result<Prepared, AppError> {
    let number = d.row.number;
    let mut errors = d.errors.into_vec();
    let top = |field: &str| field.split(['[', '.']).next().unwrap_or(field).to_string();
    let mut failed: Vec<String> = errors.iter().map(|e| top(&e.field)).collect();
    for (from, to) in derived {
        if failed.iter().any(|f| f == from) {
            failed.push(to.to_string());
        }
    }
    let mut form = d.form;
    form.retain(|key, v| !v.is_null() && !failed.contains(key));
    let rest = match form_of::<F>(&form) {
        Ok(f) => match parse(f) {
            Ok(()) => Vec::new(),
            Err(e) => errors_of(e)?,
        },
        Err(_) => Vec::new(),
    };
    errors.extend(rest.into_iter().filter(|e| !failed.contains(&top(&e.field))));
    Ok(rejected(number, errors, d.warnings))
}

/// The errors of a failed parse or check, as a row's errors.
pub fn errors_of(e: AppError) -> Result<Vec<FieldError>, AppError> {
    match e {
        AppError::Validation(errors) | AppError::BadRequest { errors, .. } => Ok(errors),
        AppError::Conflict { errors, detail, .. } if errors.is_empty() => {
            Ok(vec![FieldError::new("", "conflict", detail)])
        }
        AppError::Conflict { errors, .. } => Ok(errors),
        AppError::NotFound(thing) => {
            Ok(vec![FieldError::new("", "not_found", crate::messages::general::no_such(thing))])
        }
        other => Err(other),
    }
}

/// Reads a draft's form into the registry form type `F`, as an API request
/// body would be read.
pub fn form_of<F: serde::de::DeserializeOwned>(form: &Map<String, Value>) -> Result<F, Vec<FieldError>> {
    F::deserialize(form)
        .map_err(|e| vec![FieldError::new("", "format", crate::messages::Text::new(e.to_string(), e.to_string()))])
}

/// Insert, update or unchanged: compares the fields the row fills (`form`'s
/// keys with a value, less `fixed` ones that identify the record) between
/// the record as the row describes it (`new`) and as stored (`old`).
pub fn decide<D: Serialize>(
    form: Map<String, Value>,
    new: &D,
    existing: Option<(i64, i32, &D)>,
    fixed: &[&str],
) -> Outcome {
    let Some((id, version, old)) = existing else { return Outcome::Insert(Value::Object(form)) };
    let (Ok(Value::Object(new)), Ok(Value::Object(old))) = (serde_json::to_value(new), serde_json::to_value(old))
    else {
        return Outcome::Unchanged;
    };
    let mut changes = Map::new();
    // A blank cell never erases what is on file: only values the row has
    // are compared.
    let has_value = |v: &Value| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty));
    for key in form.iter().filter(|(k, v)| !fixed.contains(&k.as_str()) && has_value(v)).map(|(k, _)| k) {
        if let (Some(n), Some(o)) = (new.get(key), old.get(key)) {
            if n != o {
                changes.insert(key.clone(), n.clone());
            }
        }
    }
    if changes.is_empty() {
        return Outcome::Unchanged;
    }
    changes.insert("version".into(), Value::from(version));
    Outcome::Update(id, Value::Object(changes))
}

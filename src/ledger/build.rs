//! Fetching what each ledger needs, handing it to the rules, and laying the
//! chosen rows out with the details a clerk reads (names, places, labels).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};

use super::cells::{
    col, hidden, job_columns, person_cells, person_columns, place, tail_cells, tail_columns, text, Places,
};
pub use super::counted::Counted;
pub use super::programmes::metric_label;
use super::rules::{self, Job, Person, Rules, Study};
use super::sink::{Collect, Head, Sink};
use super::table::Cell;
use super::{placement, programmes, Col, Kind, Ledger};
use crate::db::models::ledger::{self as q, LabourerRow, PlacementRow};
use crate::db::{read_as_one, Db, DbConnection, Snapshot};
use crate::error::AppError;

/// What to compute.
#[derive(Debug, Clone)]
pub struct Request {
    /// The ledger.
    pub kind: Kind,
    /// The year.
    pub year: i32,
    /// Counted up to this day (within the year).
    pub as_of: NaiveDate,
    /// Restrict to people registered in this county.
    pub county: Option<String>,
    /// Show full ID numbers (the caller may, and asked to).
    pub unmasked: bool,
    /// The rules.
    pub rules: Rules,
    /// Connections in the caller's snapshot to read a placement ledger on
    /// two cores; `None` (or none spare) reads on the caller's connection
    /// alone, with the same result. Set by whoever opened the snapshot
    /// ([`read_as_one`]: [`compute_into`], the bundle, the dashboard) from
    /// the pool it was given; other callers leave it `None`.
    pub helper: Option<Snapshot>,
}

/// Looks up employer names and the placements shown on rows.
struct Details {
    employers: HashMap<i64, String>,
}

impl Details {
    fn load(c: &mut DbConnection, placements: &[&PlacementRow]) -> Result<Details, AppError> {
        let ids = distinct(placements.iter().filter_map(|p| p.employer_id));
        let employers = crate::db::models::employer::names_by_id(c, &ids)?.into_iter().collect();
        Ok(Details { employers })
    }

    fn job_cells(&self, p: Option<&PlacementRow>) -> Vec<Cell> {
        match p {
            None => vec![Cell::Empty; 5],
            Some(p) => vec![
                Cell::Int(p.id),
                p.employer_id
                    .and_then(|id| self.employers.get(&id).cloned())
                    .or_else(|| p.employer_name.clone())
                    .map(Cell::Text)
                    .unwrap_or(Cell::Empty),
                place(&p.region_code),
                text(p.occupation.as_deref()),
                Cell::Date(p.started_on),
            ],
        }
    }
}

fn as_person(l: &LabourerRow) -> Person {
    Person { id: l.id, poverty_status: l.poverty_status.clone() }
}

fn as_job(p: &PlacementRow) -> Job {
    Job {
        id: p.id,
        labourer_id: p.labourer_id,
        region_code: p.region_code.clone(),
        started_on: p.started_on,
        ended_on: p.ended_on,
    }
}

fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Computes one ledger, held in memory (reconciliation, tests, small ledgers).
pub fn compute(c: &mut DbConnection, r: &Request) -> Result<Ledger, AppError> {
    let mut rows = Collect::default();
    compute_into(c, r, None, &mut rows)?;
    rows.into_ledger()
}

/// Computes one ledger into `sink`: the head (with the count), then each
/// row in order. The placement ledgers pass their rows through one at a
/// time, read on a second connection from `helper` too when one is spare.
/// Every read sees one committed state of the registry ([`read_as_one`]):
/// a write committed meanwhile is in neither the count nor the rows.
pub fn compute_into(
    c: &mut DbConnection,
    r: &Request,
    helper: Option<&Db>,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    read_as_one(c, helper, |c, shared| {
        // Nested in a caller's snapshot, `r`'s own helper (if any) is of it.
        let helper = shared.cloned().or_else(|| r.helper.clone());
        compute_counted(c, &Request { helper, ..r.clone() }, &mut Counted::default(), sink)
    })
}

/// As [`compute_into`], for one of several ledgers of the same request
/// (the bundle): what `counted` already holds is not computed again, and
/// this ledger's count is added to it. Its reads see the state of the
/// caller's transaction: the caller reads them all in one
/// ([`read_as_one`]), or the counts may disagree with the rows.
pub fn compute_counted(
    c: &mut DbConnection,
    r: &Request,
    counted: &mut Counted,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let head = Head {
        kind: r.kind,
        year: r.year,
        as_of: r.as_of,
        generated_at: Utc::now(),
        rules: r.rules.clone(),
        county: r.county.clone(),
        columns: Vec::new(),
        count: 0,
        graduates: None,
    };
    let (columns, rows, count, graduates) = match r.kind {
        Kind::NewTransfersEast | Kind::StableEast => {
            let chosen = match counted.take_chosen(r.kind) {
                Some(chosen) => chosen,
                None => placement::entries(c, r)?,
            };
            counted.record(r.kind, chosen.len() as i64);
            return placement::stream(c, r, chosen, head, sink);
        }
        Kind::Summary => programmes::summary(c, r, counted)?,
        _ => match counted.take_built(r.kind) {
            Some(built) => built,
            None => built(c, r)?,
        },
    };
    counted.record(r.kind, count);
    sink.begin(&Head { columns, count, graduates, ..head })?;
    for row in rows {
        sink.row(row)?;
    }
    sink.end()
}

/// A ledger held whole: columns, rows, count, and (graduates-employed) all
/// graduates. Only the ledgers of programmes and schools, which stay small.
pub(super) type Built = (Vec<Col>, Vec<Vec<Cell>>, i64, Option<i64>);

/// Computes a ledger that is held whole: vocational-students-east,
/// graduates-employed, job-fairs, trainings (the placement ledgers are
/// streamed, and the summary needs the others' counts).
pub(super) fn built(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    match r.kind {
        Kind::VocationalStudentsEast => vocational(c, r),
        Kind::GraduatesEmployed => graduates_employed(c, r),
        Kind::JobFairs => programmes::job_fairs(c, r),
        Kind::Trainings => programmes::trainings(c, r),
        Kind::NewTransfersEast | Kind::StableEast | Kind::Summary => {
            Err(AppError::Internal(anyhow::anyhow!("the {} ledger is not built whole", r.kind.as_str())))
        }
    }
}

fn as_study(s: &q::VocationalRow) -> Study {
    Study {
        id: s.id,
        labourer_id: s.labourer_id,
        school_region_code: s.school_region_code.clone(),
        enrolled_on: s.enrolled_on,
        graduated_on: s.graduated_on,
        left_on: s.left_on,
    }
}

fn study_status(s: &str) -> &str {
    match s {
        "studying" => "在读",
        "graduated" => "已毕业",
        "left" => "已离校",
        other => other,
    }
}

fn vocational(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let studies = q::studies_begun(c, r.as_of)?;
    let people = q::people(c, &distinct(studies.iter().map(|s| s.labourer_id)), r.county.as_deref())?;
    let persons: Vec<Person> = people.iter().map(as_person).collect();
    let entries = rules::vocational_students_east(
        &persons,
        &studies.iter().map(as_study).collect::<Vec<_>>(),
        r.year,
        r.as_of,
        &r.rules,
    );
    let by_id: HashMap<i64, _> = studies.iter().map(|s| (s.id, s)).collect();
    let people: HashMap<i64, &LabourerRow> = people.iter().map(|p| (p.id, p)).collect();
    let mut columns = person_columns();
    columns.extend([
        hidden("vocational_enrolment_id"),
        col("school_name", "就读学校", 14.0),
        col("school_place", "学校所在地", 12.0),
        col("major", "专业", 8.0),
        col("enrolled_on", "入学时间", 6.0),
        col("study_status", "就读状态", 4.0),
        col("phone", "联系电话", 7.0),
        col("notes", "备注", 8.0),
    ]);
    let (mut rows, mut places) = (Vec::new(), Places::default());
    for e in &entries {
        let (Some(l), Some(s)) = (people.get(&e.labourer_id), by_id.get(&e.study_id)) else { continue };
        let mut row = person_cells(rows.len() + 1, l, r.unmasked, &mut places);
        row.extend([
            Cell::Int(s.id),
            Cell::Text(s.school_name.clone()),
            place(&s.school_region_code),
            text(s.major.as_deref()),
            Cell::Date(s.enrolled_on),
            Cell::Text(study_status(&s.status).to_string()),
            text(l.phone.as_deref()),
            text(l.notes.as_deref()),
        ]);
        rows.push(row);
    }
    let count = rows.len() as i64;
    Ok((columns, rows, count, None))
}

fn graduates_employed(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let studies = q::graduations(c, rules::year_start(r.year), r.as_of)?;
    let people = q::people(c, &distinct(studies.iter().map(|s| s.labourer_id)), r.county.as_deref())?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let jobs = q::placements_of(c, &ids, r.as_of)?;
    let persons: Vec<Person> = people.iter().map(as_person).collect();
    let entries = rules::graduates_employed(
        &persons,
        &studies.iter().map(as_study).collect::<Vec<_>>(),
        &jobs.iter().map(as_job).collect::<Vec<_>>(),
        r.year,
        r.as_of,
        &r.rules,
    );
    let studies: HashMap<i64, _> = studies.iter().map(|s| (s.id, s)).collect();
    let by_id: HashMap<i64, &PlacementRow> = jobs.iter().map(|p| (p.id, p)).collect();
    let people: HashMap<i64, &LabourerRow> = people.iter().map(|p| (p.id, p)).collect();
    let shown: Vec<&PlacementRow> =
        entries.iter().filter_map(|e| e.placement_id.and_then(|id| by_id.get(&id).copied())).collect();
    let details = Details::load(c, &shown)?;
    let mut columns = person_columns();
    columns.extend([
        hidden("vocational_enrolment_id"),
        col("school_name", "毕业学校", 14.0),
        col("major", "专业", 8.0),
        col("graduated_on", "毕业时间", 6.0),
        col("employed", "是否就业", 4.0),
    ]);
    columns.extend(job_columns());
    columns.extend(tail_columns());
    let (mut rows, mut places) = (Vec::new(), Places::default());
    let mut employed = 0;
    for e in &entries {
        let (Some(l), Some(s)) = (people.get(&e.labourer_id), studies.get(&e.study_id)) else { continue };
        let job = e.placement_id.and_then(|id| by_id.get(&id).copied());
        let is_employed = e.employed == Some(true);
        employed += i64::from(is_employed);
        let mut row = person_cells(rows.len() + 1, l, r.unmasked, &mut places);
        row.extend([
            Cell::Int(s.id),
            Cell::Text(s.school_name.clone()),
            text(s.major.as_deref()),
            s.graduated_on.map(Cell::Date).unwrap_or(Cell::Empty),
            Cell::Bool(is_employed),
        ]);
        row.extend(details.job_cells(job));
        row.extend(tail_cells(job, l));
        rows.push(row);
    }
    let graduates = rows.len() as i64;
    Ok((columns, rows, employed, Some(graduates)))
}

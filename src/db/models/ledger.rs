//! The reads the ledgers need. Each returns plain rows for the pure rules
//! in `crate::ledger::rules`; none of them decides who is counted.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{
    enrolments, job_fair_attendees, job_fair_employers, job_fair_intentions, job_fairs, labourers, placements,
    postings, training_programmes, training_sessions, vocational_enrolments,
};
use crate::db::DbConnection;

/// A person as the ledgers show them (only the columns they print).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = labourers)]
pub struct LabourerRow {
    /// Id.
    pub id: i64,
    /// 身份证号.
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// `male` or `female`.
    pub gender: String,
    /// Phone.
    pub phone: Option<String>,
    /// 户籍地 county.
    pub hukou_region_code: Option<String>,
    /// 乡镇.
    pub hukou_township: Option<String>,
    /// 村.
    pub hukou_village: Option<String>,
    /// Poverty status code.
    pub poverty_status: String,
    /// Notes.
    pub notes: Option<String>,
}

/// A placement as the ledgers show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = placements)]
pub struct PlacementRow {
    /// Id.
    pub id: i64,
    /// Who.
    pub labourer_id: i64,
    /// Registered employer.
    pub employer_id: Option<i64>,
    /// Unregistered employer's name.
    pub employer_name: Option<String>,
    /// Work place.
    pub region_code: String,
    /// Occupation.
    pub occupation: Option<String>,
    /// First day.
    pub started_on: NaiveDate,
    /// Last day.
    pub ended_on: Option<NaiveDate>,
    /// CNY a month.
    pub monthly_income: Option<i32>,
    /// Channel code.
    pub channel: String,
    /// The job's 备注 (the ledgers' 备注 column).
    pub notes: Option<String>,
}

/// A vocational enrolment as the ledgers show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vocational_enrolments)]
pub struct VocationalRow {
    /// Id.
    pub id: i64,
    /// The student.
    pub labourer_id: i64,
    /// School.
    pub school_name: String,
    /// Where the school is.
    pub school_region_code: String,
    /// Major.
    pub major: Option<String>,
    /// Enrolled.
    pub enrolled_on: NaiveDate,
    /// Status code.
    pub status: String,
    /// Graduated.
    pub graduated_on: Option<NaiveDate>,
    /// Left.
    pub left_on: Option<NaiveDate>,
}

/// A fair as the ledgers show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_fairs)]
pub struct FairRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Day.
    pub held_on: NaiveDate,
    /// Venue.
    pub venue: Option<String>,
}

/// A training session as the ledgers show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_sessions)]
pub struct SessionRow {
    /// Id.
    pub id: i64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Where.
    pub location: Option<String>,
}

/// IN lists are sent in slices this long (SQLite's bound-parameter limit is
/// far above it, PostgreSQL's too).
const CHUNK: usize = 2000;

/// Every placement of these people started by `as_of`.
pub fn placements_of(c: &mut DbConnection, people: &[i64], as_of: NaiveDate) -> QueryResult<Vec<PlacementRow>> {
    let mut out = Vec::new();
    for chunk in people.chunks(CHUNK) {
        out.extend(
            placements::table
                .filter(placements::labourer_id.eq_any(chunk))
                .filter(placements::started_on.le(as_of))
                .order(placements::id.asc())
                .select(PlacementRow::as_select())
                .load(c)?,
        );
    }
    Ok(out)
}

/// People by id, optionally only those registered in one county.
pub fn people(c: &mut DbConnection, ids: &[i64], county: Option<&str>) -> QueryResult<Vec<LabourerRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut q = labourers::table.filter(labourers::id.eq_any(chunk)).select(LabourerRow::as_select()).into_boxed();
        if let Some(county) = county {
            q = q.filter(labourers::hukou_region_code.eq(county.to_string()));
        }
        out.extend(q.load(c)?);
    }
    Ok(out)
}

/// Vocational enrolments begun by `as_of`.
pub fn studies_begun(c: &mut DbConnection, as_of: NaiveDate) -> QueryResult<Vec<VocationalRow>> {
    vocational_enrolments::table
        .filter(vocational_enrolments::enrolled_on.le(as_of))
        .order(vocational_enrolments::id.asc())
        .select(VocationalRow::as_select())
        .load(c)
}

/// Vocational enrolments that ended in a graduation in [from, to].
pub fn graduations(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<VocationalRow>> {
    vocational_enrolments::table
        .filter(vocational_enrolments::graduated_on.between(from, to))
        .order(vocational_enrolments::id.asc())
        .select(VocationalRow::as_select())
        .load(c)
}

/// A fair held in [from, to] with its counts, and the ids of its attendees.
pub struct FairCounts {
    /// The fair.
    pub fair: FairRow,
    /// Participating employers.
    pub employers: i64,
    /// Postings brought.
    pub postings: i64,
    /// Their headcount.
    pub positions: i64,
    /// Attendee ids.
    pub attendees: Vec<i64>,
    /// Intentions.
    pub intentions: i64,
    /// Hires.
    pub hires: i64,
}

/// Fairs held in [from, to] and what happened at them.
pub fn fairs_held(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<FairCounts>> {
    let fairs: Vec<FairRow> = job_fairs::table
        .filter(job_fairs::held_on.between(from, to))
        .order((job_fairs::held_on.asc(), job_fairs::id.asc()))
        .select(FairRow::as_select())
        .load(c)?;
    let mut out = Vec::new();
    for fair in fairs {
        let employers: i64 =
            job_fair_employers::table.filter(job_fair_employers::job_fair_id.eq(fair.id)).count().get_result(c)?;
        let heads: Vec<i32> =
            postings::table.filter(postings::job_fair_id.eq(fair.id)).select(postings::headcount).load(c)?;
        let attendees: Vec<i64> = job_fair_attendees::table
            .filter(job_fair_attendees::job_fair_id.eq(fair.id))
            .select(job_fair_attendees::labourer_id)
            .load(c)?;
        let intentions: i64 =
            job_fair_intentions::table.filter(job_fair_intentions::job_fair_id.eq(fair.id)).count().get_result(c)?;
        let hires: i64 = job_fair_intentions::table
            .filter(job_fair_intentions::job_fair_id.eq(fair.id))
            .filter(job_fair_intentions::status.eq("hired"))
            .count()
            .get_result(c)?;
        out.push(FairCounts {
            employers,
            postings: heads.len() as i64,
            positions: heads.iter().map(|h| i64::from(*h)).sum(),
            attendees,
            intentions,
            hires,
            fair,
        });
    }
    Ok(out)
}

/// A session starting in [from, to], its programme's name, and its enrolments
/// as (labourer, status, completed_on, certified).
pub type SessionRows = (SessionRow, String, Vec<(i64, String, Option<NaiveDate>, bool)>);

/// Sessions starting in [from, to] with their enrolments.
pub fn sessions_run(c: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<SessionRows>> {
    let sessions: Vec<(SessionRow, String)> = training_sessions::table
        .inner_join(training_programmes::table)
        .filter(training_sessions::starts_on.between(from, to))
        .order((training_sessions::starts_on.asc(), training_sessions::id.asc()))
        .select((SessionRow::as_select(), training_programmes::name))
        .load(c)?;
    let mut out = Vec::new();
    for (s, name) in sessions {
        let rows: Vec<(i64, String, Option<NaiveDate>, Option<String>)> = enrolments::table
            .filter(enrolments::session_id.eq(s.id))
            .order(enrolments::id.asc())
            .select((enrolments::labourer_id, enrolments::status, enrolments::completed_on, enrolments::certificate_no))
            .load(c)?;
        let trainees = rows.into_iter().map(|(l, st, done, cert)| (l, st, done, cert.is_some())).collect();
        out.push((s, name, trainees));
    }
    Ok(out)
}

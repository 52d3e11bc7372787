//! Fetching what each ledger needs, handing it to the rules, and laying the
//! chosen rows out with the details a clerk reads (names, places, labels).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};

use super::rules::{self, FairFacts, Job, Person, Rules, SessionFacts, Study, Trainee};
use super::table::Cell;
use super::{Col, Kind, Ledger};
use crate::db::models::ledger::{self as q, LabourerRow, PlacementRow};
use crate::db::models::target;
use crate::db::DbConnection;
use crate::domain::{mask_id_number, PovertyStatus, RegionCode};
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
}

fn col(key: &'static str, header: &'static str, width: f64) -> Col {
    Col { key, header: Some(header), width }
}

fn hidden(key: &'static str) -> Col {
    Col { key, header: None, width: 0.0 }
}

fn person_columns() -> Vec<Col> {
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

fn job_columns() -> Vec<Col> {
    vec![
        hidden("placement_id"),
        col("employer", "就业单位", 14.0),
        col("work_place", "就业地", 12.0),
        col("occupation", "岗位", 6.0),
        col("started_on", "就业时间", 6.0),
    ]
}

fn tail_columns() -> Vec<Col> {
    vec![
        col("monthly_income", "月收入（元）", 5.0),
        col("channel", "就业渠道", 6.0),
        col("phone", "联系电话", 7.0),
        col("notes", "备注", 8.0),
    ]
}

fn text(s: Option<&str>) -> Cell {
    match s {
        Some(s) if !s.is_empty() => Cell::Text(s.to_string()),
        _ => Cell::Empty,
    }
}

fn place(code: &str) -> Cell {
    match RegionCode::parse(code) {
        Ok(r) => Cell::Text(r.names().full_name()),
        Err(_) => Cell::Text(code.to_string()),
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

fn person_cells(seq: usize, p: &LabourerRow, unmasked: bool) -> Vec<Cell> {
    vec![
        Cell::Int(p.id),
        Cell::Int(seq as i64),
        Cell::Text(p.name.clone()),
        Cell::Text(if p.gender == "male" { "男" } else { "女" }.into()),
        Cell::Text(if unmasked { p.id_number.clone() } else { mask_id_number(&p.id_number) }),
        p.hukou_region_code.as_deref().map(place).unwrap_or(Cell::Empty),
        text(p.hukou_township.as_deref()),
        text(p.hukou_village.as_deref()),
        Cell::Text(p.poverty_status.parse::<PovertyStatus>().map(|s| s.label_zh().to_string()).unwrap_or_default()),
    ]
}

/// Looks up employer names and the placements shown on rows.
struct Details {
    employers: HashMap<i64, String>,
}

impl Details {
    fn load(c: &mut DbConnection, placements: &[&PlacementRow]) -> Result<Details, AppError> {
        let ids = distinct(placements.iter().filter_map(|p| p.employer_id));
        let employers = q::employers_by_id(c, &ids)?.into_iter().collect();
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

    fn tail_cells(p: Option<&PlacementRow>, l: &LabourerRow) -> Vec<Cell> {
        vec![
            p.and_then(|p| p.monthly_income).map(|n| Cell::Int(i64::from(n))).unwrap_or(Cell::Empty),
            p.map(|p| Cell::Text(channel_label(&p.channel).to_string())).unwrap_or(Cell::Empty),
            text(l.phone.as_deref()),
            text(l.notes.as_deref()),
        ]
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

/// Computes one ledger.
pub fn compute(c: &mut DbConnection, r: &Request) -> Result<Ledger, AppError> {
    let (columns, rows, count, graduates) = match r.kind {
        Kind::NewTransfersEast | Kind::StableEast => placement_ledger(c, r)?,
        Kind::VocationalStudentsEast => vocational(c, r)?,
        Kind::GraduatesEmployed => graduates_employed(c, r)?,
        Kind::JobFairs => job_fairs(c, r)?,
        Kind::Trainings => trainings(c, r)?,
        Kind::Summary => summary(c, r)?,
    };
    Ok(Ledger {
        kind: r.kind,
        year: r.year,
        as_of: r.as_of,
        generated_at: Utc::now(),
        rules: r.rules.clone(),
        county: r.county.clone(),
        columns,
        rows,
        count,
        graduates,
    })
}

type Built = (Vec<Col>, Vec<Vec<Cell>>, i64, Option<i64>);

fn placement_ledger(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let eve = rules::year_end(r.year - 1);
    let provinces = r.rules.east_provinces.codes().to_vec();
    // West placements change neither ledger (they neither make a transfer nor
    // bridge a spell), so only east ones are read, with the person's status.
    // (A floor PostgreSQL can store: `NaiveDate::MIN` is outside its date range.)
    let not_ended_before = if r.kind == Kind::NewTransfersEast { eve } else { rules::year_start(1900) };
    let rows = q::east_jobs(c, &provinces, not_ended_before, r.as_of)?;
    let rows: Vec<_> =
        rows.into_iter().filter(|row| r.county.as_ref().is_none_or(|c| row.6.as_ref() == Some(c))).collect();
    let mut persons: Vec<Person> = rows.iter().map(|row| Person { id: row.1, poverty_status: row.5.clone() }).collect();
    persons.sort_by_key(|p| p.id);
    persons.dedup_by_key(|p| p.id);
    let jobs: Vec<Job> = rows
        .into_iter()
        .map(|(id, labourer_id, region_code, started_on, ended_on, _, _)| Job {
            id,
            labourer_id,
            region_code,
            started_on,
            ended_on,
        })
        .collect();
    let entries = if r.kind == Kind::NewTransfersEast {
        rules::new_transfers_east(&persons, &jobs, r.year, r.as_of, &r.rules)
    } else {
        rules::stable_east(&persons, &jobs, r.as_of, &r.rules)
    };
    // Details only for the rows shown.
    let shown_jobs = q::placements_by_id(c, &entries.iter().map(|e| e.placement_id).collect::<Vec<_>>())?;
    let people = q::people(c, &entries.iter().map(|e| e.labourer_id).collect::<Vec<_>>(), None)?;
    let by_id: HashMap<i64, &PlacementRow> = shown_jobs.iter().map(|p| (p.id, p)).collect();
    let people: HashMap<i64, &LabourerRow> = people.iter().map(|p| (p.id, p)).collect();
    let shown: Vec<&PlacementRow> = shown_jobs.iter().collect();
    let details = Details::load(c, &shown)?;
    let mut columns = person_columns();
    columns.extend(job_columns());
    if r.kind == Kind::StableEast {
        columns.push(col("spell_started_on", "东部连续就业起始时间", 8.0));
    }
    columns.extend(tail_columns());
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        let (Some(l), Some(p)) = (people.get(&e.labourer_id), by_id.get(&e.placement_id)) else { continue };
        let mut row = person_cells(out.len() + 1, l, r.unmasked);
        row.extend(details.job_cells(Some(p)));
        if r.kind == Kind::StableEast {
            row.push(e.spell_started_on.map(Cell::Date).unwrap_or(Cell::Empty));
        }
        row.extend(Details::tail_cells(Some(p), l));
        out.push(row);
    }
    let count = out.len() as i64;
    Ok((columns, out, count, None))
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
    let mut rows = Vec::new();
    for e in &entries {
        let (Some(l), Some(s)) = (people.get(&e.labourer_id), by_id.get(&e.study_id)) else { continue };
        let mut row = person_cells(rows.len() + 1, l, r.unmasked);
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
    let mut rows = Vec::new();
    let mut employed = 0;
    for e in &entries {
        let (Some(l), Some(s)) = (people.get(&e.labourer_id), studies.get(&e.study_id)) else { continue };
        let job = e.placement_id.and_then(|id| by_id.get(&id).copied());
        let is_employed = e.employed == Some(true);
        employed += i64::from(is_employed);
        let mut row = person_cells(rows.len() + 1, l, r.unmasked);
        row.extend([
            Cell::Int(s.id),
            Cell::Text(s.school_name.clone()),
            text(s.major.as_deref()),
            s.graduated_on.map(Cell::Date).unwrap_or(Cell::Empty),
            Cell::Bool(is_employed),
        ]);
        row.extend(details.job_cells(job));
        row.extend(Details::tail_cells(job, l));
        rows.push(row);
    }
    let graduates = rows.len() as i64;
    Ok((columns, rows, employed, Some(graduates)))
}

fn job_fairs(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let held = q::fairs_held(c, rules::year_start(r.year), r.as_of)?;
    let attendee_ids = distinct(held.iter().flat_map(|f| f.attendees.iter().copied()));
    let people: HashMap<i64, Person> =
        q::people(c, &attendee_ids, r.county.as_deref())?.iter().map(|p| (p.id, as_person(p))).collect();
    let facts: Vec<FairFacts> = held
        .iter()
        .map(|f| FairFacts {
            id: f.fair.id,
            held_on: f.fair.held_on,
            employers: f.employers,
            postings: f.postings,
            positions: f.positions,
            attendees: f.attendees.iter().filter_map(|id| people.get(id).cloned()).collect(),
            intentions: f.intentions,
            hires: f.hires,
        })
        .collect();
    let entries = rules::job_fairs(&facts, r.year, r.as_of, &r.rules);
    let fairs: HashMap<i64, _> = held.iter().map(|f| (f.fair.id, &f.fair)).collect();
    let columns = vec![
        hidden("job_fair_id"),
        col("seq", "序号", 3.0),
        col("name", "招聘会名称", 16.0),
        col("held_on", "举办日期", 6.0),
        col("venue", "举办地点", 12.0),
        col("employers", "参会企业（家）", 6.0),
        col("postings", "岗位（个）", 5.0),
        col("positions", "提供岗位数（人）", 7.0),
        col("attendees", "入场求职人数", 6.0),
        col("counted_attendees", "其中贫困劳动力", 7.0),
        col("intentions", "达成就业意向", 6.0),
        col("hires", "录用人数", 5.0),
    ];
    let mut rows = Vec::new();
    for e in &entries {
        let Some(f) = fairs.get(&e.id) else { continue };
        rows.push(vec![
            Cell::Int(e.id),
            Cell::Int(rows.len() as i64 + 1),
            Cell::Text(f.name.clone()),
            Cell::Date(f.held_on),
            text(f.venue.as_deref()),
            Cell::Int(e.employers),
            Cell::Int(e.postings),
            Cell::Int(e.positions),
            Cell::Int(e.attendees),
            Cell::Int(e.counted_attendees),
            Cell::Int(e.intentions),
            Cell::Int(e.hires),
        ]);
    }
    let count = rows.len() as i64;
    Ok((columns, rows, count, None))
}

fn trainings(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let run = q::sessions_run(c, rules::year_start(r.year), r.as_of)?;
    let ids = distinct(run.iter().flat_map(|(_, _, t)| t.iter().map(|x| x.0)));
    let people: HashMap<i64, Person> =
        q::people(c, &ids, r.county.as_deref())?.iter().map(|p| (p.id, as_person(p))).collect();
    let mut starts: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for p in q::placements_of(c, &people.keys().copied().collect::<Vec<_>>(), r.as_of)? {
        starts.entry(p.labourer_id).or_default().push(p.started_on);
    }
    let facts: Vec<SessionFacts> = run
        .iter()
        .map(|(s, _, trainees)| SessionFacts {
            id: s.id,
            starts_on: s.starts_on,
            trainees: trainees
                .iter()
                .filter_map(|(l, status, done, cert)| {
                    people.get(l).map(|p| Trainee {
                        person: p.clone(),
                        status: status.clone(),
                        completed_on: *done,
                        certified: *cert,
                        placement_starts: starts.get(l).cloned().unwrap_or_default(),
                    })
                })
                .collect(),
        })
        .collect();
    let entries = rules::trainings(&facts, r.year, r.as_of, &r.rules);
    let sessions: HashMap<i64, _> = run.iter().map(|(s, name, _)| (s.id, (s, name))).collect();
    let columns = vec![
        hidden("training_session_id"),
        col("seq", "序号", 3.0),
        col("programme", "培训项目", 8.0),
        col("starts_on", "开班日期", 6.0),
        col("ends_on", "结业日期", 6.0),
        col("location", "培训地点", 14.0),
        col("enrolled", "培训人数", 5.0),
        col("counted_enrolled", "其中贫困劳动力", 7.0),
        col("completed", "结业人数", 5.0),
        col("certified", "取得证书人数", 6.0),
        col("employed", "结业后就业人数", 7.0),
    ];
    let mut rows = Vec::new();
    for e in &entries {
        let Some((s, name)) = sessions.get(&e.id) else { continue };
        rows.push(vec![
            Cell::Int(e.id),
            Cell::Int(rows.len() as i64 + 1),
            Cell::Text((*name).clone()),
            Cell::Date(s.starts_on),
            Cell::Date(s.ends_on),
            text(s.location.as_deref()),
            Cell::Int(e.enrolled),
            Cell::Int(e.counted_enrolled),
            Cell::Int(e.completed),
            Cell::Int(e.certified),
            Cell::Int(e.employed),
        ]);
    }
    let count = rows.len() as i64;
    Ok((columns, rows, count, None))
}

/// The Chinese name of a target's metric.
pub fn metric_label(m: &str) -> &str {
    match m {
        "new-transfers-east" => "新增转移到东部地区就业贫困人口（人）",
        "stable-east" => "已在东部省份稳定就业贫困人口（人）",
        "vocational-students-east" => "到东部就读职业学校贫困学生（人）",
        "graduates-employed" => "毕业贫困学生就业（人）",
        "job-fairs" | "job_fairs" => "联合举办粤桂扶贫协作招聘会（期）",
        "trainings" | "training_sessions" => "职业技能培训（期）",
        other => other,
    }
}

/// The count of one ledger, as the summary and target progress use it.
pub fn count_of(c: &mut DbConnection, r: &Request, kind: Kind) -> Result<i64, AppError> {
    let sub = Request { kind, unmasked: false, ..r.clone() };
    Ok(compute(c, &sub)?.count)
}

fn summary(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
    let targets = target::list(c, Some(r.year), 0, 500)?;
    let mut actuals: HashMap<String, i64> = HashMap::new();
    for t in &targets {
        let kind = super::progress::ledger_of(t.data.metric);
        let n = count_of(c, r, kind)?;
        actuals.insert(t.data.metric.as_str().to_string(), n);
    }
    let pairs: Vec<(String, i64)> =
        targets.iter().map(|t| (t.data.metric.as_str().to_string(), i64::from(t.data.min_value))).collect();
    let entries = rules::summary(&pairs, |m| actuals.get(m).copied().unwrap_or(0));
    let columns = vec![
        hidden("metric"),
        col("seq", "序号", 3.0),
        col("metric_name", "指标", 20.0),
        col("target", "目标值", 5.0),
        col("actual", "完成值", 5.0),
        col("met", "是否完成", 4.0),
    ];
    let rows: Vec<Vec<Cell>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                Cell::Text(e.metric.clone()),
                Cell::Int(i as i64 + 1),
                Cell::Text(metric_label(&e.metric).to_string()),
                Cell::Int(e.target),
                Cell::Int(e.actual),
                Cell::Bool(e.met),
            ]
        })
        .collect();
    let count = rows.len() as i64;
    Ok((columns, rows, count, None))
}

//! The programme ledgers: job fairs, training sessions, and the summary of
//! a year's targets (each target's actual is the count of its ledger).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::build::{Built, Counted, Request};
use super::cells::{col, hidden, text};
use super::rules::{self, FairFacts, Person, SessionFacts, Trainee};
use super::table::Cell;
use crate::db::models::ledger::{self as q, LabourerRow};
use crate::db::models::target;
use crate::db::DbConnection;
use crate::error::AppError;

fn as_person(l: &LabourerRow) -> Person {
    Person { id: l.id, poverty_status: l.poverty_status.clone() }
}

fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub(super) fn job_fairs(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
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

pub(super) fn trainings(c: &mut DbConnection, r: &Request) -> Result<Built, AppError> {
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

pub(super) fn summary(c: &mut DbConnection, r: &Request, counted: &mut Counted) -> Result<Built, AppError> {
    let targets = target::list(c, Some(r.year), 0, 500)?;
    let mut actuals: HashMap<String, i64> = HashMap::new();
    for t in &targets {
        let kind = super::progress::ledger_of(t.data.metric);
        let n = counted.count(c, r, kind)?;
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

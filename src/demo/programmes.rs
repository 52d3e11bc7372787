//! The plan's programmes in the demo: the 2019 joint job fair in Daxin with
//! Jianghai employers, the free 粤菜师傅 class at the Taishan culinary
//! technical school, poor students at Guangdong vocational schools, and the
//! 2019 targets and deadlines — all written through the registry, as a
//! clerk's typing would be.

use super::{date, Rng};
use crate::db::models::audit::Actor;
use crate::db::models::employer::EmployerRow;
use crate::db::models::job_fair::JobFairRow;
use crate::db::models::labourer::LabourerRow;
use crate::db::models::posting::PostingRow;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::registry::fair_desk::{self, CheckIn, IntentionOutcome, NewIntention};
use crate::registry::fairs::{self, NewFair};
use crate::registry::labourers::{self, NewLabourer};
use crate::registry::placements::{self, NewPlacement};
use crate::registry::targets::{self, NewDeadline, NewTarget};
use crate::registry::training::{self, NewEnrolment, NewProgramme, NewSession, OutcomeChanges};
use crate::registry::vocational::{self, NewVocational};

/// The units that organise the joint fair (the demo organiser belongs to the last).
pub(super) const FAIR_ORGANISERS: [&str; 3] =
    ["江海区人力资源和社会保障局", "大新县人力资源和社会保障局", "江海区公共就业服务中心"];

/// Creates the 2019 joint fair with the Jiangmen employers taking part.
pub(super) fn fair(c: &mut DbConnection, actor: &Actor, employers: &[EmployerRow]) -> Result<JobFairRow, AppError> {
    let fair = fairs::create(
        c,
        actor,
        NewFair {
            name: Some("2019年粤桂扶贫协作招聘会（大新专场）".into()),
            held_on: Some(date(2019, 3, 8)),
            venue: Some("大新县桃城镇人民广场".into()),
            region_code: Some("451424".into()),
            organisers: Some(FAIR_ORGANISERS.iter().map(|s| s.to_string()).collect()),
            online: Some(false),
        },
    )?;
    for e in employers.iter().filter(|e| e.data.region_code.starts_with("4407")) {
        fairs::add_employer(c, actor, fair.id, e.id)?;
    }
    Ok(fair)
}

/// A fair held on the day the demo is loaded, with the Jiangmen employers,
/// so that the fair desk takes check-ins (they are taken only around a
/// fair's day).
pub(super) fn todays_fair(
    c: &mut DbConnection,
    actor: &Actor,
    employers: &[EmployerRow],
    today: chrono::NaiveDate,
) -> Result<JobFairRow, AppError> {
    let fair = fairs::create(
        c,
        actor,
        NewFair {
            name: Some("粤桂劳务协作现场招聘会（江海区人力资源市场）".into()),
            held_on: Some(today),
            venue: Some("江门市江海区人力资源市场".into()),
            region_code: Some("440704".into()),
            organisers: Some(FAIR_ORGANISERS.iter().map(|s| s.to_string()).collect()),
            online: Some(false),
        },
    )?;
    for e in employers.iter().filter(|e| e.data.region_code.starts_with("4407")) {
        fairs::add_employer(c, actor, fair.id, e.id)?;
    }
    Ok(fair)
}

fn placement_at(l: &LabourerRow, p: &PostingRow, started_on: chrono::NaiveDate, channel: &str) -> NewPlacement {
    NewPlacement {
        labourer_id: Some(l.id),
        posting_id: Some(p.id),
        region_code: Some(p.data.region_code.clone()),
        started_on: Some(started_on),
        monthly_income: p.data.salary_min,
        channel: Some(channel.into()),
        ..NewPlacement::default()
    }
}

/// Check-ins, intentions and hires at the fair. `unplaced` are people with
/// no placement yet (the hires come from them); `placed` attend too.
pub(super) fn fair_day(
    c: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    fair: &JobFairRow,
    postings: &[PostingRow],
    unplaced: &[LabourerRow],
    placed: &[LabourerRow],
) -> Result<(), AppError> {
    let at_fair: Vec<&PostingRow> = postings.iter().filter(|p| p.data.job_fair_id == Some(fair.id)).collect();
    if at_fair.is_empty() {
        return Ok(());
    }
    for l in unplaced.iter().take(20).chain(placed.iter().take(25)) {
        let form = CheckIn { id_number: Some(l.data.id_number.as_str().to_string()), ..CheckIn::default() };
        fair_desk::check_in(c, actor, fair.id, form, None)?;
    }
    // Intentions from the first 20 unplaced attendees; 8 end in a hire.
    for (i, l) in unplaced.iter().take(20).enumerate() {
        let p = at_fair[rng.below(at_fair.len())];
        let intention = fair_desk::add_intention(
            c,
            actor,
            fair.id,
            NewIntention { labourer_id: Some(l.id), posting_id: Some(p.id) },
        )?;
        let outcome = match i {
            0..8 => IntentionOutcome {
                status: Some("hired".into()),
                started_on: Some(date(2019, 3, 18)),
                version: Some(intention.version),
            },
            8..12 => IntentionOutcome { status: Some("declined".into()), started_on: None, version: None },
            _ => continue,
        };
        match fair_desk::set_outcome(c, actor, fair.id, intention.id, outcome) {
            // A posting whose places the earlier hires took turns the rest away.
            Err(AppError::Conflict { .. }) => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// The 粤菜师傅 programme, its 2019 session, trainees, certificates and the
/// chef jobs that followed.
pub(super) fn cantonese_chef(
    c: &mut DbConnection,
    actor: &Actor,
    trainees: &[LabourerRow],
    postings: &[PostingRow],
) -> Result<(), AppError> {
    let programme = training::create_programme(
        c,
        actor,
        NewProgramme {
            name: Some("粤菜师傅".into()),
            occupation: Some("中式烹调师".into()),
            provider: Some("台山市广东厨艺技工学校".into()),
            provider_region_code: Some("440781".into()),
            free: Some(true),
            certificate_name: Some("中式烹调师".into()),
        },
    )?;
    let session = training::create_session(
        c,
        actor,
        NewSession {
            programme_id: Some(programme.id),
            starts_on: Some(date(2019, 5, 6)),
            ends_on: Some(date(2019, 6, 14)),
            capacity: Some(40),
            location: Some("台山市广东厨艺技工学校（台城校区）".into()),
        },
    )?;
    let kitchens: Vec<&PostingRow> = postings
        .iter()
        .filter(|p| p.data.occupation.as_deref().is_some_and(|o| o.contains("厨") || o.contains("烹调")))
        .filter(|p| p.data.region_code.starts_with("44"))
        .collect();
    for (i, l) in trainees.iter().enumerate() {
        let e = training::enrol(c, actor, session.id, NewEnrolment { labourer_id: Some(l.id) })?;
        let outcome = if i % 8 == 7 {
            OutcomeChanges { version: Some(e.version), status: Some("dropped".into()), ..OutcomeChanges::default() }
        } else {
            OutcomeChanges {
                version: Some(e.version),
                status: Some("completed".into()),
                completed_on: Some(Some(session.data.ends_on)),
                certificate_no: Some(Some(format!("1944078100{:05}", 120 + i))),
                certificate_kind: Some(Some("qualification".into())),
                certificate_level: Some(Some("五级/初级工".into())),
                certified_on: Some(Some(date(2019, 6, 28))),
            }
        };
        let certified = outcome.certificate_no.is_some();
        training::set_outcome(c, actor, session.id, e.id, outcome)?;
        // Two in three of the certified found kitchen work in the east.
        if certified && i % 3 != 2 && !kitchens.is_empty() {
            let p = kitchens[i % kitchens.len()];
            let mut new = placement_at(l, p, date(2019, 7, 1) + chrono::Days::new((i % 20) as u64), "training");
            new.enrolment_id = Some(e.id);
            placements::create(c, actor, new)?;
        }
    }
    Ok(())
}

/// Schools poor students from Daxin attend (the last is in Guangxi, so not
/// counted as "in the east").
const SCHOOLS: [(&str, &str, &str); 5] = [
    ("江门市技师学院", "440703", "数控技术应用"),
    ("江门职业技术学院", "440703", "电子商务"),
    ("台山市广东厨艺技工学校", "440781", "中餐烹饪"),
    ("广东省华侨职业技术学校", "440106", "汽车运用与维修"),
    ("崇左幼儿师范高等专科学校", "451402", "学前教育"),
];

const STUDENTS: [&str; 15] = [
    "农春燕",
    "黄俊杰",
    "韦思琪",
    "梁家豪",
    "覃晓雯",
    "陆志成",
    "李嘉欣",
    "赵文博",
    "马秋菊",
    "凌子轩",
    "零海燕",
    "蒙子健",
    "许佳怡",
    "黄振宇",
    "农雪梅",
];

/// Young people studying at vocational schools; the 2016 cohort graduated in
/// June 2019 and most found work.
pub(super) fn vocational_students(
    c: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    postings: &[PostingRow],
) -> Result<usize, AppError> {
    let east_jobs: Vec<&PostingRow> = postings.iter().filter(|p| p.data.region_code.starts_with("4407")).collect();
    let mut n = 0;
    for (i, name) in STUDENTS.iter().enumerate() {
        let birth = date(2000 + (i % 4) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let male = i % 2 == 1;
        let first17 = format!("451424{}{:03}", birth.format("%Y%m%d"), 600 + i * 2 + usize::from(male));
        let check = crate::domain::id_number::check_char(&first17).unwrap_or('0');
        let student = labourers::register(
            c,
            actor,
            NewLabourer {
                id_number: Some(format!("{first17}{check}")),
                name: Some(name.to_string()),
                phone: Some(format!("1{}{:09}", 5 + rng.below(4), rng.next() % 1_000_000_000)),
                hukou_region_code: Some("451424".into()),
                hukou_township: Some(if i % 2 == 0 { "硕龙镇" } else { "下雷镇" }.into()),
                hukou_village: Some(["义宁村", "信隆村", "吉门村"][i % 3].into()),
                poverty_status: Some(if i % 3 == 0 { "lifted" } else { "registered_poor" }.into()),
                household_no: Some(format!("4514240{:08}", rng.next() % 100_000_000)),
                education: Some("vocational".into()),
                desired_region_codes: Some(vec!["440704".to_string()]),
                ..NewLabourer::default()
            },
        )?
        .row;
        let (school, region, major) = SCHOOLS[i % SCHOOLS.len()];
        let cohort = 2016 + (i % 3) as i32;
        let graduated = cohort == 2016;
        vocational::create(
            c,
            actor,
            NewVocational {
                labourer_id: Some(student.id),
                school_name: Some(school.into()),
                school_region_code: Some(region.into()),
                major: Some(major.into()),
                enrolled_on: Some(date(cohort, 9, 1)),
                status: Some(if graduated { "graduated" } else { "studying" }.into()),
                graduated_on: graduated.then(|| date(2019, 6, 30)),
                left_on: None,
            },
        )?;
        if graduated && i % 4 != 3 && !east_jobs.is_empty() {
            let p = east_jobs[i % east_jobs.len()];
            placements::create(c, actor, placement_at(&student, p, date(2019, 7, 15), "public_service"))?;
        }
        n += 1;
    }
    Ok(n)
}

/// The plan's 2019 targets and its two deadlines.
pub(super) fn targets_and_deadlines(
    c: &mut DbConnection,
    actor: &Actor,
    recipients: &[String],
) -> Result<(), AppError> {
    for (metric, min_value) in [("new-transfers-east", 155), ("job_fairs", 1), ("training_sessions", 1)] {
        let form = NewTarget { year: Some(2019), metric: Some(metric.into()), min_value: Some(min_value) };
        targets::create_target(c, actor, form)?;
    }
    let deadlines = [
        ("粤桂扶贫协作台账报送（纸质版、电子版）", date(2019, 11, 15), "ledgers", vec![7, 3, 1]),
        ("2019年度粤桂扶贫协作工作总结报送", date(2019, 11, 30), "summary", vec![7, 1]),
    ];
    for (name, due_on, what, remind) in deadlines {
        let form = NewDeadline {
            name: Some(name.into()),
            due_on: Some(due_on),
            what: Some(what.into()),
            recipients: Some(recipients.to_vec()),
            remind_days_before: Some(remind),
        };
        targets::create_deadline(c, actor, form, recipients)?;
    }
    Ok(())
}

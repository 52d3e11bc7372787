//! The plan's programmes in the demo: the 2019 joint job fair in Daxin with
//! Jianghai employers, the free 粤菜师傅 class at the Taishan culinary
//! technical school, poor students at Guangdong vocational schools, and the
//! 2019 targets and deadlines.

use chrono::NaiveDate;

use super::{date, Rng};
use crate::db::models::audit::{self, Actor};
use crate::db::models::employer::EmployerRow;
use crate::db::models::job_fair::{self, JobFairData, JobFairRow};
use crate::db::models::labourer::{self, LabourerInsert, LabourerRow};
use crate::db::models::outbox::{self, Op};
use crate::db::models::placement::{self, PlacementInsert};
use crate::db::models::posting::PostingRow;
use crate::db::models::target::{self, DeadlineData, TargetData};
use crate::db::models::training::{self, Outcome, ProgrammeData, SessionData};
use crate::db::models::vocational::{self, VocationalData};
use crate::db::models::{list_to_text, now};
use crate::db::DbConnection;
use crate::error::AppError;

/// The units that organise the joint fair (the demo organiser belongs to the last).
pub(super) const FAIR_ORGANISERS: [&str; 3] =
    ["江海区人力资源和社会保障局", "大新县人力资源和社会保障局", "江海区公共就业服务中心"];

/// Creates the 2019 joint fair with the Jiangmen employers taking part.
pub(super) fn fair(c: &mut DbConnection, actor: &Actor, employers: &[EmployerRow]) -> Result<JobFairRow, AppError> {
    let units: Vec<String> = FAIR_ORGANISERS.iter().map(|s| s.to_string()).collect();
    let fair = job_fair::insert(
        c,
        &JobFairData {
            name: "2019年粤桂扶贫协作招聘会（大新专场）".into(),
            held_on: date(2019, 3, 8),
            venue: Some("大新县桃城镇人民广场".into()),
            region_code: "451424".into(),
            organisers: list_to_text(&units),
            online: false,
        },
    )?;
    audit::record(c, actor, "create", "job_fair", Some(fair.id), None::<&()>, Some(&fair))?;
    for e in employers.iter().filter(|e| e.region_code.starts_with("4407")) {
        job_fair::add_employer(c, fair.id, e.id)?;
        let what = serde_json::json!({ "employer_id": e.id });
        audit::record(c, actor, "add_employer", "job_fair", Some(fair.id), None::<&()>, Some(&what))?;
    }
    Ok(fair)
}

fn add_placement(c: &mut DbConnection, actor: &Actor, p: PlacementInsert) -> Result<(), AppError> {
    let row = placement::insert(c, &p)?;
    audit::record(c, actor, "create", "placement", Some(row.id), None::<&()>, Some(&row))?;
    Ok(())
}

fn new_placement(l: &LabourerRow, p: &PostingRow, started_on: NaiveDate, channel: &str) -> PlacementInsert {
    let at = now();
    PlacementInsert {
        labourer_id: l.id,
        employer_id: Some(p.employer_id),
        employer_name: None,
        posting_id: Some(p.id),
        region_code: p.region_code.clone(),
        occupation: p.occupation.clone(),
        started_on,
        ended_on: None,
        monthly_income: p.salary_min,
        channel: channel.into(),
        part_time: false,
        evidence: None,
        verified_on: None,
        notes: None,
        job_fair_id: None,
        enrolment_id: None,
        created_at: at,
        updated_at: at,
        version: 1,
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
    let at_fair: Vec<&PostingRow> = postings.iter().filter(|p| p.job_fair_id == Some(fair.id)).collect();
    if at_fair.is_empty() {
        return Ok(());
    }
    let attendees: Vec<&LabourerRow> = unplaced.iter().take(20).chain(placed.iter().take(25)).collect();
    for l in &attendees {
        job_fair::check_in(c, fair.id, l.id, &actor.name)?;
        let what = serde_json::json!({ "labourer_id": l.id });
        audit::record(c, actor, "check_in", "job_fair", Some(fair.id), None::<&()>, Some(&what))?;
    }
    // Intentions from the first 20 unplaced attendees; 8 end in a hire.
    for (i, l) in unplaced.iter().take(20).enumerate() {
        let p = at_fair[rng.below(at_fair.len())];
        let intention = job_fair::add_intention(c, fair.id, l.id, p.id)?;
        audit::record(c, actor, "create", "job_fair_intention", Some(intention.id), None::<&()>, Some(&intention))?;
        let (status, placement_id) = if i < 8 {
            let mut new = new_placement(l, p, date(2019, 3, 18), "job_fair");
            new.job_fair_id = Some(fair.id);
            let row = placement::insert(c, &new)?;
            audit::record(c, actor, "create", "placement", Some(row.id), None::<&()>, Some(&row))?;
            ("hired", Some(row.id))
        } else if i < 12 {
            ("declined", None)
        } else {
            continue;
        };
        let after = job_fair::set_intention_status(c, intention.id, 1, status, placement_id)?;
        audit::record(c, actor, "update", "job_fair_intention", Some(intention.id), Some(&intention), after.as_ref())?;
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
    let programme = training::insert_programme(
        c,
        &ProgrammeData {
            name: "粤菜师傅".into(),
            occupation: Some("中式烹调师".into()),
            provider: "台山市广东厨艺技工学校".into(),
            provider_region_code: Some("440781".into()),
            free: true,
            certificate_name: Some("中式烹调师".into()),
        },
    )?;
    audit::record(c, actor, "create", "training_programme", Some(programme.id), None::<&()>, Some(&programme))?;
    let session = training::insert_session(
        c,
        &SessionData {
            programme_id: programme.id,
            starts_on: date(2019, 5, 6),
            ends_on: date(2019, 6, 14),
            capacity: 40,
            location: Some("台山市广东厨艺技工学校（台城校区）".into()),
        },
    )?;
    audit::record(c, actor, "create", "training_session", Some(session.id), None::<&()>, Some(&session))?;
    let kitchens: Vec<&PostingRow> = postings
        .iter()
        .filter(|p| p.occupation.as_deref().is_some_and(|o| o.contains("厨") || o.contains("烹调")))
        .filter(|p| p.region_code.starts_with("44"))
        .collect();
    for (i, l) in trainees.iter().enumerate() {
        let e = training::enrol(c, session.id, l.id)?;
        audit::record(c, actor, "create", "enrolment", Some(e.id), None::<&()>, Some(&e))?;
        let outcome = if i % 8 == 7 {
            Outcome {
                status: "dropped".into(),
                completed_on: None,
                certificate_no: None,
                certificate_kind: None,
                certificate_level: None,
                certified_on: None,
            }
        } else {
            Outcome {
                status: "completed".into(),
                completed_on: Some(session.ends_on),
                certificate_no: Some(format!("1944078100{:05}", 120 + i)),
                certificate_kind: Some("qualification".into()),
                certificate_level: Some("五级/初级工".into()),
                certified_on: Some(date(2019, 6, 28)),
            }
        };
        let certified = outcome.certificate_no.is_some();
        let after = training::set_outcome(c, e.id, 1, &outcome)?;
        audit::record(c, actor, "update", "enrolment", Some(e.id), Some(&e), after.as_ref())?;
        outbox::append(c, "labourer", l.id, Op::Upsert)?;
        // Two in three of the certified found kitchen work in the east.
        if certified && i % 3 != 2 && !kitchens.is_empty() {
            let p = kitchens[i % kitchens.len()];
            let mut new = new_placement(l, p, date(2019, 7, 1) + chrono::Days::new((i % 20) as u64), "training");
            new.enrolment_id = Some(e.id);
            add_placement(c, actor, new)?;
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

/// Young people studying at vocational schools; the 2016 cohort graduated in
/// June 2019 and most found work.
pub(super) fn vocational_students(
    c: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    postings: &[PostingRow],
) -> Result<usize, AppError> {
    let east_jobs: Vec<&PostingRow> = postings.iter().filter(|p| p.region_code.starts_with("4407")).collect();
    let names = [
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
    let mut n = 0;
    for (i, name) in names.iter().enumerate() {
        let birth = date(2000 + (i % 4) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let male = i % 2 == 1;
        let first17 = format!("451424{}{:03}", birth.format("%Y%m%d"), 600 + i * 2 + usize::from(male));
        let check = crate::domain::id_number::check_char(&first17).unwrap_or('0');
        let at = now();
        let student = labourer::insert(
            c,
            &LabourerInsert {
                id_number: format!("{first17}{check}"),
                name: name.to_string(),
                gender: if male { "male" } else { "female" }.into(),
                birth_date: birth,
                phone: Some(format!("1{}{:09}", 5 + rng.below(4), rng.next() % 1_000_000_000)),
                hukou_region_code: Some("451424".into()),
                hukou_township: Some(if i % 2 == 0 { "硕龙镇" } else { "下雷镇" }.into()),
                hukou_village: Some(["义宁村", "信隆村", "吉门村"][i % 3].into()),
                poverty_status: if i % 3 == 0 { "lifted" } else { "registered_poor" }.into(),
                household_no: Some(format!("4514240{:08}", rng.next() % 100_000_000)),
                education: Some("vocational".into()),
                skills: "[]".into(),
                desired_occupations: "[]".into(),
                desired_region_codes: list_to_text(&["440704".to_string()]),
                available_from: None,
                notes: None,
                created_at: at,
                updated_at: at,
                version: 1,
            },
        )?;
        audit::record(c, actor, "create", "labourer", Some(student.id), None::<&()>, Some(&student))?;
        outbox::append(c, "labourer", student.id, Op::Upsert)?;
        let (school, region, major) = SCHOOLS[i % SCHOOLS.len()];
        let cohort = 2016 + (i % 3) as i32;
        let graduated = cohort == 2016;
        let row = vocational::insert(
            c,
            &VocationalData {
                labourer_id: student.id,
                school_name: school.into(),
                school_region_code: region.into(),
                major: Some(major.into()),
                enrolled_on: date(cohort, 9, 1),
                status: if graduated { "graduated" } else { "studying" }.into(),
                graduated_on: graduated.then(|| date(2019, 6, 30)),
                left_on: None,
            },
        )?;
        audit::record(c, actor, "create", "vocational_enrolment", Some(row.id), None::<&()>, Some(&row))?;
        if graduated && i % 4 != 3 && !east_jobs.is_empty() {
            let p = east_jobs[i % east_jobs.len()];
            add_placement(c, actor, new_placement(&student, p, date(2019, 7, 15), "public_service"))?;
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
        let t = target::insert_target(c, &TargetData { year: 2019, metric: metric.into(), min_value })?;
        audit::record(c, actor, "create", "target", Some(t.id), None::<&()>, Some(&t))?;
    }
    let deadlines = [
        ("粤桂扶贫协作台账报送（纸质版、电子版）", date(2019, 11, 15), "ledgers", "[7,3,1]"),
        ("2019年度粤桂扶贫协作工作总结报送", date(2019, 11, 30), "summary", "[7,1]"),
    ];
    for (name, due_on, what, remind) in deadlines {
        let d = target::insert_deadline(
            c,
            &DeadlineData {
                name: name.into(),
                due_on,
                what: what.into(),
                recipients: list_to_text(recipients),
                remind_days_before: remind.into(),
            },
        )?;
        audit::record(c, actor, "create", "deadline", Some(d.id), None::<&()>, Some(&d))?;
    }
    Ok(())
}

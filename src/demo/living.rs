//! The demo as it stands on the day it is loaded: beside the plan's 2019
//! history (which the ledgers count), employers with postings open now and
//! people looking for work now, whose ages and wishes fit them — so that
//! search, a trainee's matches and a posting's candidates show something
//! real on any day. Everything here is relative to `today`.

use chrono::{Days, Months, NaiveDate};

use super::catalogue::{GIVEN_NAME_CHARS_FEMALE, GIVEN_NAME_CHARS_MALE, OCCUPATIONS_DESIRED, POSTINGS, SURNAMES};
use super::Rng;
use crate::db::models::audit::Actor;
use crate::db::models::employer::EmployerRow;
use crate::db::models::labourer::LabourerRow;
use crate::db::DbConnection;
use crate::domain::id_number;
use crate::error::AppError;
use crate::registry::labourers::{self, NewLabourer};
use crate::registry::postings::{self, NewPosting};

/// Postings taking applications today.
pub const OPEN_NOW: usize = 30;
/// People looking for work today.
pub const JOB_SEEKERS: usize = 30;

/// Postings open today, each for a few weeks more, across the catalogue's
/// occupations; most take anyone aged 18–55.
pub(super) fn postings_open_now(
    c: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    employers: &[EmployerRow],
    today: NaiveDate,
) -> Result<usize, AppError> {
    let east: Vec<&EmployerRow> = employers.iter().filter(|e| e.data.region_code.starts_with("44")).collect();
    for i in 0..OPEN_NOW {
        let t = &POSTINGS[(i * 7) % POSTINGS.len()];
        let employer = east[i % east.len().max(1)];
        let form = NewPosting {
            employer_id: Some(employer.id),
            title: Some(t.title.to_string()),
            occupation: Some(t.occupation.to_string()),
            description: Some(t.description.to_string()),
            headcount: Some(t.headcount.max(3)),
            salary_min: Some(t.salary_min + 800),
            salary_max: Some(t.salary_max + 1000),
            region_code: Some(employer.data.region_code.clone()),
            min_age: Some(18),
            max_age: Some(if i % 3 == 0 { 45 } else { 55 }),
            gender_requirement: Some(if i % 7 == 6 { t.gender_requirement } else { "any" }.to_string()),
            education_min: t.education_min.map(str::to_string),
            benefits: Some(t.benefits.iter().map(|b| b.to_string()).collect()),
            status: Some("open".into()),
            opens_on: Some(today - Days::new(7 + rng.below(40) as u64)),
            closes_on: Some(today + Days::new(30 + rng.below(90) as u64)),
            job_fair_id: None,
        };
        postings::create(c, actor, form)?;
    }
    Ok(OPEN_NOW)
}

/// People registered this year and looking for work now, aged 20–45
/// today; the first is the demo trainee (a would-be cook wanting Jianghai).
pub(super) fn job_seekers(
    c: &mut DbConnection,
    actor: &Actor,
    rng: &mut Rng,
    today: NaiveDate,
) -> Result<Vec<LabourerRow>, AppError> {
    let mut out = Vec::new();
    for i in 0..JOB_SEEKERS {
        let age = 20 + (i * 5 + rng.below(5)) % 26;
        let birth = today
            .checked_sub_months(Months::new(12 * age as u32))
            .and_then(|d| d.checked_sub_days(Days::new(1 + rng.below(300) as u64)))
            .unwrap_or(today);
        let male = i % 2 == 0;
        let given = if male { GIVEN_NAME_CHARS_MALE } else { GIVEN_NAME_CHARS_FEMALE };
        let name = format!("{}{}{}", rng.pick(SURNAMES), rng.pick(given), rng.pick(given));
        let serial = 800 + (i as u32) * 2 + u32::from(male);
        let first17 = format!("452130{}{:03}", birth.format("%Y%m%d"), serial % 1000);
        let check = id_number::check_char(&first17).unwrap_or('0');
        let desired = if i == 0 {
            vec!["粤菜厨师".to_string(), "中式烹调师".to_string()]
        } else {
            vec![rng.pick(OCCUPATIONS_DESIRED).to_string()]
        };
        let form = NewLabourer {
            // Most adults in Daxin still carry the county's pre-2002 code.
            id_number: Some(format!("{first17}{check}")),
            name: Some(name),
            phone: Some(format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000)),
            hukou_township: Some(if i % 2 == 0 { "硕龙镇" } else { "下雷镇" }.into()),
            hukou_village: Some(["义宁村", "信隆村", "吉门村"][i % 3].into()),
            poverty_status: Some(if i % 4 == 3 { "lifted" } else { "registered_poor" }.into()),
            education: Some(["junior_high", "junior_high", "senior_high", "vocational"][i % 4].into()),
            skills: Some(if i == 0 { vec!["炒菜".into(), "刀工".into()] } else { Vec::new() }),
            desired_occupations: Some(desired),
            desired_region_codes: Some(vec!["440704".to_string()]),
            available_from: Some(today),
            ..NewLabourer::default()
        };
        out.push(labourers::register(c, actor, form)?.row);
    }
    Ok(out)
}

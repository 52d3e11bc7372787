//! `gen --scale N`: large synthetic registries for benchmarks — N labourers
//! with valid ID numbers, N/50 employers with valid USCCs, N/5 postings
//! varied from the demo catalogue, about 3N placements in non-overlapping
//! spells over 2015–2019 (most in the east), and N/50 vocational students.
//!
//! Every record is parsed by the registry's own rules (`parse_new`, the
//! same code a typed-in or imported record passes), then written in
//! per-backend batches (`insert_many`): row-by-row inserts with an audit
//! entry each would take hours at this size. One audit entry records the
//! run; run `reindex` afterwards (nothing goes through the outbox).

use chrono::Days;

use diesel::prelude::*;

use super::catalogue::{
    EMPLOYERS, GIVEN_NAME_CHARS_FEMALE, GIVEN_NAME_CHARS_MALE, OCCUPATIONS_DESIRED, POSTINGS, SURNAMES,
};
use super::{date, Rng};
use crate::db::models::{employer, labourer, placement, posting, vocational};
use crate::db::DbConnection;
use crate::domain::{id_number, uscc, EmployerId, LabourerId, PostingStatus};
use crate::error::AppError;
use crate::registry::labourers::NewLabourer;
use crate::registry::placements::NewPlacement;
use crate::registry::vocational::NewVocational;

/// Counties poor labourers come from (Chongzuo, Baise and Hechi in Guangxi).
const HOME_COUNTIES: [&str; 10] =
    ["451424", "451421", "451422", "451423", "451425", "451481", "451026", "451027", "451224", "451226"];
/// Where the work is: mostly Guangdong (the east), some at home.
const WORK_PLACES: [&str; 14] = [
    "440704", "440703", "440705", "440781", "440783", "440784", "440785", "440306", "441900", "442000", "440606",
    "330100", "451424", "450103",
];
/// Records parsed before each bulk write.
const BATCH: usize = 2000;

/// What `gen` wrote.
#[derive(Debug, Default)]
pub struct Generated {
    /// Labourers.
    pub labourers: usize,
    /// Employers.
    pub employers: usize,
    /// Postings.
    pub postings: usize,
    /// Placements.
    pub placements: usize,
    /// Vocational enrolments.
    pub students: usize,
}

fn max_id(c: &mut DbConnection, table: &str) -> Result<i64, AppError> {
    #[derive(QueryableByName)]
    struct M {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
        m: Option<i64>,
    }
    let r: M = diesel::sql_query(format!("SELECT MAX(id) AS m FROM {table}")).get_result(c)?;
    Ok(r.m.unwrap_or(0))
}

/// Writes a registry of `scale` labourers; `progress` is told each step's
/// name and how many of how many rows are done.
pub fn generate(
    c: &mut DbConnection,
    scale: usize,
    seed: u64,
    progress: &dyn Fn(&str, usize, usize),
) -> Result<Generated, AppError> {
    let mut rng = Rng(seed);
    let mut out = Generated::default();

    let n_employers = (scale / 50).max(30);
    let first_employer = max_id(c, "employers")? + 1;
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..n_employers {
        let t = &EMPLOYERS[i % EMPLOYERS.len()];
        let region = t.region_code;
        let body: String = (0..9).map(|_| b"0123456789ABCDEFGHJKLMNPQRTUWXY"[rng.below(31)] as char).collect();
        let first17 = format!("91{region}{body}");
        rows.push(employer::EmployerData {
            name: format!("{}（{}分公司）", t.name, i / EMPLOYERS.len() + 1),
            uscc: Some(format!("{first17}{}", uscc::check_char(&first17).unwrap_or('0'))),
            region_code: region.into(),
            address: Some(t.address.into()),
            industry: Some(t.industry.into()),
            contact_name: Some(t.contact_name.into()),
            contact_phone: Some(format!("13{:09}", rng.next() % 1_000_000_000)),
            is_poverty_workshop: t.is_poverty_workshop,
        });
        if rows.len() == BATCH || i + 1 == n_employers {
            employer::insert_many(c, std::mem::take(&mut rows))?;
            progress("employers", i + 1, n_employers);
        }
    }
    out.employers = n_employers;

    let n_postings = (scale / 5).max(60);
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..n_postings {
        let t = &POSTINGS[i % POSTINGS.len()];
        let employer = (i * 7919) % n_employers;
        let template = &EMPLOYERS[employer % EMPLOYERS.len()];
        let jitter = (rng.below(11) as i32 - 5) * 100;
        rows.push(posting::PostingData {
            employer_id: EmployerId(first_employer + employer as i64),
            title: t.title.into(),
            occupation: Some(t.occupation.into()),
            description: Some(t.description.into()),
            headcount: t.headcount,
            salary_min: Some(t.salary_min + jitter),
            salary_max: Some(t.salary_max + jitter),
            region_code: template.region_code.into(),
            min_age: t.min_age,
            max_age: t.max_age,
            gender_requirement: t.gender_requirement.parse()?,
            education_min: t.education_min.map(str::parse).transpose()?,
            benefits: t.benefits.iter().map(|b| b.parse()).collect::<Result<Vec<_>, _>>()?.into(),
            status: if rng.chance(85) { PostingStatus::Open } else { PostingStatus::Closed },
            opens_on: Some(date(2019, 1 + (i % 12) as u32, 1)),
            // One in five closed at the end of 2019; the rest stay open, as
            // a live registry's postings do.
            closes_on: (i % 5 == 4).then(|| date(2019, 12, 31)),
            job_fair_id: None,
        });
        if rows.len() == BATCH || i + 1 == n_postings {
            posting::insert_many(c, std::mem::take(&mut rows))?;
            progress("postings", i + 1, n_postings);
        }
    }
    out.postings = n_postings;

    let first_labourer = max_id(c, "labourers")? + 1;
    let statuses = ["registered_poor", "registered_poor", "lifted", "lifted", "monitored", "none"];
    let educations = ["primary", "junior_high", "junior_high", "senior_high", "vocational"];
    let base = date(1965, 1, 1);
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..scale {
        // Day, serial and county are spread so that no two ID numbers meet.
        let birth = base + Days::new((i % 13_000) as u64);
        let serial = (i / 13_000) % 1000;
        let county = HOME_COUNTIES[(i / 13_000_000) % HOME_COUNTIES.len()];
        let first17 = format!("{county}{}{serial:03}", birth.format("%Y%m%d"));
        let male = serial % 2 == 1;
        let given = if male { GIVEN_NAME_CHARS_MALE } else { GIVEN_NAME_CHARS_FEMALE };
        let form = NewLabourer {
            id_number: Some(format!("{first17}{}", id_number::check_char(&first17).unwrap_or('0'))),
            name: Some(format!("{}{}{}", rng.pick(SURNAMES), rng.pick(given), rng.pick(given))),
            phone: Some(format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000)),
            hukou_region_code: Some(county.into()),
            poverty_status: Some(statuses[rng.below(statuses.len())].into()),
            education: Some(educations[rng.below(educations.len())].into()),
            desired_occupations: Some(vec![rng.pick(OCCUPATIONS_DESIRED).to_string()]),
            ..NewLabourer::default()
        };
        rows.push(crate::registry::labourers::parse_new(form)?);
        if rows.len() == BATCH || i + 1 == scale {
            labourer::insert_many(c, std::mem::take(&mut rows))?;
            if (i + 1) % 50_000 == 0 || i + 1 == scale {
                progress("labourers", i + 1, scale);
            }
        }
    }
    out.labourers = scale;

    // About three placements each (one to five): spells of 1½–10 months
    // with gaps of up to two months, the last often still going.
    let target = scale * 3;
    let mut rows = Vec::with_capacity(BATCH);
    let start_span = (date(2019, 10, 31) - date(2015, 1, 1)).num_days() as usize;
    for i in 0..scale {
        let who = LabourerId(first_labourer + i as i64);
        let mut start = date(2015, 1, 1) + Days::new(rng.below(start_span / 2) as u64);
        let spells = 1 + rng.below(5);
        for k in 0..spells {
            let length = 45 + rng.below(255) as u64;
            let end = start + Days::new(length);
            let last = k + 1 == spells && rng.chance(50);
            let ongoing = last || end > date(2019, 12, 31);
            let p = (i * 31 + k * 17) % n_postings;
            let form = NewPlacement {
                labourer_id: Some(who),
                employer_id: Some(EmployerId(first_employer + ((p * 7919) % n_employers) as i64)),
                region_code: Some(WORK_PLACES[rng.below(WORK_PLACES.len())].into()),
                occupation: Some(POSTINGS[p % POSTINGS.len()].occupation.into()),
                started_on: Some(start),
                ended_on: if ongoing { None } else { Some(end) },
                monthly_income: Some(3000 + rng.below(40) as i32 * 100),
                channel: Some(["referral", "job_fair", "self_found", "public_service"][rng.below(4)].into()),
                ..NewPlacement::default()
            };
            rows.push(crate::registry::placements::parse_new(form)?);
            out.placements += 1;
            if ongoing {
                break;
            }
            start = end + Days::new(1 + rng.below(60) as u64);
        }
        if rows.len() >= BATCH || i + 1 == scale {
            placement::insert_many(c, std::mem::take(&mut rows))?;
            if (i + 1) % 50_000 == 0 || i + 1 == scale {
                progress("placements", out.placements, target);
            }
        }
    }
    // The batches went in past the write path: their east spells are
    // worked out here, once, in one statement.
    crate::db::models::east_spells::restamp_all(c)?;

    let n_students = scale / 50;
    let schools = [
        ("江门市技师学院", "440703"),
        ("江门职业技术学院", "440703"),
        ("台山市广东厨艺技工学校", "440781"),
        ("崇左幼儿师范高等专科学校", "451402"),
    ];
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..n_students {
        let (school, region) = schools[i % schools.len()];
        let cohort = 2015 + (i % 5) as i32;
        let graduated = cohort <= 2016 && rng.chance(90);
        let form = NewVocational {
            labourer_id: Some(LabourerId(first_labourer + (i * 50) as i64)),
            school_name: Some(school.into()),
            school_region_code: Some(region.into()),
            major: Some("中餐烹饪".into()),
            enrolled_on: Some(date(cohort, 9, 1)),
            status: Some(if graduated { "graduated" } else { "studying" }.into()),
            graduated_on: graduated.then(|| date(cohort + 3, 6, 30)),
            left_on: None,
        };
        rows.push(crate::registry::vocational::parse_new(form)?);
        if rows.len() == BATCH || i + 1 == n_students {
            vocational::insert_many(c, std::mem::take(&mut rows))?;
        }
    }
    out.students = n_students;
    Ok(out)
}

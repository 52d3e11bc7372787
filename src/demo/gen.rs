//! `gen --scale N`: large synthetic registries for benchmarks — N labourers
//! with valid ID numbers, N/50 employers with valid USCCs, N/5 postings
//! varied from the demo catalogue, about 3N placements in non-overlapping
//! spells over 2015–2019 (most in the east), and N/50 vocational students.
//!
//! Rows go in per-backend batches: diesel cannot batch-insert through the
//! `MultiConnection`, and row-by-row inserts would take hours at this size.

use chrono::{Days, NaiveDate, NaiveDateTime};

use diesel::prelude::*;

use super::catalogue::{
    EMPLOYERS, GIVEN_NAME_CHARS_FEMALE, GIVEN_NAME_CHARS_MALE, OCCUPATIONS_DESIRED, POSTINGS, SURNAMES,
};
use super::{date, Rng};
use crate::db::models::employer::EmployerInsert;
use crate::db::models::labourer::LabourerInsert;
use crate::db::models::placement::PlacementInsert;
use crate::db::models::posting::PostingInsert;
use crate::db::models::{list_to_text, now};
use crate::db::schema::{employers, labourers, placements, postings, vocational_enrolments};
use crate::db::DbConnection;
use crate::domain::{id_number, uscc};
use crate::error::AppError;

/// Counties poor labourers come from (Chongzuo, Baise and Hechi in Guangxi).
const HOME_COUNTIES: [&str; 10] =
    ["451424", "451421", "451422", "451423", "451425", "451481", "451026", "451027", "451224", "451226"];
/// Where the work is: mostly Guangdong (the east), some at home.
const WORK_PLACES: [&str; 14] = [
    "440704", "440703", "440705", "440781", "440783", "440784", "440785", "440306", "441900", "442000", "440606",
    "330100", "451424", "450103",
];
/// Rows per batch statement (well under both backends' parameter limits).
const BATCH: usize = 1000;

/// A vocational enrolment with its bookkeeping columns, for batch inserts.
#[derive(Insertable)]
#[diesel(table_name = vocational_enrolments)]
struct Study {
    labourer_id: i64,
    school_name: String,
    school_region_code: String,
    major: Option<String>,
    enrolled_on: NaiveDate,
    status: String,
    graduated_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
}

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

/// Inserts `rows` into `table` in batches, on whichever backend.
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(BATCH) {
            match $conn {
                DbConnection::Pg(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
    }};
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
    let at = now();
    let mut out = Generated::default();

    let n_employers = (scale / 50).max(30);
    let first_employer = max_id(c, "employers")? + 1;
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..n_employers {
        let t = &EMPLOYERS[i % EMPLOYERS.len()];
        let region = t.region_code;
        let body: String = (0..9).map(|_| b"0123456789ABCDEFGHJKLMNPQRTUWXY"[rng.below(31)] as char).collect();
        let first17 = format!("91{region}{body}");
        rows.push(EmployerInsert {
            name: format!("{}（{}分公司）", t.name, i / EMPLOYERS.len() + 1),
            uscc: Some(format!("{first17}{}", uscc::check_char(&first17).unwrap_or('0'))),
            region_code: region.into(),
            address: Some(t.address.into()),
            industry: Some(t.industry.into()),
            contact_name: Some(t.contact_name.into()),
            contact_phone: Some(format!("13{:09}", rng.next() % 1_000_000_000)),
            is_poverty_workshop: t.is_poverty_workshop,
            created_at: at,
            updated_at: at,
            version: 1,
        });
        if rows.len() == BATCH || i + 1 == n_employers {
            batch_insert!(&mut *c, employers::table, rows);
            rows.clear();
            progress("employers", i + 1, n_employers);
        }
    }
    out.employers = n_employers;

    let n_postings = (scale / 5).max(60);
    let mut rows: Vec<PostingInsert> = Vec::with_capacity(BATCH);
    for i in 0..n_postings {
        let t = &POSTINGS[i % POSTINGS.len()];
        let employer = (i * 7919) % n_employers;
        let template = &EMPLOYERS[employer % EMPLOYERS.len()];
        let jitter = (rng.below(11) as i32 - 5) * 100;
        let benefits: Vec<String> = t.benefits.iter().map(|b| b.to_string()).collect();
        rows.push(PostingInsert {
            employer_id: first_employer + employer as i64,
            title: t.title.into(),
            occupation: Some(t.occupation.into()),
            description: Some(t.description.into()),
            headcount: t.headcount,
            salary_min: Some(t.salary_min + jitter),
            salary_max: Some(t.salary_max + jitter),
            region_code: template.region_code.into(),
            min_age: t.min_age,
            max_age: t.max_age,
            gender_requirement: t.gender_requirement.into(),
            education_min: t.education_min.map(str::to_string),
            benefits: list_to_text(&benefits),
            status: if rng.chance(85) { "open" } else { "closed" }.into(),
            opens_on: Some(date(2019, 1 + (i % 12) as u32, 1)),
            // One in five closed at the end of 2019; the rest stay open, as
            // a live registry's postings do.
            closes_on: (i % 5 == 4).then(|| date(2019, 12, 31)),
            job_fair_id: None,
            created_at: at,
            updated_at: at,
            version: 1,
        });
        if rows.len() == BATCH || i + 1 == n_postings {
            batch_insert!(&mut *c, postings::table, rows);
            rows.clear();
            progress("postings", i + 1, n_postings);
        }
    }
    out.postings = n_postings;

    let first_labourer = max_id(c, "labourers")? + 1;
    let statuses = ["registered_poor", "registered_poor", "lifted", "lifted", "monitored", "none"];
    let educations = ["primary", "junior_high", "junior_high", "senior_high", "vocational"];
    let base = date(1965, 1, 1);
    let mut rows: Vec<LabourerInsert> = Vec::with_capacity(BATCH);
    for i in 0..scale {
        // Day, serial and county are spread so that no two ID numbers meet.
        let birth = base + Days::new((i % 13_000) as u64);
        let serial = (i / 13_000) % 1000;
        let county = HOME_COUNTIES[(i / 13_000_000) % HOME_COUNTIES.len()];
        let first17 = format!("{county}{}{serial:03}", birth.format("%Y%m%d"));
        let male = serial % 2 == 1;
        let given = if male { GIVEN_NAME_CHARS_MALE } else { GIVEN_NAME_CHARS_FEMALE };
        rows.push(LabourerInsert {
            id_number: format!("{first17}{}", id_number::check_char(&first17).unwrap_or('0')),
            name: format!("{}{}{}", rng.pick(SURNAMES), rng.pick(given), rng.pick(given)),
            gender: if male { "male" } else { "female" }.into(),
            birth_date: birth,
            phone: Some(format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000)),
            hukou_region_code: Some(county.into()),
            hukou_township: None,
            hukou_village: None,
            poverty_status: statuses[rng.below(statuses.len())].into(),
            household_no: None,
            education: Some(educations[rng.below(educations.len())].into()),
            skills: "[]".into(),
            desired_occupations: list_to_text(&[rng.pick(OCCUPATIONS_DESIRED).to_string()]),
            desired_region_codes: "[]".into(),
            available_from: None,
            notes: None,
            created_at: at,
            updated_at: at,
            version: 1,
        });
        if rows.len() == BATCH || i + 1 == scale {
            batch_insert!(&mut *c, labourers::table, rows);
            rows.clear();
            if (i + 1) % 50_000 == 0 || i + 1 == scale {
                progress("labourers", i + 1, scale);
            }
        }
    }
    out.labourers = scale;

    // About three placements each (one to five): spells of 1½–10 months
    // with gaps of up to two months, the last often still going.
    let target = scale * 3;
    let mut rows: Vec<PlacementInsert> = Vec::with_capacity(BATCH);
    let start_span = (date(2019, 10, 31) - date(2015, 1, 1)).num_days() as usize;
    for i in 0..scale {
        let who = first_labourer + i as i64;
        let mut start = date(2015, 1, 1) + Days::new(rng.below(start_span / 2) as u64);
        let spells = 1 + rng.below(5);
        for k in 0..spells {
            let length = 45 + rng.below(255) as u64;
            let end = start + Days::new(length);
            let last = k + 1 == spells && rng.chance(50);
            let ongoing = last || end > date(2019, 12, 31);
            let p = (i * 31 + k * 17) % n_postings;
            rows.push(PlacementInsert {
                labourer_id: who,
                employer_id: Some(first_employer + ((p * 7919) % n_employers) as i64),
                employer_name: None,
                posting_id: None,
                region_code: WORK_PLACES[rng.below(WORK_PLACES.len())].into(),
                occupation: Some(POSTINGS[p % POSTINGS.len()].occupation.into()),
                started_on: start,
                ended_on: if ongoing { None } else { Some(end) },
                monthly_income: Some(3000 + rng.below(40) as i32 * 100),
                channel: ["referral", "job_fair", "self_found", "public_service"][rng.below(4)].into(),
                part_time: false,
                evidence: None,
                verified_on: None,
                notes: None,
                job_fair_id: None,
                enrolment_id: None,
                created_at: at,
                updated_at: at,
                version: 1,
            });
            out.placements += 1;
            if ongoing {
                break;
            }
            start = end + Days::new(1 + rng.below(60) as u64);
        }
        if rows.len() >= BATCH || i + 1 == scale {
            batch_insert!(&mut *c, placements::table, rows);
            rows.clear();
            if (i + 1) % 50_000 == 0 || i + 1 == scale {
                progress("placements", out.placements, target);
            }
        }
    }

    let n_students = scale / 50;
    let schools = [
        ("江门市技师学院", "440703"),
        ("江门职业技术学院", "440703"),
        ("台山市广东厨艺技工学校", "440781"),
        ("崇左幼儿师范高等专科学校", "451402"),
    ];
    let mut rows: Vec<Study> = Vec::with_capacity(BATCH);
    for i in 0..n_students {
        let (school, region) = schools[i % schools.len()];
        let cohort = 2015 + (i % 5) as i32;
        let graduated = cohort <= 2016 && rng.chance(90);
        rows.push(Study {
            labourer_id: first_labourer + (i * 50) as i64,
            school_name: school.into(),
            school_region_code: region.into(),
            major: Some("中餐烹饪".into()),
            enrolled_on: date(cohort, 9, 1),
            status: if graduated { "graduated" } else { "studying" }.into(),
            graduated_on: graduated.then(|| date(cohort + 3, 6, 30)),
            left_on: None,
            created_at: at,
            updated_at: at,
            version: 1,
        });
        if rows.len() == BATCH || i + 1 == n_students {
            batch_insert!(&mut *c, vocational_enrolments::table, rows);
            rows.clear();
        }
    }
    out.students = n_students;
    Ok(out)
}

//! Demo data (`seed-demo`, and `serve --demo` on an empty database): the
//! plan's own places and units — Daxin County (451424) townships and
//! villages, Jianghai District (440704) streets — plus deterministic
//! synthetic people, employers, postings and placements over 2018–2019, so
//! later ledgers have something to count. The same seed gives the same data.

pub mod catalogue;
pub mod gen;
mod programmes;

use chrono::{Datelike, NaiveDate};

use crate::auth::{hash_password, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::employer::{self, EmployerInsert};
use crate::db::models::labourer::{self, LabourerInsert};
use crate::db::models::outbox::{self, Op};
use crate::db::models::placement::{self, PlacementInsert};
use crate::db::models::posting::{self, PostingInsert};
use crate::db::models::{list_to_text, now, user};
use crate::db::{write_tx, DbConnection};
use crate::domain::{id_number, uscc};
use crate::error::AppError;
use catalogue::*;

/// How many labourers the demo registers.
pub const LABOURERS: usize = 200;
/// The password of the demo accounts (README says so; demo data only).
pub const DEMO_PASSWORD: &str = "labour-bridge-demo";

/// SplitMix64: ten lines instead of a dependency, stable across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What was loaded.
#[derive(Debug, Default)]
pub struct Seeded {
    /// Labourers registered.
    pub labourers: usize,
    /// Employers registered.
    pub employers: usize,
    /// Postings created.
    pub postings: usize,
    /// Placements registered.
    pub placements: usize,
    /// Demo accounts created.
    pub users: usize,
    /// Vocational students registered.
    pub students: usize,
}

/// Whether the registry is empty (nothing to overwrite).
pub fn is_empty(conn: &mut DbConnection) -> Result<bool, AppError> {
    Ok(labourer::list(conn, &Default::default(), 0, 1)?.is_empty()
        && employer::list(conn, &Default::default(), 0, 1)?.is_empty())
}

fn valid_id_number(birth: NaiveDate, male: bool, serial: usize) -> String {
    let seq = (serial % 500) as u32 * 2 + u32::from(male);
    let first17 = format!("451424{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let check = id_number::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn valid_uscc(rng: &mut Rng, region: &str) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body: String = (0..9).map(|_| CHARS[rng.below(CHARS.len())] as char).collect();
    let first17 = format!("91{region}{body}");
    let check = uscc::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Loads the demo data in one transaction, audited as `cli:seed-demo`;
/// deadlines go to `recipients`.
pub fn seed(conn: &mut DbConnection, recipients: &[String]) -> Result<Seeded, AppError> {
    let actor = Actor::cli("seed-demo");
    write_tx(conn, |c| seed_in(c, &actor, recipients))
}

fn seed_in(c: &mut DbConnection, actor: &Actor, recipients: &[String]) -> Result<Seeded, AppError> {
    let mut rng = Rng(20_190_315);
    let mut out = Seeded::default();
    let at = now();

    let mut employer_rows = Vec::new();
    for e in EMPLOYERS {
        let row = employer::insert(
            c,
            &EmployerInsert {
                name: e.name.to_string(),
                uscc: Some(valid_uscc(&mut rng, e.region_code)),
                region_code: e.region_code.to_string(),
                address: Some(e.address.to_string()),
                industry: Some(e.industry.to_string()),
                contact_name: Some(e.contact_name.to_string()),
                contact_phone: Some(format!("13{:09}", rng.next() % 1_000_000_000)),
                is_poverty_workshop: e.is_poverty_workshop,
                created_at: at,
                updated_at: at,
                version: 1,
            },
        )?;
        audit::record(c, actor, "create", "employer", Some(row.id), None::<&()>, Some(&row))?;
        employer_rows.push(row);
        out.employers += 1;
    }
    let employer_ids: Vec<i64> = employer_rows.iter().map(|e| e.id).collect();
    let fair = programmes::fair(c, actor, &employer_rows)?;

    let mut postings = Vec::new();
    for (i, p) in POSTINGS.iter().enumerate() {
        let employer = &EMPLOYERS[p.employer.min(EMPLOYERS.len() - 1)];
        let opens = date(2019, 1 + (i % 10) as u32, 1);
        let benefits: Vec<String> = p.benefits.iter().map(|b| b.to_string()).collect();
        let row = posting::insert(
            c,
            &PostingInsert {
                employer_id: employer_ids[p.employer.min(employer_ids.len() - 1)],
                title: p.title.to_string(),
                occupation: Some(p.occupation.to_string()),
                description: Some(p.description.to_string()),
                headcount: p.headcount,
                salary_min: Some(p.salary_min),
                salary_max: Some(p.salary_max),
                region_code: employer.region_code.to_string(),
                min_age: p.min_age,
                max_age: p.max_age,
                gender_requirement: p.gender_requirement.to_string(),
                education_min: p.education_min.map(str::to_string),
                benefits: list_to_text(&benefits),
                status: if i % 9 == 8 { "closed".into() } else { "open".into() },
                opens_on: Some(opens),
                // Most stay open with no closing day, so trainees trying the
                // demo find openings; every fourth closed at the end of 2019.
                closes_on: (i % 4 == 3).then(|| date(2019, 12, 31)),
                // Jiangmen employers bring every other posting to the joint fair.
                job_fair_id: (employer.region_code.starts_with("4407") && i % 2 == 0).then_some(fair.id),
                created_at: at,
                updated_at: at,
                version: 1,
            },
        )?;
        audit::record(c, actor, "create", "posting", Some(row.id), None::<&()>, Some(&row))?;
        outbox::append(c, "posting", row.id, Op::Upsert)?;
        postings.push(row);
        out.postings += 1;
    }

    let statuses = ["registered_poor", "registered_poor", "registered_poor", "lifted", "lifted", "monitored", "none"];
    let educations = ["primary", "junior_high", "junior_high", "junior_high", "senior_high", "vocational"];
    let mut labourers = Vec::new();
    for i in 0..LABOURERS {
        let male = rng.chance(55);
        let birth = date(1965 + rng.below(37) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let given = if male { GIVEN_NAME_CHARS_MALE } else { GIVEN_NAME_CHARS_FEMALE };
        let mut name = format!("{}{}", rng.pick(SURNAMES), rng.pick(given));
        if rng.chance(70) {
            name.push_str(*rng.pick(given) as &str);
        }
        // The plan's paired villages come first, so the demo shows them.
        let (township, villages) = if i % 3 == 0 {
            DAXIN_PLACES.iter().find(|(t, _)| *t == "硕龙镇").copied().unwrap_or(DAXIN_PLACES[0])
        } else if i % 3 == 1 {
            DAXIN_PLACES.iter().find(|(t, _)| *t == "下雷镇").copied().unwrap_or(DAXIN_PLACES[0])
        } else {
            *rng.pick(DAXIN_PLACES)
        };
        let skills: Vec<String> = (0..rng.below(3)).map(|_| rng.pick(SKILLS).to_string()).collect();
        let desired: Vec<String> = (0..1 + rng.below(2)).map(|_| rng.pick(OCCUPATIONS_DESIRED).to_string()).collect();
        let new = LabourerInsert {
            id_number: valid_id_number(birth, male, i),
            name,
            gender: if male { "male" } else { "female" }.into(),
            birth_date: birth,
            phone: Some(format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000)),
            hukou_region_code: Some("451424".into()),
            hukou_township: Some(township.to_string()),
            hukou_village: Some(rng.pick(villages).to_string()),
            poverty_status: rng.pick(&statuses).to_string(),
            household_no: Some(format!("4514240{:08}", rng.next() % 100_000_000)),
            education: Some(rng.pick(&educations).to_string()),
            skills: list_to_text(&skills),
            desired_occupations: list_to_text(&desired),
            desired_region_codes: list_to_text(&["440704".to_string()]),
            available_from: None,
            notes: None,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        let row = labourer::insert(c, &new)?;
        audit::record(c, actor, "create", "labourer", Some(row.id), None::<&()>, Some(&row))?;
        outbox::append(c, "labourer", row.id, Op::Upsert)?;
        labourers.push(row);
        out.labourers += 1;
    }

    let channels = ["job_fair", "referral", "referral", "self_found", "public_service", "training"];
    for (i, l) in labourers.iter().enumerate() {
        // About seven in ten have found work through the cooperation.
        if i % 10 >= 7 {
            continue;
        }
        let mut start = date(2018, 1, 1) + chrono::Days::new(rng.below(640) as u64);
        let spells = if rng.chance(25) { 2 } else { 1 };
        for s in 0..spells {
            let p = rng.pick(&postings);
            let ended = if s + 1 < spells || rng.chance(20) {
                Some(start + chrono::Days::new(60 + rng.below(200) as u64))
            } else {
                None
            };
            let today = chrono::Utc::now().date_naive();
            let ended = ended.filter(|d| *d < today);
            let income = p.salary_min.unwrap_or(3000) + (rng.below(10) as i32) * 100;
            let row = placement::insert(
                c,
                &PlacementInsert {
                    labourer_id: l.id,
                    employer_id: Some(p.employer_id),
                    employer_name: None,
                    posting_id: Some(p.id),
                    region_code: p.region_code.clone(),
                    occupation: p.occupation.clone(),
                    started_on: start,
                    ended_on: ended,
                    monthly_income: Some(income),
                    channel: rng.pick(&channels).to_string(),
                    part_time: false,
                    evidence: Some(format!("劳动合同 JH{}{:04}", start.year(), i)),
                    verified_on: Some(start + chrono::Days::new(30)),
                    notes: None,
                    job_fair_id: None,
                    enrolment_id: None,
                    created_at: at,
                    updated_at: at,
                    version: 1,
                },
            )?;
            audit::record(c, actor, "create", "placement", Some(row.id), None::<&()>, Some(&row))?;
            out.placements += 1;
            match ended {
                Some(end) => start = end + chrono::Days::new(1 + rng.below(40) as u64),
                None => break,
            }
        }
    }

    let (placed, unplaced): (Vec<_>, Vec<_>) = labourers.iter().cloned().enumerate().partition(|(i, _)| i % 10 < 7);
    let placed: Vec<_> = placed.into_iter().map(|(_, l)| l).collect();
    let unplaced: Vec<_> = unplaced.into_iter().map(|(_, l)| l).collect();
    programmes::fair_day(c, actor, &mut rng, &fair, &postings, &unplaced, &placed)?;
    programmes::cantonese_chef(c, actor, &unplaced[20..50.min(unplaced.len())], &postings)?;
    out.students = programmes::vocational_students(c, actor, &mut rng, &postings)?;
    programmes::targets_and_deadlines(c, actor, recipients)?;

    let hash = hash_password(DEMO_PASSWORD)?;
    let accounts: [(&str, Role, Option<&str>, Option<i64>); 4] = [
        ("demo-admin", Role::Admin, Some("江海区人力资源和社会保障局"), None),
        ("demo-clerk", Role::Clerk, Some("大新县人力资源和社会保障局"), None),
        ("demo-organiser", Role::Organiser, Some(programmes::FAIR_ORGANISERS[2]), None),
        ("demo-trainee", Role::Trainee, None, labourers.first().map(|l| l.id)),
    ];
    for (name, role, unit, labourer_id) in accounts {
        let id = user::create(c, name, role, unit, labourer_id, Some(&hash))?;
        audit::record(
            c,
            actor,
            "create",
            "user",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({"username": name, "role": role})),
        )?;
        out.users += 1;
    }
    Ok(out)
}

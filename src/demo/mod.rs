//! Demo data (`seed-demo`, and `serve --demo` on an empty database): the
//! plan's own places and units — Daxin County (451424) townships and
//! villages, Jianghai District (440704) streets — plus deterministic
//! synthetic people, employers, postings and placements over 2018–2019, so
//! later ledgers have something to count — and, on the day it is loaded,
//! postings open that day and people looking for work whose ages fit them
//! (`living`). The same seed on the same day gives the same data.

pub mod catalogue;
pub mod gen;
mod living;
mod programmes;

use chrono::{Datelike, NaiveDate};

use crate::auth::{hash_password, Role};
use crate::db::models::audit::{self, Actor};
use crate::db::models::employer::{self, EmployerRow};
use crate::db::models::labourer::{self, LabourerRow};
use crate::db::models::posting::PostingRow;
use crate::db::models::user;
use crate::db::{write_tx, DbConnection};
use crate::domain::{id_number, uscc};
use crate::error::AppError;
use crate::registry::employers::NewEmployer;
use crate::registry::labourers::NewLabourer;
use crate::registry::placements::NewPlacement;
use crate::registry::postings::NewPosting;
use crate::registry::{employers as employers_registry, labourers as labourers_registry};
use crate::registry::{placements as placements_registry, postings as postings_registry};
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

    let mut employer_rows: Vec<EmployerRow> = Vec::new();
    for e in EMPLOYERS {
        let form = NewEmployer {
            name: Some(e.name.to_string()),
            uscc: Some(valid_uscc(&mut rng, e.region_code)),
            region_code: Some(e.region_code.to_string()),
            address: Some(e.address.to_string()),
            industry: Some(e.industry.to_string()),
            contact_name: Some(e.contact_name.to_string()),
            contact_phone: Some(format!("13{:09}", rng.next() % 1_000_000_000)),
            is_poverty_workshop: Some(e.is_poverty_workshop),
        };
        employer_rows.push(employers_registry::register(c, actor, form)?.row);
        out.employers += 1;
    }
    let fair = programmes::fair(c, actor, &employer_rows)?;

    let mut postings: Vec<PostingRow> = Vec::new();
    for (i, p) in POSTINGS.iter().enumerate() {
        let employer = &employer_rows[p.employer.min(employer_rows.len() - 1)];
        // Jiangmen employers bring every other posting to the joint fair,
        // open for applications by the fair's day.
        let at_fair = employer.data.region_code.starts_with("4407") && i % 2 == 0;
        let opens = if at_fair { date(2019, 2, 15) } else { date(2019, 1 + (i % 10) as u32, 1) };
        let form = NewPosting {
            employer_id: Some(employer.id),
            title: Some(p.title.to_string()),
            occupation: Some(p.occupation.to_string()),
            description: Some(p.description.to_string()),
            headcount: Some(p.headcount),
            salary_min: Some(p.salary_min),
            salary_max: Some(p.salary_max),
            region_code: Some(employer.data.region_code.clone()),
            min_age: p.min_age,
            max_age: p.max_age,
            gender_requirement: Some(p.gender_requirement.to_string()),
            education_min: p.education_min.map(str::to_string),
            benefits: Some(p.benefits.iter().map(|b| b.to_string()).collect()),
            status: Some(if i % 9 == 8 { "closed" } else { "open" }.to_string()),
            opens_on: Some(opens),
            // Most stay open with no closing day; every fourth closed at the
            // end of 2019.
            closes_on: (i % 4 == 3).then(|| date(2019, 12, 31)),
            job_fair_id: at_fair.then_some(fair.id),
        };
        postings.push(postings_registry::create(c, actor, form)?);
        out.postings += 1;
    }

    let statuses = ["registered_poor", "registered_poor", "registered_poor", "lifted", "lifted", "monitored", "none"];
    let educations = ["primary", "junior_high", "junior_high", "junior_high", "senior_high", "vocational"];
    let mut labourers: Vec<LabourerRow> = Vec::new();
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
        let form = NewLabourer {
            id_number: Some(valid_id_number(birth, male, i)),
            name: Some(name),
            phone: Some(format!("1{}{:09}", 3 + rng.below(7), rng.next() % 1_000_000_000)),
            hukou_region_code: Some("451424".into()),
            hukou_township: Some(township.to_string()),
            hukou_village: Some(rng.pick(villages).to_string()),
            poverty_status: Some(rng.pick(&statuses).to_string()),
            household_no: Some(format!("4514240{:08}", rng.next() % 100_000_000)),
            education: Some(rng.pick(&educations).to_string()),
            skills: Some(skills),
            desired_occupations: Some(desired),
            desired_region_codes: Some(vec!["440704".to_string()]),
            ..NewLabourer::default()
        };
        labourers.push(labourers_registry::register(c, actor, form)?.row);
        out.labourers += 1;
    }

    let channels = ["job_fair", "referral", "referral", "self_found", "public_service", "training"];
    let today = crate::clock::today();
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
            let ended = ended.filter(|d| *d < today);
            let income = p.data.salary_min.unwrap_or(3000) + (rng.below(10) as i32) * 100;
            let form = NewPlacement {
                labourer_id: Some(l.id),
                posting_id: Some(p.id),
                region_code: Some(p.data.region_code.clone()),
                started_on: Some(start),
                ended_on: ended,
                monthly_income: Some(income),
                channel: Some(rng.pick(&channels).to_string()),
                evidence: Some(format!("劳动合同 JH{}{:04}", start.year(), i)),
                verified_on: Some(start + chrono::Days::new(30)),
                ..NewPlacement::default()
            };
            placements_registry::create(c, actor, form)?;
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

    // The demo lives on the day it is loaded: postings open now, and
    // people looking for work now whose ages and wishes fit them.
    let today = crate::clock::today();
    out.postings += living::postings_open_now(c, actor, &mut rng, &employer_rows, today)?;
    let seekers = living::job_seekers(c, actor, &mut rng, today)?;
    out.labourers += seekers.len();
    programmes::todays_fair(c, actor, &employer_rows, today)?;

    let hash = hash_password(DEMO_PASSWORD)?;
    let accounts: [(&str, Role, Option<&str>, Option<i64>); 4] = [
        ("demo-admin", Role::Admin, Some("江海区人力资源和社会保障局"), None),
        ("demo-clerk", Role::Clerk, Some("大新县人力资源和社会保障局"), None),
        ("demo-organiser", Role::Organiser, Some(programmes::FAIR_ORGANISERS[2]), None),
        ("demo-trainee", Role::Trainee, None, seekers.first().map(|l| l.id.get())),
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

//! The two index schemas and how a registry row becomes a document.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field or the way a document is built
//! changes: an index built under another version is rebuilt on start.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::TantivyDocument;

use super::text::ZH;
use super::vocab::{short_place_name, Vocabulary};
use crate::db::models::enrolment::Certificate;
use crate::db::models::labourer::LabourerRow;
use crate::db::models::search::PostingDoc;
use crate::domain::{region_name, Education, RegionCode};

pub use super::summary::{availability, NotTakingReason, PostingSummary};

/// Version of the schemas and document builders below.
pub const SCHEMA_VERSION: u32 = 2;

/// A date as a number fast fields can compare.
pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// 0 for none … 6 for bachelor_plus; unknown spellings count as none.
pub fn education_rank(e: Option<&str>) -> u64 {
    e.and_then(|e| e.parse::<Education>().ok()).and_then(|e| Education::ALL.iter().position(|x| *x == e)).unwrap_or(0)
        as u64
}

/// The facet of a region code at its own level: `440000` → `/44`,
/// `440700` → `/44/4407`, `440704` → `/44/4407/440704`.
pub fn region_facet(code: &str) -> Option<Facet> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut parts = vec![code[..2].to_string()];
    if &code[2..4] != "00" {
        parts.push(code[..4].to_string());
        if &code[4..] != "00" {
            parts.push(code.to_string());
        }
    } else if &code[4..] != "00" {
        parts.push(code.to_string());
    }
    Some(Facet::from_path(parts))
}

/// A region filter as typed: 2, 4 or 6 digits.
pub fn region_filter_facet(code: &str) -> Option<Facet> {
    match code.len() {
        2 => region_facet(&format!("{code}0000")),
        4 => region_facet(&format!("{code}00")),
        _ => region_facet(code),
    }
}

/// Salary band of a posting, for facets.
pub fn salary_band(top: Option<i32>) -> &'static str {
    match top {
        None => "面议",
        Some(s) if s < 3000 => "3000以下",
        Some(s) if s < 5000 => "3000-4999",
        Some(s) if s < 7000 => "5000-6999",
        Some(_) => "7000以上",
    }
}

/// The words people type for a benefit (包吃住 is both housing and meals).
pub fn benefit_words(b: &str) -> &'static str {
    match b {
        "housing" => "包住 包吃住 住宿 宿舍 提供住宿",
        "meals" => "包吃 包吃住 包餐 工作餐 食堂",
        "transport" => "交通补贴 路费 车费 班车",
        "insurance" => "五险 五险一金 社保 保险",
        _ => "",
    }
}

fn zh_text(stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(ZH).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        o.set_stored()
    } else {
        o
    }
}

/// Fields of the postings index.
#[derive(Debug, Clone, Copy)]
pub struct PostingFields {
    pub id: Field,
    pub title: Field,
    pub title_exact: Field,
    pub occupation: Field,
    pub description: Field,
    pub employer: Field,
    pub place: Field,
    pub perks: Field,
    pub region: Field,
    pub tags: Field,
    pub status: Field,
    pub benefits: Field,
    pub gender: Field,
    pub salary_top: Field,
    pub education_rank: Field,
    pub min_age: Field,
    pub max_age: Field,
    pub closes_on: Field,
    pub opens_on: Field,
    pub places_left: Field,
    pub view: Field,
}

impl PostingFields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, PostingFields) {
        let mut b = Schema::builder();
        let f = PostingFields {
            id: b.add_u64_field("id", INDEXED | FAST | STORED),
            title: b.add_text_field("title", zh_text(false)),
            title_exact: b.add_text_field("title_exact", STRING),
            occupation: b.add_text_field("occupation", zh_text(false)),
            description: b.add_text_field("description", zh_text(false)),
            employer: b.add_text_field("employer", zh_text(false)),
            place: b.add_text_field("place", zh_text(false)),
            perks: b.add_text_field("perks", zh_text(false)),
            region: b.add_facet_field("region", FacetOptions::default()),
            tags: b.add_facet_field("tags", FacetOptions::default()),
            status: b.add_text_field("status", STRING),
            benefits: b.add_text_field("benefits", STRING),
            gender: b.add_text_field("gender", STRING),
            salary_top: b.add_i64_field("salary_top", INDEXED | FAST),
            education_rank: b.add_u64_field("education_rank", INDEXED | FAST),
            min_age: b.add_u64_field("min_age", INDEXED | FAST),
            max_age: b.add_u64_field("max_age", INDEXED | FAST),
            closes_on: b.add_i64_field("closes_on", INDEXED | FAST),
            opens_on: b.add_i64_field("opens_on", INDEXED | FAST),
            places_left: b.add_i64_field("places_left", INDEXED | FAST),
            view: b.add_text_field("view", STORED),
        };
        (b.build(), f)
    }
}

fn place_words(code: &str) -> String {
    let mut words = Vec::new();
    if let Ok(rc) = RegionCode::parse(code) {
        let n = rc.names();
        for name in [n.province, n.city, n.county].into_iter().flatten() {
            words.push(name.to_string());
            if let Some(s) = short_place_name(name) {
                words.push(s);
            }
        }
    } else if let Some(name) = region_name(code) {
        words.push(name.to_string());
    }
    words.join(" ")
}

/// A posting as an index document.
pub fn posting_doc(f: &PostingFields, vocab: &Vocabulary, d: &PostingDoc) -> TantivyDocument {
    let p = PostingSummary::of(vocab, d);
    let group = p.occupation_group.as_deref().and_then(|name| vocab.occupation_of_word(name));
    let occupation_text = p.occupation.clone().unwrap_or_default();
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, p.id as u64);
    doc.add_text(f.title, &p.title);
    doc.add_text(f.title_exact, &p.title);
    let mut occ = occupation_text;
    if let Some(o) = group {
        occ.push(' ');
        occ.push_str(&o.name);
    }
    doc.add_text(f.occupation, &occ);
    if let Some(desc) = &p.description {
        doc.add_text(f.description, desc);
    }
    doc.add_text(f.employer, &d.employer_name);
    doc.add_text(f.place, place_words(&p.region_code));
    if let Some(facet) = region_facet(&p.region_code) {
        doc.add_facet(f.region, facet);
    }
    doc.add_facet(f.tags, Facet::from_path(["province", &p.region_code[..2.min(p.region_code.len())]]));
    if let Some(o) = group {
        doc.add_facet(f.tags, Facet::from_path(["occupation", o.name.as_str()]));
    }
    let top = p.salary_max.or(p.salary_min);
    doc.add_facet(f.tags, Facet::from_path(["salary_band", salary_band(top)]));
    for b in &p.benefits {
        doc.add_text(f.perks, benefit_words(b));
        doc.add_text(f.benefits, b);
        doc.add_facet(f.tags, Facet::from_path(["benefits", b.as_str()]));
    }
    doc.add_text(f.status, &p.status);
    doc.add_text(f.gender, &p.gender_requirement);
    doc.add_i64(f.salary_top, i64::from(top.unwrap_or(0)));
    doc.add_u64(f.education_rank, education_rank(p.education_min.as_deref()));
    doc.add_u64(f.min_age, p.min_age.unwrap_or(0).max(0) as u64);
    doc.add_u64(f.max_age, p.max_age.unwrap_or(200).max(0) as u64);
    doc.add_i64(f.closes_on, p.closes_on.map(day_number).unwrap_or(i64::MAX));
    doc.add_i64(f.opens_on, p.opens_on.map(day_number).unwrap_or(i64::MIN));
    doc.add_i64(f.places_left, i64::from(p.headcount) - p.hired);
    doc.add_text(f.view, serde_json::to_string(&p).unwrap_or_default());
    doc
}

/// Fields of the labourers index (no name, no ID number: only what
/// matching needs).
#[derive(Debug, Clone, Copy)]
pub struct LabourerFields {
    pub id: Field,
    pub certs: Field,
    pub desired: Field,
    pub skills: Field,
    pub desired_code: Field,
    pub gender: Field,
    pub birth_day: Field,
    pub education_rank: Field,
    pub view: Field,
}

impl LabourerFields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, LabourerFields) {
        let mut b = Schema::builder();
        let f = LabourerFields {
            id: b.add_u64_field("id", INDEXED | FAST | STORED),
            certs: b.add_text_field("certs", zh_text(false)),
            desired: b.add_text_field("desired", zh_text(false)),
            skills: b.add_text_field("skills", zh_text(false)),
            desired_code: b.add_text_field("desired_code", STRING),
            gender: b.add_text_field("gender", STRING),
            birth_day: b.add_i64_field("birth_day", INDEXED | FAST),
            education_rank: b.add_u64_field("education_rank", INDEXED | FAST),
            view: b.add_text_field("view", STORED),
        };
        (b.build(), f)
    }
}

/// What matching knows of a person.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Profile {
    /// Labourer id.
    pub id: i64,
    /// `male` or `female`.
    pub gender: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Highest education.
    pub education: Option<String>,
    /// Skills.
    pub skills: Vec<String>,
    /// Desired occupations.
    pub desired_occupations: Vec<String>,
    /// Desired work places (codes).
    pub desired_region_codes: Vec<String>,
    /// Certificate names (e.g. 中式烹调师) with their occupation.
    pub certificates: Vec<String>,
}

impl Profile {
    /// The profile of a registry row and its certificates.
    pub fn of(l: &LabourerRow, certs: &[Certificate]) -> Profile {
        let mut certificates = Vec::new();
        for c in certs {
            for name in [c.name.as_deref(), c.occupation.as_deref()].into_iter().flatten() {
                if !certificates.iter().any(|x: &String| x == name) {
                    certificates.push(name.to_string());
                }
            }
        }
        let d = &l.data;
        Profile {
            id: l.id.get(),
            gender: d.gender.as_str().to_string(),
            birth_date: Some(d.birth_date),
            education: d.education.map(|e| e.as_str().to_string()),
            skills: d.skills.0.clone(),
            desired_occupations: d.desired_occupations.0.clone(),
            desired_region_codes: d.desired_region_codes.0.clone(),
            certificates,
        }
    }

    /// Whole years of age on `today`.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        self.birth_date.and_then(|b| today.years_since(b))
    }
}

/// The prefixes a region code covers: `440704` → 44, 4407, 440704.
pub fn region_prefixes(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    if code.len() == 6 {
        out.push(code[..2].to_string());
        if &code[2..4] != "00" {
            out.push(code[..4].to_string());
            if &code[4..] != "00" {
                out.push(code.to_string());
            }
        }
    }
    out
}

/// The prefix a desired region stands for: `440000` → 44, `440700` → 4407.
pub fn region_key(code: &str) -> Option<String> {
    region_prefixes(code).pop()
}

/// A labourer as an index document.
pub fn labourer_doc(f: &LabourerFields, p: &Profile) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, p.id as u64);
    for c in &p.certificates {
        doc.add_text(f.certs, c);
    }
    for d in &p.desired_occupations {
        doc.add_text(f.desired, d);
    }
    for s in &p.skills {
        doc.add_text(f.skills, s);
    }
    for code in &p.desired_region_codes {
        if let Some(k) = region_key(code) {
            doc.add_text(f.desired_code, k);
        }
    }
    doc.add_text(f.gender, &p.gender);
    doc.add_i64(f.birth_day, p.birth_date.map(day_number).unwrap_or(0));
    doc.add_u64(f.education_rank, education_rank(p.education.as_deref()));
    doc.add_text(f.view, serde_json::to_string(p).unwrap_or_default());
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_facets_follow_the_code_levels() {
        assert_eq!(region_facet("440704").map(|f| f.to_string()), Some("/44/4407/440704".into()));
        assert_eq!(region_facet("440700").map(|f| f.to_string()), Some("/44/4407".into()));
        assert_eq!(region_facet("440000").map(|f| f.to_string()), Some("/44".into()));
        assert_eq!(region_filter_facet("4407").map(|f| f.to_string()), Some("/44/4407".into()));
        assert_eq!(region_prefixes("451424"), vec!["45", "4514", "451424"]);
        assert_eq!(region_key("440700").as_deref(), Some("4407"));
    }

    #[test]
    fn education_ranks_in_order() {
        assert_eq!(education_rank(None), 0);
        assert!(education_rank(Some("junior_high")) < education_rank(Some("senior_high")));
        assert_eq!(education_rank(Some("bachelor_plus")), 6);
    }
}

//! What search shows of a posting (its public fields, stored in the
//! index) and whether it takes applications today, by the one rule.

use chrono::NaiveDate;
use serde::Serialize;

use super::vocab::Vocabulary;
use crate::db::models::search::PostingDoc;
use crate::domain::rules::{self, NotTaking, PostingTerms};
use crate::domain::PostingStatus;

/// Why a posting does not take applications today, in words.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct NotTakingReason {
    /// `closed`, `not_yet_open`, `expired` or `full`.
    pub code: String,
    /// The reason in words.
    pub text: String,
}

impl NotTakingReason {
    /// The reason of the one rule, in Chinese (the language of reasons).
    pub fn of(why: NotTaking) -> NotTakingReason {
        NotTakingReason {
            code: why.code().to_string(),
            text: crate::messages::registry::not_taking(why).get(crate::messages::Lang::Zh).to_string(),
        }
    }
}

/// Whether a posting takes applications today, by the one definition
/// (`rules::taking_applications`), and if not why.
pub fn availability(
    status: &str,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
    headcount: i32,
    hired: i64,
    today: NaiveDate,
) -> Option<NotTakingReason> {
    let terms =
        PostingTerms { status: status.parse().unwrap_or(PostingStatus::Closed), opens_on, closes_on, headcount };
    rules::taking_applications(&terms, hired, today).err().map(NotTakingReason::of)
}

/// What a search hit shows of a posting: its public fields only.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PostingSummary {
    /// Id.
    pub id: i64,
    /// Employer.
    pub employer_id: i64,
    /// Employer's name.
    pub employer_name: String,
    /// 岗位名称.
    pub title: String,
    /// Occupation as written.
    pub occupation: Option<String>,
    /// The vocabulary's occupation it falls under, e.g. 厨师.
    pub occupation_group: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Positions offered.
    pub headcount: i32,
    /// CNY a month.
    pub salary_min: Option<i32>,
    /// CNY a month.
    pub salary_max: Option<i32>,
    /// Where the work is.
    pub region_code: String,
    /// Its full name.
    pub region_name: Option<String>,
    /// The employer's region.
    pub employer_region_code: String,
    /// Minimum age.
    pub min_age: Option<i32>,
    /// Maximum age.
    pub max_age: Option<i32>,
    /// `any`, `male`, `female`.
    pub gender_requirement: String,
    /// Minimum education.
    pub education_min: Option<String>,
    /// housing, meals, transport, insurance.
    pub benefits: Vec<String>,
    /// `open` or `closed`.
    pub status: String,
    /// Opens on.
    pub opens_on: Option<NaiveDate>,
    /// Closes on.
    pub closes_on: Option<NaiveDate>,
    /// The job fair it came with.
    pub job_fair_id: Option<i64>,
    /// Places filled by placements.
    #[serde(default)]
    pub hired: i64,
    /// Whether it takes applications today: open, between `opens_on` and
    /// `closes_on` where set, with places left.
    #[serde(default)]
    pub taking_applications: bool,
    /// Why it does not, when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_taking: Option<NotTakingReason>,
}

impl PostingSummary {
    /// The public view of a posting row, with its vocabulary occupation.
    pub fn of(vocab: &Vocabulary, d: &PostingDoc) -> PostingSummary {
        let p = &d.posting.data;
        let group =
            vocab.occupation_in(p.occupation.as_deref().unwrap_or_default()).or_else(|| vocab.occupation_in(&p.title));
        PostingSummary {
            id: d.posting.id.get(),
            employer_id: p.employer_id.get(),
            employer_name: d.employer_name.clone(),
            title: p.title.clone(),
            occupation: p.occupation.clone(),
            occupation_group: group.map(|o| o.name.clone()),
            description: p.description.clone(),
            headcount: p.headcount,
            salary_min: p.salary_min,
            salary_max: p.salary_max,
            region_code: p.region_code.clone(),
            region_name: crate::domain::region::region_full_name(&p.region_code),
            employer_region_code: d.employer_region.clone(),
            min_age: p.min_age,
            max_age: p.max_age,
            gender_requirement: p.gender_requirement.as_str().to_string(),
            education_min: p.education_min.map(|e| e.as_str().to_string()),
            benefits: p.benefits.items().iter().map(|b| b.as_str().to_string()).collect(),
            status: p.status.as_str().to_string(),
            opens_on: p.opens_on,
            closes_on: p.closes_on,
            job_fair_id: p.job_fair_id.map(|f| f.get()),
            hired: d.hired,
            taking_applications: false,
            not_taking: None,
        }
    }

    /// Fills in whether it takes applications on `today`.
    pub fn on(mut self, today: NaiveDate) -> PostingSummary {
        self.not_taking = availability(&self.status, self.opens_on, self.closes_on, self.headcount, self.hired, today);
        self.taking_applications = self.not_taking.is_none();
        self
    }
}

//! Creating, changing and deleting postings (indexed for search).

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, referenced, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::employer::EmployerRow;
use crate::db::models::job_fair::JobFairRow;
use crate::db::models::posting::{self as model, PostingData, PostingRow};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{
    region_by_code_or_name, Benefit, Education, EmployerId, GenderRequirement, JobFairId, PostingId, PostingStatus,
};
use crate::error::{AppError, Errors};
use crate::messages::registry as msg;
use crate::messages::Thing;

/// What is typed to create a posting.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
// validator takes several struct-level rules as repeated `schema(…)` entries.
#[allow(clippy::duplicated_attributes)]
#[validate(
    schema(function = "salary_in_order", skip_on_field_errors = false),
    schema(function = "ages_in_order", skip_on_field_errors = false),
    schema(function = "dates_in_order", skip_on_field_errors = false)
)]
pub struct NewPosting {
    /// The employer offering it.
    #[validate(required)]
    #[schema(value_type = Option<i64>, example = 1)]
    pub employer_id: Option<EmployerId>,
    /// 岗位名称.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "粤菜厨师")]
    pub title: Option<String>,
    /// Occupation, e.g. 中式烹调师.
    #[validate(length(max = 50))]
    #[schema(example = "中式烹调师")]
    pub occupation: Option<String>,
    /// Description.
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    /// Positions offered, 1–100000.
    #[validate(required, range(min = 1, max = 100_000))]
    #[schema(example = 5)]
    pub headcount: Option<i32>,
    /// CNY a month.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(example = 4500)]
    pub salary_min: Option<i32>,
    /// CNY a month.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(example = 7000)]
    pub salary_max: Option<i32>,
    /// Where the work is.
    #[validate(required, custom(function = "checks::region_code"))]
    #[schema(example = "440704")]
    pub region_code: Option<String>,
    /// Minimum age, 16–80.
    #[validate(range(min = 16, max = 80))]
    pub min_age: Option<i32>,
    /// Maximum age, 16–80.
    #[validate(range(min = 16, max = 80))]
    pub max_age: Option<i32>,
    /// `any` (default), `male` or `female`.
    #[validate(custom(function = "checks::choice::<GenderRequirement>"))]
    #[schema(example = "any")]
    pub gender_requirement: Option<String>,
    /// Minimum education.
    #[validate(custom(function = "checks::choice::<Education>"))]
    pub education_min: Option<String>,
    /// Subset of housing, meals, transport, insurance.
    #[validate(custom(function = "checks::choices::<Benefit>"))]
    pub benefits: Option<Vec<String>>,
    /// `open` (default) or `closed`.
    #[validate(custom(function = "checks::choice::<PostingStatus>"))]
    #[schema(example = "open")]
    pub status: Option<String>,
    /// First day of applications.
    pub opens_on: Option<NaiveDate>,
    /// Last day of applications.
    pub closes_on: Option<NaiveDate>,
    /// The job fair the employer brings it to.
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<JobFairId>,
}

fn salary_in_order(p: &NewPosting) -> Result<(), validator::ValidationError> {
    checks::in_order("salary_min", p.salary_min, "salary_max", p.salary_max, false)
}

fn ages_in_order(p: &NewPosting) -> Result<(), validator::ValidationError> {
    checks::in_order("min_age", p.min_age, "max_age", p.max_age, false)
}

fn dates_in_order(p: &NewPosting) -> Result<(), validator::ValidationError> {
    checks::in_order("opens_on", p.opens_on, "closes_on", p.closes_on, true)
}

/// A change to a posting (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// The employer offering it.
    #[serde(default, deserialize_with = "forms::present")]
    #[schema(value_type = Option<i64>)]
    pub employer_id: Option<EmployerId>,
    /// 岗位名称.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub title: Option<String>,
    /// Occupation.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub occupation: Option<Option<String>>,
    /// Description.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 5000))]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Positions offered.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(range(min = 1, max = 100_000))]
    pub headcount: Option<i32>,
    /// CNY a month.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(value_type = Option<i32>)]
    pub salary_min: Option<Option<i32>>,
    /// CNY a month.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(value_type = Option<i32>)]
    pub salary_max: Option<Option<i32>>,
    /// Where the work is.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::region_code"))]
    pub region_code: Option<String>,
    /// Minimum age.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(range(min = 16, max = 80))]
    #[schema(value_type = Option<i32>)]
    pub min_age: Option<Option<i32>>,
    /// Maximum age.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(range(min = 16, max = 80))]
    #[schema(value_type = Option<i32>)]
    pub max_age: Option<Option<i32>>,
    /// `any`, `male` or `female`.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<GenderRequirement>"))]
    pub gender_requirement: Option<String>,
    /// Minimum education.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::choice::<Education>"))]
    #[schema(value_type = Option<String>)]
    pub education_min: Option<Option<String>>,
    /// Benefits.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choices::<Benefit>"))]
    pub benefits: Option<Vec<String>>,
    /// `open` or `closed`.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<PostingStatus>"))]
    pub status: Option<String>,
    /// First day of applications.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub opens_on: Option<Option<NaiveDate>>,
    /// Last day of applications.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub closes_on: Option<Option<NaiveDate>>,
    /// The job fair.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<i64>)]
    pub job_fair_id: Option<Option<JobFairId>>,
}

/// Creates a posting of a registered employer. Audited and indexed.
pub fn create(c: &mut DbConnection, actor: &Actor, form: NewPosting) -> Result<PostingRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Posting);
    let d = parse_new(form)?;
    check_new(c, &d)?;
    let row = model::insert(c, &d)?;
    record_created(c, actor, kinds::POSTING, row.id.get(), &row)?;
    Ok(row)
}

/// The typed posting a validated form describes.
pub fn parse_new(form: NewPosting) -> Result<PostingData, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Posting);
    let mut e = checks::collect(&form);
    let region = form.region_code.as_deref().and_then(|r| e.check("region_code", region_by_code_or_name(r)));
    let gender = match form.gender_requirement {
        Some(g) => e.check("gender_requirement", g.parse()),
        None => Some(GenderRequirement::Any),
    };
    let status = match form.status {
        Some(s) => e.check("status", s.parse()),
        None => Some(PostingStatus::Open),
    };
    let education_min = forms::text(form.education_min).and_then(|s| e.check("education_min", s.parse()));
    let benefits = benefits_of(&mut e, form.benefits.unwrap_or_default());
    e.finish()?;
    let (Some(region), Some(gender), Some(status)) = (region, gender, status) else {
        return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error")));
    };
    Ok(PostingData {
        employer_id: forms::required("employer_id", form.employer_id)?,
        title: forms::text(form.title).unwrap_or_default(),
        occupation: forms::text(form.occupation),
        description: forms::text(form.description),
        headcount: forms::required("headcount", form.headcount)?,
        salary_min: form.salary_min,
        salary_max: form.salary_max,
        region_code: region.as_str().to_string(),
        min_age: form.min_age,
        max_age: form.max_age,
        gender_requirement: gender,
        education_min,
        benefits: JsonList(benefits),
        status,
        opens_on: form.opens_on,
        closes_on: form.closes_on,
        job_fair_id: form.job_fair_id,
    })
}

/// The rules a new posting must meet against the registry: its employer
/// and fair exist (422 naming the field).
pub fn check_new(c: &mut DbConnection, d: &PostingData) -> Result<(), AppError> {
    referenced::<EmployerRow>(c, Thing::Employer, "employer_id", d.employer_id)?;
    if let Some(fair) = d.job_fair_id {
        referenced::<JobFairRow>(c, Thing::JobFair, "job_fair_id", fair)?;
    }
    Ok(())
}

fn benefits_of(e: &mut Errors, list: Vec<String>) -> Vec<Benefit> {
    let mut out: Vec<Benefit> = Vec::new();
    for (i, b) in list.iter().enumerate() {
        if let Some(b) = e.check(&format!("benefits[{i}]"), b.parse()) {
            if !out.contains(&b) {
                out.push(b);
            }
        }
    }
    out
}

/// The rules across fields on a posting as it would be saved (a change
/// may move one end of a range past the stored other end).
fn check_ranges(e: &mut Errors, d: &PostingData) {
    let checks = [
        checks::in_order("salary_min", d.salary_min, "salary_max", d.salary_max, false),
        checks::in_order("min_age", d.min_age, "max_age", d.max_age, false),
        checks::in_order("opens_on", d.opens_on, "closes_on", d.closes_on, true),
    ];
    for failed in checks.into_iter().filter_map(Result::err) {
        let field = failed.params.get("field").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let en = failed.params.get("en").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let zh = failed.message.clone().unwrap_or_default().to_string();
        e.push(&field, &failed.code, crate::messages::Text::new(zh, en));
    }
}

/// Changes a posting, version-checked. Audited and re-indexed.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: PostingId,
    form: PostingChanges,
) -> Result<PostingRow, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Posting);
    let mut e = checks::collect(&form);
    let before: PostingRow = load(c, kinds::POSTING, id)?;
    let mut d = before.data.clone();
    forms::apply(&mut d.employer_id, form.employer_id);
    if let Some(t) = form.title {
        d.title = forms::text(Some(t)).unwrap_or_default();
    }
    forms::apply(&mut d.occupation, form.occupation.map(forms::text));
    forms::apply(&mut d.description, form.description.map(forms::text));
    forms::apply(&mut d.headcount, form.headcount);
    forms::apply(&mut d.salary_min, form.salary_min);
    forms::apply(&mut d.salary_max, form.salary_max);
    if let Some(r) = form.region_code {
        if let Some(r) = e.check("region_code", region_by_code_or_name(&r)) {
            d.region_code = r.as_str().to_string();
        }
    }
    forms::apply(&mut d.min_age, form.min_age);
    forms::apply(&mut d.max_age, form.max_age);
    if let Some(g) = form.gender_requirement {
        forms::apply(&mut d.gender_requirement, e.check("gender_requirement", g.parse()));
    }
    if let Some(ed) = form.education_min {
        d.education_min = forms::text(ed).and_then(|s| e.check("education_min", s.parse()));
    }
    if let Some(b) = form.benefits {
        d.benefits = JsonList(benefits_of(&mut e, b));
    }
    if let Some(s) = form.status {
        forms::apply(&mut d.status, e.check("status", s.parse()));
    }
    forms::apply(&mut d.opens_on, form.opens_on);
    forms::apply(&mut d.closes_on, form.closes_on);
    forms::apply(&mut d.job_fair_id, form.job_fair_id);
    check_ranges(&mut e, &d);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if d.employer_id != before.data.employer_id {
        referenced::<EmployerRow>(c, Thing::Employer, "employer_id", d.employer_id)?;
    }
    if let Some(fair) = d.job_fair_id.filter(|f| Some(*f) != before.data.job_fair_id) {
        referenced::<JobFairRow>(c, Thing::JobFair, "job_fair_id", fair)?;
    }
    // Fewer places than people already hired through it (1 place, 2 hired
    // was saved, and the page said 1个名额已招满 beside 已录用 2).
    if d.headcount < before.data.headcount {
        let hired = model::hires(c, id)?;
        if i64::from(d.headcount) < hired {
            return Err(AppError::invalid("headcount", "below_hired", msg::headcount_below_hired(hired)));
        }
    }
    replace(c, actor, kinds::POSTING, &before, version, &d)
}

/// Deletes a posting no placement fills (otherwise: close it).
pub fn delete(c: &mut DbConnection, actor: &Actor, id: PostingId) -> Result<(), AppError> {
    let before: PostingRow = load(c, kinds::POSTING, id)?;
    let hires = model::hires(c, id)?;
    let refs = if hires > 0 { vec![(Thing::Placement, hires)] } else { Vec::new() };
    remove(c, actor, kinds::POSTING, &before, &refs)
}

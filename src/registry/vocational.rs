//! Poor students at vocational schools (到东部就读职业学校贫困学生).

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, referenced, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::labourer::LabourerRow;
use crate::db::models::vocational::{self as model, VocationalData, VocationalRow};
use crate::db::DbConnection;
use crate::domain::{region_by_code_or_name, LabourerId, StudyStatus};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::{general, registry as msg, Thing};

/// What is typed to record a study.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVocational {
    /// The student.
    #[validate(required)]
    #[schema(value_type = Option<i64>)]
    pub labourer_id: Option<LabourerId>,
    /// 学校名称.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "江门市技师学院")]
    pub school_name: Option<String>,
    /// Where the school is.
    #[validate(required, custom(function = "checks::region_code"))]
    #[schema(example = "440703")]
    pub school_region_code: Option<String>,
    /// 专业.
    #[validate(length(max = 50))]
    pub major: Option<String>,
    /// 入学时间.
    #[validate(required)]
    pub enrolled_on: Option<NaiveDate>,
    /// `studying` (default), `graduated` or `left`.
    #[validate(custom(function = "checks::choice::<StudyStatus>"))]
    pub status: Option<String>,
    /// 毕业时间 (with `graduated`).
    pub graduated_on: Option<NaiveDate>,
    /// 离校时间 (with `left`).
    pub left_on: Option<NaiveDate>,
}

/// A change to a study (PATCH). The student cannot change.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VocationalChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// Refused: a study cannot move to another student.
    #[schema(ignore)]
    pub labourer_id: Option<serde_json::Value>,
    /// 学校名称.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub school_name: Option<String>,
    /// Where the school is.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::region_code"))]
    pub school_region_code: Option<String>,
    /// 专业.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub major: Option<Option<String>>,
    /// 入学时间.
    #[serde(default, deserialize_with = "forms::present")]
    pub enrolled_on: Option<NaiveDate>,
    /// Status.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<StudyStatus>"))]
    pub status: Option<String>,
    /// 毕业时间.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub graduated_on: Option<Option<NaiveDate>>,
    /// 离校时间.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub left_on: Option<Option<NaiveDate>>,
}

/// The typed study a validated form describes.
pub fn parse_new(form: NewVocational) -> Result<VocationalData, AppError> {
    let mut e = checks::collect(&form);
    let region =
        form.school_region_code.as_deref().and_then(|r| e.check("school_region_code", region_by_code_or_name(r)));
    let status = match form.status {
        Some(s) => e.check("status", s.parse()),
        None => Some(StudyStatus::Studying),
    };
    e.finish()?;
    let (Some(region), Some(status)) = (region, status) else {
        return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error")));
    };
    Ok(VocationalData {
        labourer_id: forms::required("labourer_id", form.labourer_id)?,
        school_name: forms::text(form.school_name).unwrap_or_default(),
        school_region_code: region.as_str().to_string(),
        major: forms::text(form.major),
        enrolled_on: forms::required("enrolled_on", form.enrolled_on)?,
        status,
        graduated_on: form.graduated_on,
        left_on: form.left_on,
    })
}

/// The rules a new study must meet: dates in order and fitting the status,
/// the person on file, one current school at a time (409 naming it).
pub fn check_new(c: &mut DbConnection, d: &VocationalData) -> Result<(), AppError> {
    check_whole(d)?;
    let person = referenced::<LabourerRow>(c, Thing::Labourer, "labourer_id", d.labourer_id)?;
    let mut e = crate::error::Errors::default();
    super::birth::check_record_date(&mut e, "enrolled_on", d.enrolled_on, person.data.birth_date);
    e.finish()?;
    one_at_a_time(c, d, None)
}

/// The dates must follow the enrolment and fit the status: 毕业时间 only
/// with `graduated` (and then required), 离校时间 only with `left` (and
/// then required). A study 在读 with a graduation day was shown as 在读 in
/// vocational-students-east and as graduated in graduates-employed.
fn check_whole(d: &VocationalData) -> Result<(), AppError> {
    let mut e = Errors::default();
    for (field, date, status) in
        [("graduated_on", d.graduated_on, StudyStatus::Graduated), ("left_on", d.left_on, StudyStatus::Left)]
    {
        if date.is_some_and(|x| x < d.enrolled_on) {
            e.push(field, "date_order", general::date_order(field, "enrolled_on"));
        }
        if date.is_some() && d.status != status {
            e.push(field, "status", msg::date_not_for_status(field));
        }
    }
    match d.status {
        StudyStatus::Graduated if d.graduated_on.is_none() => {
            e.push("graduated_on", "required", msg::date_for_status("graduated_on"))
        }
        StudyStatus::Left if d.left_on.is_none() => e.push("left_on", "required", msg::date_for_status("left_on")),
        _ => {}
    }
    e.finish()
}

/// One school at a time: a second current study is a 409 naming the first.
fn one_at_a_time(c: &mut DbConnection, d: &VocationalData, except: Option<i64>) -> Result<(), AppError> {
    if d.status != StudyStatus::Studying {
        return Ok(());
    }
    if let Some(other) = model::studying(c, d.labourer_id, except)? {
        return Err(AppError::Conflict {
            detail: msg::already_studying(other),
            errors: vec![FieldError::new("status", "already_studying", msg::already_studying(other))],
            existing_id: Some(other),
        });
    }
    Ok(())
}

/// Records a study.
pub fn create(c: &mut DbConnection, actor: &Actor, form: NewVocational) -> Result<VocationalRow, AppError> {
    let d = parse_new(form)?;
    insert_checked(c, actor, &d)
}

/// Checks a study against the registry and inserts it, audited.
pub(crate) fn insert_checked(
    c: &mut DbConnection,
    actor: &Actor,
    d: &VocationalData,
) -> Result<VocationalRow, AppError> {
    check_new(c, d)?;
    let row = model::insert(c, d)?;
    record_created(c, actor, kinds::VOCATIONAL, row.id, &row)?;
    Ok(row)
}

/// Changes a study, version-checked.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    form: VocationalChanges,
) -> Result<VocationalRow, AppError> {
    if form.labourer_id.is_some() {
        return Err(AppError::invalid("labourer_id", "immutable", general::immutable("labourer_id")));
    }
    let mut e = checks::collect(&form);
    let before: VocationalRow = load(c, kinds::VOCATIONAL, id)?;
    let mut d = before.data.clone();
    if let Some(n) = form.school_name {
        d.school_name = forms::text(Some(n)).unwrap_or_default();
    }
    if let Some(r) = form.school_region_code {
        if let Some(r) = e.check("school_region_code", region_by_code_or_name(&r)) {
            d.school_region_code = r.as_str().to_string();
        }
    }
    forms::apply(&mut d.major, form.major.map(forms::text));
    forms::apply(&mut d.enrolled_on, form.enrolled_on);
    if let Some(s) = form.status {
        forms::apply(&mut d.status, e.check("status", s.parse()));
    }
    forms::apply(&mut d.graduated_on, form.graduated_on);
    forms::apply(&mut d.left_on, form.left_on);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    check_whole(&d)?;
    if before.version != version {
        return Err(AppError::stale(before.version));
    }
    let person = referenced::<LabourerRow>(c, Thing::Labourer, "labourer_id", d.labourer_id)?;
    let mut e = crate::error::Errors::default();
    super::birth::check_record_date(&mut e, "enrolled_on", d.enrolled_on, person.data.birth_date);
    e.finish()?;
    one_at_a_time(c, &d, Some(id))?;
    replace(c, actor, kinds::VOCATIONAL, &before, version, &d)
}

/// Deletes a study recorded in error.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let before: VocationalRow = load(c, kinds::VOCATIONAL, id)?;
    remove(c, actor, kinds::VOCATIONAL, &before, &[])
}

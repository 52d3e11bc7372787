//! Registering, changing and deleting labourers: the one place a person
//! enters the registry, whether typed at the desk, sent to the API, checked
//! in at a fair's door or read from a roster.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, remove, replace};
use crate::clock;
use crate::db::models::audit::Actor;
use crate::db::models::labourer::{self as model, LabourerData, LabourerRow};
use crate::db::types::JsonList;
use crate::db::DbConnection;
use crate::domain::{
    codes, normalise, region_by_code_or_name, Education, IdNumber, LabourerId, Phone, PovertyStatus, RegionCode,
};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::identity as msg;
use crate::messages::Thing;

/// What is typed to register a person (DESIGN §4). `gender` and
/// `birth_date` come from the ID number and may not be sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLabourer {
    /// 身份证号, 18 characters (GB 11643); full-width digits and a lower-case x are fine.
    #[validate(required, custom(function = "checks::id_number"))]
    #[schema(example = "45142419900307123X")]
    pub id_number: Option<String>,
    /// 姓名, at most 50 characters.
    #[validate(required, custom(function = "checks::person_name"))]
    #[schema(example = "农秀英")]
    pub name: Option<String>,
    /// Mobile phone (`+86`, spaces and hyphens are fine).
    #[validate(custom(function = "checks::phone"))]
    #[schema(example = "13800138000")]
    pub phone: Option<String>,
    /// 户籍地 county code; defaults to the ID number's (an old code counts
    /// as its successor; a split one must be given here).
    #[validate(custom(function = "checks::region_code"))]
    #[schema(example = "451424")]
    pub hukou_region_code: Option<String>,
    /// 乡镇.
    #[validate(length(max = 50))]
    #[schema(example = "硕龙镇")]
    pub hukou_township: Option<String>,
    /// 村.
    #[validate(length(max = 50))]
    #[schema(example = "义宁村")]
    pub hukou_village: Option<String>,
    /// 贫困户属性; defaults to `unverified` until a clerk confirms.
    #[validate(custom(function = "checks::choice::<PovertyStatus>"))]
    #[schema(example = "registered_poor")]
    pub poverty_status: Option<String>,
    /// 户编号 of the poverty registration.
    #[validate(length(max = 50))]
    pub household_no: Option<String>,
    /// 文化程度.
    #[validate(custom(function = "checks::choice::<Education>"))]
    #[schema(example = "junior_high")]
    pub education: Option<String>,
    /// Skills, at most 50.
    #[validate(length(max = 50))]
    pub skills: Option<Vec<String>>,
    /// Occupations wanted, at most 50.
    #[validate(length(max = 50))]
    pub desired_occupations: Option<Vec<String>>,
    /// Region codes wanted, at most 50.
    #[validate(length(max = 50), custom(function = "checks::region_codes"))]
    pub desired_region_codes: Option<Vec<String>>,
    /// Available from.
    pub available_from: Option<NaiveDate>,
    /// Notes.
    #[validate(length(max = 2000))]
    pub notes: Option<String>,
    /// Derived from the ID number: refused.
    #[schema(ignore)]
    #[serde(skip_serializing)]
    #[validate(custom(function = "checks::derived"))]
    pub gender: Option<serde_json::Value>,
    /// Derived from the ID number: refused.
    #[schema(ignore)]
    #[serde(skip_serializing)]
    #[validate(custom(function = "checks::derived"))]
    pub birth_date: Option<serde_json::Value>,
}

/// A change to a person's record (PATCH): a key left out stays, `null`
/// clears, a value sets. `version` is the one read.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabourerChanges {
    /// The version read; a stale one is 409.
    #[validate(required)]
    pub version: Option<i32>,
    /// A mistyped ID number, corrected (gender and birth date follow it).
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::id_number"))]
    pub id_number: Option<String>,
    /// 姓名.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::person_name"))]
    pub name: Option<String>,
    /// Mobile phone.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::phone"))]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// 户籍地 county code.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::region_code"))]
    #[schema(value_type = Option<String>)]
    pub hukou_region_code: Option<Option<String>>,
    /// 乡镇.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub hukou_township: Option<Option<String>>,
    /// 村.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub hukou_village: Option<Option<String>>,
    /// 贫困户属性.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::choice::<PovertyStatus>"))]
    pub poverty_status: Option<String>,
    /// 户编号.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub household_no: Option<Option<String>>,
    /// 文化程度.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::choice::<Education>"))]
    #[schema(value_type = Option<String>)]
    pub education: Option<Option<String>>,
    /// Skills.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 50))]
    pub skills: Option<Vec<String>>,
    /// Occupations wanted.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 50))]
    pub desired_occupations: Option<Vec<String>>,
    /// Region codes wanted.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 50), custom(function = "checks::region_codes"))]
    pub desired_region_codes: Option<Vec<String>>,
    /// Available from.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub available_from: Option<Option<NaiveDate>>,
    /// Notes.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 2000))]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// Derived from the ID number: refused.
    #[schema(ignore)]
    #[validate(custom(function = "checks::derived"))]
    pub gender: Option<serde_json::Value>,
    /// Derived from the ID number: refused.
    #[schema(ignore)]
    #[validate(custom(function = "checks::derived"))]
    pub birth_date: Option<serde_json::Value>,
}

/// The fields a trainee may change on their own record (their job search).
pub const TRAINEE_FIELDS: &[&str] =
    &["phone", "education", "skills", "desired_occupations", "desired_region_codes", "available_from", "version"];

/// A new record and the people it may duplicate.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The record as stored.
    pub row: LabourerRow,
    /// Others with the same name and birth date but another ID number.
    pub possible_duplicates: Vec<LabourerId>,
    /// Remarks about accepted input (see [`hukou_unknown`]).
    pub warnings: Vec<FieldError>,
}

/// The remark on a record whose ID number begins with no region code
/// known now or before (GB/T 2260 and its history), so that no 户籍地 was
/// taken from it: the person counts in no county's ledger until one is
/// given, and the number may be mistyped. `None` when a 户籍地 is on
/// record or the code is known.
pub fn hukou_unknown(data: &LabourerData) -> Option<FieldError> {
    if data.hukou_region_code.is_some() {
        return None;
    }
    let code = data.id_number.region_code();
    match RegionCode::parse(code) {
        Err(e) if e.code == codes::UNKNOWN_REGION => {
            Some(FieldError::new("id_number", codes::UNKNOWN_REGION, msg::id_region_unknown(code)))
        }
        _ => None,
    }
}

/// Registers a person (DESIGN §4): the ID number is unique (409 naming the
/// existing record), gender and birth date come from it, and the 户籍地
/// defaults to its region — an old code as its successor, a split one
/// asked for. Audited and queued for the search index.
pub fn register(c: &mut DbConnection, actor: &Actor, form: NewLabourer) -> Result<Registered, AppError> {
    let data = parse_new(form)?;
    if let Some(existing) = model::id_by_id_number(c, &data.id_number)? {
        return Err(AppError::duplicate(Thing::Labourer, "id_number", existing.get()));
    }
    let row = match super::insert_unless_taken(c, |c| model::insert(c, &data))? {
        Some(row) => row,
        // Registered by someone else between our check and our insert.
        None => {
            let existing = model::id_by_id_number(c, &data.id_number)?.ok_or(AppError::NotFound(Thing::Labourer))?;
            return Err(AppError::duplicate(Thing::Labourer, "id_number", existing.get()));
        }
    };
    let possible_duplicates = model::twins(c, &row.data.name, row.data.birth_date, &row.data.id_number)?;
    record_created(c, actor, kinds::LABOURER, row.id.get(), &row)?;
    let warnings = hukou_unknown(&row.data).into_iter().collect();
    Ok(Registered { row, possible_duplicates, warnings })
}

/// Registers many people in multi-row statements, each audited and queued
/// for the search index: the bulk form of [`register`] for imports, whose
/// rows were parsed with [`parse_new`] and checked against the registry
/// already. A number registered meanwhile fails the whole call (the
/// database's unique key), so the caller's transaction rolls back.
pub fn register_many(c: &mut DbConnection, actor: &Actor, rows: Vec<LabourerData>) -> Result<usize, AppError> {
    let stored = model::insert_many_returning(c, rows)?;
    let records: Vec<(i64, &LabourerRow)> = stored.iter().map(|r| (r.id.get(), r)).collect();
    crate::db::models::audit::record_many(c, actor, "create", kinds::LABOURER.audit_name, &records)?;
    if let Some(resource) = kinds::LABOURER.indexed {
        let ids: Vec<i64> = records.iter().map(|(id, _)| *id).collect();
        crate::db::models::outbox::append_many(c, resource, &ids, crate::db::models::outbox::Op::Upsert)?;
    }
    Ok(stored.len())
}

/// The typed record a validated form describes.
pub fn parse_new(form: NewLabourer) -> Result<LabourerData, AppError> {
    let mut e = checks::collect(&form);
    let id = form.id_number.as_deref().and_then(|s| e.check("id_number", IdNumber::parse(s, clock::today())));
    let hukou = match (&id, form.hukou_region_code.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (_, Some(given)) => {
            e.check("hukou_region_code", RegionCode::parse_county(given)).map(|r| r.as_str().to_string())
        }
        (Some(id), None) => hukou_of_id(&mut e, id),
        (None, None) => None,
    };
    let phone = match forms::text(form.phone) {
        Some(p) => e.check("phone", Phone::parse(&p)).map(|p| p.as_str().to_string()),
        None => None,
    };
    let poverty_status = match form.poverty_status {
        Some(s) => e.check("poverty_status", s.parse::<PovertyStatus>()),
        None => Some(PovertyStatus::Unverified),
    };
    let education = match forms::text(form.education) {
        Some(s) => e.check("education", s.parse::<Education>()),
        None => None,
    };
    let regions = region_list(&mut e, form.desired_region_codes);
    e.finish()?;
    let (Some(id), Some(poverty_status)) = (id, poverty_status) else {
        return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error")));
    };
    Ok(LabourerData {
        gender: id.gender(),
        birth_date: id.birth_date(),
        id_number: id,
        name: normalise::name(&forms::required("name", form.name)?),
        phone,
        hukou_region_code: hukou,
        hukou_township: forms::text(form.hukou_township),
        hukou_village: forms::text(form.hukou_village),
        poverty_status,
        household_no: forms::text(form.household_no),
        education,
        skills: JsonList(forms::texts(form.skills)),
        desired_occupations: JsonList(forms::texts(form.desired_occupations)),
        desired_region_codes: JsonList(regions),
        available_from: form.available_from,
        notes: forms::text(form.notes),
    })
}

/// The 户籍地 county of an ID number's region of issue: its current code,
/// or the successor of an old one; a split code is a 422 asking for the
/// county; a code in neither table leaves it unknown.
fn hukou_of_id(e: &mut Errors, id: &IdNumber) -> Option<String> {
    match RegionCode::parse(id.region_code()) {
        Ok(r) => Some(r.as_str().to_string()),
        Err(err) if err.code == codes::SPLIT_REGION => {
            e.check::<()>("hukou_region_code", Err(err));
            None
        }
        Err(_) => None,
    }
}

fn region_list(e: &mut Errors, list: Option<Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, raw) in forms::texts(list).iter().enumerate() {
        if let Some(r) = e.check(&format!("desired_region_codes[{i}]"), region_by_code_or_name(raw)) {
            out.push(r.as_str().to_string());
        }
    }
    out
}

/// Applies a change to a person's record, version-checked; a corrected ID
/// number must still be unique. Audited and re-indexed.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: LabourerId,
    form: LabourerChanges,
) -> Result<LabourerRow, AppError> {
    let mut e = checks::collect(&form);
    let before: LabourerRow = load(c, kinds::LABOURER, id)?;
    let mut d = before.data.clone();
    if let Some(raw) = form.id_number {
        if let Some(new) = e.check("id_number", IdNumber::parse(&raw, clock::today())) {
            if new != d.id_number {
                if let Some(existing) = model::id_by_id_number(c, &new)? {
                    return Err(AppError::duplicate(Thing::Labourer, "id_number", existing.get()));
                }
                // The birth date moves with the number: not under records on file.
                super::birth::check_new_birth(c, id, new.birth_date())?;
                d.gender = new.gender();
                d.birth_date = new.birth_date();
                d.id_number = new;
            }
        }
    }
    if let Some(name) = form.name {
        d.name = normalise::name(&name);
    }
    if let Some(phone) = form.phone {
        d.phone = match forms::text(phone) {
            Some(p) => e.check("phone", Phone::parse(&p)).map(|p| p.as_str().to_string()),
            None => None,
        };
    }
    if let Some(code) = form.hukou_region_code {
        d.hukou_region_code = match forms::text(code) {
            Some(r) => e.check("hukou_region_code", RegionCode::parse_county(&r)).map(|r| r.as_str().to_string()),
            None => None,
        };
    }
    forms::apply(&mut d.hukou_township, form.hukou_township.map(forms::text));
    forms::apply(&mut d.hukou_village, form.hukou_village.map(forms::text));
    if let Some(s) = form.poverty_status {
        if let Some(p) = e.check("poverty_status", s.parse::<PovertyStatus>()) {
            d.poverty_status = p;
        }
    }
    forms::apply(&mut d.household_no, form.household_no.map(forms::text));
    if let Some(ed) = form.education {
        d.education = match forms::text(ed) {
            Some(s) => e.check("education", s.parse::<Education>()),
            None => None,
        };
    }
    if let Some(v) = form.skills {
        d.skills = JsonList(forms::texts(Some(v)));
    }
    if let Some(v) = form.desired_occupations {
        d.desired_occupations = JsonList(forms::texts(Some(v)));
    }
    if form.desired_region_codes.is_some() {
        d.desired_region_codes = JsonList(region_list(&mut e, form.desired_region_codes));
    }
    forms::apply(&mut d.available_from, form.available_from);
    forms::apply(&mut d.notes, form.notes.map(forms::text));
    e.finish()?;
    let version = forms::required("version", form.version)?;
    replace(c, actor, kinds::LABOURER, &before, version, &d)
}

/// Deletes a person nothing refers to (409 listing what still does).
pub fn delete(c: &mut DbConnection, actor: &Actor, id: LabourerId) -> Result<(), AppError> {
    let before: LabourerRow = load(c, kinds::LABOURER, id)?;
    let refs = model::references(c, id)?;
    remove(c, actor, kinds::LABOURER, &before, &refs)
}

//! Registering, changing and deleting employers.

use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{checks, forms, kinds, load, record_created, remove, replace};
use crate::db::models::audit::Actor;
use crate::db::models::employer::{self as model, EmployerData, EmployerRow};
use crate::db::models::outbox::{self, Op};
use crate::db::DbConnection;
use crate::domain::{normalise, region_by_code_or_name, DomainWarning, EmployerId, Phone, Uscc};
use crate::error::{AppError, Errors, FieldError};
use crate::messages::registry as msg;
use crate::messages::Thing;

/// What is typed to register an employer.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployer {
    /// 单位名称.
    #[validate(required, length(max = 100), custom(function = "checks::not_blank"))]
    #[schema(example = "江门市江海区新能电子有限公司")]
    pub name: Option<String>,
    /// 统一社会信用代码 (optional; a wrong check character is accepted with a warning).
    #[validate(custom(function = "checks::uscc"))]
    #[schema(example = "91440704MA4UJ5X3AL")]
    pub uscc: Option<String>,
    /// Where it is.
    #[validate(required, custom(function = "checks::region_code"))]
    #[schema(example = "440704")]
    pub region_code: Option<String>,
    /// Address.
    #[validate(length(max = 200))]
    pub address: Option<String>,
    /// Industry.
    #[validate(length(max = 50))]
    pub industry: Option<String>,
    /// Contact person.
    #[validate(length(max = 50))]
    pub contact_name: Option<String>,
    /// Contact phone (a mobile number, or a landline of at most 30 characters).
    #[validate(custom(function = "checks::contact_phone"))]
    pub contact_phone: Option<String>,
    /// 扶贫车间.
    pub is_poverty_workshop: Option<bool>,
}

/// A change to an employer (PATCH).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerChanges {
    /// The version read.
    #[validate(required)]
    pub version: Option<i32>,
    /// 单位名称.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(length(max = 100), custom(function = "checks::not_blank"))]
    pub name: Option<String>,
    /// 统一社会信用代码.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::uscc"))]
    #[schema(value_type = Option<String>)]
    pub uscc: Option<Option<String>>,
    /// Where it is.
    #[serde(default, deserialize_with = "forms::present")]
    #[validate(custom(function = "checks::region_code"))]
    pub region_code: Option<String>,
    /// Address.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 200))]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    /// Industry.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub industry: Option<Option<String>>,
    /// Contact person.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(length(max = 50))]
    #[schema(value_type = Option<String>)]
    pub contact_name: Option<Option<String>>,
    /// Contact phone.
    #[serde(default, deserialize_with = "forms::nullable")]
    #[validate(custom(function = "checks::contact_phone"))]
    #[schema(value_type = Option<String>)]
    pub contact_phone: Option<Option<String>>,
    /// 扶贫车间.
    #[serde(default, deserialize_with = "forms::present")]
    pub is_poverty_workshop: Option<bool>,
}

/// A record with the remarks its input earned (e.g. a USCC failing its check).
#[derive(Debug, Clone)]
pub struct WithWarnings {
    /// The record as stored.
    pub row: EmployerRow,
    /// Remarks about accepted input.
    pub warnings: Vec<FieldError>,
}

/// Registers an employer; a USCC is unique (409 naming the holder).
pub fn register(c: &mut DbConnection, actor: &Actor, form: NewEmployer) -> Result<WithWarnings, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Employer);
    let (data, mut warnings) = parse_new(form)?;
    check_new(c, &data)?;
    // Names are not unique (two shops of one name), but a second of a name
    // is often the first registered again, and rosters naming it without a
    // USCC then find neither: said, not refused.
    let same = model::with_name(c, &data.name, 4)?;
    if !same.is_empty() {
        let ids: Vec<String> = same.iter().map(|(id, _)| id.get().to_string()).collect();
        warnings.push(FieldError::new("name", "same_name", msg::same_name_employer(&ids)));
    }
    let row = match super::insert_unless_taken(c, |c| model::insert(c, &data))? {
        Some(row) => row,
        None => {
            ensure_uscc_free(c, data.uscc.as_deref(), None)?;
            return Err(AppError::Internal(anyhow::anyhow!("unique key taken but no holder found")));
        }
    };
    record_created(c, actor, kinds::EMPLOYER, row.id.get(), &row)?;
    Ok(WithWarnings { row, warnings })
}

/// The typed employer a validated form describes, and the remarks about
/// accepted input (a USCC whose check character does not add up).
pub fn parse_new(form: NewEmployer) -> Result<(EmployerData, Vec<FieldError>), AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Employer);
    let mut e = checks::collect(&form);
    let mut warnings = Vec::new();
    let uscc = uscc_of(&mut e, &mut warnings, form.uscc);
    let region = form.region_code.as_deref().and_then(|r| e.check("region_code", region_by_code_or_name(r)));
    let phone = contact_phone_of(form.contact_phone);
    e.finish()?;
    let Some(region) = region else { return Err(AppError::Internal(anyhow::anyhow!("a failed check left no error"))) };
    let data = EmployerData {
        name: normalise::text(&forms::required("name", form.name)?),
        uscc,
        region_code: region.as_str().to_string(),
        address: forms::text(form.address),
        industry: forms::text(form.industry),
        contact_name: forms::text(form.contact_name),
        contact_phone: phone,
        is_poverty_workshop: form.is_poverty_workshop.unwrap_or(false),
    };
    Ok((data, warnings))
}

/// The rules a new employer must meet against the registry: its USCC is
/// not already held (409 naming the holder).
pub fn check_new(c: &mut DbConnection, d: &EmployerData) -> Result<(), AppError> {
    ensure_uscc_free(c, d.uscc.as_deref(), None)
}

fn uscc_of(e: &mut Errors, warnings: &mut Vec<FieldError>, raw: Option<String>) -> Option<String> {
    let raw = forms::text(raw)?;
    let (code, warning) = e.check("uscc", Uscc::parse(&raw))?;
    if let Some(DomainWarning { code: wc, message }) = warning {
        warnings.push(FieldError::new("uscc", wc, message));
    }
    Some(code.as_str().to_string())
}

/// A mobile number is stored as its 11 digits; a landline as typed.
fn contact_phone_of(raw: Option<String>) -> Option<String> {
    let raw = forms::text(raw)?;
    Some(Phone::parse(&raw).map(|p| p.as_str().to_string()).unwrap_or(raw))
}

fn ensure_uscc_free(c: &mut DbConnection, uscc: Option<&str>, except: Option<EmployerId>) -> Result<(), AppError> {
    if let Some(code) = uscc {
        match model::id_by_uscc(c, code)? {
            Some(existing) if Some(existing) != except => {
                return Err(AppError::duplicate(Thing::Employer, "uscc", existing.get()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Changes an employer, version-checked. A new name or place re-indexes its
/// postings, whose search views show them.
pub fn change(
    c: &mut DbConnection,
    actor: &Actor,
    id: EmployerId,
    form: EmployerChanges,
) -> Result<WithWarnings, AppError> {
    let _labels = crate::messages::Labels::of(crate::messages::Thing::Employer);
    let mut e = checks::collect(&form);
    let before: EmployerRow = load(c, kinds::EMPLOYER, id)?;
    let mut d = before.data.clone();
    let mut warnings = Vec::new();
    if let Some(name) = form.name {
        d.name = normalise::text(&name);
    }
    if let Some(u) = form.uscc {
        d.uscc = uscc_of(&mut e, &mut warnings, u);
    }
    if let Some(r) = form.region_code {
        if let Some(r) = e.check("region_code", region_by_code_or_name(&r)) {
            d.region_code = r.as_str().to_string();
        }
    }
    forms::apply(&mut d.address, form.address.map(forms::text));
    forms::apply(&mut d.industry, form.industry.map(forms::text));
    forms::apply(&mut d.contact_name, form.contact_name.map(forms::text));
    forms::apply(&mut d.contact_phone, form.contact_phone.map(contact_phone_of));
    forms::apply(&mut d.is_poverty_workshop, form.is_poverty_workshop);
    e.finish()?;
    let version = forms::required("version", form.version)?;
    if d.uscc != before.data.uscc {
        ensure_uscc_free(c, d.uscc.as_deref(), Some(id))?;
    }
    let row = replace(c, actor, kinds::EMPLOYER, &before, version, &d)?;
    if row.data.name != before.data.name || row.data.region_code != before.data.region_code {
        for posting in model::posting_ids(c, id)? {
            outbox::append(c, "posting", posting.get(), Op::Upsert)?;
        }
    }
    Ok(WithWarnings { row, warnings })
}

/// Deletes an employer no posting, placement or fair refers to.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: EmployerId) -> Result<(), AppError> {
    let before: EmployerRow = load(c, kinds::EMPLOYER, id)?;
    let refs = model::references(c, id)?;
    remove(c, actor, kinds::EMPLOYER, &before, &refs)
}

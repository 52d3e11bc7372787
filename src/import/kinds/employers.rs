//! 用工单位名录: employers, matched by USCC, or by exact name when the row
//! has no USCC (DESIGN §8).

use super::{decide, errors_of, form_of, rejected, rejected_with_the_rest, Context, EmployerFound, Prepared};
use crate::db::models::employer::{self as model, EmployerRow};
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::import::draft::Draft;
use crate::import::headers::{col, must, skip, Column};
use crate::messages::imports as msg;
use crate::registry::employers::{check_new, parse_new, NewEmployer};

/// The columns of a list of employers.
pub const COLUMNS: &[Column] = &[
    skip(&["序号", "编号", "备注"]),
    must("name", &["单位名称", "企业名称", "用工单位", "用人单位", "公司名称", "name"]),
    col("uscc", &["统一社会信用代码", "社会信用代码", "信用代码", "uscc"]),
    must("region_code", &["所在地区", "所在地", "单位所在地", "注册地", "地区", "region_code"]),
    col("address", &["详细地址", "地址", "单位地址", "address"]),
    col("industry", &["所属行业", "行业", "industry"]),
    col("contact_name", &["联系人", "contact_name"]),
    col("contact_phone", &["联系电话", "联系方式", "电话", "contact_phone"]),
    col("is_poverty_workshop", &["是否扶贫车间", "扶贫车间", "is_poverty_workshop"]),
];

fn read(d: &mut Draft<'_>, strict: bool) {
    d.text("name");
    d.check_lost_character("name", strict);
    d.text("uscc");
    d.region("region_code");
    d.text("address");
    d.text("industry");
    d.text("contact_name");
    d.text("contact_phone");
    d.yes_no("is_poverty_workshop");
}

/// Reads, checks and decides a chunk, row by row (lists of employers are
/// short).
pub fn prepare(c: &mut DbConnection, ctx: &mut Context, drafts: Vec<Draft<'_>>) -> Result<Vec<Prepared>, AppError> {
    let mut out = Vec::with_capacity(drafts.len());
    for mut d in drafts {
        read(&mut d, ctx.strict);
        let number = d.row.number;
        if !d.errors.is_empty() {
            out.push(rejected_with_the_rest(d, &[], |f: NewEmployer| parse_new(f).map(drop))?);
            continue;
        }
        let form: NewEmployer = match form_of(&d.form) {
            Ok(f) => f,
            Err(errors) => {
                out.push(rejected(number, errors, d.warnings));
                continue;
            }
        };
        let (data, mut warnings) = match parse_new(form) {
            Ok(parsed) => parsed,
            Err(e) => {
                out.push(rejected(number, errors_of(e)?, d.warnings));
                continue;
            }
        };
        warnings.extend(d.warnings);
        // A row without a USCC names its employer by name alone: it repeats
        // any earlier row of that name, and a later row of that name repeats
        // it, code or none. Rows with two different codes are two employers.
        let (name_any, name_bare) = (format!("name:{}", data.name), format!("name-without-uscc:{}", data.name));
        let repeated = match &data.uscc {
            Some(code) => ctx
                .first_with(format!("uscc:{code}"), number)
                .map(|first| ("uscc", first))
                .or_else(|| ctx.seen.get(&name_bare).map(|first| ("name", *first))),
            None => ctx.seen.get(&name_any).map(|first| ("name", *first)),
        };
        ctx.seen.entry(name_any).or_insert(number);
        if data.uscc.is_none() {
            ctx.seen.entry(name_bare).or_insert(number);
        }
        if let Some((field, first)) = repeated {
            let e = FieldError::new(field, "duplicate_in_file", msg::same_in_file(first));
            out.push(rejected(number, vec![e], warnings));
            continue;
        }
        let existing_id = match &data.uscc {
            Some(code) => model::id_by_uscc(c, code)?,
            None => match EmployerFound::of(model::with_name(c, &data.name, 4)?) {
                EmployerFound::One(id) => Some(id),
                EmployerFound::None => None,
                EmployerFound::Several(usccs) => {
                    let e = FieldError::new("name", "ambiguous", msg::employer_ambiguous(&data.name, &usccs, true));
                    out.push(rejected(number, vec![e], warnings));
                    continue;
                }
            },
        };
        let existing: Option<EmployerRow> = match existing_id {
            Some(id) => model::get(c, id)?,
            None => None,
        };
        if existing.is_none() {
            if let Err(e) = check_new(c, &data) {
                out.push(rejected(number, errors_of(e)?, warnings));
                continue;
            }
        }
        let outcome = decide(d.form, &data, existing.as_ref().map(|r| (r.id.get(), r.version, &r.data)), &[]);
        out.push(Prepared { number, outcome, warnings });
    }
    Ok(out)
}

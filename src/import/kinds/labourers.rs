//! 花名册: rosters of labourers, matched to the registry by ID number.

use std::collections::HashMap;

use super::{decide, errors_of, form_of, rejected, rejected_with_the_rest, Context, Outcome, Prepared};
use crate::db::models::labourer::{self as model, LabourerRow};
use crate::db::DbConnection;
use crate::domain::IdNumber;
use crate::error::AppError;
use crate::import::draft::Draft;
use crate::import::headers::{col, must, skip, Column};
use crate::import::values;
use crate::messages::imports as msg;
use crate::registry::labourers::{parse_new, NewLabourer};

/// The columns of a roster of labourers.
pub const COLUMNS: &[Column] = &[
    skip(&["序号", "编号", "出生日期", "出生年月", "年龄", "民族"]),
    must("name", &["姓名", "劳动力姓名", "name"]),
    must("id_number", &["身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "id_number"]),
    col("gender", &["性别", "gender"]),
    col("phone", &["手机号码", "联系电话", "手机号", "手机", "电话", "联系方式", "phone"]),
    col(
        "hukou_region_code",
        &["户籍所在地", "户籍地址", "户籍地", "户口所在地", "县（市、区）", "所在县", "hukou_region_code"],
    ),
    col("hukou_township", &["乡镇", "乡（镇）", "乡镇（街道）", "所在乡镇", "hukou_township"]),
    col("hukou_village", &["村", "村（社区）", "行政村", "所在村", "hukou_village"]),
    col("poverty_status", &["贫困户属性", "贫困属性", "脱贫属性", "户属性", "人员类别", "poverty_status"]),
    col("household_no", &["户编号", "贫困户编号", "household_no"]),
    col("education", &["文化程度", "学历", "education"]),
    col("skills", &["技能特长", "技能", "专业技能", "特长", "skills"]),
    col("desired_occupations", &["求职意向", "意向工种", "期望工种", "意向岗位", "desired_occupations"]),
    col("desired_region_codes", &["意向就业地", "期望就业地区", "意向地区", "desired_region_codes"]),
    col("available_from", &["可就业时间", "available_from"]),
    col("notes", &["备注", "notes"]),
];

/// Reads a row into the form `POST /api/v1/labourers` takes.
fn read(d: &mut Draft<'_>, strict: bool) {
    d.read("id_number", "id_number", values::id_number);
    d.read("name", "name", |c| Ok(values::text(c)));
    d.check_lost_character("name", strict);
    d.text("phone");
    d.region("hukou_region_code");
    d.text("hukou_township");
    d.text("hukou_village");
    d.text("poverty_status");
    d.text("household_no");
    d.text("education");
    d.list("skills");
    d.list("desired_occupations");
    if d.has("desired_region_codes") {
        let mut codes = Vec::new();
        for (i, written) in values::list(d.cell("desired_region_codes")).iter().enumerate() {
            match crate::domain::region_by_code_or_name(written) {
                Ok(r) => codes.push(serde_json::Value::from(r.as_str())),
                Err(e) => d.errors.push(&format!("desired_region_codes[{i}]"), e.code, e.message),
            }
        }
        d.set("desired_region_codes", codes);
    }
    d.date("available_from");
    d.text("notes");
}

/// Reads, checks and decides a chunk: one query finds which ID numbers are
/// on file already.
pub fn prepare(c: &mut DbConnection, ctx: &mut Context, drafts: Vec<Draft<'_>>) -> Result<Vec<Prepared>, AppError> {
    let mut parsed = Vec::with_capacity(drafts.len());
    for mut d in drafts {
        read(&mut d, ctx.strict);
        let number = d.row.number;
        if !d.errors.is_empty() {
            parsed.push(Err(rejected_with_the_rest(d, &[], |f: NewLabourer| parse_new(f).map(drop))?));
            continue;
        }
        let form: NewLabourer = match form_of(&d.form) {
            Ok(f) => f,
            Err(errors) => {
                parsed.push(Err(rejected(number, errors, d.warnings)));
                continue;
            }
        };
        match parse_new(form) {
            Ok(data) => {
                if let Some(written) = values::text(d.cell("gender")) {
                    if values::gender(&written).is_some_and(|g| g != data.gender) {
                        d.warn("gender", "gender_mismatch", msg::gender_mismatch(&written));
                    }
                }
                // 脱贫不稳定户, 监测户 … are monitored (DESIGN §3), which the
                // ledgers leave out by default: said, since a clerk may mean
                // a lifted household still on the 建档立卡 register.
                if data.poverty_status == crate::domain::PovertyStatus::Monitored {
                    let written = values::text(d.cell("poverty_status")).unwrap_or_default();
                    d.warn("poverty_status", "not_counted", msg::monitored_not_counted(&written));
                }
                // No 户籍地 from a number whose region is unknown: said.
                if let Some(w) = crate::registry::labourers::hukou_unknown(&data) {
                    d.warnings.push(w);
                }
                if let Some(first) = ctx.first_with(data.id_number.as_str().to_string(), number) {
                    let e = crate::error::FieldError::new("id_number", "duplicate_in_file", msg::same_in_file(first));
                    parsed.push(Err(rejected(number, vec![e], d.warnings)));
                    continue;
                }
                parsed.push(Ok((number, d.form, data, d.warnings)));
            }
            Err(e) => parsed.push(Err(rejected(number, errors_of(e)?, d.warnings))),
        }
    }
    let numbers: Vec<IdNumber> = parsed.iter().flatten().map(|(_, _, data, _)| data.id_number.clone()).collect();
    let on_file: HashMap<String, LabourerRow> =
        model::by_id_numbers(c, &numbers)?.into_iter().map(|r| (r.data.id_number.as_str().to_string(), r)).collect();
    Ok(parsed
        .into_iter()
        .map(|p| match p {
            Err(prepared) => prepared,
            Ok((number, form, data, warnings)) => {
                let existing = on_file.get(data.id_number.as_str()).map(|r| (r.id.get(), r.version, &r.data));
                let outcome = decide(form, &data, existing, &["id_number"]);
                let mut warnings = warnings;
                if let (Outcome::Update(_, changes), Some((_, _, old))) = (&outcome, existing) {
                    warnings.extend(what_changes(changes, old));
                }
                Prepared { number, outcome, warnings }
            }
        })
        .collect())
}

/// Each field a roster row would change on a person already registered,
/// as a remark with the value on file and the new one (a roster of another
/// kind uploaded as this one renamed 潘志刚 to 潘智刚 with only "更新 3" to
/// say so); a new name is told as a likely wrong ID number.
fn what_changes(
    changes: &serde_json::Value,
    old: &crate::db::models::labourer::LabourerData,
) -> Vec<crate::error::FieldError> {
    let Ok(serde_json::Value::Object(before)) = serde_json::to_value(old) else { return Vec::new() };
    let shown = |field: &str, v: &serde_json::Value| -> String {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            serde_json::Value::Array(list) => list.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join("、"),
            other => other.to_string(),
        };
        match field {
            "poverty_status" => {
                text.parse::<crate::domain::PovertyStatus>().map(|p| p.label_zh().to_string()).unwrap_or(text)
            }
            "education" => text.parse::<crate::domain::Education>().map(|e| e.label_zh().to_string()).unwrap_or(text),
            _ => text,
        }
    };
    let Some(changes) = changes.as_object() else { return Vec::new() };
    changes
        .iter()
        .filter(|(k, _)| k.as_str() != "version")
        .map(|(k, new)| {
            let was = before.get(k).map(|v| shown(k, v)).unwrap_or_default();
            let now = shown(k, new);
            if k == "name" {
                crate::error::FieldError::new(k, "name_changes", msg::name_would_change(&was, &now))
            } else {
                crate::error::FieldError::new(
                    k,
                    "will_change",
                    msg::would_change(crate::messages::field_label(k), &was, &now),
                )
            }
        })
        .collect()
}

/// Whether an outcome inserts (for the bulk path of the final step).
pub fn inserts(o: &Outcome) -> bool {
    matches!(o, Outcome::Insert(_))
}

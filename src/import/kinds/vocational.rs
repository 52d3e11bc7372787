//! 职业院校就读名单: poor students' studies, of people already on file,
//! matched by (person, school, enrolment date).

use std::collections::HashMap;

use serde_json::Value;

use super::{decide, errors_of, form_of, rejected, rejected_with_the_rest, Context, Prepared};
use crate::db::models::labourer::{self, LabourerRow};
use crate::db::models::vocational as model;
use crate::db::DbConnection;
use crate::domain::{IdNumber, StudyStatus};
use crate::error::{AppError, FieldError};
use crate::import::draft::Draft;
use crate::import::headers::{col, must, skip, Column};
use crate::import::values;
use crate::messages::imports as msg;
use crate::registry::vocational::{check_new, parse_new, NewVocational};

/// The columns of a list of vocational students.
pub const COLUMNS: &[Column] = &[
    skip(&["序号", "编号", "性别", "户籍地", "户籍地址", "乡镇", "村", "贫困户属性", "联系电话", "备注"]),
    col("name", &["学生姓名", "姓名", "name"]),
    must("id_number", &["身份证号", "身份证号码", "公民身份号码", "身份证", "id_number"]),
    must("school_name", &["学校名称", "就读学校", "学校", "school_name"]),
    must("school_region_code", &["学校所在地", "学校所在地区", "学校地址", "school_region_code"]),
    col("major", &["专业", "就读专业", "所学专业", "major"]),
    must("enrolled_on", &["入学时间", "入学日期", "enrolled_on"]),
    col("status", &["在读状态", "就读状态", "学籍状态", "status"]),
    col("finished_on", &["毕业（离校）时间", "毕业/离校时间", "毕业离校时间"]),
    col("graduated_on", &["毕业时间", "毕业日期", "graduated_on"]),
    col("left_on", &["离校时间", "退学时间", "left_on"]),
];

fn read(d: &mut Draft<'_>) {
    d.read("id_number", "id_number", values::id_number);
    d.text("school_name");
    d.region("school_region_code");
    d.text("major");
    d.date("enrolled_on");
    d.text("status");
    d.date("graduated_on");
    d.date("left_on");
    if d.has("finished_on") {
        // One column for both ends: the status says which it is.
        match values::date(d.cell("finished_on")) {
            Ok(Some(day)) => {
                let left = d
                    .form
                    .get("status")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<StudyStatus>().ok())
                    .is_some_and(|s| s == StudyStatus::Left);
                d.set(if left { "left_on" } else { "graduated_on" }, day.to_string());
            }
            Ok(None) => {}
            Err(e) => d.errors.push("finished_on", e.code, e.message),
        }
    }
    // No status given: a graduation (or leaving) day says which it is; a
    // status given that contradicts its day is refused by the registry.
    if d.form.get("status").is_none_or(Value::is_null) {
        if d.form.get("graduated_on").is_some_and(|v| !v.is_null()) {
            d.set("status", "graduated".to_string());
        } else if d.form.get("left_on").is_some_and(|v| !v.is_null()) {
            d.set("status", "left".to_string());
        }
    }
}

/// Reads, checks and decides a chunk: one query finds the people.
pub fn prepare(c: &mut DbConnection, ctx: &mut Context, drafts: Vec<Draft<'_>>) -> Result<Vec<Prepared>, AppError> {
    let mut drafts = drafts;
    let mut numbers = Vec::new();
    for d in &mut drafts {
        read(d);
        if let Some(raw) = d.form.get("id_number").and_then(Value::as_str) {
            match IdNumber::parse(raw, crate::clock::today()) {
                Ok(id) => numbers.push(id),
                Err(e) => d.errors.push("id_number", e.code, e.message),
            }
        }
    }
    let people: HashMap<String, LabourerRow> =
        labourer::by_id_numbers(c, &numbers)?.into_iter().map(|r| (r.data.id_number.as_str().to_string(), r)).collect();
    let mut out = Vec::with_capacity(drafts.len());
    for mut d in drafts {
        let number = d.row.number;
        let raw = d.form.remove("id_number").and_then(|v| v.as_str().map(str::to_string));
        // A number that does not parse failed in the first pass.
        if let Some(id) = raw.as_deref().and_then(|r| IdNumber::parse(r, crate::clock::today()).ok()) {
            match people.get(id.as_str()) {
                Some(p) => {
                    d.set("labourer_id", p.id.get());
                    d.check_name(&p.data.name);
                }
                None => d.errors.push("id_number", "labourer_not_found", msg::labourer_not_found()),
            }
        }
        if !d.errors.is_empty() {
            let derived = [("id_number", "labourer_id"), ("finished_on", "graduated_on"), ("finished_on", "left_on")];
            out.push(rejected_with_the_rest(d, &derived, |f: NewVocational| parse_new(f).map(drop))?);
            continue;
        }
        let mut form = d.form.clone();
        form.retain(|_, v| !v.is_null());
        let data = match form_of::<NewVocational>(&form).map(parse_new) {
            Ok(Ok(data)) => data,
            Ok(Err(e)) => {
                out.push(rejected(number, errors_of(e)?, d.warnings));
                continue;
            }
            Err(errors) => {
                out.push(rejected(number, errors, d.warnings));
                continue;
            }
        };
        let key = format!("{}|{}|{}", data.labourer_id.get(), data.school_name, data.enrolled_on);
        if let Some(first) = ctx.first_with(key, number) {
            let e = FieldError::new("school_name", "duplicate_in_file", msg::same_in_file(first));
            out.push(rejected(number, vec![e], d.warnings));
            continue;
        }
        // One school at a time: a second 在读 row for the person in the same
        // file is refused here, naming the first, not at the commit.
        if data.status == StudyStatus::Studying {
            if let Some(first) = ctx.studying.get(&data.labourer_id) {
                let e = FieldError::new("status", "two_schools_in_file", msg::studying_on_row(*first));
                out.push(rejected(number, vec![e], d.warnings));
                continue;
            }
            ctx.studying.insert(data.labourer_id, number);
        }
        let existing = model::find_same(c, data.labourer_id, &data.school_name, data.enrolled_on)?;
        if existing.is_none() {
            if let Err(e) = check_new(c, &data) {
                out.push(rejected(number, errors_of(e)?, d.warnings));
                continue;
            }
        }
        let mut form = d.form;
        form.insert("labourer_id".into(), Value::from(data.labourer_id.get()));
        let outcome = decide(
            form,
            &data,
            existing.as_ref().map(|r| (r.id, r.version, &r.data)),
            &["labourer_id", "school_name", "enrolled_on"],
        );
        out.push(Prepared { number, outcome, warnings: d.warnings });
    }
    Ok(out)
}

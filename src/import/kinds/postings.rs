//! 岗位信息表: postings of employers already on file (by exact name or
//! USCC), matched to postings on file by employer, title and closing date.

use serde_json::Value;

use super::{decide, errors_of, form_of, rejected, rejected_with_the_rest, Context, EmployerFound, Prepared};
use crate::db::models::posting::{self as model};
use crate::db::DbConnection;
use crate::error::{AppError, FieldError};
use crate::import::draft::Draft;
use crate::import::headers::{col, must, skip, Column};
use crate::import::values;
use crate::messages::imports as msg;
use crate::registry::postings::{check_new, parse_new, NewPosting};

/// The columns of a list of postings.
pub const COLUMNS: &[Column] = &[
    skip(&["序号", "编号", "备注"]),
    must("employer", &["招聘单位", "用工单位", "用人单位", "企业名称", "单位名称", "employer_name"]),
    col("employer_uscc", &["统一社会信用代码", "社会信用代码", "employer_uscc"]),
    must("title", &["岗位名称", "招聘岗位", "岗位", "职位", "title"]),
    col("occupation", &["工种", "职业", "occupation"]),
    col("description", &["岗位描述", "岗位职责", "岗位要求", "工作内容", "description"]),
    must("headcount", &["招聘人数", "需求人数", "人数", "headcount"]),
    col("salary", &["薪资待遇", "月薪", "工资待遇", "薪酬", "工资", "月工资", "薪资", "salary"]),
    col("salary_min", &["最低月薪", "salary_min"]),
    col("salary_max", &["最高月薪", "salary_max"]),
    must("region_code", &["工作地点", "工作地区", "工作地", "region_code"]),
    col("ages", &["年龄要求", "年龄", "ages"]),
    col("min_age", &["最低年龄", "min_age"]),
    col("max_age", &["最高年龄", "max_age"]),
    col("gender_requirement", &["性别要求", "性别", "gender_requirement"]),
    col("education_min", &["学历要求", "文化程度要求", "学历", "education_min"]),
    col("benefits", &["福利待遇", "福利", "benefits"]),
    col("status", &["招聘状态", "状态", "status"]),
    col("opens_on", &["开始日期", "发布日期", "opens_on"]),
    col("closes_on", &["截止日期", "截止时间", "closes_on"]),
];

fn read(d: &mut Draft<'_>) {
    d.text("title");
    d.text("occupation");
    d.text("description");
    d.read("headcount", "headcount", values::count);
    if d.has("salary") {
        match values::money(d.cell("salary")) {
            Ok(m) => {
                let m = m.unwrap_or_default();
                d.set("salary_min", m.min);
                d.set("salary_max", m.max);
            }
            Err(e) => d.errors.push("salary", e.code, e.message),
        }
    }
    d.read("salary_min", "salary_min", values::amount);
    d.read("salary_max", "salary_max", values::amount);
    d.region("region_code");
    if d.has("ages") {
        match values::ages(d.cell("ages")) {
            Ok((min, max)) => {
                d.set("min_age", min);
                d.set("max_age", max);
            }
            Err(e) => d.errors.push("ages", e.code, e.message),
        }
    }
    d.read("min_age", "min_age", values::count);
    d.read("max_age", "max_age", values::count);
    d.text("gender_requirement");
    if d.has("education_min") {
        // 不限 means no minimum.
        let written = values::text(d.cell("education_min"));
        let v = written
            .filter(|w| !matches!(w.as_str(), "不限" | "无要求"))
            .map(|w| w.trim_end_matches("及以上").trim_end_matches("以上").to_string());
        d.set("education_min", v);
    }
    if d.has("benefits") {
        match values::benefits(d.cell("benefits")) {
            Ok(list) => d.set("benefits", list),
            Err(e) => d.errors.push("benefits", e.code, e.message),
        }
    }
    d.text("status");
    d.date("opens_on");
    d.date("closes_on");
}

/// Reads, checks and decides a chunk, row by row.
pub fn prepare(c: &mut DbConnection, ctx: &mut Context, drafts: Vec<Draft<'_>>) -> Result<Vec<Prepared>, AppError> {
    let mut out = Vec::with_capacity(drafts.len());
    for mut d in drafts {
        read(&mut d);
        let number = d.row.number;
        let name = values::text(d.cell("employer"));
        let uscc = values::text(d.cell("employer_uscc")).map(|u| crate::domain::normalise::code(&u).to_uppercase());
        match ctx.employer(c, name.as_deref(), uscc.as_deref())? {
            EmployerFound::One(id) => d.set("employer_id", id.get()),
            EmployerFound::None => {
                let shown = name.or(uscc).unwrap_or_default();
                d.errors.push("employer", "employer_not_found", msg::employer_not_found(&shown));
            }
            EmployerFound::Several(usccs) => {
                let shown = name.unwrap_or_default();
                d.errors.push("employer", "ambiguous", msg::employer_ambiguous(&shown, &usccs, true));
            }
        }
        if !d.errors.is_empty() {
            // The salary and age columns fill the two bounds each: nothing
            // is said of a bound whose column failed.
            let derived = [
                ("employer", "employer_id"),
                ("salary", "salary_min"),
                ("salary", "salary_max"),
                ("ages", "min_age"),
                ("ages", "max_age"),
            ];
            out.push(rejected_with_the_rest(d, &derived, |f: NewPosting| parse_new(f).map(drop))?);
            continue;
        }
        let mut form = d.form.clone();
        // Nulls are what the create form's defaults are for.
        form.retain(|_, v| !v.is_null());
        let form: NewPosting = match form_of(&form) {
            Ok(f) => f,
            Err(errors) => {
                out.push(rejected(number, errors, d.warnings));
                continue;
            }
        };
        let data = match parse_new(form).and_then(|data| check_new(c, &data).map(|_| data)) {
            Ok(data) => data,
            Err(e) => {
                out.push(rejected(number, errors_of(e)?, d.warnings));
                continue;
            }
        };
        let key = format!("{}|{}|{:?}", data.employer_id.get(), data.title, data.closes_on);
        if let Some(first) = ctx.first_with(key, number) {
            let e = FieldError::new("title", "duplicate_in_file", msg::same_in_file(first));
            out.push(rejected(number, vec![e], d.warnings));
            continue;
        }
        let existing = model::find_same(c, data.employer_id, &data.title, data.closes_on)?;
        let mut form = d.form;
        form.remove("employer_id");
        form.insert("employer_id".into(), Value::from(data.employer_id.get()));
        let outcome = decide(
            form,
            &data,
            existing.as_ref().map(|r| (r.id.get(), r.version, &r.data)),
            &["employer_id", "title", "closes_on"],
        );
        out.push(Prepared { number, outcome, warnings: d.warnings });
    }
    Ok(out)
}

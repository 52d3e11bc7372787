//! 就业台账: placements of people already on file, found by ID number,
//! matched to placements on file by (person, employer, start date). A
//! workbook exported by a ledger reads back as placements: its person
//! columns are read past.

use std::collections::HashMap;

use serde_json::Value;

use super::{decide, errors_of, form_of, rejected, rejected_with_the_rest, Context, EmployerFound, Prepared};
use crate::db::models::labourer::{self, LabourerRow};
use crate::db::models::placement as model;
use crate::db::DbConnection;
use crate::domain::rules::{first_overlap, Span};
use crate::domain::IdNumber;
use crate::error::{AppError, FieldError};
use crate::import::draft::Draft;
use crate::import::headers::{col, must, skip, Column};
use crate::import::values;
use crate::messages::imports as msg;
use crate::registry::placements::{check_new, parse_new, NewPlacement};

/// The columns of a placement ledger.
pub const COLUMNS: &[Column] = &[
    skip(&[
        "序号",
        "编号",
        "性别",
        "户籍地",
        "户籍地址",
        "户籍所在地",
        "乡镇",
        "村",
        "村（社区）",
        "贫困户属性",
        "联系电话",
        "手机号码",
        "东部连续就业起始时间",
        "labourer_id",
        "placement_id",
    ]),
    col("name", &["姓名", "name"]),
    must("id_number", &["身份证号", "身份证号码", "公民身份号码", "身份证", "id_number"]),
    must(
        "employer_name",
        &["就业单位", "用工单位", "工作单位", "务工单位", "用人单位", "外出务工单位", "employer_name"],
    ),
    must(
        "region_code",
        &[
            "就业地",
            "务工地点",
            "就业地点",
            "务工地",
            "就业地区",
            "工作地点",
            "外出务工地点",
            "务工地址",
            "region_code",
        ],
    ),
    col("occupation", &["岗位", "工种", "从事工种", "职业", "就业岗位", "occupation"]),
    must(
        "started_on",
        &[
            "就业时间",
            "务工时间",
            "入职时间",
            "就业日期",
            "开始时间",
            "外出务工时间",
            "外出时间",
            "外出日期",
            "务工开始时间",
            "started_on",
        ],
    ),
    col("ended_on", &["离职时间", "结束时间", "ended_on"]),
    col("monthly_income", &["月收入", "月工资", "月均收入", "monthly_income"]),
    must("channel", &["就业渠道", "就业途径", "渠道", "channel"]),
    col("part_time", &["是否灵活就业", "灵活就业", "part_time"]),
    col("evidence", &["佐证材料", "evidence"]),
    col("notes", &["备注", "notes"]),
];

fn read(d: &mut Draft<'_>) {
    d.read("id_number", "id_number", values::id_number);
    d.text("employer_name");
    d.region("region_code");
    d.text("occupation");
    d.date("started_on");
    d.date("ended_on");
    d.read("monthly_income", "monthly_income", values::amount);
    d.text("channel");
    d.yes_no("part_time");
    d.text("evidence");
    d.text("notes");
}

/// Reads, checks and decides a chunk: one query finds the people.
pub fn prepare(c: &mut DbConnection, ctx: &mut Context, drafts: Vec<Draft<'_>>) -> Result<Vec<Prepared>, AppError> {
    let mut drafts = drafts;
    let mut numbers = Vec::new();
    for d in &mut drafts {
        read(d);
        let raw = d.form.get("id_number").and_then(Value::as_str).unwrap_or_default().to_string();
        if !raw.is_empty() {
            match IdNumber::parse(&raw, crate::clock::today()) {
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
        let person = raw
            .as_deref()
            .and_then(|r| IdNumber::parse(r, crate::clock::today()).ok())
            .and_then(|id| people.get(id.as_str()));
        match (person, raw.is_some()) {
            (Some(p), _) => {
                d.set("labourer_id", p.id.get());
                d.check_name(&p.data.name);
            }
            (None, true) if !d.errors.has("id_number") => {
                d.errors.push("id_number", "labourer_not_found", msg::labourer_not_found())
            }
            _ => {}
        }
        let employer = values::text(d.cell("employer_name"));
        match ctx.employer(c, employer.as_deref(), None)? {
            EmployerFound::One(id) => d.set("employer_id", id.get()),
            EmployerFound::None => {}
            // Kept as the name typed, linked to none of them: a job filed
            // under the wrong one of two shops would count for it.
            EmployerFound::Several(usccs) => d.warn(
                "employer_name",
                "ambiguous",
                msg::employer_ambiguous(employer.as_deref().unwrap_or_default(), &usccs, false),
            ),
        }
        if !d.errors.is_empty() {
            let derived = [("id_number", "labourer_id"), ("employer_name", "employer_id")];
            out.push(rejected_with_the_rest(d, &derived, |f: NewPlacement| parse_new(f).map(drop))?);
            continue;
        }
        let mut form = d.form.clone();
        form.retain(|_, v| !v.is_null());
        let parsed = form_of::<NewPlacement>(&form);
        let mut data = match parsed.map(parse_new) {
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
        // The same job twice in one file (a part-time one too) is one row.
        let employer_key = match (data.employer_id, data.employer_name.as_deref()) {
            (Some(id), _) => format!("e{}", id.get()),
            (None, name) => format!("n{}", name.unwrap_or_default()),
        };
        let key = format!("{}|{}|{employer_key}", data.labourer_id.get(), data.started_on);
        if let Some(first) = ctx.first_with(key, number) {
            let e = FieldError::new("started_on", "duplicate_in_file", msg::same_in_file(first));
            out.push(rejected(number, vec![e], d.warnings));
            continue;
        }
        let existing = model::find_same_start(
            c,
            data.labourer_id,
            data.employer_id,
            data.employer_name.as_deref(),
            data.started_on,
        )?;
        if existing.is_none() {
            if let Err(e) = check_new(c, &mut data) {
                out.push(rejected(number, errors_of(e)?, d.warnings));
                continue;
            }
            let span = Span { start: data.started_on, end: data.ended_on };
            let taken = ctx.spans.entry(data.labourer_id).or_default();
            let others: Vec<(u32, Span)> = taken.clone();
            if let Some((row, _)) = first_overlap(&span, data.part_time, &others) {
                let e = FieldError::new("started_on", "overlap", msg::overlaps_row(*row));
                out.push(rejected(number, vec![e], d.warnings));
                continue;
            }
            if !data.part_time {
                taken.push((number, span));
            }
        }
        let mut form = d.form;
        form.insert("labourer_id".into(), Value::from(data.labourer_id.get()));
        let outcome = decide(
            form,
            &data,
            existing.as_ref().map(|r| (r.id.get(), r.version, &r.data)),
            &["labourer_id", "started_on", "employer_id", "employer_name"],
        );
        out.push(Prepared { number, outcome, warnings: d.warnings });
    }
    Ok(out)
}

//! Reasons a person can read: why a posting suits someone (certificate,
//! desired occupation, skill, region, pay, housing) and why one is left
//! out (closed, full, age, gender, education).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::groups::{Group, Kind};
use crate::domain::{Education, RegionCode};
use crate::search::schema::{education_rank, region_key, region_prefixes, PostingSummary, Profile};
use crate::search::Search;

/// Why a hit was ranked, or why a posting was left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    /// `certificate`, `desired_occupation`, `skill`, `matched_terms`,
    /// `desired_region`, `paired_district`, `salary`, `housing`; for left-out
    /// postings `closed`, `no_headcount`, `age`, `gender`, `education`.
    pub code: &'static str,
    /// The reason in words.
    pub text: String,
    /// The words that matched, where words did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

impl Reason {
    fn new(code: &'static str, text: String) -> Reason {
        Reason { code, text, terms: Vec::new() }
    }
}

fn education_label(e: Option<&str>) -> String {
    e.and_then(|e| e.parse::<Education>().ok()).map(|e| e.label_zh().to_string()).unwrap_or_else(|| "未登记".into())
}

fn region_label(code: &str) -> String {
    RegionCode::parse(code).map(|r| r.names().full_name()).unwrap_or_else(|_| code.to_string())
}

impl Search {
    /// The hard filters of DESIGN §6, in words; empty when the person can
    /// take the posting.
    pub fn hard_reasons(&self, s: &PostingSummary, p: &Profile, today: NaiveDate, hires: i64) -> Vec<Reason> {
        let mut out = Vec::new();
        if s.status != "open" {
            out.push(Reason::new("closed", "岗位已停止招聘".into()));
        } else if s.closes_on.is_some_and(|d| d < today) {
            out.push(Reason::new(
                "closed",
                format!("报名已于{}截止", s.closes_on.map(|d| d.to_string()).unwrap_or_default()),
            ));
        }
        if hires >= i64::from(s.headcount) {
            out.push(Reason::new("no_headcount", format!("{}个名额已招满", s.headcount)));
        }
        if let Some(age) = p.age_on(today) {
            let age = i64::from(age);
            if s.min_age.is_some_and(|m| age < i64::from(m)) || s.max_age.is_some_and(|m| age > i64::from(m)) {
                let range = match (s.min_age, s.max_age) {
                    (Some(a), Some(b)) => format!("{a}–{b}岁"),
                    (Some(a), None) => format!("{a}岁以上"),
                    (None, Some(b)) => format!("{b}岁以下"),
                    (None, None) => String::new(),
                };
                out.push(Reason::new("age", format!("岗位要求年龄{range}，本人{age}岁")));
            }
        }
        if s.gender_requirement != "any" && s.gender_requirement != p.gender {
            let who = if s.gender_requirement == "male" { "男性" } else { "女性" };
            out.push(Reason::new("gender", format!("岗位只招{who}")));
        }
        if education_rank(s.education_min.as_deref()) > education_rank(p.education.as_deref()) {
            out.push(Reason::new(
                "education",
                format!(
                    "岗位要求{}及以上学历，本人{}",
                    education_label(s.education_min.as_deref()),
                    education_label(p.education.as_deref())
                ),
            ));
        }
        out
    }

    /// Why posting `s` suits person `p`: the groups (of `p`, or of a
    /// search) whose words its text contains, then region, pay and
    /// housing.
    pub(super) fn why_posting(&self, s: &PostingSummary, p: &Profile, groups: &[Group]) -> Vec<Reason> {
        let text =
            [Some(s.title.as_str()), s.occupation.as_deref(), s.occupation_group.as_deref(), s.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
        let terms = self.analyzer().index_terms(&text);
        let mut out: Vec<Reason> = Vec::new();
        for g in groups {
            let matched: Vec<String> = g.words.iter().filter(|w| terms.contains(*w)).cloned().collect();
            if matched.is_empty() {
                continue;
            }
            let (code, text) = match g.kind {
                Kind::Certificate => ("certificate", format!("持有“{}”证书，与岗位“{}”对口", g.label, s.title)),
                Kind::Desired => ("desired_occupation", format!("求职意向“{}”与岗位相符", g.label)),
                Kind::Skill => ("skill", format!("技能“{}”与岗位相符", g.label)),
                Kind::Typed | Kind::Place => ("matched_terms", format!("匹配“{}”", g.label)),
            };
            if let Some(r) = out.iter_mut().find(|r| r.code == code) {
                for m in matched {
                    if !r.terms.contains(&m) {
                        r.terms.push(m);
                    }
                }
            } else {
                out.push(Reason { code, text, terms: matched });
            }
        }
        let prefixes = region_prefixes(&s.region_code);
        if let Some(code) = p.desired_region_codes.iter().find(|c| region_key(c).is_some_and(|k| prefixes.contains(&k)))
        {
            out.push(Reason::new(
                "desired_region",
                format!("工作地{}在求职意向地区（{}）内", region_label(&s.region_code), region_label(code)),
            ));
        }
        let paired = region_key(&self.paired_district);
        if paired.as_ref().is_some_and(|k| prefixes.contains(k) || region_prefixes(&s.employer_region_code).contains(k))
        {
            out.push(Reason::new("paired_district", format!("{}是对口协作地区的用人单位", s.employer_name)));
        }
        match (s.salary_min, s.salary_max) {
            (Some(a), Some(b)) => out.push(Reason::new("salary", format!("月薪{a}–{b}元"))),
            (Some(a), None) => out.push(Reason::new("salary", format!("月薪{a}元起"))),
            (None, Some(b)) => out.push(Reason::new("salary", format!("月薪最高{b}元"))),
            (None, None) => {}
        }
        if s.benefits.iter().any(|b| b == "housing") {
            out.push(Reason::new("housing", "提供住宿".into()));
        }
        out
    }
}

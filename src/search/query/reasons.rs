//! Reasons a person can read: why a posting suits someone (certificate,
//! desired occupation, skill, region, pay, housing) and why one is left
//! out (closed, full, age, gender, education).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::groups::{Group, Kind};
use crate::domain::rules::{self, NotTaking, PostingTerms};
use crate::domain::{Education, PostingStatus, RegionCode};
use crate::search::schema::{education_rank, region_key, region_prefixes, PostingSummary, Profile};
use crate::search::Search;

/// Why a hit was ranked, or why a posting was left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    /// `certificate`, `desired_occupation`, `skill`, `matched_terms`,
    /// `desired_region`, `paired_district`, `salary`, `housing`,
    /// `age_range`; for left-out postings `closed`, `not_yet_open`,
    /// `no_headcount`, `age`, `gender`, `education`.
    pub code: &'static str,
    /// The reason in words.
    pub text: String,
    /// The words that matched, where words did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

impl Reason {
    pub(super) fn new(code: &'static str, text: String) -> Reason {
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
        // Whether it takes applications: the one rule every view uses.
        let terms = PostingTerms {
            status: s.status.parse().unwrap_or(PostingStatus::Closed),
            opens_on: s.opens_on,
            closes_on: s.closes_on,
            headcount: s.headcount,
        };
        if let Err(why) = rules::taking_applications(&terms, hires, today) {
            out.push(match why {
                NotTaking::Closed => Reason::new("closed", "岗位已停止招聘".into()),
                NotTaking::Expired(d) => Reason::new("closed", format!("报名已于{d}截止")),
                NotTaking::NotYetOpen(d) => Reason::new("not_yet_open", format!("{d}开始报名")),
                NotTaking::Full(n) => Reason::new("no_headcount", format!("{n}个名额已招满")),
            });
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
        // What the posting is (title, occupation) apart from what its
        // description mentions: 厨房帮工 "协助厨师切配" is no 厨师 post, so
        // a wish is said to fit only the post itself. A skill or certificate
        // the description asks for (会切配者优先) does fit.
        let head = [Some(s.title.as_str()), s.occupation.as_deref(), s.occupation_group.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let head_terms = self.analyzer().index_terms(&head);
        let mut terms = head_terms.clone();
        terms.extend(s.description.as_deref().map(|d| self.analyzer().index_terms(d)).unwrap_or_default());
        let mut out: Vec<Reason> = Vec::new();
        for g in groups {
            let about_the_post = g.kind == Kind::Desired;
            let looked_in = if about_the_post { &head_terms } else { &terms };
            let matched: Vec<String> = g.words.iter().filter(|w| looked_in.contains(*w)).cloned().collect();
            if matched.is_empty() {
                continue;
            }
            let (code, text) = match g.kind {
                Kind::Certificate => ("certificate", format!("持有“{}”证书，与岗位“{}”对口", g.label, s.title)),
                Kind::Desired => ("desired_occupation", format!("求职意向“{}”与岗位相符", g.label)),
                Kind::Skill => ("skill", format!("技能“{}”与岗位相符", g.label)),
                Kind::Related => ("related_occupation", format!("岗位属“{}”，与求职意向相近", g.label)),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::search::query::groups::Kind;
    use crate::search::schema::PostingSummary;
    use crate::search::testkit::{person, posting, search_over, shared, today, with_benefits};

    fn codes(reasons: &[super::Reason]) -> Vec<&str> {
        reasons.iter().map(|r| r.code).collect()
    }

    #[test]
    fn why_names_the_certificate_wish_and_skill_that_matched_then_place_pay_and_housing() {
        let search = search_over(&[], &[]);
        let mut d = with_benefits(posting(1, "粤菜厨师", Some("中式烹调师"), Some("会切配者优先")), &["housing"]);
        d.posting.data.salary_min = Some(5000);
        d.posting.data.salary_max = Some(7000);
        let s = PostingSummary::of(&shared().0, &d);
        let mut p = person(7, &["中式烹调师"], &["大厨", "保安"], &["切配", "开叉车"]);
        p.desired_region_codes = vec!["440700".into()];
        let groups = search
            .profile_groups(&p, &super::super::groups::ProfileWeights { certificate: 1.0, desired: 1.0, skill: 1.0 });
        let why = search.why_posting(&s, &p, &groups);
        assert_eq!(
            codes(&why),
            ["certificate", "desired_occupation", "skill", "desired_region", "paired_district", "salary", "housing"]
        );
        assert_eq!(why[0].text, "持有“中式烹调师”证书，与岗位“粤菜厨师”对口");
        assert!(why[0].terms.contains(&"中式烹调师".to_string()), "{:?}", why[0]);
        assert_eq!(why[1].text, "求职意向“大厨”与岗位相符", "保安 did not match, so it is not named");
        assert_eq!(why[2].terms, ["切配"]);
        assert_eq!(why[3].text, "工作地广东省江门市江海区在求职意向地区（广东省江门市）内");
        assert_eq!(why[5].text, "月薪5000–7000元");
        assert_eq!(why[6].text, "提供住宿");
    }

    #[test]
    fn a_wish_fits_the_post_itself_not_a_word_of_its_description() {
        let search = search_over(&[], &[]);
        let d = posting(1, "厨房帮工（砧板/打荷）", Some("厨房帮工"), Some("协助厨师切配，打荷"));
        let s = PostingSummary::of(&shared().0, &d);
        let p = person(7, &[], &["粤菜厨师"], &[]);
        let groups = search
            .profile_groups(&p, &super::super::groups::ProfileWeights { certificate: 1.0, desired: 1.0, skill: 1.0 });
        let why = search.why_posting(&s, &p, &groups);
        assert!(!codes(&why).contains(&"desired_occupation"), "{why:?}");
    }

    #[test]
    fn typed_words_are_matched_terms_and_pay_is_said_as_given() {
        let search = search_over(&[], &[]);
        let mut d = posting(1, "保安员", None, None);
        d.posting.data.salary_min = Some(3000);
        d.posting.data.region_code = "450103".into();
        d.employer_region = "450103".into();
        let s = PostingSummary::of(&shared().0, &d);
        let groups = search.groups_of("门卫", Kind::Typed, 1.0);
        let why = search.why_posting(&s, &person(1, &[], &[], &[]), &groups);
        assert_eq!(codes(&why), ["matched_terms", "salary"], "no region reason away from the paired district");
        assert_eq!(why[0].text, "匹配“门卫”");
        assert_eq!(why[0].terms, ["保安员", "保安"], "the synonyms the posting has, whole word and part");
        assert_eq!(why[1].text, "月薪3000元起");
    }

    #[test]
    fn hard_reasons_say_what_rules_a_posting_out() {
        let search = search_over(&[], &[]);
        let vocab = &shared().0;
        let p = person(1, &[], &[], &[]); // a man of 30 with junior high school
        let mut d = posting(1, "搬运工", None, None);
        assert!(search.hard_reasons(&PostingSummary::of(vocab, &d), &p, today(), 0).is_empty());
        d.posting.data.min_age = Some(18);
        d.posting.data.max_age = Some(25);
        d.posting.data.gender_requirement = "female".parse().unwrap();
        d.posting.data.education_min = Some("senior_high".parse().unwrap());
        d.posting.data.closes_on = chrono::NaiveDate::from_ymd_opt(2019, 5, 31);
        let why = search.hard_reasons(&PostingSummary::of(vocab, &d), &p, today(), 3);
        assert_eq!(codes(&why), ["closed", "age", "gender", "education"], "the first reason of the one rule");
        let texts: Vec<&str> = why.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "报名已于2019-05-31截止",
                "岗位要求年龄18–25岁，本人30岁",
                "岗位只招女性",
                "岗位要求高中及以上学历，本人初中"
            ]
        );
        d.posting.data.closes_on = None;
        assert_eq!(codes(&search.hard_reasons(&PostingSummary::of(vocab, &d), &p, today(), 3))[0], "no_headcount");
        d.posting.data.opens_on = today().succ_opt();
        let why = search.hard_reasons(&PostingSummary::of(vocab, &d), &p, today(), 0);
        assert_eq!(
            (why[0].code, why[0].text.clone()),
            ("not_yet_open", format!("{}开始报名", today().succ_opt().unwrap()))
        );
        d.posting.data.status = "closed".parse().unwrap();
        d.posting.data.min_age = None;
        let why = search.hard_reasons(&PostingSummary::of(vocab, &d), &p, today(), 0);
        assert_eq!(why[0].text, "岗位已停止招聘");
        assert_eq!(why[1].text, "岗位要求年龄25岁以下，本人30岁");
    }
}

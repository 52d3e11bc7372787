//! Every message labour-bridge shows a person, in Chinese and English.
//!
//! Clerks read these on pages, in problem+json answers and in the 错误原因
//! column of a rejected-rows workbook, so Chinese comes first; an API client
//! whose `Accept-Language` prefers English gets the English text (DESIGN §7).
//! The stable, language-free part of an error is its `code`; the words live
//! here, in one place, so that the same rule says the same thing wherever it
//! is broken. Functions are grouped by the area whose rules they explain.

use serde::Serialize;

/// A message in the two languages the service answers in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Simplified Chinese, the default.
    pub zh: String,
    /// English, for clients that ask for it.
    pub en: String,
}

impl Text {
    /// A message from its Chinese and English wording.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Text {
    /// The Chinese wording (what logs and clerks see).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

/// The language of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language an `Accept-Language` header prefers (RFC 9110 §12.5.4):
    /// English only when an `en` range outranks every `zh` range; Chinese
    /// otherwise, including when the header is absent or unreadable.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else { return Lang::Zh };
        let (mut zh, mut en) = (None::<f32>, None::<f32>);
        for part in header.split(',') {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            let best = |slot: &mut Option<f32>| *slot = Some(slot.map_or(q, |s| s.max(q)));
            if tag == "en" || tag.starts_with("en-") {
                best(&mut en);
            } else if tag == "zh" || tag.starts_with("zh-") || tag == "*" {
                best(&mut zh);
            }
        }
        match (zh, en) {
            (_, Some(e)) if e > 0.0 && zh.is_none_or(|z| e > z) => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// The kinds of record a message can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    /// 劳动力 (a person in the registry).
    Labourer,
    /// 用工单位.
    Employer,
    /// 岗位.
    Posting,
    /// 就业登记.
    Placement,
    /// 招聘会.
    JobFair,
    /// An employer taking part in a fair.
    FairEmployer,
    /// A check-in at a fair's door.
    Attendance,
    /// 求职意向.
    Intention,
    /// 培训项目.
    Programme,
    /// 培训班（期）.
    Session,
    /// 培训报名.
    Enrolment,
    /// 职业院校就读记录.
    VocationalEnrolment,
    /// 目标任务.
    Target,
    /// 报送期限.
    Deadline,
    /// 台账报送.
    Submission,
    /// 订阅的搜索.
    SavedSearch,
    /// 用户.
    User,
    /// 导入.
    Import,
    /// A path that names nothing.
    Route,
    /// Anything else.
    Record,
}

impl Thing {
    /// The name in Chinese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Thing::Labourer => ("劳动力", "labourer"),
            Thing::Employer => ("用工单位", "employer"),
            Thing::Posting => ("岗位", "posting"),
            Thing::Placement => ("就业登记", "placement"),
            Thing::JobFair => ("招聘会", "job fair"),
            Thing::FairEmployer => ("参会单位", "participating employer"),
            Thing::Attendance => ("招聘会签到", "job-fair check-in"),
            Thing::Intention => ("求职意向", "intention"),
            Thing::Programme => ("培训项目", "training programme"),
            Thing::Session => ("培训班", "training session"),
            Thing::Enrolment => ("培训报名", "enrolment"),
            Thing::VocationalEnrolment => ("职业院校就读记录", "vocational enrolment"),
            Thing::Target => ("目标任务", "target"),
            Thing::Deadline => ("报送期限", "deadline"),
            Thing::Submission => ("台账报送记录", "submission"),
            Thing::SavedSearch => ("订阅的搜索", "saved search"),
            Thing::User => ("用户", "user"),
            Thing::Import => ("导入记录", "import"),
            Thing::Route => ("页面或接口", "route"),
            Thing::Record => ("记录", "record"),
        }
    }
}

pub mod general;

pub mod access;

pub mod identity;

pub mod duplicates;
pub mod imports;
/// Readiness, backups: what an operator reads.
pub mod ops;
pub mod registry;
pub mod users;

thread_local! {
    static WRITING: std::cell::Cell<Option<Thing>> = const { std::cell::Cell::new(None) };
}

/// While alive, messages made on this thread name fields as the form of
/// `thing` calls them: an employer's `name` is 单位名称, not 姓名 (see
/// [`field_label`]). The registry's entry points hold one for the record
/// they write, so every message made inside — validator's, the parsers',
/// the rules' — reads right on a page, in an import's rejected rows and in
/// problem+json alike. Nested guards restore the outer one.
#[must_use = "the labels apply only while the guard lives"]
pub struct Labels(Option<Thing>);

impl Labels {
    /// Labels the fields of `thing` until the guard is dropped.
    pub fn of(thing: Thing) -> Labels {
        Labels(WRITING.replace(Some(thing)))
    }
}

impl Drop for Labels {
    fn drop(&mut self) {
        WRITING.set(self.0);
    }
}

/// Where a record's field means something else than the same name on a
/// person: the label its own form uses.
fn label_on(thing: Thing, field: &str) -> Option<&'static str> {
    Some(match (thing, field) {
        (Thing::Employer, "name") => "单位名称",
        (Thing::Employer, "region_code") => "单位所在地",
        (Thing::Posting, "region_code") => "工作地点",
        (Thing::Placement, "region_code") => "就业地",
        (Thing::JobFair, "name") => "招聘会名称",
        (Thing::JobFair, "region_code") => "举办地",
        (Thing::Programme, "name") => "培训项目名称",
        (Thing::Deadline, "name") => "报送事项名称",
        _ => return None,
    })
}

/// The Chinese label of a JSON field, for messages clerks read; the
/// record's own label inside a [`Labels`] guard.
pub fn field_label(field: &str) -> &str {
    let base = field.split('[').next().unwrap_or(field);
    if let Some(label) = WRITING.get().and_then(|thing| label_on(thing, base)) {
        return label;
    }
    match base {
        "id_number" => "身份证号",
        "name" => "姓名",
        "phone" => "手机号码",
        "gender" => "性别",
        "birth_date" => "出生日期",
        "hukou_region_code" => "户籍地",
        "hukou_township" => "乡镇",
        "hukou_village" => "村",
        "poverty_status" => "贫困户属性",
        "household_no" => "户编号",
        "education" => "文化程度",
        "skills" => "技能",
        "desired_occupations" => "意向工种",
        "desired_region_codes" => "意向地区",
        "available_from" => "可上岗日期",
        "notes" => "备注",
        "version" => "版本号",
        "uscc" => "统一社会信用代码",
        "region_code" => "所在地",
        "address" => "地址",
        "industry" => "行业",
        "contact_name" => "联系人",
        "contact_phone" => "联系电话",
        "is_poverty_workshop" => "是否扶贫车间",
        "employer_id" => "用工单位",
        "employer_name" => "就业单位名称",
        "title" => "岗位名称",
        "occupation" => "工种",
        "description" => "岗位描述",
        "headcount" => "招聘人数",
        "salary_min" => "最低月薪",
        "salary_max" => "最高月薪",
        "min_age" => "最低年龄",
        "max_age" => "最高年龄",
        "gender_requirement" => "性别要求",
        "education_min" => "最低学历",
        "benefits" => "福利待遇",
        "status" => "状态",
        "opens_on" => "开始招聘日期",
        "closes_on" => "截止日期",
        "job_fair_id" => "招聘会",
        "labourer_id" => "劳动力",
        "posting_id" => "岗位",
        "started_on" => "就业时间",
        "ended_on" => "离职时间",
        "monthly_income" => "月收入",
        "channel" => "就业渠道",
        "part_time" => "是否兼职",
        "evidence" => "佐证材料",
        "verified_on" => "核实日期",
        "enrolment_id" => "培训报名",
        "held_on" => "举办日期",
        "venue" => "地点",
        "organisers" => "主办单位",
        "online" => "是否线上",
        "provider" => "培训机构",
        "provider_region_code" => "培训机构所在地",
        "free" => "是否免费",
        "certificate_name" => "证书名称",
        "programme_id" => "培训项目",
        "starts_on" => "开班日期",
        "ends_on" => "结业日期",
        "capacity" => "名额",
        "location" => "上课地点",
        "completed_on" => "结业日期",
        "certificate_no" => "证书编号",
        "certificate_kind" => "证书类别",
        "certificate_level" => "证书等级",
        "certified_on" => "发证日期",
        "school_name" => "学校名称",
        "school_region_code" => "学校所在地",
        "major" => "专业",
        "enrolled_on" => "入学时间",
        "graduated_on" => "毕业时间",
        "left_on" => "离校时间",
        "year" => "年度",
        "metric" => "指标",
        "min_value" => "目标值",
        "due_on" => "截止日期",
        "what" => "报送内容",
        "recipients" => "收件人",
        "remind_days_before" => "提前提醒天数",
        "username" => "用户名",
        "password" => "密码",
        "email" => "电子邮箱",
        "role" => "角色",
        "unit" => "单位",
        "q" => "关键词",
        "as_of" => "截至日期",
        "county" => "县（区）",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_and_english_must_outrank_it() {
        assert_eq!(Lang::from_accept_language(None), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("en;q=0.5,zh;q=0.9")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("fr, en;q=0.4")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en;q=0")), Lang::Zh);
        assert_eq!(Lang::from_accept_language(Some("garbage;;q=x")), Lang::Zh);
    }

    #[test]
    fn a_records_own_labels_apply_while_it_is_written_and_nest() {
        assert_eq!(field_label("name"), "姓名");
        {
            let _employer = Labels::of(Thing::Employer);
            assert_eq!(field_label("name"), "单位名称");
            assert!(general::required("name").zh.contains("“单位名称”"));
            {
                let _posting = Labels::of(Thing::Posting);
                assert_eq!(field_label("region_code"), "工作地点");
            }
            assert_eq!(field_label("region_code"), "单位所在地");
        }
        assert_eq!(field_label("name"), "姓名");
        assert_eq!(field_label("region_code"), "所在地");
    }

    #[test]
    fn field_labels_name_list_members_by_their_list() {
        assert_eq!(field_label("skills[2]"), "技能");
        assert_eq!(field_label("id_number"), "身份证号");
        assert_eq!(field_label("nickname"), "nickname");
        assert!(general::required("name").zh.contains("姓名"));
        assert_eq!(general::required("name").en, "`name` is required");
    }
}

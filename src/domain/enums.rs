//! The closed lists of the data model (DESIGN §3–4): each a Rust enum whose
//! JSON and database spelling is a stable snake_case code, with the Chinese
//! label offices write and the other names their spreadsheets use.
//!
//! Parsing accepts the code, the label or any alias, so an imported 台账 that
//! says 脱贫户 reads as `lifted`. The database mapping lives in `db::types`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{codes, DomainError};
use crate::messages::identity as msg;

/// Declares a closed list: variants with their code, Chinese label and
/// aliases, and the name of the list for messages (Chinese, English).
macro_rules! closed_list {
    (
        $(#[$meta:meta])*
        $name:ident ($what_zh:literal, $what_en:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal $(, $alias:literal)* ; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The list's name in messages (Chinese, English).
            pub const WHAT: (&'static str, &'static str) = ($what_zh, $what_en);

            /// The JSON and database spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Chinese label offices write and pages show.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Every spelling accepted for this value: code, label, aliases.
            pub fn spellings(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$code, $label $(, $alias)*],)+ }
            }

            /// The codes, for messages and the OpenAPI document.
            pub fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            /// The code, the label or an alias; white space and full-width
            /// forms are ignored. Error code `enum`.
            fn from_str(s: &str) -> Result<Self, DomainError> {
                // Stored values are codes: found without normalising (a
                // ledger parses one per row).
                if let Some(v) = Self::ALL.iter().copied().find(|v| v.as_str() == s) {
                    return Ok(v);
                }
                let wanted: String = super::normalise::code(s).split_whitespace().collect();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.spellings().iter().any(|sp| *sp == wanted))
                    .ok_or_else(|| {
                        let labels: Vec<&str> = Self::ALL.iter().map(|v| v.label_zh()).collect();
                        DomainError::new(codes::ENUM, msg::not_a_choice(Self::WHAT, s.trim(), &labels, &Self::codes()))
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(|e: DomainError| serde::de::Error::custom(e.message.en))
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::codes()))
                    .description(Some(concat!($what_en, " (", $what_zh, ")")))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

closed_list! {
    /// Poverty status of a person (DESIGN §3).
    PovertyStatus("贫困户属性", "poverty status") {
        /// 建档立卡贫困户, registered and not yet lifted out of poverty.
        RegisteredPoor = "registered_poor", "建档立卡贫困户", "未脱贫户", "贫困户", "建档立卡户", "建档立卡", "建档立卡贫困人口";
        /// 已脱贫户: lifted out, but still on the 建档立卡 register.
        Lifted = "lifted", "已脱贫户", "脱贫户";
        /// 边缘易致贫户: at risk, monitored.
        Monitored = "monitored", "边缘易致贫户", "监测户", "脱贫不稳定户", "突发严重困难户", "监测对象";
        /// Not poor.
        None = "none", "非贫困户", "一般户", "一般农户", "非建档立卡户";
        /// Registered on the spot (e.g. at a fair) until a clerk confirms.
        Unverified = "unverified", "待核实";
    }
}

impl PovertyStatus {
    /// The statuses ledgers count unless configured otherwise.
    pub const COUNTED_BY_DEFAULT: [PovertyStatus; 2] = [PovertyStatus::RegisteredPoor, PovertyStatus::Lifted];
}

closed_list! {
    /// Highest education completed, ordered from least to most.
    ///
    /// `Vocational` (secondary vocational school) ranks just above
    /// `SeniorHigh`, so a posting asking for senior high school accepts
    /// vocational graduates.
    Education("文化程度", "education") {
        /// Never went to school.
        None = "none", "未上过学", "文盲", "未上学", "无", "半文盲", "小学肄业";
        /// Primary school.
        Primary = "primary", "小学", "小学毕业", "小学文化", "初中肄业";
        /// Junior high school.
        JuniorHigh = "junior_high", "初中", "初中毕业", "初中文化", "高中肄业", "中专肄业";
        /// Senior high school.
        SeniorHigh = "senior_high", "高中", "高中毕业", "普高", "高中文化", "大专肄业", "大学肄业";
        /// Secondary vocational school (中专, 技校, 职高).
        Vocational = "vocational", "中专/技校/职高", "中专", "中职", "技校", "职高", "中技", "中专毕业", "技校毕业";
        /// Junior college (大专).
        College = "college", "大专", "高职", "专科", "大专毕业", "大专文化";
        /// Bachelor's degree or higher.
        BachelorPlus = "bachelor_plus", "本科及以上", "本科", "研究生", "硕士", "博士", "本科毕业", "大学本科";
    }
}

closed_list! {
    /// Whom a posting is open to by sex.
    GenderRequirement("性别要求", "gender requirement") {
        /// Anyone.
        Any = "any", "不限", "男女不限";
        /// Men only.
        Male = "male", "男", "限男性";
        /// Women only.
        Female = "female", "女", "限女性";
    }
}

closed_list! {
    /// Whether a posting takes applications (before its dates are applied).
    PostingStatus("岗位状态", "posting status") {
        /// Taking applications (within its dates, while places are left).
        Open = "open", "招聘中", "开放";
        /// Closed by the employer or a clerk.
        Closed = "closed", "已关闭", "关闭", "停止招聘";
    }
}

closed_list! {
    /// What a posting provides besides pay.
    Benefit("福利待遇", "benefit") {
        /// Housing (包住).
        Housing = "housing", "包住", "住宿", "提供住宿";
        /// Meals (包吃).
        Meals = "meals", "包吃", "工作餐", "提供食宿";
        /// Travel paid (交通补贴).
        Transport = "transport", "交通补贴", "路费补贴", "车费报销";
        /// Social insurance (五险).
        Insurance = "insurance", "五险", "五险一金", "社保", "买社保";
    }
}

closed_list! {
    /// How a person found a job (就业渠道).
    Channel("就业渠道", "channel") {
        /// At a job fair.
        JobFair = "job_fair", "招聘会", "现场招聘会", "专场招聘会";
        /// After training.
        Training = "training", "培训", "技能培训", "培训后就业";
        /// Referred by a bureau or an acquaintance.
        Referral = "referral", "转介", "推荐", "劳务协作推荐", "劳务协作", "劳务输出", "组织输出", "有组织输出";
        /// Found it themselves.
        SelfFound = "self_found", "自主就业", "自主择业", "自谋职业", "亲友介绍", "自主外出", "自行外出", "自主务工";
        /// Through a public employment service or public-welfare post.
        PublicService = "public_service", "公共服务", "公共就业服务", "公益性岗位";
    }
}

closed_list! {
    /// What came of a fair attendee's interest in a posting.
    IntentionStatus("意向状态", "intention status") {
        /// Wants the job.
        Intended = "intended", "有意向", "达成意向";
        /// Hired: a placement was made.
        Hired = "hired", "已录用", "录用";
        /// Did not come to anything.
        Declined = "declined", "未录用", "放弃";
    }
}

closed_list! {
    /// Where a trainee stands in a training session.
    EnrolmentStatus("培训状态", "enrolment status") {
        /// Enrolled, not finished.
        Enrolled = "enrolled", "在训", "已报名";
        /// Completed the course.
        Completed = "completed", "结业", "已结业", "合格";
        /// Left the course.
        Dropped = "dropped", "退出", "中途退出";
    }
}

closed_list! {
    /// The kind of certificate a course leads to.
    CertificateKind("证书类别", "certificate kind") {
        /// 职业资格证书.
        Qualification = "qualification", "职业资格证书", "职业资格";
        /// 职业技能等级证书.
        SkillLevel = "skill_level", "职业技能等级证书", "职业技能等级";
        /// 专项职业能力证书.
        SpecialAbility = "special_ability", "专项职业能力证书", "专项职业能力";
    }
}

closed_list! {
    /// Where a student stands at a vocational school.
    StudyStatus("在读状态", "study status") {
        /// Studying.
        Studying = "studying", "在读", "在校";
        /// Graduated.
        Graduated = "graduated", "毕业", "已毕业";
        /// Left without graduating.
        Left = "left", "退学", "离校", "辍学", "肄业";
    }
}

closed_list! {
    /// What a target counts: a ledger (DESIGN §5) or a count of programmes.
    TargetMetric("指标", "metric") {
        /// 新增转移到东部地区就业贫困人口.
        NewTransfersEast = "new-transfers-east", "新增转移到东部地区就业贫困人口";
        /// 已在东部省份稳定就业贫困人口.
        StableEast = "stable-east", "已在东部省份稳定就业贫困人口";
        /// 到东部就读职业学校贫困学生.
        VocationalStudentsEast = "vocational-students-east", "到东部就读职业学校贫困学生";
        /// 毕业贫困学生就业.
        GraduatesEmployed = "graduates-employed", "毕业贫困学生就业";
        /// The job-fair ledger's rows.
        JobFairLedger = "job-fairs", "招聘会台账";
        /// The training ledger's rows.
        TrainingLedger = "trainings", "职业技能培训台账";
        /// Joint job fairs held.
        JobFairs = "job_fairs", "举办招聘会场次";
        /// Training sessions run.
        TrainingSessions = "training_sessions", "举办培训班期数";
    }
}

closed_list! {
    /// What is due on a deadline.
    DeadlineKind("报送内容", "deadline kind") {
        /// The ledgers (台账).
        Ledgers = "ledgers", "台账";
        /// The year's summary.
        Summary = "summary", "总结";
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::tests::serialized;

    #[test]
    fn every_channel_a_ledger_prints_reads_back_as_itself() {
        for channel in Channel::ALL {
            let printed = crate::ledger::cells::channel_label(channel.as_str());
            assert_eq!(printed.parse::<Channel>().ok(), Some(*channel), "{printed}");
        }
    }

    #[test]
    fn poverty_status_reads_every_name_offices_write() {
        for (written, status) in [
            ("建档立卡贫困户", PovertyStatus::RegisteredPoor),
            ("未脱贫户", PovertyStatus::RegisteredPoor),
            ("贫困户", PovertyStatus::RegisteredPoor),
            ("已脱贫户", PovertyStatus::Lifted),
            ("脱贫户", PovertyStatus::Lifted),
            ("监测户", PovertyStatus::Monitored),
            ("边缘易致贫户", PovertyStatus::Monitored),
            ("脱贫不稳定户", PovertyStatus::Monitored),
            ("突发严重困难户", PovertyStatus::Monitored),
            ("一般户", PovertyStatus::None),
            ("非贫困户", PovertyStatus::None),
            ("待核实", PovertyStatus::Unverified),
            (" lifted ", PovertyStatus::Lifted),
        ] {
            assert_eq!(written.parse::<PovertyStatus>().unwrap(), status, "{written}");
        }
        for status in PovertyStatus::ALL {
            assert_eq!(serialized(status), status.as_str());
            assert_eq!(status.label_zh().parse::<PovertyStatus>().unwrap(), *status);
        }
    }

    #[test]
    fn an_unknown_value_names_the_choices_in_both_languages() {
        let err = "poor".parse::<PovertyStatus>().unwrap_err();
        assert_eq!(err.code, "enum");
        assert!(err.message.en.contains("'poor'") && err.message.en.contains("registered_poor"));
        assert!(err.message.zh.contains("已脱贫户"), "{}", err.message.zh);
        // Left blank, as a form's （请选择）: asked for, not quoted back as “”.
        let err = " ".parse::<PovertyStatus>().unwrap_err();
        assert!(err.message.zh.starts_with("请选择贫困户属性；可选："), "{}", err.message.zh);
    }

    #[test]
    fn education_reads_office_names_and_is_ordered_by_level() {
        for (written, level) in [
            ("文盲", Education::None),
            ("未上学", Education::None),
            ("小学", Education::Primary),
            ("初中", Education::JuniorHigh),
            ("高中", Education::SeniorHigh),
            ("中专", Education::Vocational),
            ("中职", Education::Vocational),
            ("技校", Education::Vocational),
            ("大专", Education::College),
            ("高职", Education::College),
            ("本科", Education::BachelorPlus),
            ("研究生", Education::BachelorPlus),
            ("ｊｕｎｉｏｒ＿ｈｉｇｈ", Education::JuniorHigh),
        ] {
            assert_eq!(written.parse::<Education>().unwrap(), level, "{written}");
        }
        assert!(Education::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(Education::Vocational >= Education::SeniorHigh);
        assert_eq!("phd".parse::<Education>().unwrap_err().code, "enum");
    }

    #[test]
    fn every_list_round_trips_through_code_and_label() {
        fn check<T: FromStr<Err = DomainError> + Serialize + Copy + PartialEq + fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            label: fn(T) -> &'static str,
        ) {
            for v in all {
                assert_eq!(code(*v).parse::<T>().unwrap(), *v);
                assert_eq!(label(*v).parse::<T>().unwrap(), *v);
                assert_eq!(serialized(v), code(*v));
            }
        }
        check(GenderRequirement::ALL, GenderRequirement::as_str, GenderRequirement::label_zh);
        check(PostingStatus::ALL, PostingStatus::as_str, PostingStatus::label_zh);
        check(Benefit::ALL, Benefit::as_str, Benefit::label_zh);
        check(Channel::ALL, Channel::as_str, Channel::label_zh);
        check(IntentionStatus::ALL, IntentionStatus::as_str, IntentionStatus::label_zh);
        check(EnrolmentStatus::ALL, EnrolmentStatus::as_str, EnrolmentStatus::label_zh);
        check(CertificateKind::ALL, CertificateKind::as_str, CertificateKind::label_zh);
        check(StudyStatus::ALL, StudyStatus::as_str, StudyStatus::label_zh);
        check(TargetMetric::ALL, TargetMetric::as_str, TargetMetric::label_zh);
        check(DeadlineKind::ALL, DeadlineKind::as_str, DeadlineKind::label_zh);
        assert_eq!("包吃住".parse::<Benefit>().unwrap_err().code, "enum", "two benefits are two values");
    }
}

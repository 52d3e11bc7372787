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

/// Messages of the HTTP layer and of validation in general.
pub mod general {
    use super::{Text, Thing};

    /// A field that must be given.
    pub fn required(field: &str) -> Text {
        Text::new(format!("请填写“{}”", super::field_label(field)), format!("`{field}` is required"))
    }
    /// A field that may be left out but not set to null.
    pub fn not_null(field: &str) -> Text {
        Text::new(format!("“{}”不能清空", super::field_label(field)), format!("`{field}` cannot be null"))
    }
    /// A value of the wrong JSON type.
    pub fn wrong_type(field: &str, serde: &str) -> Text {
        Text::new(
            format!("“{}”的格式不对（{}）", super::field_label(field), serde),
            format!("`{field}` has the wrong type: {serde}"),
        )
    }
    /// A key the resource does not have.
    pub fn unknown_field(field: &str) -> Text {
        Text::new(format!("没有“{field}”这一项"), format!("`{field}` is not a field of this resource"))
    }
    /// A key derived from the ID number.
    pub fn derived(field: &str) -> Text {
        Text::new(
            format!("“{}”由身份证号自动得出，不能填写", super::field_label(field)),
            format!("`{field}` is derived from the ID number and cannot be set"),
        )
    }
    /// Text longer than allowed.
    pub fn too_long(max: u64) -> Text {
        Text::new(format!("最多 {max} 个字"), format!("at most {max} characters"))
    }
    /// A list longer than allowed.
    pub fn too_many(max: u64) -> Text {
        Text::new(format!("最多 {max} 项"), format!("at most {max} entries"))
    }
    /// Text shorter than required.
    pub fn too_short(min: u64) -> Text {
        Text::new(format!("至少 {min} 个字"), format!("at least {min} characters"))
    }
    /// A number outside its range.
    pub fn out_of_range(min: Option<f64>, max: Option<f64>) -> Text {
        match (min, max) {
            (Some(lo), Some(hi)) => {
                Text::new(format!("应在 {lo} 到 {hi} 之间"), format!("must be between {lo} and {hi}"))
            }
            (Some(lo), None) => Text::new(format!("不能小于 {lo}"), format!("must be at least {lo}")),
            (None, Some(hi)) => Text::new(format!("不能大于 {hi}"), format!("must be at most {hi}")),
            (None, None) => Text::new("数值不在允许范围内", "out of range"),
        }
    }
    /// A value not among the allowed ones.
    pub fn not_one_of(value: &str, allowed: &[&str]) -> Text {
        Text::new(
            format!("“{value}”不是可选值；可选：{}", allowed.join("、")),
            format!("`{value}` is not one of {}", allowed.join(", ")),
        )
    }
    /// An e-mail address that cannot be one.
    pub fn not_an_email(value: &str) -> Text {
        Text::new(format!("“{value}”不是有效的电子邮箱地址"), format!("`{value}` is not an e-mail address"))
    }
    /// A control character (NUL and the like) in text.
    pub fn control_character() -> Text {
        Text::new(
            "含有不可见的控制字符（例如 NUL），请重新输入",
            "contains a control character (such as NUL); type it again",
        )
    }
    /// A date after another it must not follow.
    pub fn date_order(field: &str, other: &str) -> Text {
        Text::new(
            format!("“{}”不能早于“{}”", super::field_label(field), super::field_label(other)),
            format!("`{field}` is before `{other}`"),
        )
    }
    /// A number below another it must not be below.
    pub fn below(field: &str, other: &str) -> Text {
        Text::new(
            format!("“{}”不能小于“{}”", super::field_label(field), super::field_label(other)),
            format!("`{field}` is below `{other}`"),
        )
    }
    /// The 422 summary.
    pub fn invalid_fields(fields: &[&str]) -> Text {
        let zh: Vec<String> = fields.iter().map(|f| super::field_label(f).to_string()).collect();
        Text::new(
            format!("有 {} 项填写不正确：{}", fields.len(), zh.join("、")),
            format!("{} field(s) failed validation: {}", fields.len(), fields.join(", ")),
        )
    }
    /// A record referred to by id that does not exist.
    pub fn no_such(thing: Thing) -> Text {
        let (zh, en) = thing.name();
        Text::new(format!("没有这个编号的{zh}"), format!("no {en} has this id"))
    }
    /// The 404 detail.
    pub fn not_found(thing: Thing) -> Text {
        let (zh, en) = thing.name();
        Text::new(format!("找不到该{zh}，或您无权查看"), format!("no such {en}, or you may not see it"))
    }
    /// The 409 for a stale version.
    pub fn stale(current: i32) -> Text {
        Text::new(
            format!("该记录已被他人修改，当前版本为 {current}；请刷新后重试"),
            format!("the record was changed by someone else; it is now at version {current}, reload and try again"),
        )
    }
    /// The field message of a stale version.
    pub fn stale_field(current: i32) -> Text {
        Text::new(format!("当前版本为 {current}"), format!("current version is {current}"))
    }
    /// A duplicate whose existing record is named.
    pub fn duplicate(thing: Thing, existing: i64) -> Text {
        let (zh, en) = thing.name();
        Text::new(format!("已登记过，见{zh}编号 {existing}"), format!("already registered as {en} {existing}"))
    }
    /// The field message of a duplicate.
    pub fn already_registered() -> Text {
        Text::new("已登记过", "already registered")
    }
    /// A unique key collision the code did not foresee.
    pub fn same_key() -> Text {
        Text::new("已有相同的记录", "a record with the same key already exists")
    }
    /// A foreign-key refusal.
    pub fn still_referenced() -> Text {
        Text::new(
            "该记录仍被其他记录引用，或引用的记录不存在，不能这样修改",
            "the record is referred to by, or refers to, records that do not allow this change",
        )
    }
    /// A delete refused while other records refer to the record.
    pub fn referenced_by(thing: Thing, id: i64, refs: &[(Thing, i64)]) -> Text {
        let (zh, en) = thing.name();
        let zh_list: Vec<String> = refs.iter().map(|(t, n)| format!("{n} 条{}", t.name().0)).collect();
        let en_list: Vec<String> = refs.iter().map(|(t, n)| format!("{n} {}(s)", t.name().1)).collect();
        Text::new(
            format!("{zh} {id} 仍被 {} 引用，请先处理这些记录", zh_list.join("、")),
            format!("{en} {id} is referred to by {}; remove those first", en_list.join(", ")),
        )
    }
    /// A body that is not JSON.
    pub fn not_json(serde: &str) -> Text {
        Text::new(format!("请求内容不是有效的 JSON：{serde}"), format!("the body is not valid JSON: {serde}"))
    }
    /// A JSON body that is not an object.
    pub fn not_an_object() -> Text {
        Text::new("请求内容必须是 JSON 对象", "the body must be a JSON object")
    }
    /// A query string that cannot be read.
    pub fn bad_query(serde: &str) -> Text {
        Text::new(format!("查询参数无法读取：{serde}"), format!("the query string cannot be read: {serde}"))
    }
    /// A query parameter with a bad value.
    pub fn bad_param(name: &str, value: &str) -> Text {
        Text::new(format!("参数“{name}”的值“{value}”无效"), format!("`{value}` is not a valid value"))
    }
    /// A path segment that should be an id.
    pub fn bad_path() -> Text {
        Text::new("路径中的编号应为整数", "expected an integer id")
    }
    /// The page size rule.
    pub fn limit_range() -> Text {
        Text::new("每页条数应在 1 到 500 之间", "must be between 1 and 500")
    }
    /// A cursor this service did not give out.
    pub fn bad_cursor() -> Text {
        Text::new("翻页标记无效", "not a cursor this service gave out")
    }
    /// A body over the size limit.
    pub fn too_large(limit: usize) -> Text {
        Text::new(
            format!("请求内容超过 {limit} 字节的上限"),
            format!("the body is larger than the {limit} bytes allowed"),
        )
    }
    /// A body that is not JSON by its media type.
    pub fn send_json() -> Text {
        Text::new("请以 application/json 格式发送", "send the body as application/json")
    }
    /// An unexpected failure.
    pub fn internal() -> Text {
        Text::new("服务器内部出错，已记录日志", "something went wrong on our side; it has been logged")
    }
    /// The database is unreachable.
    pub fn unavailable() -> Text {
        Text::new("数据库繁忙或无法连接，请稍后再试", "the database is busy or unreachable; try again shortly")
    }
    /// Too many failed attempts.
    pub fn too_many_attempts(secs: u64) -> Text {
        Text::new(
            format!("失败次数过多，请 {secs} 秒后再试"),
            format!("too many failed attempts; try again in {secs} seconds"),
        )
    }
    /// A field that cannot change after creation.
    pub fn immutable(field: &str) -> Text {
        Text::new(
            format!("“{}”创建后不能修改", super::field_label(field)),
            format!("`{field}` cannot be changed once created"),
        )
    }
}

/// Messages about who may do what.
pub mod access {
    use super::Text;

    /// No bearer token.
    pub fn sign_in() -> Text {
        Text::new(
            "请先登录（发送 Authorization: Bearer <令牌>，或在 /api/v1/auth/login 登录）",
            "send `Authorization: Bearer <token>`; log in at /api/v1/auth/login",
        )
    }
    /// An unknown or expired token.
    pub fn token_expired() -> Text {
        Text::new("登录已失效，请重新登录", "the token is unknown or has expired; log in again")
    }
    /// A malformed Authorization header.
    pub fn bad_authorization() -> Text {
        Text::new("Authorization 请求头应为“Bearer <令牌>”", "the Authorization header must be `Bearer <token>`")
    }
    /// Wrong username or password.
    pub fn wrong_password() -> Text {
        Text::new("用户名或密码不正确", "wrong username or password")
    }
    /// A role that may not do something.
    pub fn role_may_not(role: &str, what: &(&str, &str), allowed: &[&str]) -> Text {
        Text::new(
            format!("“{role}”角色无权{}（允许：{}）", what.0, allowed.join("、")),
            format!("role `{role}` may not {} (allowed: {})", what.1, allowed.join(", ")),
        )
    }
    /// A refusal with its own words.
    pub fn refused(zh: &str, en: &str) -> Text {
        Text::new(zh, en)
    }
}

/// Messages of the identity rules: ID numbers (GB 11643), USCCs (GB 32100),
/// mobile phones, region codes (GB/T 2260) and the enumerations of DESIGN §3.
pub mod identity {
    use super::Text;

    /// No ID number.
    pub fn id_required() -> Text {
        Text::new("请填写身份证号", "ID number is required")
    }
    /// A first-generation 15-digit number.
    pub fn id_old_format() -> Text {
        Text::new(
            "这是旧的15位身份证号，请按本人现在使用的18位身份证号填写",
            "this is an old 15-digit ID number; 15-digit numbers must be converted to the 18-digit form \
             (as printed on the person's current ID card) before registering",
        )
    }
    /// Wrong length.
    pub fn id_length(len: usize) -> Text {
        Text::new(
            format!("身份证号应为18位，现在是{len}位"),
            format!("ID number must be 18 characters long, got {len}"),
        )
    }
    /// A character that is not a digit (or X last).
    pub fn id_charset(position: usize, c: char) -> Text {
        Text::new(
            format!("身份证号应为17位数字加最后1位数字或X；第{position}位“{c}”不符合"),
            format!(
                "ID number must be 17 digits followed by a digit or X; character {position} ('{c}') is not allowed"
            ),
        )
    }
    /// Digits 7–14 are not a real date.
    pub fn id_birth_not_a_date(shown: &str) -> Text {
        Text::new(
            format!("身份证号中的出生日期（{shown}）不是真实的日期，请核对"),
            format!("the birth date in the ID number ({shown}) is not a real date"),
        )
    }
    /// A birth date after today.
    pub fn id_birth_in_future(shown: &str, today: &str) -> Text {
        Text::new(
            format!("身份证号中的出生日期（{shown}）晚于今天（{today}），请核对"),
            format!("the birth date in the ID number ({shown}) is after today ({today})"),
        )
    }
    /// A birth date before 1900.
    pub fn id_birth_too_early(shown: &str) -> Text {
        Text::new(
            format!("身份证号中的出生日期（{shown}）早于1900年，请核对"),
            format!("the birth date in the ID number ({shown}) is before 1900-01-01"),
        )
    }
    /// The check character does not match. It never names the expected
    /// character: a clerk who mistyped a middle digit would change the last
    /// one and save a valid-looking wrong number.
    pub fn id_checksum() -> Text {
        Text::new(
            "身份证号校验不通过：其中有数字录入有误。请对照身份证逐位核对全部18位，不要只改最后一位",
            "the ID number does not add up: one of its digits was mistyped. Check all 18 characters against \
             the ID card; do not just change the last one",
        )
    }
    /// A number a spreadsheet stored as a number and rounded.
    pub fn id_became_a_number(shown: &str) -> Text {
        Text::new(
            format!("身份证号被表格软件存成了数字（{shown}），后几位已经丢失；请把该列设为“文本”后重新录入"),
            format!(
                "the ID number was stored by a spreadsheet as a number ({shown}) and its last digits are lost; \
                 format the column as text and type it again"
            ),
        )
    }
    /// No USCC.
    pub fn uscc_required() -> Text {
        Text::new("请填写统一社会信用代码", "unified social credit code is required")
    }
    /// Wrong USCC length.
    pub fn uscc_length(len: usize) -> Text {
        Text::new(
            format!("统一社会信用代码应为18位，现在是{len}位"),
            format!("unified social credit code must be 18 characters long, got {len}"),
        )
    }
    /// A character outside the USCC alphabet.
    pub fn uscc_charset(position: usize, c: char) -> Text {
        Text::new(
            format!("统一社会信用代码只能含数字和除 I、O、S、V、Z 以外的大写字母；第{position}位“{c}”不符合"),
            format!(
                "unified social credit code may only contain digits and the letters A-H J-N P-R T-U W-Y \
                 (no I, O, S, V or Z); character {position} ('{c}') is not allowed"
            ),
        )
    }
    /// A USCC whose check character is wrong (accepted with a warning).
    pub fn uscc_checksum() -> Text {
        Text::new(
            "统一社会信用代码校验不通过，已先接受；请对照营业执照逐位核对全部18位",
            "the unified social credit code does not add up; accepted, but check all 18 characters against \
             the business licence",
        )
    }
    /// No phone number.
    pub fn phone_required() -> Text {
        Text::new("请填写手机号码", "mobile number is required")
    }
    /// A phone with a character that is not a digit.
    pub fn phone_charset(position: usize, c: char) -> Text {
        Text::new(
            format!("手机号码只能是数字；第{position}位“{c}”不符合"),
            format!("mobile number may only contain digits; character {position} ('{c}') is not allowed"),
        )
    }
    /// A phone of the wrong length.
    pub fn phone_length(len: usize) -> Text {
        Text::new(format!("手机号码应为11位，现在是{len}位"), format!("mobile number must be 11 digits, got {len}"))
    }
    /// Not a mainland mobile number.
    pub fn phone_format() -> Text {
        Text::new(
            "手机号码应以13至19开头；不接受固定电话",
            "mobile number must start with 13 to 19; landline numbers are not accepted",
        )
    }
    /// No region code.
    pub fn region_required() -> Text {
        Text::new("请填写地区代码", "region code is required")
    }
    /// Not six digits.
    pub fn region_format(value: &str) -> Text {
        Text::new(
            format!("地区代码应为6位数字（GB/T 2260），现在是“{value}”"),
            format!("region code must be 6 digits (GB/T 2260), got '{value}'"),
        )
    }
    /// Six digits that name no region, current or historical.
    pub fn region_unknown(value: &str) -> Text {
        Text::new(
            format!("地区代码 {value} 不是现行或历史上的 GB/T 2260 代码"),
            format!("region code {value} is not a current or historical GB/T 2260 code"),
        )
    }
    /// A name that matches no region.
    pub fn region_name_unknown(value: &str) -> Text {
        Text::new(format!("找不到名为“{value}”的地区"), format!("no region is called '{value}'"))
    }
    /// A name that matches several regions.
    pub fn region_name_ambiguous(value: &str, candidates: &[String]) -> Text {
        Text::new(
            format!("“{value}”可能是：{}；请写出省市县全称或代码", candidates.join("、")),
            format!("'{value}' may be any of {}; give the full name or the code", candidates.join(", ")),
        )
    }
    /// An abolished code that was split: the county must be given.
    pub fn region_split(code: &str, name: &str, successors: &[String]) -> Text {
        Text::new(
            format!("{code}（{name}）已撤销并分属：{}；无法自动判断，请填写户籍所在县（区）", successors.join("、")),
            format!(
                "{code} ({name}) was abolished and split into {}; the hukou county cannot be guessed, give it",
                successors.join(", ")
            ),
        )
    }
    /// A province code that is not one.
    pub fn province_unknown(value: &str) -> Text {
        Text::new(
            format!("“{value}”不是两位的省级代码"),
            format!("'{value}' is not a two-digit GB/T 2260 province code"),
        )
    }
    /// A value outside an enumeration, naming the labels offices write.
    pub fn not_a_choice(what: (&str, &str), value: &str, labels: &[&str], codes: &[&str]) -> Text {
        Text::new(
            format!("{}“{value}”不是可选值；可选：{}", what.0, labels.join("、")),
            format!("{} must be one of {}; got '{value}'", what.1, codes.join(", ")),
        )
    }
}

/// Messages of the registry's rules (DESIGN §4).
pub mod registry {
    use chrono::NaiveDate;

    use super::Text;

    /// A placement with no employer at all.
    pub fn employer_needed() -> Text {
        Text::new(
            "请选择用工单位；单位未登记的，填写单位名称",
            "give employer_id, or employer_name for an employer not in the registry",
        )
    }
    /// A placement naming someone else's enrolment.
    pub fn enrolment_of_another(id: i64) -> Text {
        Text::new(format!("培训报名 {id} 是另一个人的"), format!("enrolment {id} is another person's"))
    }
    /// A placement naming a posting of another employer.
    pub fn posting_of_another(posting: i64, employer: i64) -> Text {
        Text::new(
            format!("岗位 {posting} 属于用工单位 {employer}"),
            format!("posting {posting} belongs to employer {employer}"),
        )
    }
    /// The 409 of overlapping full-time placements.
    pub fn overlap(labourer: i64, other: i64, from: NaiveDate, to: Option<NaiveDate>) -> Text {
        let (zh_to, en_to) = match to {
            Some(d) => (d.to_string(), d.to_string()),
            None => ("今（仍在职）".to_string(), "now (ongoing)".to_string()),
        };
        Text::new(
            format!(
                "该劳动力已有就业登记 {other}（{from} 至 {zh_to}），时间重叠；请先登记离职日期，或将其中一份标为兼职"
            ),
            format!(
                "labourer {labourer} already has placement {other} from {from} to {en_to}; end it first, or mark one part_time"
            ),
        )
    }
    /// The field message of an overlap.
    pub fn overlap_field(other: i64) -> Text {
        Text::new(format!("与就业登记 {other} 时间重叠"), format!("overlaps placement {other}"))
    }
    /// A PATCH that tries to move a placement to another person.
    pub fn placement_person_fixed() -> Text {
        Text::new(
            "就业登记不能改到另一个人名下；请删除后重新登记",
            "a placement cannot move to another person; delete it and register a new one",
        )
    }
    /// A fair with no organiser.
    pub fn organisers_needed() -> Text {
        Text::new("请至少填写一个主办单位", "name at least one organising unit")
    }
    /// An organiser acting on another unit's fair.
    pub fn not_your_fair(id: i64) -> Text {
        Text::new(
            format!("招聘会 {id} 由其他单位主办，您无权管理"),
            format!("job fair {id} is organised by other units; you may not manage it"),
        )
    }
    /// An organiser creating a fair for other units.
    pub fn organiser_own_unit_only() -> Text {
        Text::new("组织方只能登记本单位主办的招聘会", "an organiser may only keep fairs that their own unit organises")
    }
    /// A walk-in without a name.
    pub fn walk_in_name() -> Text {
        Text::new("尚未登记：请填写姓名", "not registered yet: give the person's name")
    }
    /// A walk-in without a phone.
    pub fn walk_in_phone() -> Text {
        Text::new("尚未登记：请填写手机号码", "not registered yet: give a mobile number")
    }
    /// A name at the door that differs from the registered one.
    pub fn name_mismatch(registered: &str, given: &str) -> Text {
        Text::new(
            format!("登记姓名为{registered}，现场填写为{given}；请核对身份证号"),
            format!("registered as {registered}, given as {given}; check the ID number"),
        )
    }
    /// An intention for someone not checked in.
    pub fn not_checked_in() -> Text {
        Text::new("此人尚未在本场招聘会签到", "this person has not been checked in at this fair")
    }
    /// An intention for a posting not at the fair.
    pub fn not_at_fair() -> Text {
        Text::new("该岗位及其单位都未参加本场招聘会", "neither the posting nor its employer is at this fair")
    }
    /// A second intention for the same posting.
    pub fn intention_exists(id: i64) -> Text {
        Text::new(format!("该意向已登记（编号 {id}）"), format!("this intention is already recorded as {id}"))
    }
    /// A hire without a first day.
    pub fn hire_needs_start() -> Text {
        Text::new("录用需填写上岗日期", "a hire needs the first day of work")
    }
    /// A second hire of the same intention.
    pub fn already_hired(placement: Option<i64>) -> Text {
        let p = placement.map(|p| p.to_string()).unwrap_or_default();
        Text::new(
            format!("已录用（就业登记 {p}）；如需更改，请结束或删除该就业登记"),
            format!("already hired (placement {p}); end or delete that placement instead"),
        )
    }
    /// A hire on a posting that is not taking applications.
    pub fn posting_not_taking(posting: i64, why: &Text) -> Text {
        Text::new(
            format!("岗位 {posting} 已不再招聘：{}", why.zh),
            format!("posting {posting} is not taking applications: {}", why.en),
        )
    }
    /// Why a posting is not taking applications.
    pub fn not_taking(reason: crate::domain::rules::NotTaking) -> Text {
        use crate::domain::rules::NotTaking;
        match reason {
            NotTaking::Closed => Text::new("已关闭", "closed"),
            NotTaking::NotYetOpen(d) => Text::new(format!("{d} 开始报名"), format!("applications open on {d}")),
            NotTaking::Expired(d) => Text::new(format!("报名已于 {d} 截止"), format!("applications closed on {d}")),
            NotTaking::Full(n) => Text::new(format!("{n}个名额已招满"), format!("all {n} places are filled")),
        }
    }
    /// The field message of a full posting.
    pub fn headcount_used(used: i64, headcount: i32) -> Text {
        Text::new(format!("已录用 {used} 人，名额 {headcount} 个"), format!("{used} of {headcount} already hired"))
    }
    /// An enrolment in a full class.
    pub fn session_full(session: i64, taken: i64, capacity: i32) -> Text {
        Text::new(
            format!("培训班 {session} 已满：{capacity} 个名额已报满 {taken} 人"),
            format!("session {session} is full: {taken} of {capacity} places taken"),
        )
    }
    /// The field message of a full class.
    pub fn full() -> Text {
        Text::new("名额已满", "the session is full")
    }
    /// A second enrolment in the same class.
    pub fn already_enrolled(id: i64) -> Text {
        Text::new(format!("已报名该培训班（报名 {id}）"), format!("already enrolled in this session (enrolment {id})"))
    }
    /// Capacity below the enrolments.
    pub fn capacity_below_enrolled(taken: i64) -> Text {
        Text::new(
            format!("已有 {taken} 人报名，名额不能少于此数"),
            format!("{taken} people are enrolled; capacity cannot drop below that"),
        )
    }
    /// The field message of capacity below enrolments.
    pub fn enrolled_count(taken: i64) -> Text {
        Text::new(format!("已报名 {taken} 人"), format!("{taken} enrolled"))
    }
    /// The words for a training outcome that breaks a rule.
    pub fn outcome(problem: crate::domain::rules::OutcomeProblem) -> Text {
        use crate::domain::rules::OutcomeProblem as P;
        match problem {
            P::CompletionDateMissing => {
                Text::new("结业需填写结业日期", "a completed enrolment needs its completion date")
            }
            P::CompletedBeforeStart(d) => {
                Text::new(format!("结业日期早于开班日期 {d}"), format!("before the session started on {d}"))
            }
            P::CertificateWithoutCompletion => {
                Text::new("只有已结业的学员才能登记证书", "only a completed enrolment carries a certificate")
            }
            P::CertificateDateMissing => Text::new("请填写发证日期", "a certificate needs its date of issue"),
            P::CertificateNumberMissing => Text::new(
                "填写了证书类别、等级或日期，请同时填写证书编号",
                "give the certificate number with its kind, level or date",
            ),
        }
    }
    /// One school at a time.
    pub fn already_studying(id: i64) -> Text {
        Text::new(
            format!("此人已在另一所学校就读（记录 {id}）；请先登记毕业或离校"),
            format!("this person is already studying elsewhere (enrolment {id}); record that they left first"),
        )
    }
    /// A target set twice.
    pub fn target_exists(id: i64) -> Text {
        Text::new(
            format!("该年度该指标已设目标（编号 {id}）"),
            format!("a target for this year and metric exists already ({id})"),
        )
    }
    /// The field message of a duplicate target.
    pub fn already_set() -> Text {
        Text::new("该年度已设", "already set for this year")
    }
    /// A deadline without recipients.
    pub fn recipients_needed() -> Text {
        Text::new("请至少填写一个收件人", "name at least one recipient")
    }
    /// A graduation or leaving date required by the status.
    pub fn date_for_status(field: &str) -> Text {
        Text::new(format!("该状态需填写“{}”", super::field_label(field)), format!("this status needs `{field}`"))
    }
    /// A graduation or leaving date that the status does not allow.
    pub fn date_not_for_status(field: &str) -> Text {
        Text::new(
            format!("该状态不应填写“{}”", super::field_label(field)),
            format!("`{field}` does not go with this status"),
        )
    }
}

/// The Chinese label of a JSON field, for messages clerks read.
pub fn field_label(field: &str) -> &str {
    let base = field.split('[').next().unwrap_or(field);
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
    fn field_labels_name_list_members_by_their_list() {
        assert_eq!(field_label("skills[2]"), "技能");
        assert_eq!(field_label("id_number"), "身份证号");
        assert_eq!(field_label("nickname"), "nickname");
        assert!(general::required("name").zh.contains("姓名"));
        assert_eq!(general::required("name").en, "`name` is required");
    }
}

//! Messages of the identity rules: ID numbers (GB 11643), USCCs (GB 32100),
//! mobile phones, region codes (GB/T 2260) and the enumerations of DESIGN §3.

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
    Text::new(format!("身份证号应为18位，现在是{len}位"), format!("ID number must be 18 characters long, got {len}"))
}
/// A character that is not a digit (or X last).
pub fn id_charset(position: usize, c: char) -> Text {
    Text::new(
        format!("身份证号应为17位数字加最后1位数字或X；第{position}位“{c}”不符合"),
        format!("ID number must be 17 digits followed by a digit or X; character {position} ('{c}') is not allowed"),
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
/// An ID number copied from a masked list.
pub fn id_masked() -> Text {
    Text::new(
        "身份证号被遮挡（含 *），无法识别；请从未遮挡的原始名册复制完整号码",
        "the ID number is masked (contains *); copy the full number from an unmasked roster",
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
/// An ID number whose first six digits name no region, current or
/// historical: no 户籍地 was taken from it.
pub fn id_region_unknown(code: &str) -> Text {
    Text::new(
        format!("身份证号前 6 位 {code} 不是现行或历史上的行政区划代码（GB/T 2260），户籍地没有据此填上：请核对身份证号；号码无误时请填写户籍地区县代码，否则此人不计入任何县的台账"),
        format!("the ID number's first six digits {code} are no current or historical region code (GB/T 2260), so no 户籍地 was taken from them: check the number; if it is right, give hukou_region_code, or the person counts in no county's ledger"),
    )
}
/// A region code that is neither current nor historical.
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
/// An abolished code that was split: the county must be given. Said of
/// any place (a hukou, a workplace, an employer's seat), so it names none.
pub fn region_split(code: &str, name: &str, successors: &[String]) -> Text {
    Text::new(
        format!(
            "{code}（{name}）已撤销并分属：{}；无法自动判断是哪一个，请填写其中现行的县（区）",
            successors.join("、")
        ),
        format!(
            "{code} ({name}) was abolished and split into {}; which one cannot be guessed: give the current county",
            successors.join(", ")
        ),
    )
}
/// A province or prefecture where a hukou county is asked for.
pub fn region_not_county(code: &str, name: &str) -> Text {
    Text::new(
        format!("{code}（{name}）是省级或地市级代码，不是县级：请填写县（区、县级市）的代码，如 451424 大新县"),
        format!(
            "{code} ({name}) is a province or prefecture; give the county (district, county-level city), e.g. 451424"
        ),
    )
}
/// A province code that is not one.
pub fn province_unknown(value: &str) -> Text {
    Text::new(format!("“{value}”不是两位的省级代码"), format!("'{value}' is not a two-digit GB/T 2260 province code"))
}
/// A value outside an enumeration, naming the labels offices write.
pub fn not_a_choice(what: (&str, &str), value: &str, labels: &[&str], codes: &[&str]) -> Text {
    // Left blank (a form's （请选择）): asked for, not quoted back as “”.
    if value.is_empty() {
        return Text::new(
            format!("请选择{}；可选：{}", what.0, labels.join("、")),
            format!("{} is required: one of {}", what.1, codes.join(", ")),
        );
    }
    Text::new(
        format!("{}“{value}”不是可选值；可选：{}", what.0, labels.join("、")),
        format!("{} must be one of {}; got '{value}'", what.1, codes.join(", ")),
    )
}

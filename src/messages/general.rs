//! Messages of the HTTP layer and of validation in general.

use super::{Text, Thing};

/// A field that must be given.
pub fn required(field: &str) -> Text {
    Text::new(format!("请填写“{}”", super::field_label(field)), format!("`{field}` is required"))
}
/// A field that may be left out but not set to null.
pub fn not_null(field: &str) -> Text {
    Text::new(format!("“{}”不能清空", super::field_label(field)), format!("`{field}` cannot be null"))
}
/// A value of the wrong type or form, from serde's (or chrono's) message
/// `serde`: the Chinese says what the field takes instead of repeating the
/// parser's English, which stays in the English text.
pub fn wrong_type(field: &str, serde: &str) -> Text {
    Text::new(
        format!("“{}”的格式不对：{}", super::field_label(field), expected_zh(serde)),
        format!("`{field}` has the wrong type: {serde}"),
    )
}

/// What a field takes, in Chinese, read off the parser's message about it.
fn expected_zh(serde: &str) -> &'static str {
    let says = |words: &[&str]| words.iter().any(|w| serde.contains(w));
    if says(&["input is out of range", "input is not enough", "no possible date"]) {
        "不是有效的日期（如 2 月没有 30 日）"
    } else if says(&["input contains invalid characters", "premature end of input", "trailing input", "date"]) {
        "应为日期，写作 年-月-日（如 2019-06-01）"
    } else if says(&["expected a string", "expected str"]) {
        // Before the numbers: an ID number sent as a number is "invalid
        // type: integer …, expected a string" — it wants text, not 整数.
        "应为文字（用引号括起来，如身份证号、电话写成文字）"
    } else if says(&["expected i", "expected u", "integer", "invalid digit", "number too large", "number too small"]) {
        "应为整数（不带小数点、单位或逗号）"
    } else if says(&["expected f", "floating point", "a number"]) {
        "应为数字"
    } else if says(&["boolean", "expected bool"]) {
        "应为“是”或“否”"
    } else if says(&["sequence"]) {
        "应为一组值"
    } else if says(&["a string", "expected str"]) {
        "应为文字"
    } else {
        "无法识别"
    }
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
/// A list shorter than required.
pub fn too_few(min: u64) -> Text {
    Text::new(format!("至少 {min} 项"), format!("at least {min} entries"))
}
/// Text shorter than required.
pub fn too_short(min: u64) -> Text {
    Text::new(format!("至少 {min} 个字"), format!("at least {min} characters"))
}
/// A number outside its range.
pub fn out_of_range(min: Option<f64>, max: Option<f64>) -> Text {
    match (min, max) {
        (Some(lo), Some(hi)) => Text::new(format!("应在 {lo} 到 {hi} 之间"), format!("must be between {lo} and {hi}")),
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
/// The 422 summary, from each failing field's (name, Chinese label).
pub fn invalid_fields(fields: &[(&str, &str)]) -> Text {
    let zh: Vec<&str> = fields.iter().map(|(_, label)| *label).collect();
    let en: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    Text::new(
        format!("有 {} 项填写不正确：{}", fields.len(), zh.join("、")),
        format!("{} field(s) failed validation: {}", fields.len(), en.join(", ")),
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
/// A query parameter that takes one value, given more than once.
pub fn repeated_param(name: &str) -> Text {
    Text::new(
        format!("“{}”只能给一个值，现在给了不止一个", super::field_label(name)),
        format!("`{name}` takes one value and was given more than one"),
    )
}
/// A query parameter with a bad value.
pub fn bad_param(name: &str, value: &str) -> Text {
    // The parameter by its Chinese name where it has one (最低月薪, not
    // salary_min): a browser's page shows this to a trainee.
    Text::new(format!("“{}”的值“{value}”无效", super::field_label(name)), format!("`{value}` is not a valid value"))
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
    Text::new(format!("请求内容超过 {limit} 字节的上限"), format!("the body is larger than the {limit} bytes allowed"))
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
/// An error the HTTP layer answers before any handler runs.
pub fn http_status(status: u16) -> (Text, Text) {
    let (zh_title, en_title, zh, en) = match status {
        405 => {
            ("请求方法不支持", "Method not allowed", "此地址不支持该请求方法", "this address does not take that method")
        }
        406 => ("格式不可用", "Not acceptable", "无法以所要求的格式作答", "no answer in the format asked for"),
        408 => ("请求超时", "Request timeout", "请求未在规定时间内发送完毕", "the request was not sent in time"),
        411 => ("缺少长度", "Length required", "请求缺少 Content-Length", "the request needs a Content-Length"),
        413 => ("内容过大", "Payload too large", "请求内容过大", "the body is too large"),
        414 => ("地址过长", "URI too long", "请求地址过长", "the URL is too long"),
        415 => (
            "格式不支持",
            "Unsupported media type",
            "请求内容的格式不支持",
            "the body's media type is not one this route reads",
        ),
        431 => ("请求头过大", "Request header fields too large", "请求头过大", "the request's headers are too large"),
        s if s >= 500 => {
            ("服务器内部错误", "Internal error", "服务器内部出错，已记录日志", "something went wrong on our side")
        }
        _ => ("请求无法处理", "Bad request", "请求无法处理", "the request could not be handled"),
    };
    (Text::new(zh_title, en_title), Text::new(zh, en))
}

#[cfg(test)]
mod tests {
    use super::wrong_type;

    /// The parsers' messages a clerk's form can provoke, each told in
    /// Chinese without the parser's English (read off serde_json,
    /// serde_urlencoded and chrono for these inputs).
    #[test]
    fn a_value_of_the_wrong_form_is_told_in_chinese() {
        let int = serde_json::from_value::<i32>(serde_json::json!("3000.5")).unwrap_err().to_string();
        let big = serde_json::from_value::<i32>(serde_json::json!(99999999999999999999.0)).unwrap_err().to_string();
        let date = "2019/06/01".parse::<chrono::NaiveDate>().unwrap_err().to_string();
        let no_day = "2019-02-30".parse::<chrono::NaiveDate>().unwrap_err().to_string();
        let flag = serde_json::from_value::<bool>(serde_json::json!("yes")).unwrap_err().to_string();
        let number_for_text =
            serde_json::from_value::<String>(serde_json::json!(451424199001017778_u64)).unwrap_err().to_string();
        for (serde, zh) in [
            (number_for_text, "应为文字"),
            (int, "应为整数"),
            (big, "应为整数"),
            (date, "应为日期，写作 年-月-日"),
            (no_day, "不是有效的日期"),
            (flag, "应为“是”或“否”"),
        ] {
            let told = wrong_type("monthly_income", &serde);
            assert!(told.zh.contains(zh), "{serde} → {}", told.zh);
            assert!(!told.zh.chars().any(|c| c.is_ascii_alphabetic()), "no English in {}", told.zh);
        }
    }
}

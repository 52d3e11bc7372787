//! labour-bridge's addition: the problem+json (RFC 9457) body for an error
//! the HTTP/1 dispatcher answers before any application code runs, in the
//! service's default language (Chinese) with the English alongside.

use crate::StatusCode;

/// The body and content type for `status`.
pub(crate) fn body(status: StatusCode) -> (String, &'static str) {
    let (title, detail) = match status.as_u16() {
        400 => ("请求无法识别", "请求行或请求头格式有误，或地址过长（bad request: malformed request line or headers, or a URL that is too long）"),
        408 => ("请求超时", "请求未在规定时间内发送完毕（request timeout: the request was not sent in time）"),
        413 => ("内容过大", "请求内容过大（payload too large）"),
        414 => ("地址过长", "请求地址过长（URI too long）"),
        431 => ("请求头过大", "请求头或地址过长（request header fields too large, or a URL that is too long）"),
        500 => ("服务器内部错误", "服务器内部错误（internal error）"),
        _ => ("请求无法处理", "请求无法处理（the request could not be handled）"),
    };
    let json = format!(
        "{{\"type\":\"about:blank\",\"title\":\"{title}\",\"status\":{},\"detail\":\"{detail}\",\"errors\":[]}}",
        status.as_u16()
    );
    (json, "application/problem+json")
}

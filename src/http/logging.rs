//! What the request log may say. A request's line names its method, its
//! route pattern (`/api/v1/labourers/{id}`) and its status, never its query
//! string or body: those carry ID numbers, phone numbers, names, passwords
//! and unsubscribe tokens. A refused request logs its status, not the
//! error's words (which may quote what was sent).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::Error;
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

/// The root span of every request, with nothing a person typed in it.
pub struct RedactedSpans;

impl RootSpanBuilder for RedactedSpans {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = match request.match_pattern() {
            Some(pattern) => pattern,
            None => redact_path(request.path()),
        };
        let query = if request.query_string().is_empty() { "" } else { "[redacted]" };
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.target = %target,
            http.query = query,
            http.status_code = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(e) => e.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
        let _entered = span.enter();
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), "request failed");
        } else if status.is_client_error() {
            tracing::info!(status = status.as_u16(), "request refused");
        }
    }
}

/// A path that matched no route, each segment that could carry something
/// personal or secret blanked: one with six or more digits (an ID number,
/// a phone number), a token (`lb_…`), anything escaped (`%ef%bc%94` is a
/// full-width digit) or outside plain ASCII words, or a long one.
pub fn redact_path(path: &str) -> String {
    let plain = |seg: &str| {
        seg.len() <= 32
            && !seg.starts_with("lb_")
            && seg.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && seg.bytes().filter(u8::is_ascii_digit).count() < 6
    };
    let segments: Vec<&str> = path.split('/').take(20).map(|seg| if plain(seg) { seg } else { "******" }).collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn segments_that_could_carry_a_number_or_a_token_are_blanked() {
        assert_eq!(super::redact_path("/api/v1/x/45142419900307123X/1"), "/api/v1/x/******/1");
        assert_eq!(super::redact_path("/api/v1/labourers/12"), "/api/v1/labourers/12");
        assert_eq!(super::redact_path("/api/v1/nope/lb_c7e081ac5e3e9bb4b5908b7c7f0ca2a1"), "/api/v1/nope/******");
        assert_eq!(super::redact_path("/x/%ef%bc%94%ef%bc%95%ef%bc%91"), "/x/******", "full-width digits, escaped");
        assert_eq!(super::redact_path("/x/４５１４２４"), "/x/******");
        assert_eq!(super::redact_path("/static/app.3f2a.css"), "/static/app.3f2a.css");
    }
}

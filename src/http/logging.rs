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

/// A path that matched no route, with every run of six or more digits
/// (an ID number, a phone number) blanked.
pub fn redact_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len().min(200));
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 6 {
            out.push_str("******");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in path.chars().take(200) {
        if c.is_ascii_digit() || c == 'X' || c == 'x' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_digit_runs_are_blanked() {
        assert_eq!(super::redact_path("/api/v1/x/45142419900307123X/1"), "/api/v1/x/******/1");
        assert_eq!(super::redact_path("/api/v1/labourers/12"), "/api/v1/labourers/12");
    }
}

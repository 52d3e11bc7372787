//! The one mapping of [`AppError`] to HTTP: a status and an
//! `application/problem+json` body (RFC 9457), in Chinese unless the
//! request's `Accept-Language` prefers English (DESIGN §7).
//!
//! `ResponseError::error_response` has no access to the request, so it
//! answers in Chinese; [`negotiate`], a middleware, re-renders the answer
//! in English for clients that ask for it, from the `AppError` the response
//! still carries.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use crate::error::AppError;
use crate::messages::Lang;

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        problem_response(self, Lang::Zh)
    }
}

/// The problem+json answer for an error in `lang`.
pub fn problem_response(e: &AppError, lang: Lang) -> HttpResponse {
    let mut response = HttpResponse::build(e.status_code());
    response.content_type("application/problem+json");
    match e {
        AppError::Unauthorized(_) => {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        AppError::TooManyRequests(secs) => {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        _ => {}
    }
    response.insert_header((header::CONTENT_LANGUAGE, if lang == Lang::En { "en" } else { "zh-CN" }));
    response.body(serde_json::to_string(&e.problem(lang)).unwrap_or_default())
}

/// The problem+json answer for a status no [`AppError`] stands behind.
pub fn generic_problem(status: StatusCode, lang: Lang) -> HttpResponse {
    let (title, detail) = crate::messages::general::http_status(status.as_u16());
    let body = crate::error::Problem {
        kind: format!("https://labour-bridge.invalid/problems/{}", status.as_u16()),
        title: title.get(lang).to_string(),
        status: status.as_u16(),
        detail: detail.get(lang).to_string(),
        errors: Vec::new(),
        existing_id: None,
        instance: None,
    };
    HttpResponse::build(status)
        .content_type("application/problem+json")
        .insert_header((header::CONTENT_LANGUAGE, if lang == Lang::En { "en" } else { "zh-CN" }))
        .body(serde_json::to_string(&body).unwrap_or_default())
}

/// The language a request prefers.
pub fn lang_of(req: &actix_web::HttpRequest) -> Lang {
    Lang::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// Middleware: answers problems in English when the request prefers it.
pub async fn negotiate<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let lang = lang_of(req.request());
    let res = next.call(req).await?;
    let status = res.status();
    if status.as_u16() >= 400 && res.response().error().and_then(|e| e.as_error::<AppError>()).is_none() {
        // An error actix-web answered itself (a method the route does not
        // take, a payload it could not read): the same problem+json.
        // A problem already, or the Chinese error page the pages answer a
        // browser with (`http::pages::errors`): both stay as they are.
        let answered = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/problem+json") || v.starts_with("text/html"));
        if !answered {
            let answer = generic_problem(status, lang);
            let (req, _) = res.into_parts();
            return Ok(ServiceResponse::new(req, answer).map_into_right_body());
        }
    }
    if lang == Lang::En {
        if let Some(app) = res.response().error().and_then(|e| e.as_error::<AppError>()) {
            let english = problem_response(app, Lang::En);
            let (req, _) = res.into_parts();
            return Ok(ServiceResponse::new(req, english).map_into_right_body());
        }
    }
    Ok(res.map_into_left_body())
}

/// `Content-Language` for successful JSON answers that carry messages.
pub fn content_language(lang: Lang) -> (header::HeaderName, HeaderValue) {
    (header::CONTENT_LANGUAGE, HeaderValue::from_static(if lang == Lang::En { "en" } else { "zh-CN" }))
}

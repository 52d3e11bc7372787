//! Errors as pages: a browser asking for HTML outside `/api/` gets a
//! Chinese error page (404, 403, 500 with the request id), and a page that
//! needs a sign-in sends it to `/login?next=…`. `/api/v1` keeps
//! problem+json whatever the request accepts.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpResponse, ResponseError};
use askama::Template;

use super::session::Viewer;
use super::{html, see_other, Chrome};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: String,
    detail: String,
    request_id: Option<String>,
}

/// Whether the request is a browser's (or htmx's) asking for a page.
fn wants_html(req: &ServiceRequest) -> bool {
    if req.path().starts_with("/api/") || req.path() == "/healthz" {
        return false;
    }
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("text/html") || req.headers().contains_key("hx-request")
}

/// The page for an error, framed for `viewer` when known (a signed-in
/// clerk's error page showed 登录, as if they had been signed out).
pub fn error_page(e: &AppError, request_id: Option<String>, viewer: Option<&Viewer>) -> HttpResponse {
    let (heading, detail) = match e {
        AppError::NotFound(_) => ("页面不存在".to_string(), "您要找的页面或记录不存在，或您无权查看。".to_string()),
        AppError::Forbidden(t) => ("无权访问".to_string(), t.zh.clone()),
        AppError::Internal(_) | AppError::Unavailable(_) => {
            ("系统出错了".to_string(), "服务暂时出现问题，请稍后再试。".to_string())
        }
        other => (other.title().zh, other.detail().zh),
    };
    let chrome = match viewer {
        Some(v) => Chrome::new(v, heading.clone()),
        None => Chrome::bare(&heading),
    };
    let page = ErrorPage { chrome, heading, detail, request_id };
    let body = html(&page).unwrap_or_else(|_| "<!doctype html><html lang=\"zh-CN\"><title>出错</title>出错了".into());
    HttpResponse::build(e.status_code())
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// Middleware: turns an [`AppError`] answer to a browser into a page.
pub async fn html_errors<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let html_wanted = wants_html(&req);
    let here = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let res = next.call(req).await?;
    if !html_wanted {
        return Ok(res.map_into_left_body());
    }
    let Some(app) = res.response().error().and_then(|e| e.as_error::<AppError>()) else {
        return Ok(res.map_into_left_body());
    };
    let answer = match app {
        AppError::Unauthorized(_) => {
            let next = serde_urlencoded::to_string([("next", here.as_str())]).unwrap_or_default();
            see_other(&format!("/login?{next}"))
        }
        other => {
            let rid = res.request().extensions().get::<tracing_actix_web::RequestId>().map(|r| r.to_string());
            // Who is asking, from the session cookie as any page reads it;
            // if even that fails (the database is down), the bare frame.
            let viewer = match other {
                AppError::Internal(_) | AppError::Unavailable(_) => None,
                _ => Viewer::extract(res.request()).await.ok(),
            };
            error_page(other, rid, viewer.as_ref())
        }
    };
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(req, answer).map_into_right_body())
}

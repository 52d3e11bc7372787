//! HTTP: routes per resource, extractors, the OpenAPI document.

pub mod audit;
pub mod auth;
pub mod employers;
pub mod input;
pub mod labourers;
pub mod openapi;
pub mod placements;
pub mod postings;
pub mod session;
pub mod views;

use actix_web::{web, HttpResponse};

use crate::error::AppError;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            detail: format!("the path is not valid: {err}"),
            errors: vec![crate::error::FieldError::new("id", "type", "expected an integer id")],
        }
        .into()
    }))
    .route("/healthz", web::get().to(healthz))
    .service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(openapi::openapi_json))
            .route("/auth/login", web::post().to(session::login))
            .route("/auth/me", web::get().to(session::me))
            .route("/audit", web::get().to(audit::list))
            .route("/labourers", web::post().to(labourers::create))
            .route("/labourers", web::get().to(labourers::list))
            .route("/labourers/duplicates", web::get().to(labourers::duplicates))
            .route("/labourers/{id}", web::get().to(labourers::get))
            .route("/labourers/{id}", web::patch().to(labourers::patch))
            .route("/labourers/{id}", web::delete().to(labourers::delete))
            .route("/employers", web::post().to(employers::create))
            .route("/employers", web::get().to(employers::list))
            .route("/employers/{id}", web::get().to(employers::get))
            .route("/employers/{id}", web::patch().to(employers::patch))
            .route("/employers/{id}", web::delete().to(employers::delete))
            .route("/postings", web::post().to(postings::create))
            .route("/postings", web::get().to(postings::list))
            .route("/postings/{id}", web::get().to(postings::get))
            .route("/postings/{id}", web::patch().to(postings::patch))
            .route("/postings/{id}", web::delete().to(postings::delete))
            .route("/placements", web::post().to(placements::create))
            .route("/placements", web::get().to(placements::list))
            .route("/placements/{id}", web::get().to(placements::get))
            .route("/placements/{id}", web::patch().to(placements::patch))
            .route("/placements/{id}", web::delete().to(placements::delete)),
    )
    .default_service(web::to(not_found));
}

/// Liveness and database reachability (anyone).
#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, description = "ok"), (status = 503, body = crate::error::Problem)),
    description = "No authentication needed.")]
pub async fn healthz(state: web::Data<crate::startup::AppState>) -> Result<HttpResponse, AppError> {
    use diesel::connection::SimpleConnection;
    state.db.run(|c| c.batch_execute("SELECT 1").map_err(|e| AppError::Unavailable(e.to_string()))).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })))
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound("route"))
}

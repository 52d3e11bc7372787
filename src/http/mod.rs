//! HTTP, the outer edge: the JSON API under `/api/v1` (one file per
//! resource in `api/`), extractors, the problem+json mapping, the OpenAPI
//! document. Handlers extract, check the role, call one registry or model
//! function, and shape the answer; nothing below this module imports it.

pub mod api;
pub mod auth;
pub mod download;
pub mod input;
pub mod limits;
pub mod logging;
pub mod openapi;
pub mod openapi_tidy;
pub mod ops;
pub mod pages;
pub mod problem;
pub mod state;
pub mod upload;
pub mod views;

use actix_web::{web, HttpResponse};

use crate::error::{AppError, FieldError};
use crate::messages::{general, Thing};
use api::*;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| {
        AppError::BadRequest {
            detail: general::bad_path(),
            errors: vec![FieldError::new("id", "type", general::bad_path())],
        }
        .into()
    }))
    .route("/healthz", web::get().to(healthz))
    .route("/readyz", web::get().to(ops::readyz))
    .route("/metrics", web::get().to(ops::metrics_admin))
    .configure(pages::routes)
    .service(
        web::scope("/api/v1")
            // Answers carry personal data (a ledger, a person, full ID
            // numbers): kept by no browser or proxy, unless a handler says
            // otherwise.
            .wrap(
                actix_web::middleware::DefaultHeaders::new().add((actix_web::http::header::CACHE_CONTROL, "no-store")),
            )
            .route("/openapi.json", web::get().to(openapi::openapi_json))
            .route("/auth/login", web::post().to(session::login))
            .route("/auth/logout", web::post().to(session::logout))
            .route("/auth/me", web::get().to(session::me))
            .route("/auth/password", web::post().to(users::change_password))
            .route("/users", web::post().to(users::create))
            .route("/users", web::get().to(users::list))
            .route("/users/{id}", web::get().to(users::get))
            .route("/users/{id}", web::patch().to(users::patch))
            .route("/audit", web::get().to(audit::list))
            .route("/labourers", web::post().to(labourers::create))
            .route("/labourers", web::get().to(labourers::list))
            .route("/imports", web::post().to(imports::create))
            .route("/imports/templates/{file}", web::get().to(imports::template))
            .route("/imports/{id}", web::get().to(imports::get))
            .route("/imports/{id}/rejected.xlsx", web::get().to(imports::rejected))
            .route("/reconciliations", web::post().to(reconciliations::create))
            .route("/labourers/duplicates", web::get().to(duplicates::list))
            .route("/labourers/duplicates/{a}/{b}/merge", web::post().to(duplicates::merge))
            .route("/labourers/duplicates/{a}/{b}/dismiss", web::post().to(duplicates::dismiss))
            .route("/labourers/{id}", web::get().to(labourers::get))
            .route("/labourers/{id}", web::patch().to(labourers::patch))
            .route("/labourers/{id}", web::delete().to(labourers::delete))
            .route("/employers", web::post().to(employers::create))
            .route("/employers", web::get().to(employers::list))
            .route("/employers/{id}", web::get().to(employers::get))
            .route("/employers/{id}", web::patch().to(employers::patch))
            .route("/employers/{id}", web::delete().to(employers::delete))
            .route("/postings/search", web::get().to(search::search))
            .route("/postings/complete", web::get().to(search::complete))
            .route("/postings/{id}/candidates", web::get().to(search::candidates))
            .route("/labourers/{id}/matches", web::get().to(search::matches))
            .route("/postings", web::post().to(postings::create))
            .route("/postings", web::get().to(postings::list))
            .route("/postings/{id}", web::get().to(postings::get))
            .route("/postings/{id}", web::patch().to(postings::patch))
            .route("/postings/{id}", web::delete().to(postings::delete))
            .route("/placements", web::post().to(placements::create))
            .route("/placements", web::get().to(placements::list))
            .route("/placements/{id}", web::get().to(placements::get))
            .route("/placements/{id}", web::patch().to(placements::patch))
            .route("/placements/{id}", web::delete().to(placements::delete))
            .route("/fairs", web::post().to(fairs::create))
            .route("/fairs", web::get().to(fairs::list))
            .route("/fairs/{id}", web::get().to(fairs::get))
            .route("/fairs/{id}", web::patch().to(fairs::patch))
            .route("/fairs/{id}", web::delete().to(fairs::delete))
            .route("/fairs/{id}/employers", web::post().to(fairs::add_employer))
            .route("/fairs/{id}/employers", web::get().to(fairs::employers))
            .route("/fairs/{id}/employers/{employer_id}", web::delete().to(fairs::remove_employer))
            .route("/fairs/{id}/check-ins", web::post().to(fair_desk::check_in))
            .route("/fairs/{id}/attendees", web::get().to(fair_desk::attendees))
            .route("/fairs/{id}/intentions", web::post().to(fair_desk::add_intention))
            .route("/fairs/{id}/intentions", web::get().to(fair_desk::intentions))
            .route("/fairs/{id}/intentions/{intention_id}", web::patch().to(fair_desk::set_outcome))
            .route("/training/programmes", web::post().to(training::create_programme))
            .route("/training/programmes", web::get().to(training::programmes))
            .route("/training/programmes/{id}", web::get().to(training::programme))
            .route("/training/programmes/{id}", web::patch().to(training::patch_programme))
            .route("/training/programmes/{id}", web::delete().to(training::delete_programme))
            .route("/training/sessions", web::post().to(training::create_session))
            .route("/training/sessions", web::get().to(training::sessions))
            .route("/training/sessions/{id}", web::get().to(training::session))
            .route("/training/sessions/{id}", web::patch().to(training::patch_session))
            .route("/training/sessions/{id}", web::delete().to(training::delete_session))
            .route("/training/sessions/{id}/enrolments", web::post().to(enrolments::enrol))
            .route("/training/sessions/{id}/enrolments", web::get().to(enrolments::enrolments))
            .route("/training/sessions/{id}/enrolments/{enrolment_id}", web::patch().to(enrolments::set_outcome))
            .route("/vocational-enrolments", web::post().to(vocational::create))
            .route("/vocational-enrolments", web::get().to(vocational::list))
            .route("/vocational-enrolments/{id}", web::get().to(vocational::get))
            .route("/vocational-enrolments/{id}", web::patch().to(vocational::patch))
            .route("/vocational-enrolments/{id}", web::delete().to(vocational::delete))
            .route("/targets", web::post().to(targets::create_target))
            .route("/targets", web::get().to(targets::targets))
            .route("/targets/progress", web::get().to(targets::progress))
            .route("/targets/{id}", web::get().to(targets::target))
            .route("/targets/{id}", web::patch().to(targets::patch_target))
            .route("/targets/{id}", web::delete().to(targets::delete_target))
            .route("/deadlines", web::post().to(deadlines::create_deadline))
            .route("/deadlines", web::get().to(deadlines::deadlines))
            .route("/deadlines/{id}", web::get().to(deadlines::deadline))
            .route("/deadlines/{id}", web::patch().to(deadlines::patch_deadline))
            .route("/deadlines/{id}", web::delete().to(deadlines::delete_deadline))
            .route("/ledgers/bundle", web::get().to(ledgers::bundle_xlsx))
            .route("/ledgers/{kind}", web::get().to(ledgers::ledger))
            .route("/submissions", web::post().to(submissions::create))
            .route("/submissions", web::get().to(submissions::list))
            .route("/submissions/{id}", web::get().to(submissions::get))
            .route("/submissions/{id}/retry", web::post().to(submissions::retry))
            .route("/submissions/{id}/attachment", web::get().to(submissions::attachment))
            .route("/saved-searches", web::post().to(saved_searches::create))
            .route("/saved-searches", web::get().to(saved_searches::list))
            .route("/saved-searches/unsubscribe", web::get().to(saved_searches::unsubscribe))
            .route("/saved-searches/{id}", web::delete().to(saved_searches::delete)),
    )
    .default_service(web::to(not_found));
}

/// Liveness (anyone): the process is up and answering. It does not touch
/// the database (DESIGN §10): an orchestrator restarts what fails its
/// liveness probe, and restarting every instance does not bring a database
/// back. Whether this instance should take traffic is `/readyz`'s answer.
#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, description = "ok")),
    description = "No authentication needed. Never touches the database: see `/readyz` for that.")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound(Thing::Route))
}
